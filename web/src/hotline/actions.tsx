// The forms that move a ticket, each posting one transition and showing the API's errors on its fields.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { currentLanguage } from '../i18n';
import { useSaving } from '../problemFields';
import { useLoad } from '../useLoad';
import { loadReturnReasons, satisfactions, type Ticket } from './model';

/** What the forms below post to a ticket: `/hotline/tickets/{id}/{action}`. */
type TicketAction = 'accept' | 'return' | 'reply' | 'answer' | 'co-reply' | 'close' | 'extension' | 'extension/decision' | 'callback';

/** Posts `body` to the ticket's `action` and reports the result; field errors go next to their field. */
function useTransition<V extends object>(ticketId: number, action: TicketAction, fields: string[], toBody: (values: V) => unknown,
  onDone: (ticket: Ticket) => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const { saving, whileSaving } = useSaving();
  const submit = (values: V) => whileSaving(async () => {
    const moved = await api('POST', `/hotline/tickets/${ticketId}/${action}`, toBody(values));
    void message.success(t(`hotline.action.done.${action.replace('/', '-')}`));
    form.resetFields();
    onDone(moved);
  }, { form, fields });
  return { form, saving, submit };
}

interface FormProps { ticketId: number; onDone: (ticket: Ticket) => void }

function ActionForm<V extends object>({ ticketId, onDone, action, fields, toBody, submitLabel, danger, children, initialValues, consequence }: FormProps & {
  action: TicketAction; fields: string[]; toBody: (values: V) => unknown; submitLabel: string; danger?: boolean; children?: ReactNode;
  initialValues?: Partial<V>;
  /** For an act that cannot be taken back: what will happen, asked in a dialog before the act (given the form's values). */
  consequence?: (values: V) => string | undefined;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { form, saving, submit } = useTransition<V>(ticketId, action, fields, toBody, onDone);
  const finish = (values: V) => {
    const said = consequence?.(values);
    if (!said) return void submit(values);
    void modal.confirm({ title: submitLabel, content: said, okText: submitLabel, cancelText: t('confirm.cancel'), okButtonProps: { danger },
      onOk: () => submit(values) });
  };
  return (
    <Form form={form} layout="vertical" onFinish={finish} data-testid={`${action.replace('/', '-')}-form`} initialValues={initialValues}>
      {children}
      <Button type="primary" danger={danger} htmlType="submit" loading={saving}>{submitLabel}</Button>
    </Form>
  );
}

/** 签收. */
export function AcceptButton({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  return <ActionForm ticketId={ticketId} onDone={onDone} action="accept" fields={[]} toBody={() => undefined} submitLabel={t('hotline.action.accept')} />;
}

/** 退单 with a reason code. */
export function ReturnForm({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  const reasons = useLoad(loadReturnReasons, []);
  const zh = currentLanguage() === 'zh-CN';
  return (
    <ActionForm<{ reasonCode?: string; note?: string }> ticketId={ticketId} onDone={onDone} action="return" fields={['reasonCode', 'note']}
      toBody={(v) => ({ reasonCode: v.reasonCode, note: v.note || undefined })} submitLabel={t('hotline.action.return')} danger
      consequence={() => t('hotline.confirm.return')}>
      <Alert type="warning" showIcon title={t('hotline.confirm.return')} style={{ marginBottom: 12 }} />
      <Form.Item name="reasonCode" label={t('hotline.field.reasonCode')} rules={[{ required: true, message: t('hotline.confirm.returnReasonRequired') }]}>
        <Select options={reasons.data?.map((r) => ({ value: r.code, label: zh ? r.zh : r.en }))} loading={reasons.loading} />
      </Form.Item>
      <Form.Item name="note" label={t('hotline.field.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
    </ActionForm>
  );
}

/** A form with one text to post: 答复, 直接答复, 协办答复. */
export function TextForm({ ticketId, onDone, action, name }: FormProps & { action: 'reply' | 'answer' | 'co-reply'; name: 'reply' | 'answer' | 'text' }) {
  const { t } = useTranslation();
  return (
    <ActionForm<Record<string, string>> ticketId={ticketId} onDone={onDone} action={action} fields={[name]}
      toBody={(v) => ({ [name]: v[name] ?? '' })} submitLabel={t(`hotline.action.${action}`)}>
      <Form.Item name={name} label={t(`hotline.field.${action}`)}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
    </ActionForm>
  );
}

/** 办结. */
export function CloseForm({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  return (
    <ActionForm<{ note?: string }> ticketId={ticketId} onDone={onDone} action="close" fields={['note']}
      toBody={(v) => ({ note: v.note || undefined })} submitLabel={t('hotline.action.close')} consequence={() => t('hotline.confirm.close')}>
      <Form.Item name="note" label={t('hotline.field.note')}><Input maxLength={1000} /></Form.Item>
    </ActionForm>
  );
}

/** 延期申请: more working days to resolve. */
export function ExtensionForm({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  return (
    <ActionForm<{ days: number; reason?: string }> ticketId={ticketId} onDone={onDone} action="extension" fields={['days', 'reason']}
      toBody={(v) => ({ days: v.days, reason: v.reason ?? '' })} submitLabel={t('hotline.action.extension')} initialValues={{ days: 5 }}>
      <Form.Item name="days" label={t('hotline.field.days')}><InputNumber min={1} max={60} /></Form.Item>
      <Form.Item name="reason" label={t('hotline.field.reason')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
    </ActionForm>
  );
}

/** 延期审核: approve or refuse the waiting request. */
export function ExtensionDecision({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  const [approve, setApprove] = useState(true);
  return (
    <ActionForm<{ note?: string }> ticketId={ticketId} onDone={onDone} action="extension/decision" fields={['note']}
      toBody={(v) => ({ approve, note: v.note || undefined })} submitLabel={t('hotline.action.decide')}
      consequence={() => t(approve ? 'hotline.confirm.approveExtension' : 'hotline.confirm.refuseExtension')}>
      <Form.Item label={t('hotline.field.decision')}>
        <Radio.Group value={approve} onChange={(e) => setApprove(e.target.value as boolean)} optionType="button"
          options={[{ value: true, label: t('hotline.action.approve') }, { value: false, label: t('hotline.action.refuse') }]} />
      </Form.Item>
      <Form.Item name="note" label={approve ? t('hotline.field.note') : t('hotline.field.refusalReason')}
        rules={approve ? [] : [{ required: true, whitespace: true, message: t('hotline.confirm.reasonRequired') }]}>
        <Input maxLength={1000} />
      </Form.Item>
    </ActionForm>
  );
}

/** 回访: resolved or not and 满意/基本满意/不满意; an unresolved or dissatisfied answer reopens the ticket (重办). */
export function CallbackForm({ ticketId, onDone }: FormProps) {
  const { t } = useTranslation();
  return (
    <ActionForm<{ resolved: boolean; satisfaction: string; note?: string }> ticketId={ticketId} onDone={onDone} action="callback"
      fields={['resolved', 'satisfaction', 'note']} toBody={(v) => ({ resolved: v.resolved, satisfaction: v.satisfaction, note: v.note || undefined })}
      submitLabel={t('hotline.action.callback')} initialValues={{ resolved: true, satisfaction: 'satisfied' }}>
      <Space wrap size={24}>
        <Form.Item name="resolved" label={t('hotline.field.resolved')}>
          <Radio.Group optionType="button" options={[{ value: true, label: t('hotline.yes') }, { value: false, label: t('hotline.no') }]} />
        </Form.Item>
        <Form.Item name="satisfaction" label={t('hotline.field.satisfaction')}>
          <Radio.Group optionType="button" options={satisfactions.map((s) => ({ value: s, label: t(`hotline.satisfaction.${s}`) }))} />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('hotline.field.note')} extra={t('hotline.callback.reopenHint')}><Input maxLength={1000} /></Form.Item>
    </ActionForm>
  );
}
