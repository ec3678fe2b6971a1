import { useState } from 'react';
import { App, Button, Card, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../useLoad';
import { api } from '../api';
import { useSaving } from '../problemFields';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentsInJurisdiction, type Department } from '../org';
import { ExtensionDecision } from './actions';
import { listTickets, type Ticket } from './model';
import { useNow } from './parts';
import { TicketTable } from './QueuePage';

/**
 * 审核: the centre's review queue. 异议审核 of returned tickets (uphold the return and send the ticket to
 * another department, or refuse it and send it back) and 延期审核 of extension requests.
 */
export default function ReviewPage() {
  const { t } = useTranslation();
  const now = useNow();
  const [generation, setGeneration] = useState(0);
  const returned = useLoad(() => listTickets({ sort: 'deadline', limit: 100 }, ['returned']), [generation]);
  const extensions = useLoad(() => listTickets({ extensionPending: true, sort: 'deadline', limit: 100 }), [generation]);
  const departments = useLoad(departmentsInJurisdiction, []);
  const done = () => setGeneration((g) => g + 1);

  const expand = (render: (ticket: Ticket) => React.ReactNode) => ({ title: t('hotline.review.decide'), render });
  return (
    <Card title={t('hotline.review.title')}>
      <Tabs items={[
        { key: 'returns', label: `${t('hotline.review.returns')} (${returned.data?.total ?? 0})`, children: (
          <TicketTable tickets={returned.data?.items} loading={returned.loading} now={now} size="small" returnReason extra={expand((ticket) => (
            <ReturnDecision ticket={ticket} departments={departments.data} onDone={done} />
          ))} />
        ) },
        { key: 'extensions', label: `${t('hotline.review.extensions')} (${extensions.data?.total ?? 0})`, children: (
          <TicketTable tickets={extensions.data?.items} loading={extensions.loading} now={now} size="small" extra={expand((ticket) => (
            <div onClick={(e) => e.stopPropagation()} style={{ minWidth: 240 }}>
              <ExtensionDecision ticketId={ticket.id} onDone={done} />
            </div>
          ))} />
        ) },
      ]} />
    </Card>
  );
}

/** 异议审核 of one return: uphold it (改派 to another department) or refuse it (back to the same department). */
function ReturnDecision({ ticket, departments, onDone }: { ticket: Ticket; departments: Department[] | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [departmentId, setDepartmentId] = useState<number>();
  const { saving, whileSaving } = useSaving();
  const redispatch = (to: number | undefined) => whileSaving(async () => {
    const moved = await api('POST', `/hotline/tickets/${ticket.id}/redispatch`, { departmentId: to });
    void message.success(t('hotline.dispatch.done.redispatch', { department: moved.department?.name ?? '' }));
    onDone();
  });
  return (
    // The department above its two buttons: the decision keeps the queue's other columns within a desktop screen.
    <Space direction="vertical" size={4} onClick={(e) => e.stopPropagation()} data-testid="return-decision" style={{ width: 170 }}>
      <DepartmentSelect departments={departments?.filter((d) => d.id !== ticket.department?.id)} value={departmentId} onChange={setDepartmentId}
        style={{ width: '100%' }} placeholder={t('hotline.review.otherDepartment')} />
      <Space wrap size={4}>
        <Button type="primary" size="small" disabled={!departmentId} loading={saving} onClick={() => void redispatch(departmentId)}>{t('hotline.review.uphold')}</Button>
        {ticket.department && <Button size="small" loading={saving} onClick={() => void modal.confirm({ title: t('hotline.review.refuse'), content: t('hotline.confirm.returnRefusal'),
          okText: t('hotline.review.refuse'), cancelText: t('confirm.cancel'), onOk: () => redispatch(ticket.department!.id) })}>{t('hotline.review.refuse')}</Button>}
      </Space>
    </Space>
  );
}
