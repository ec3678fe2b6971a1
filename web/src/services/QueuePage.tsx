import { useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Input, Select, Space, Spin, Switch, Table, Tag } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { useSaving } from '../problemFields';
import { navigate, usePath } from '../router';
import { useLoad } from '../useLoad';
import { ConfirmDecision, type Decision } from '../components/ConfirmDecision';
import { ClockCard, HistoryCard, MaterialLink } from './ApplicationParts';
import { Deadline, StateTag } from './common';
import type { Application, ApplicationRow } from './types';

const queueStates = ['submitted', 'accepted', 'correction', 'approved', 'refused', 'finished', 'rejected'];

/** 办件受理 (staff): the queue with its clocks, soonest committed deadline first, and the case page with its actions. */
export default function QueuePage() {
  const path = usePath();
  const one = /^\/service-queue\/(\d+)$/.exec(path);
  return one ? <CasePage id={Number(one[1])} /> : <Queue />;
}

function Queue() {
  const { t } = useTranslation();
  const [state, setState] = useState<string>('submitted');
  const [overdue, setOverdue] = useState(false);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const { data, loading } = useLoad(() => api('GET',
    `/services/applications${query({ state: state === 'all' ? undefined : state, overdue: overdue || undefined, q, limit: 20, offset: (page - 1) * 20 })}`),
  [state, overdue, q, page]);
  return (
    <Card title={t('services.queue.title')}>
      <Flex wrap gap={8} style={{ marginBottom: 12 }} align="center">
        <Select value={state} style={{ width: 140 }} aria-label={t('services.app.state')} onChange={(v) => { setState(v); setPage(1); }}
          options={[{ value: 'all', label: t('services.queue.all') }, ...queueStates.map((s) => ({ value: s, label: t(`services.states.${s}`) }))]} />
        <Input.Search allowClear placeholder={t('services.queue.search')} style={{ maxWidth: 280 }} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
        <Space><Switch checked={overdue} onChange={(v) => { setOverdue(v); setPage(1); }} aria-label={t('services.queue.overdueOnly')} />{t('services.queue.overdueOnly')}</Space>
      </Flex>
      <Table<ApplicationRow>
        rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        onRow={(row) => ({ onClick: () => navigate(`/service-queue/${row.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('services.app.receipt'), dataIndex: 'receiptNumber', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('services.app.item'), render: (_, row) => row.item.name },
          { title: t('services.app.applicant'), render: (_, row) => row.applicant.name },
          { title: t('services.app.channel'), dataIndex: 'channel', render: (v: string) => t(`services.channels.${v}`) },
          { title: t('services.app.state'), dataIndex: 'state', render: (v: string) => <StateTag state={v} /> },
          { title: t('services.app.committedDue'), render: (_, row) => ['finished', 'rejected'].includes(row.state)
            ? (row.overdue ? <Tag color="error">{t('services.app.overdue')}</Tag> : '—')
            : <Deadline due={row.committedDue} paused={row.paused} overdue={row.overdue} /> },
        ]}
      />
    </Card>
  );
}

function CasePage({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: app, reload } = useLoad(() => api<Application>('GET', `/services/applications/${id}`), [id]);
  const [note, setNote] = useState('');
  const { saving: busy, whileSaving } = useSaving();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  useEffect(() => setNote(''), [app?.state, app?.currentStep?.key]);
  if (!app) return <Spin style={{ display: 'block', margin: 48 }} />;
  const act = (path: string, body: object) => whileSaving(async () => {
    await api('POST', `/services/applications/${id}/${path}`, body);
    void message.success(t('services.actions.done'));
    reload();
  });
  const can = (ability: string) => app.abilities.includes(ability);
  /** A final act: confirmed in a dialog that says what follows, its reason (or note) in the dialog's own field. */
  const confirm = (kind: 'reject' | 'refuse' | 'approve' | 'finish', path: string, body: (reason: string, amount?: number) => object) => setDeciding({
    title: `${t(`services.actions.${kind}`)} · ${app.item.name}`, consequence: t(`services.confirm.${kind}`), okText: t(`services.actions.${kind}`),
    danger: kind === 'reject' || kind === 'refuse', reasonField: kind === 'finish' ? 'note' : 'reason', reasonOptional: kind === 'approve' || kind === 'finish',
    reasons: kind === 'reject' || kind === 'refuse' ? t(`services.confirm.${kind}Reasons`, { returnObjects: true }) as string[] : undefined,
    // An approval of an item that pays or charges an amount states it.
    amount: kind === 'approve' && app.item.amountKind ? { label: t(`services.amount.${app.item.amountKind}`), field: 'amount' } : undefined,
    run: async (reason, amount) => {
      await api('POST', `/services/applications/${id}/${path}`, body(reason, amount));
      void message.success(t('services.actions.done'));
      reload();
    },
  });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/service-queue')} style={{ paddingInline: 0 }}>{t('services.actions.back')}</Button>
      <ClockCard app={app} />
      <Card size="small" title={t('services.app.form')}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          {Object.entries(app.item.formSchema?.properties ?? {}).map(([name, field]) => (
            <Descriptions.Item key={name} label={field.title ?? name}>{String(app.form[name] ?? '—')}</Descriptions.Item>
          ))}
          {app.materials.map((m) => <Descriptions.Item key={m.material} label={m.material}><MaterialLink app={app} file={m} /></Descriptions.Item>)}
        </Descriptions>
      </Card>
      {app.abilities.length > 0 && (
        <Card size="small" title={app.currentStep ? `${t('services.app.currentStep')}: ${app.currentStep.label}` : t('services.app.state')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {(can('accept') || can('advance') || can('request-correction')) && <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('services.actions.note')} aria-label={t('services.actions.note')} maxLength={2000} />}
            <Flex wrap gap={8}>
              {can('accept') && <Button type="primary" loading={busy} onClick={() => void act('accept', { note: note || undefined })}>{t('services.actions.accept')}</Button>}
              {can('advance') && <Button type="primary" loading={busy} onClick={() => void act('advance', { note: note || undefined })}>{t('services.actions.advance')}</Button>}
              {can('request-correction') && <Button loading={busy} onClick={() => void act('correction', { note })}>{t('services.actions.request-correction')}</Button>}
              {can('decide') && <Button type="primary" onClick={() => confirm('approve', 'decide', (reason, amount) => ({ approve: true, reason: reason || undefined, amount }))}>{t('services.actions.approve')}</Button>}
              {can('decide') && <Button danger onClick={() => confirm('refuse', 'decide', (reason) => ({ approve: false, reason }))}>{t('services.actions.refuse')}</Button>}
              {can('reject') && <Button danger onClick={() => confirm('reject', 'reject', (reason) => ({ reason }))}>{t('services.actions.reject')}</Button>}
              {can('finish') && <Button type="primary" onClick={() => confirm('finish', 'finish', (note) => ({ note: note || undefined }))}>{t('services.actions.finish')}</Button>}
            </Flex>
          </Space>
        </Card>
      )}
      <HistoryCard app={app} />
      {deciding && <ConfirmDecision decision={deciding} onClose={() => setDeciding(null)} />}
    </Space>
  );
}
