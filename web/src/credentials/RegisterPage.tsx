import { useState } from 'react';
import { App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { useLoad } from '../useLoad';
import { day, localized, stateColor, type RegisterRow } from './credentials';

const types = ['business-licence', 'residence-certificate', 'marriage-certificate'] as const;
const pageSize = 20;

/** 发证登记: what the department has issued, with revocation (吊销) for live credentials. */
export default function RegisterPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [type, setType] = useState<string>();
  const [page, setPage] = useState(1);
  const [revoking, setRevoking] = useState<RegisterRow>();
  const register = useLoad(() => api('GET',
    `/credentials/issued${query({ type, limit: pageSize, offset: (page - 1) * pageSize })}`), [type, page]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('credentials.register.title')}</Typography.Title>
      <Select allowClear placeholder={t('credentials.register.allTypes')} style={{ width: 220 }} value={type}
        onChange={(value) => { setType(value); setPage(1); }}
        options={types.map((value) => ({ value, label: t(`credentials.types.${value}`) }))} />
      <Table<RegisterRow>
        rowKey="id" size="small" loading={register.loading} dataSource={register.data?.items} scroll={{ x: 800 }}
        pagination={{ current: page, pageSize, total: register.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'type', title: t('credentials.register.type'), render: (_, row) => localized(row.typeName, i18n.language) },
          { key: 'holder', title: t('credentials.register.holder'), dataIndex: 'holderName' },
          { key: 'issuer', title: t('credentials.issuer'), render: (_, row) => row.issuer.name },
          { key: 'issued', title: t('credentials.issuedAt'), render: (_, row) => day(row.issuedAt) },
          { key: 'until', title: t('credentials.validUntil'), render: (_, row) => (row.validUntil ? day(row.validUntil) : t('credentials.noExpiry')) },
          { key: 'state', title: t('credentials.register.state'),
            render: (_, row) => <Tag color={stateColor[row.state]} title={row.revokeReason ?? undefined}>{t(`credentials.state.${row.state}`)}</Tag> },
          { key: 'actions', title: '', render: (_, row) => row.abilities.includes('revoke') && (
            <Button size="small" danger icon={<StopOutlined />} onClick={() => setRevoking(row)}>{t('credentials.register.revoke')}</Button>) },
        ]}
      />
      {revoking && <ConfirmDecision onClose={() => setRevoking(undefined)} decision={{
        title: t('credentials.register.revokeTitle', { type: localized(revoking.typeName, i18n.language), holder: revoking.holderName }),
        consequence: t('credentials.register.consequence'), okText: t('credentials.register.revoke'), danger: true, reasonField: 'reason',
        reasons: t('credentials.register.reasons', { returnObjects: true }) as string[],
        run: async (reason) => {
          await api('POST', `/credentials/${revoking.id}/revoke`, { reason });
          void message.success(t('credentials.register.revoked'));
          register.reload();
        },
      }} />}
    </Space>
  );
}
