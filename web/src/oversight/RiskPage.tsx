import { useState } from 'react';
import { Card, Col, Empty, Flex, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { navigate, usePath } from '../router';
import { useLoad } from '../useLoad';
import AlertView from './AlertView';
import { chinaTime, ruleName, SeverityTag, StateTag } from './common';

type AlertRow = ApiItem<'/oversight/alerts'>;
const states = ['open', 'confirmed', 'case', 'closed', 'dismissed'] as const;

/** 风险看板: alerts by rule, department and day, and the list to work through; `/oversight/<id>` opens one. */
export default function RiskPage() {
  const path = usePath();
  const id = Number(path.split('/')[2]);
  return Number.isInteger(id) && id > 0 ? <AlertView id={id} /> : <Dashboard />;
}

function Dashboard() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<(typeof states)[number]>('open');
  const board = useLoad(() => api('GET', '/oversight/dashboard'), []);
  const alerts = useLoad(() => api('GET', `/oversight/alerts${query({ state, limit: 50 })}`), [state]);
  const d = board.data;
  const count = (s: string) => d?.byState.find((x) => x.state === s)?.total ?? 0;
  const maxDay = Math.max(1, ...(d?.byDay ?? []).map((x) => x.red + x.yellow));
  const maxDept = Math.max(1, ...(d?.byDepartment ?? []).map((x) => x.total));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('oversight.dashboard.title')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {states.map((s) => (
          <Col xs={12} md={4} key={s}><Card size="small"><Statistic title={t(`oversight.state.${s}`)} value={count(s)} /></Card></Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('oversight.dashboard.byRule')}>
            <Table size="small" rowKey="ruleId" pagination={false} dataSource={d?.byRule ?? []} columns={[
              { title: t('oversight.rule'), render: (_, r) => <><SeverityTag severity={r.severity} />{ruleName(r, i18n.language)}</> },
              { title: t('oversight.state.open'), dataIndex: 'open', width: 80 },
              { title: t('oversight.dashboard.total'), dataIndex: 'total', width: 80 },
            ]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('oversight.dashboard.trend')}>
            {d && d.byDay.length === 0 && <Empty />}
            <Flex align="flex-end" gap={2} style={{ height: 120 }} data-testid="trend">
              {(d?.byDay ?? []).map((x) => (
                <Flex key={x.day} vertical justify="flex-end" style={{ flex: 1, height: '100%' }} title={`${x.day}: ${x.red + x.yellow}`}>
                  <div style={{ background: '#faad14', height: `${(x.yellow / maxDay) * 100}%` }} />
                  <div style={{ background: '#f5222d', height: `${(x.red / maxDay) * 100}%` }} />
                </Flex>
              ))}
            </Flex>
            <Typography.Text type="secondary">{t('oversight.dashboard.trendNote')}</Typography.Text>
          </Card>
          <Card size="small" title={t('oversight.dashboard.byDepartment')} style={{ marginTop: 16 }}>
            {(d?.byDepartment ?? []).map((x) => (
              <Flex key={x.department} gap={8} align="center" style={{ marginBottom: 4 }}>
                <span style={{ width: 180, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{x.department === '—' ? t('oversight.noDepartment') : x.department}</span>
                <div style={{ background: '#1677ff', height: 10, width: `${(x.total / maxDept) * 60}%` }} />
                <span>{x.total}</span>
              </Flex>
            ))}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('oversight.alerts')} extra={
        <Segmented value={state} onChange={(v) => setState(v as typeof state)} options={states.map((s) => ({ value: s, label: t(`oversight.state.${s}`) }))} />
      }>
        <Table<AlertRow> size="small" rowKey="id" loading={alerts.loading} dataSource={alerts.data?.items ?? []} pagination={false}
          onRow={(row) => ({ onClick: () => navigate(`/oversight/${row.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('oversight.raisedAt'), render: (_, r) => chinaTime(r.raisedAt), width: 150 },
            { title: t('oversight.rule'), render: (_, r) => <><SeverityTag severity={r.severity} />{ruleName(r.rule, i18n.language)}</> },
            { title: t('oversight.people'), render: (_, r) => r.people.map((p) => p.name).join('、') || t('oversight.nobody') },
            { title: t('oversight.department'), render: (_, r) => r.department ?? t('oversight.noDepartment') },
            { title: t('oversight.stateLabel'), render: (_, r) => <StateTag state={r.state} />, width: 100 },
          ]} />
      </Card>
    </Space>
  );
}
