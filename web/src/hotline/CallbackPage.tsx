import { useState } from 'react';
import { Button, Card, Input, Modal, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../useLoad';
import { CallbackForm, CloseForm } from './actions';
import { listTickets, type Ticket } from './model';
import { useNow } from './parts';
import { TicketTable } from './QueuePage';

/**
 * 回访: replied tickets the centre closes (办结), then calls the caller back: resolved or not and how
 * satisfied; an unresolved or dissatisfied callback reopens the ticket (重办).
 */
export default function CallbackPage() {
  const { t } = useTranslation();
  const now = useNow();
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<{ ticket: Ticket; action: 'close' | 'callback' }>();
  const [q, setQ] = useState('');
  const replied = useLoad(() => listTickets({ q: q || undefined, sort: 'deadline', limit: 200 }, ['replied']), [generation, q]);
  // Closed tickets not yet called back; the list API has no such filter, so the newest closed are sifted here.
  const closed = useLoad(() => listTickets({ q: q || undefined, sort: 'newest', limit: 500 }, ['closed'])
    .then(({ items }) => items.filter((x) => x.callback === null && x.abilities.includes('callback'))), [generation, q]);
  const done = () => { setOpen(undefined); setGeneration((g) => g + 1); };
  const button = (action: 'close' | 'callback') => ({
    title: t('hotline.ticket.actions'),
    render: (ticket: Ticket) => (
      <Button type="primary" size="small" onClick={(e) => { e.stopPropagation(); setOpen({ ticket, action }); }}>{t(`hotline.action.${action}`)}</Button>
    ),
  });
  return (
    <Card title={t('hotline.callback.title')}>
      <Input.Search allowClear placeholder={t('hotline.queue.search')} onSearch={(v) => setQ(v.trim())} style={{ maxWidth: 320 }} />
      <Tabs items={[
        { key: 'callback', label: `${t('hotline.callback.toCall')} (${closed.data?.length ?? 0})`,
          children: <TicketTable tickets={closed.data} loading={closed.loading} now={now} extra={button('callback')} /> },
        { key: 'close', label: `${t('hotline.callback.toClose')} (${replied.data?.total ?? 0})`,
          children: <TicketTable tickets={replied.data?.items} loading={replied.loading} now={now} extra={button('close')} /> },
      ]} />
      <Modal open={!!open} footer={null} destroyOnHidden onCancel={() => setOpen(undefined)}
        title={open && `${t(`hotline.action.${open.action}`)} · ${open.ticket.number}`}>
        {open && <p>{open.ticket.description}</p>}
        {open && open.ticket.reply && <p><b>{t('hotline.field.reply')}:</b> {open.ticket.reply}</p>}
        {open?.action === 'callback' && <CallbackForm ticketId={open.ticket.id} onDone={done} />}
        {open?.action === 'close' && <CloseForm ticketId={open.ticket.id} onDone={done} />}
      </Modal>
    </Card>
  );
}
