import { lazy, useState } from 'react';
import { App, Badge, Button, Card, Checkbox, Input, List, Popover, Segmented, Select, Space, Table, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type ApiItem } from '../api';
import { problemText } from '../problemFields';
import { currentLanguage } from '../i18n';
import { navigate, usePath } from '../router';
import { useLoad } from '../useLoad';
import { categoryLabel, listTickets, loadCategories, loadReturnReasons, ticketPath, ticketStates, type QueuedTicket, type Ticket, type TicketState, formatTime } from './model';
import { DeadlineTag, StateTag, useNow } from './parts';

const TicketPage = lazy(() => import('./TicketPage'));

type Alert = ApiItem<'/hotline/alerts'>;

/** 预警: unread deadline alerts of the user's department, read one by one. */
function AlertsBell() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [generation, setGeneration] = useState(0);
  // Without the alerts service the bell is simply not shown.
  const { data: alerts } = useLoad(() => api('GET', '/hotline/alerts?unread=true').then(({ items }) => items, () => undefined),
    [generation]);
  if (!alerts) return null;
  const read = async (alert: Alert) => {
    try {
      await api('POST', `/hotline/alerts/${alert.id}/read`);
      setGeneration((g) => g + 1);
      navigate(ticketPath(alert.ticketId));
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  return (
    <Popover trigger="click" placement="bottomRight" title={t('hotline.alerts.title')} content={
      <List size="small" style={{ maxWidth: 360, maxHeight: 360, overflow: 'auto' }} dataSource={alerts} locale={{ emptyText: t('hotline.alerts.none') }}
        renderItem={(a) => (
          <List.Item className="hotline-clickable" onClick={() => void read(a)}>
            <List.Item.Meta title={`${a.number} · ${t(`hotline.alerts.kind.${a.kind}`)}`}
              description={t('hotline.alerts.text', { deadline: t(`hotline.deadline.${a.deadline}`), due: formatTime(a.due) })} />
          </List.Item>)} />
    }>
      <Badge count={alerts.length} overflowCount={99}>
        <Button icon={<BellOutlined />} data-testid="alerts">{t('hotline.alerts.title')}</Button>
      </Badge>
    </Popover>
  );
}

/** 工单队列: the tickets the user may see, the nearest deadline first; a ticket opens at /hotline-queue/{id}. */
export default function QueuePage() {
  const path = usePath();
  const id = /^\/hotline-queue\/(\d+)$/.exec(path)?.[1];
  return id ? <TicketPage id={Number(id)} /> : <Queue />;
}

function Queue() {
  const { t } = useTranslation();
  const now = useNow();
  const [states, setStates] = useState<TicketState[]>(['received', 'dispatched', 'accepted', 'returned', 'replied']);
  const [overdue, setOverdue] = useState(false);
  const [categoryCode, setCategoryCode] = useState<string>();
  const [q, setQ] = useState('');
  // 主办 tickets of the department, or 协办 ones it helps with.
  const [role, setRole] = useState<'main' | 'co'>('main');
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const categories = useLoad(loadCategories, []);
  const tickets = useLoad(() => listTickets({ role: role === 'co' ? 'co' : undefined, overdue: overdue || undefined, categoryCode, q: q || undefined, sort: 'deadline',
    limit: pageSize, offset: (page - 1) * pageSize }, states), [states.join(), overdue, categoryCode, q, page, role]);

  return (
    <Card title={t('hotline.queue.title')} extra={<AlertsBell />}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented value={role} onChange={(v) => { setRole(v); setPage(1); }}
          options={(['main', 'co'] as const).map((r) => ({ value: r, label: t(`hotline.queue.role.${r}`) }))} />
        <Select mode="multiple" style={{ minWidth: 260 }} value={states} placeholder={t('hotline.field.state')} aria-label={t('hotline.field.state')}
          onChange={(v) => { setStates(v); setPage(1); }} options={ticketStates.map((s) => ({ value: s, label: t(`hotline.state.${s}`) }))} />
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 220 }} placeholder={t('hotline.field.category')}
          value={categoryCode} onChange={(v) => { setCategoryCode(v); setPage(1); }}
          options={categories.data?.map((c) => ({ value: c.code, label: categoryLabel(c.path) }))} />
        <Checkbox checked={overdue} onChange={(e) => { setOverdue(e.target.checked); setPage(1); }}>{t('hotline.queue.overdueOnly')}</Checkbox>
        <Input.Search allowClear placeholder={t('hotline.queue.search')} onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: 220 }} />
      </Space>
      <TicketTable tickets={tickets.data?.items} loading={tickets.loading} now={now}
        pagination={{ current: page, pageSize, total: tickets.data?.total ?? 0, onChange: setPage, showSizeChanger: false }} />
    </Card>
  );
}

/** Tickets as a table whose rows open the ticket page; used by the queue, the review and the callback pages. */
export function TicketTable({ tickets, loading, now, pagination, extra, returnReason, size = 'middle' }: {
  tickets: QueuedTicket[] | undefined;
  loading: boolean;
  now: number;
  pagination?: false | { current: number; pageSize: number; total: number; onChange: (page: number) => void; showSizeChanger: boolean };
  extra?: { title: string; render: (ticket: Ticket) => React.ReactNode };
  /** Shows the department's 退单原因 and note (the centre's review of returns). */
  returnReason?: boolean;
  /** `small` where a decision column shares the row, so the row still fits a desktop screen. */
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const reasons = useLoad(() => (returnReason ? loadReturnReasons() : Promise.resolve([])), [returnReason]);
  const reasonName = (code: string) => {
    const reason = reasons.data?.find((r) => r.code === code);
    return reason ? (currentLanguage() === 'zh-CN' ? reason.zh : reason.en) : code;
  };
  return (
    <Table<QueuedTicket> rowKey="id" size={size} loading={loading} dataSource={tickets} pagination={pagination ?? false} scroll={{ x: 'max-content' }}
      onRow={(ticket) => ({ onClick: () => navigate(ticketPath(ticket.id)), className: 'hotline-clickable' })}
      columns={[
        { key: 'number', title: t('hotline.field.number'), render: (_, r) => <a>{r.number}</a> },
        ...(extra ? [{ key: 'extra', title: extra.title, render: (_: unknown, r: Ticket) => extra.render(r) }] : []),
        ...(returnReason ? [{ key: 'returnReason', title: t('hotline.field.reasonCode'), render: (_: unknown, r: QueuedTicket) => r.returnReason && (
          <div style={{ maxWidth: 130 }}>
            {reasonName(r.returnReason.code)}
            {r.returnReason.note && <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: r.returnReason.note }} style={{ margin: 0 }}>
              {r.returnReason.note}</Typography.Paragraph>}
          </div>
        ) }] : []),
        { key: 'category', title: t('hotline.field.category'), render: (_, r) => r.category.path.at(-1) },
        { key: 'description', title: t('hotline.field.description'),
          render: (_, r) => <Typography.Text ellipsis style={{ maxWidth: 180 }}>{r.description}</Typography.Text> },
        // Returns under review are all in one state: the column would only repeat it.
        ...(returnReason ? [] : [{ key: 'state', title: t('hotline.field.state'), render: (_: unknown, r: QueuedTicket) => <StateTag state={r.state} /> }]),
        { key: 'department', title: t('hotline.field.department'),
          render: (_, r) => <Typography.Text ellipsis={{ tooltip: r.department?.name }} style={{ maxWidth: 160 }}>{r.department?.name ?? '—'}</Typography.Text> },
        { key: 'deadline', title: t('hotline.field.deadline'), render: (_, r) => <DeadlineTag ticket={r} now={now} /> },
      ]} />
  );
}
