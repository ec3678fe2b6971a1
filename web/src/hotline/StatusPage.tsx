import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Image, Input, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { currentLanguage } from '../i18n';
import { useLoad } from '../useLoad';
import { categoryLabel, loadLedgerLabels, formatTime } from './model';
import { StateTag } from './parts';
import { statusLink } from './ReportPage';

/** A report as its reporter and the public see it: what happens to it, never who the people are. */
export type PublicTicket = ApiItem<'/hotline/my/tickets'>;
type PublicStatus = ApiResponse<'/hotline/public/tickets/{number}'>;

const params = () => new URLSearchParams(window.location.search);

/** 办理进度: a report's public status by its number and the token given when it was filed. */
export default function StatusPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ number: string; token: string }>();
  const [asked, setAsked] = useState(() => ({ number: params().get('number') ?? '', token: params().get('token') ?? '' }));
  const labels = useLoad(loadLedgerLabels, []);
  const [ticket, setTicket] = useState<PublicStatus>();
  const [error, setError] = useState<string>();
  const zh = currentLanguage() === 'zh-CN';

  useEffect(() => {
    setTicket(undefined);
    setError(undefined);
    if (!asked.number || !asked.token) return;
    let current = true;
    api('GET', `/hotline/public/tickets/${encodeURIComponent(asked.number)}${query({ token: asked.token })}`).then(
      (found) => { if (current) setTicket(found); },
      (failure: unknown) => { if (current) setError(problemText(failure)); });
    return () => { current = false; };
  }, [asked.number, asked.token]);

  const look = (values: { number: string; token: string }) => {
    const next = { number: values.number.trim(), token: values.token.trim() };
    window.history.replaceState(null, '', statusLink(next.number, next.token));
    setAsked(next);
  };
  const actionName = (action: string) => {
    const label = labels.data?.[action];
    return label ? (zh ? label.zh : label.en) : action;
  };

  return (
    <Space orientation="vertical" size={16} className="hotline-narrow" style={{ width: '100%' }}>
      <Card title={t('hotline.status.title')}>
        <Form form={form} layout="vertical" initialValues={asked} onFinish={look}>
          <Form.Item name="number" label={t('hotline.report.number')} rules={[{ required: true, message: t('hotline.required') }]}><Input /></Form.Item>
          <Form.Item name="token" label={t('hotline.status.token')} rules={[{ required: true, message: t('hotline.required') }]}><Input /></Form.Item>
          <Button type="primary" htmlType="submit">{t('hotline.status.look')}</Button>
        </Form>
      </Card>
      {error && <Alert type="warning" showIcon title={error} />}
      {ticket && (
        <Card title={<Space>{ticket.number}<StateTag state={ticket.state} /></Space>} data-testid="public-status">
          <PublicTicketDetails ticket={ticket} />
          {ticket.photos.length > 0 && (
            <Image.PreviewGroup>
              <Space wrap style={{ marginTop: 12 }}>
                {ticket.photos.map((p) => <Image key={p.id} src={p.url} width={96} height={72} style={{ objectFit: 'cover' }} />)}
              </Space>
            </Image.PreviewGroup>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('hotline.ticket.timeline')}</Typography.Title>
          <Timeline items={ticket.timeline.map((e, i) => ({ key: i, content: (
            <>
              <Typography.Text strong>{actionName(e.action)}</Typography.Text> <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>
              {e.department && <div>{e.department}</div>}
            </>
          ) }))} />
        </Card>
      )}
    </Space>
  );
}

/** The public facts of a report: category, place, deadlines, the department and its reply. */
export function PublicTicketDetails({ ticket }: { ticket: PublicTicket }) {
  const { t } = useTranslation();
  return (
    <Descriptions column={1} size="small" items={[
      { key: 'category', label: t('hotline.field.category'), children: categoryLabel(ticket.category.path) },
      { key: 'description', label: t('hotline.field.description'), children: ticket.description },
      ...(ticket.address ? [{ key: 'address', label: t('hotline.field.address'), children: ticket.address }] : []),
      { key: 'received', label: t('hotline.field.receivedAt'), children: formatTime(ticket.receivedAt) },
      { key: 'resolveDue', label: t('hotline.deadline.resolve'), children: formatTime(ticket.deadlines.resolveDue) },
      { key: 'department', label: t('hotline.field.department'), children: ticket.department ?? '—' },
      ...(ticket.reply ? [{ key: 'reply', label: t('hotline.field.reply'), children: ticket.reply }] : []),
    ]} />
  );
}
