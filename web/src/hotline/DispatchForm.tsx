import { App, Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useSaving } from '../problemFields';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentLabel, type Department } from '../org';
import type { Ticket } from './model';

interface DispatchValues { departmentId?: number; coDepartmentIds?: number[]; note?: string }

/**
 * 派单 / 改派: sends a ticket to a department (the catalogue's unless another is picked), with
 * co-handling departments (协办) if any.
 */
export function DispatchForm({ ticket, departments, defaultDepartmentId, action = 'dispatch', submitLabel, onDone }: {
  ticket: Pick<Ticket, 'id'>;
  departments: Department[] | undefined;
  defaultDepartmentId?: number;
  action?: 'dispatch' | 'redispatch';
  submitLabel?: string;
  onDone: (ticket: Ticket) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DispatchValues>();
  const { saving, whileSaving } = useSaving();

  const submit = (values: DispatchValues) => whileSaving(async () => {
    const body = { departmentId: values.departmentId, note: values.note || undefined,
      ...(values.coDepartmentIds?.length ? { coDepartmentIds: values.coDepartmentIds } : {}) };
    const moved = await api('POST', `/hotline/tickets/${ticket.id}/${action}`, body);
    void message.success(t(`hotline.dispatch.done.${action}`, { department: moved.department?.name ?? '' }));
    onDone(moved);
  }, { form, fields: ['departmentId', 'coDepartmentIds', 'note'] });

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ departmentId: defaultDepartmentId }}
      data-testid={`${action}-form`} style={{ marginTop: 16 }}>
      <Form.Item name="departmentId" label={t('hotline.dispatch.department')} extra={t('hotline.dispatch.departmentHint')}>
        <DepartmentSelect departments={departments} allowClear style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="coDepartmentIds" label={t('hotline.dispatch.coDepartments')}>
        <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} loading={!departments}
          options={departments?.map((d) => ({ value: d.id, label: departmentLabel(d) }))} />
      </Form.Item>
      <Form.Item name="note" label={t('hotline.field.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>{submitLabel ?? t(`hotline.dispatch.submit.${action}`)}</Button>
    </Form>
  );
}
