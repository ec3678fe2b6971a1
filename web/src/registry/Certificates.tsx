import { Empty, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../api';
import { day } from '../credentials/credentials';

type Certificate = ApiResponse<'/registry/my/record'>['certificates'][number];

const statusColor = { valid: 'green', revoked: 'red', expired: 'default' } as const;

/** 电子证照库: the certificates issued about a golden record's subject (type, issuer, number, validity, status). */
export function Certificates({ certificates }: { certificates: Certificate[] }) {
  const { t } = useTranslation();
  if (certificates.length === 0) return <Empty description={t('registry.noCertificates')} />;
  return (
    <Table size="small" pagination={false} rowKey="id" dataSource={certificates} scroll={{ x: 640 }} data-testid="certificates" columns={[
      { title: t('registry.certificateType'), key: 'type', dataIndex: 'typeName' },
      { title: t('registry.issuer'), key: 'issuer', dataIndex: 'issuerName' },
      { title: t('registry.certificateNumber'), key: 'number', dataIndex: 'number' },
      { title: t('registry.validity'), key: 'valid', render: (_: unknown, c: Certificate) => `${day(c.issuedAt)} – ${c.validUntil ? day(c.validUntil) : t('registry.noEnd')}` },
      { title: t('registry.certificateStatus'), key: 'status', render: (_: unknown, c: Certificate) => (
        <Tag color={statusColor[c.status]}>{t(`registry.certificateStatuses.${c.status}`)}</Tag>) },
    ]} />
  );
}
