import { useMemo, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Image, Result, Row, Space, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { currentLanguage } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { departmentsInJurisdiction } from '../org';
import { CityMap } from '../map';
import { DispatchForm } from './DispatchForm';
import {
  AcceptButton, CallbackForm, CloseForm, ExtensionDecision, ExtensionForm, ReturnForm, TextForm,
} from './actions';
import { categoryLabel, loadLedgerLabels, loadReturnReasons, type TicketView, formatTime, unsettledYear } from './model';
import { actorLabel } from '../codes';
import { DeadlineTag, StateTag, useNow } from './parts';


/** 工单详情: everything about one ticket, its timeline, and the actions this user may take on it now. */
export default function TicketPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const { user, can } = useSession();
  const now = useNow();
  const view = useLoad(() => api('GET', `/hotline/tickets/${id}`), [id]);
  const labels = useLoad(loadLedgerLabels, []);
  const reasons = useLoad(loadReturnReasons, []);
  const ticket = view.data;
  const needsDepartments = !!ticket && (ticket.abilities.includes('dispatch') || ticket.abilities.includes('redispatch'));
  const departments = useLoad(() => (needsDepartments ? departmentsInJurisdiction() : Promise.resolve(undefined)), [needsDepartments]);
  const zh = currentLanguage() === 'zh-CN';
  const point = useMemo(() => (ticket?.location.lon != null && ticket.location.lat != null
    ? [{ lon: ticket.location.lon, lat: ticket.location.lat, title: ticket.number }] : []), [ticket]);

  if (view.error && !ticket) return <Result status="warning" title={view.error} extra={<Button onClick={() => navigate('/hotline-queue')}>{t('hotline.ticket.back')}</Button>} />;
  if (!ticket) return <Card loading />;

  const done = () => view.reload();
  const own = user?.departmentId !== null && user?.departmentId === ticket.department?.id;
  const actions: { key: string; title: string; body: ReactNode }[] = [];
  const has = (a: string) => ticket.abilities.includes(a as never);
  if (has('dispatch')) actions.push({ key: 'dispatch', title: t('hotline.action.dispatch'),
    body: <DispatchForm ticket={ticket} departments={departments.data} defaultDepartmentId={ticket.routedDepartmentId ?? undefined} onDone={done} /> });
  if (has('redispatch')) actions.push({ key: 'redispatch', title: t('hotline.action.redispatch'),
    body: <DispatchForm ticket={ticket} action="redispatch" departments={departments.data} defaultDepartmentId={ticket.department?.id} onDone={done} /> });
  if (has('answer')) actions.push({ key: 'answer', title: t('hotline.action.answer'), body: <TextForm ticketId={ticket.id} action="answer" name="answer" onDone={done} /> });
  if (has('accept')) actions.push({ key: 'accept', title: t('hotline.action.accept'), body: <AcceptButton ticketId={ticket.id} onDone={done} /> });
  if (has('return')) actions.push({ key: 'return', title: t('hotline.action.return'), body: <ReturnForm ticketId={ticket.id} onDone={done} /> });
  if (has('reply')) actions.push({ key: 'reply', title: t('hotline.action.reply'), body: <TextForm ticketId={ticket.id} action="reply" name="reply" onDone={done} /> });
  if (has('reply') && !ticket.pendingExtension) actions.push({ key: 'extension', title: t('hotline.action.extension'),
    body: <ExtensionForm ticketId={ticket.id} onDone={done} /> });
  if (ticket.pendingExtension && !own && can('hotline.ticket.dispatch')) actions.push({ key: 'decision', title: t('hotline.action.decide'),
    body: <ExtensionDecision ticketId={ticket.id} onDone={done} /> });
  if (ticket.mayCoReply) actions.push({ key: 'co-reply', title: t('hotline.action.co-reply'), body: <TextForm ticketId={ticket.id} action="co-reply" name="text" onDone={done} /> });
  if (has('close')) actions.push({ key: 'close', title: t('hotline.action.close'), body: <CloseForm ticketId={ticket.id} onDone={done} /> });
  if (has('callback')) actions.push({ key: 'callback', title: t('hotline.action.callback'), body: <CallbackForm ticketId={ticket.id} onDone={done} /> });

  const reasonName = (code: string | null) => {
    const reason = reasons.data?.find((r) => r.code === code);
    return reason ? (zh ? reason.zh : reason.en) : code;
  };
  const actionName = (action: string) => {
    const label = labels.data?.[action];
    return label ? (zh ? label.zh : label.en) : action;
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/hotline-queue')}>{t('hotline.ticket.back')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-number">{ticket.number}</Typography.Title>
        <StateTag state={ticket.state} />
        {ticket.urgency === 'urgent' && <Tag color="red">{t('hotline.urgency.urgent')}</Tag>}
        {ticket.overdue.any && <Tag color="red">{t('hotline.ticket.overdue')}</Tag>}
        {ticket.needsSupervision && <Tag color="volcano">{t('hotline.ticket.supervision')}</Tag>}
        {ticket.reopenCount > 0 && <Tag color="orange">{t('hotline.ticket.reopened', { count: ticket.reopenCount })}</Tag>}
      </Space>
      {ticket.emergency && ticket.transferTo && <Alert type="error" showIcon title={t('hotline.ticket.transfer', { number: ticket.transferTo })} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('hotline.ticket.details')}>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={[
                { key: 'category', label: t('hotline.field.category'), children: categoryLabel(ticket.category.path), span: 2 },
                { key: 'description', label: t('hotline.field.description'), children: ticket.description, span: 2 },
                { key: 'kind', label: t('hotline.field.kind'), children: t(`hotline.kind.${ticket.kind}`) },
                { key: 'channel', label: t('hotline.field.channel'), children: t(`hotline.channel.${ticket.channel}`) },
                { key: 'address', label: t('hotline.field.address'), children: (
                  <>
                    {ticket.location.address ?? '—'}
                    {ticket.location.addressMismatch && (
                      <Alert type="warning" showIcon style={{ marginTop: 8 }} data-testid="ticket-address-mismatch"
                        title={t('map.ticketMismatch', ticket.location.addressMismatch)} />
                    )}
                  </>
                ) },
                { key: 'grid', label: t('hotline.field.grid'), children: ticket.location.gridCode ?? ticket.location.divisionCode },
                { key: 'department', label: t('hotline.field.department'), children: ticket.department?.name ?? '—' },
                { key: 'received', label: t('hotline.field.receivedAt'), children: formatTime(ticket.times.receivedAt) },
                { key: 'caller', label: t('hotline.field.caller'), span: 2, children: <Caller ticket={ticket} /> },
                ...(ticket.reply ? [{ key: 'reply', label: t('hotline.field.reply'), children: ticket.reply, span: 2 }] : []),
                ...(ticket.callback ? [{ key: 'callback', label: t('hotline.action.callback'), span: 2, children:
                  `${ticket.callback.resolved ? t('hotline.callback.resolved') : t('hotline.callback.unresolved')} · ${t(`hotline.satisfaction.${ticket.callback.satisfaction}`)}` }] : []),
                ...(ticket.merged.length ? [{ key: 'merged', label: t('hotline.ticket.merged'), span: 2, children: ticket.merged.map((m) => m.number).join('、') }] : []),
              ]} />
            </Card>
            <Card title={t('hotline.ticket.deadlines')}>
              <Space wrap>
                <DeadlineTag ticket={ticket} now={now} />
                <span>{t('hotline.deadline.accept')}: {formatTime(ticket.deadlines.acceptDue)}</span>
                <span>{t('hotline.deadline.reply')}: {formatTime(ticket.deadlines.replyDue)}</span>
                <span>{t('hotline.deadline.resolve')}: {formatTime(ticket.deadlines.resolveDue)}</span>
                {ticket.deadlines.provisional && (
                  <Tooltip title={t('hotline.ticket.provisionalWhy', { year: unsettledYear(ticket.deadlines.resolveDue) })}>
                    <Tag icon={<QuestionCircleOutlined />} data-testid="deadline-provisional">{t('hotline.ticket.provisional')}</Tag>
                  </Tooltip>
                )}
              </Space>
              {ticket.pendingExtension && (
                <Alert style={{ marginTop: 12 }} type="warning" showIcon data-testid="pending-extension"
                  title={t('hotline.ticket.pendingExtension', { days: ticket.pendingExtension.days, reason: ticket.pendingExtension.reason })} />
              )}
            </Card>
            {ticket.coHandlers && ticket.coHandlers.length > 0 && (
              <Card title={t('hotline.ticket.coHandlers')}>
                <Table rowKey="departmentId" size="small" pagination={false} dataSource={ticket.coHandlers} columns={[
                  { key: 'd', title: t('hotline.field.department'), dataIndex: 'departmentName' },
                  { key: 'r', title: t('hotline.field.reply'), render: (_, c) => c.reply ?? <Tag>{t('hotline.ticket.coWaiting')}</Tag> },
                  { key: 'a', title: t('hotline.field.at'), render: (_, c) => formatTime(c.repliedAt) },
                ]} />
              </Card>
            )}
            {actions.length > 0 && (
              <Card title={t('hotline.ticket.actions')} data-testid="ticket-actions">
                <Space orientation="vertical" size={24} style={{ width: '100%' }}>
                  {actions.map((a) => (
                    <div key={a.key}><Typography.Title level={5} style={{ marginTop: 0 }}>{a.title}</Typography.Title>{a.body}</div>
                  ))}
                </Space>
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {point.length > 0 && (
              <Card title={t('hotline.ticket.map')} styles={{ body: { padding: 0 } }}>
                <CityMap points={point} height={280} />
              </Card>
            )}
            {ticket.photos && ticket.photos.length > 0 && (
              <Card title={t('hotline.ticket.photos')} size="small">
                <Image.PreviewGroup>
                  <Space wrap>{ticket.photos.map((p) => <Image key={p.id} src={p.url} width={120} height={90} style={{ objectFit: 'cover' }} />)}</Space>
                </Image.PreviewGroup>
              </Card>
            )}
            <Card title={t('hotline.ticket.timeline')} data-testid="timeline">
              <Timeline items={ticket.history.map((e, i) => ({
                key: i,
                content: (
                  <div>
                    <Typography.Text strong>{actionName(e.action)}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>
                    <div>{e.actor.name ?? actorLabel(t, e.actor)}{e.department ? ` → ${e.department.name}` : ''}</div>
                    {e.reasonCode && <div>{t('hotline.field.reasonCode')}: {reasonName(e.reasonCode)}</div>}
                    {e.note && <div className="hotline-note">{e.note}</div>}
                  </div>
                ),
              }))} />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

/** The caller, masked unless this user may see them; when shown in full the view was recorded in the ledger. */
function Caller({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  if (!ticket.caller) return <Tag>{t('hotline.field.anonymous')}</Tag>;
  const text = [ticket.caller.name, ticket.caller.phone].filter(Boolean).join(' · ') || '—';
  return (
    <Space orientation="vertical" size={4}>
      <span data-testid="caller">{text}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {ticket.caller.masked ? t('hotline.ticket.callerMasked') : t('hotline.ticket.callerLogged')}
      </Typography.Text>
    </Space>
  );
}
