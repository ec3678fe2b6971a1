import { useState } from 'react';
import { App, Button, Card, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { codeLabel } from '../codes';
import { chinaTime } from './format';

type Grant = ApiItem<'/hub/grants'>;

/** 授权: what my department's systems may read, and what my department granted (revocable at once). */
export default function GrantsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const mayRevoke = can('hub.request.decide');
  const [side, setSide] = useState<'consumer' | 'provider'>(mayRevoke ? 'provider' : 'consumer');
  const list = useLoad(() => api('GET', `/hub/grants${query({ side })}`), [side]);
  const [revoking, setRevoking] = useState<Grant | null>(null);

  const status = (g: Grant) => g.revokedAt ? 'revoked' : g.validUntil && new Date(g.validUntil) < new Date() ? 'expired'
    : new Date(g.validFrom) > new Date() ? 'future' : 'active';
  const color = { revoked: 'error', expired: 'default', future: 'processing', active: 'success' } as const;
  // A filter by a list of subjects may hold thousands: the first few say what it is.
  const filterValue = (value: unknown) => (!Array.isArray(value) ? String(value)
    : value.length <= 3 ? value.join(', ') : `${value.slice(0, 3).join(', ')} ${t('hubx.moreValues', { count: value.length - 3 })}`);

  return (
    <Card title={t('hubx.grantsTitle')}>
      <Tabs activeKey={side} onChange={(key) => setSide(key as typeof side)} items={[
        { key: 'provider', label: t('hubx.granted') }, { key: 'consumer', label: t('hubx.held') }]} />
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }} pagination={{ pageSize: 20 }} columns={[
        { title: t('hubx.resource'), key: 'r', render: (_, g) => <Space direction="vertical" size={0}><span>{g.resourceName}</span>
          <Typography.Text type="secondary">{g.predicateCode ? codeLabel(t, 'predicates', g.predicateCode) : <span className="mono">{g.resourceCode}</span>}</Typography.Text></Space> },
        { title: t('hubx.consumer'), key: 'c', render: (_, g) => `${g.consumerDepartmentName} · ${g.systemName}` },
        { title: t('hubx.provider'), dataIndex: 'providerDepartmentName' },
        { title: t('hubx.fields'), key: 'f', render: (_, g) => <Flex wrap gap={4}>{g.fields.map((f) =>
          <Tag key={f}>{g.masking[f] ? `${codeLabel(t, 'fields', f)} · ${t(`hubx.maskingRules.${g.masking[f]}`)}` : codeLabel(t, 'fields', f)}</Tag>)}</Flex> },
        { title: t('hubx.rowFilter'), key: 'rf', render: (_, g) => <div style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>
          {g.rowFilter.map((c) => `${codeLabel(t, 'fields', c.field)} ${t(`hubx.ops.${c.op}`)} ${filterValue(c.value)}`).join('; ') || '—'}</div> },
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
