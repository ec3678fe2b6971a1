import { useState } from 'react';
import { App, Button, Card, Flex, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { codeLabel } from '../codes';
import { chinaTime } from './format';

type Grant = ApiItem<'/hub/grants'>;

/**
 * 授权: what my department's systems may read, and what my department granted (revocable at once). A hub
 * administrator sees their own department's by default and may switch to every department's, each row
 * then marked 本部门 or 其他部门.
 */
export default function GrantsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const mayRevoke = can('hub.request.decide');
  // Review is offered to hub administrators only.
  const hubAdmin = can('hub.resource.review');
  const [side, setSide] = useState<'consumer' | 'provider'>(mayRevoke ? 'provider' : 'consumer');
  const [everyDepartment, setEveryDepartment] = useState(false);
  const departments = everyDepartment ? 'all' : 'own';
  const list = useLoad(() => api('GET', `/hub/grants${query({ side, departments })}`), [side, departments]);
  const [revoking, setRevoking] = useState<Grant | null>(null);

  const listed = (values: string[]) => values.length <= 3 ? values.join('、') : t('hubx.andMore', { first: values.slice(0, 3).join('、'), count: values.length });
  const status = (g: Grant) => g.revokedAt ? 'revoked' : g.validUntil && new Date(g.validUntil) < new Date() ? 'expired'
    : new Date(g.validFrom) > new Date() ? 'future' : 'active';
  const color = { revoked: 'error', expired: 'default', future: 'processing', active: 'success' } as const;

  return (
    <Card title={t('hubx.grantsTitle')}>
      <Tabs activeKey={side} onChange={(key) => setSide(key as typeof side)} items={[
        { key: 'provider', label: t('hubx.granted') }, { key: 'consumer', label: t('hubx.held') }]}
        tabBarExtraContent={hubAdmin && <Space>
          <Switch checked={everyDepartment} onChange={setEveryDepartment} aria-label={t('hubx.allDepartments')} data-testid="every-department" />
          <span>{t('hubx.allDepartments')}</span>
        </Space>} />
      {hubAdmin && !everyDepartment && <Typography.Paragraph type="secondary">{t('hubx.ownDepartmentOnly')}</Typography.Paragraph>}
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }} pagination={{ pageSize: 20 }} columns={[
        ...(everyDepartment ? [{ title: t('hubx.whose'), key: 'o', render: (_: unknown, g: Grant) =>
          <Tag color={g.ours ? 'blue' : 'default'}>{t(g.ours ? 'hubx.ours' : 'hubx.theirs')}</Tag> }] : []),
        { title: t('hubx.resource'), key: 'r', render: (_, g) => <Space direction="vertical" size={0}><span>{g.resourceName}</span>
          <Typography.Text type="secondary">{g.predicateCode ? codeLabel(t, 'predicates', g.predicateCode) : <span className="mono">{g.resourceCode}</span>}</Typography.Text></Space> },
        { title: t('hubx.consumer'), key: 'c', render: (_, g) => `${g.consumerDepartmentName} · ${g.systemName}` },
        { title: t('hubx.provider'), dataIndex: 'providerDepartmentName' },
        { title: t('hubx.fields'), key: 'f', render: (_, g) => <Flex wrap gap={4}>{g.fields.map((f) =>
          <Tag key={f}>{g.masking[f] ? `${codeLabel(t, 'fields', f)} · ${t(`hubx.maskingRules.${g.masking[f]}`)}` : codeLabel(t, 'fields', f)}</Tag>)}</Flex> },
        // A row filter `in` a long list (thousands of codes) shows its first values and how many there are, within the column.
        { title: t('hubx.rowFilter'), key: 'rf', width: 240, render: (_, g) => <span style={{ overflowWrap: 'anywhere' }}>
          {g.rowFilter.map((c) => `${codeLabel(t, 'fields', c.field)} ${t(`hubx.ops.${c.op}`)} ${listed([c.value].flat())}`).join('; ') || '—'}</span> },
        { title: t('hubx.validity'), key: 'v', render: (_, g) => `${chinaTime(g.validFrom, i18n.language)} – ${g.validUntil ? chinaTime(g.validUntil, i18n.language) : t('hubx.noEnd')}` },
        { title: t('hubx.quotaToday'), key: 'q', render: (_, g) => g.dailyQuota ? `${g.callsToday} / ${g.dailyQuota}` : `${g.callsToday}` },
        { title: t('hubx.state'), key: 's', render: (_, g) => <Space direction="vertical" size={0}><Tag color={color[status(g)]}>{t(`hubx.grantStates.${status(g)}`)}</Tag>
          {g.revokeReason && <Typography.Text type="secondary">{g.revokeReason}</Typography.Text>}</Space> },
        { title: t('common.actions'), key: 'a', render: (_, g) => side === 'provider' && mayRevoke && !g.revokedAt &&
          <Button danger size="small" onClick={() => setRevoking(g)}>{t('hubx.revoke')}</Button> },
      ]} />
      {revoking && <ConfirmDecision onClose={() => setRevoking(null)} decision={{
        title: `${t('hubx.revoke')} · ${revoking.resourceName}`, okText: t('hubx.revoke'), danger: true, reasonField: 'reason',
        consequence: t('hubx.revokeConsequence', { consumer: `${revoking.consumerDepartmentName} · ${revoking.systemName}` }),
        reasons: t('hubx.revokeReasons', { returnObjects: true }) as string[],
        run: async (reason) => {
          await api('POST', `/hub/grants/${revoking.id}/revoke`, { reason });
          void message.success(t('hubx.revoked'));
          list.reload();
        },
      }} />}
    </Card>
  );
}
