import { useState } from 'react';
import { App, Button, Card, Input, Segmented, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { useLoad } from '../useLoad';
import { time } from './cases';

type Order = ApiItem<'/cityops/orders'>;

const stateColor = { issued: 'blue', acknowledged: 'green', escalated: 'red' } as const;

/** 调度指令: the orders (一键调度) the command centre addressed to the user's department; its staff acknowledge them (签收). */
export default function OrdersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(true);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const orders = useLoad(() => api('GET', `/cityops/orders${query({ mine: true, open: open || undefined })}`), [open]);
  const acknowledge = async (o: Order) => {
    try {
      await api('POST', `/cityops/orders/${o.id}/acknowledge`, notes[o.id]?.trim() ? { note: notes[o.id]!.trim() } : {});
      void message.success(t('screen.acknowledged'));
      orders.reload();
    } catch (error) {
      void message.error((error as Error).message);
    }
  };
  return (
    <Card title={t('screen.ordersTitle')} extra={<Segmented value={open ? 'open' : 'all'} onChange={(v) => setOpen(v === 'open')}
      options={[{ value: 'open', label: t('screen.openOrders') }, { value: 'all', label: t('screen.allOrders') }]} />}>
      <Table<Order> rowKey="id" size="small" loading={orders.loading} dataSource={orders.data?.items ?? []} pagination={false} data-testid="orders-table" scroll={{ x: 960 }}
        columns={[
          { title: t('screen.issuedAt'), dataIndex: 'issuedAt', render: (v: string) => time(v) },
          { title: t('screen.about'), render: (_, o) => <span>{o.caseCode ?? o.deviceCode}<div style={{ color: '#888' }}>{o.subject}</div></span> },
          { title: t('screen.instruction'), dataIndex: 'instruction' },
          { title: t('screen.department'), render: (_, o) => (o.escalatedToName ? `${o.departmentName} → ${o.escalatedToName}` : o.departmentName) },
          { title: t('screen.ackDue'), dataIndex: 'ackDueAt', render: (v: string) => time(v) },
          { title: t('screen.state'), dataIndex: 'state', render: (v: Order['state']) => <Tag color={stateColor[v]}>{t(`screen.states.${v}`)}</Tag> },
          { title: '', width: 240, render: (_, o) => (o.abilities.acknowledge ? (
            <span style={{ display: 'flex', gap: 8 }}>
              <Input size="small" placeholder={t('screen.ackNote')} maxLength={500} value={notes[o.id] ?? ''}
                onChange={(e) => setNotes({ ...notes, [o.id]: e.target.value })} />
              <Button size="small" type="primary" data-testid="order-acknowledge" onClick={() => void acknowledge(o)}>{t('screen.acknowledge')}</Button>
            </span>) : o.acknowledgedByName ? `${o.acknowledgedByName}${o.ackNote ? `：${o.ackNote}` : ''}` : null) },
        ]} />
    </Card>
  );
}
