import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Switch, Table, Tag } from 'antd';
import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, type ApiItem } from '../api';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { codeLabel } from '../codes';
import { chinaTime, yuan } from '../format';

type Policy = ApiItem<'/services/policies'>;

/** 不来即享 (admin): policies as rules over hub predicates; evaluate to find who qualifies. */
export default function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { data, loading, reload } = useLoad(() => api('GET', '/services/policies'), []);
  const [editing, setEditing] = useState<Partial<Policy> | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const evaluate = async (policy: Policy) => {
    setBusy(policy.id);
    try {
      const result = await api('POST', `/services/policies/${policy.id}/evaluate`);
      void message.success(t('services.policies.evaluated', result));
      reload();
    } catch (error) {
      void message.error(problemText(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card title={t('services.policies.title')} extra={<Button icon={<PlusOutlined />} onClick={() => setEditing({ rules: [], automatic: false, active: true })}>{t('services.policies.add')}</Button>}>
      <Table<Policy> rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} pagination={false} scroll={{ x: 900 }}
        columns={[
          { title: t('services.policies.name'), render: (_, p) => <a onClick={() => setEditing(p)}>{p.name}</a> },
          { title: t('services.app.item'), dataIndex: 'itemName' },
          { title: t('services.policies.rules'), render: (_, p) => <Flex wrap gap={4}>{p.rules.map((r) => <Tag key={r.predicate} color={r.expect ? 'green' : 'orange'}>{r.expect ? codeLabel(t, 'predicates', r.predicate) : t('codes.not', { label: codeLabel(t, 'predicates', r.predicate) })}</Tag>)}</Flex> },
          { title: t('services.policies.amount'), render: (_, p) => yuan(p.amount, i18n.language) },
          { title: t('services.policies.automatic'), render: (_, p) => (p.automatic ? <Tag color="purple">{t('services.policies.automatic')}</Tag> : '—') },
          { title: t('services.policies.counts'), render: (_, p) => `${p.offers} / ${p.accepted} / ${p.granted}` },
          { title: t('services.policies.evaluatedAt'), render: (_, p) => chinaTime(p.evaluatedAt, i18n.language) },
          { title: '', render: (_, p) => <Button size="small" type="primary" icon={<ThunderboltOutlined />} loading={busy === p.id} onClick={() => void evaluate(p)}>{t('services.policies.evaluate')}</Button> },
        ]} />
      {editing && <PolicyEditor policy={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); reload(); }} />}
    </Card>
  );
}

function PolicyEditor({ policy, onClose, onSaved }: { policy: Partial<Policy>; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const save = async () => {
    const { amount, ...values } = await form.validateFields() as Record<string, unknown> & { rules: string; amount?: number | null };
    try {
      // 元 on screen, 分 on the wire; left empty, the policy states none.
      await api('POST', '/services/policies', { ...values, rules: JSON.parse(values.rules) as unknown,
        amount: amount === undefined || amount === null ? undefined : Math.round(amount * 100) });
      onSaved();
    } catch (error) {
      if (error instanceof ApiProblem && error.field) form.setFields([{ name: error.field.split('.')[0]!, errors: [error.title] }]);
      else void message.error(problemText(error));
    }
  };
  const json = { validator: (_: unknown, text: string) => { try { JSON.parse(text); return Promise.resolve(); } catch { /* the form says "not JSON", not the parser's detail */ return Promise.reject(new Error(t('services.admin.badJson'))); } } };
  return (
    <Modal open title={policy.name ?? t('services.policies.add')} onCancel={onClose} onOk={() => void save()} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ code: policy.code, name: policy.name, description: policy.description ?? '', itemId: policy.itemId,
        automatic: policy.automatic, active: policy.active, rules: JSON.stringify(policy.rules ?? [], null, 2),
        amount: policy.amount === null || policy.amount === undefined ? undefined : policy.amount / 100 }}>
        <Form.Item name="code" label={t('services.policies.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9-]{1,60}$/ }]}><Input /></Form.Item>
        <Form.Item name="name" label={t('services.policies.name')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="description" label={t('services.policies.description')}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item name="itemId" label={t('services.policies.itemId')} rules={[{ required: true }]}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="rules" label={t('services.policies.rules')} rules={[json]}><Input.TextArea rows={6} className="mono" /></Form.Item>
        <Form.Item name="amount" label={`${t('services.policies.amount')}（${t('confirm.yuan')}）`} extra={t('services.policies.amountHelp')}>
          <InputNumber min={0.01} max={10_000_000} precision={2} step={100} placeholder={t('services.policies.noAmount')} style={{ width: 200 }} />
        </Form.Item>
        <Flex gap={24}>
          <Form.Item name="automatic" label={t('services.policies.automatic')} valuePropName="checked"><Switch /></Form.Item>
          <Form.Item name="active" label={t('services.policies.active')} valuePropName="checked"><Switch /></Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
