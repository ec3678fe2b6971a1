import { useState } from 'react';
import { Card, Col, Empty, List, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type ApiResponse } from '../api';
import { useLoad } from '../useLoad';
import { chinaTime, ruleName, SeverityTag, StateTag } from './common';

type File = ApiResponse<'/oversight/integrity/{userId}'>;

/** 廉政档案: the discipline office's file of each official (alerts, cases, outcomes); opening one is on the ledger. */
export default function IntegrityPage() {
  const { t, i18n } = useTranslation();
  const index = useLoad(() => api('GET', '/oversight/integrity'), []);
  const [chosen, setChosen] = useState<string>();
  const file = useLoad<File | undefined>(() => (chosen ? api('GET', `/oversight/integrity/${chosen}`) : Promise.resolve(undefined)), [chosen]);
  return (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Card size="small" title={t('oversight.integrity.officials')}>
          <List size="small" loading={index.loading} dataSource={index.data?.items ?? []} renderItem={(p) => (
            <List.Item style={{ cursor: 'pointer', background: p.id === chosen ? '#e6f4ff' : undefined }} onClick={() => setChosen(p.id)}>
              <List.Item.Meta title={p.name} description={p.department ?? ''} />
              <span>{t('oversight.integrity.counts', { alerts: p.alerts, cases: p.cases })}</span>
            </List.Item>
          )} />
        </Card>
      </Col>
      <Col xs={24} md={16}>
        <Card size="small" title={file.data ? `${t('oversight.integrity.file')} · ${file.data.person.name}` : t('oversight.integrity.file')}>
          {!file.data && <Empty description={t('oversight.integrity.choose')} />}
          {file.data && (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('oversight.integrity.logged')}</Typography.Text>
              <Table size="small" rowKey="id" pagination={false} dataSource={file.data.alerts} scroll={{ x: true }} columns={[
                { title: t('oversight.raisedAt'), render: (_, a) => chinaTime(a.raisedAt), width: 150 },
                { title: t('oversight.rule'), render: (_, a) => <><SeverityTag severity={a.severity} />{ruleName(a.rule, i18n.language)}</> },
                { title: t('oversight.stateLabel'), render: (_, a) => <StateTag state={a.state} /> },
                { title: t('oversight.case'), render: (_, a) => (a.case ? `${t(`oversight.caseKind.${a.case.kind}`)}${a.case.outcome ? ` · ${a.case.outcome}` : ''}` : '—') },
                { title: t('oversight.answer'), render: (_, a) => a.answer ?? '—' },
              ]} />
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
