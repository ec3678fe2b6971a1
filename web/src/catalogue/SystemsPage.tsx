import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type ApiItem, type ApiResponse } from '../api';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentsInJurisdiction } from '../org';
import { problemText, useSaving } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { chinaTime } from '../exchange/format';

type System = ApiItem<'/hub/systems'>;
type SystemToken = ApiItem<'/hub/systems/{id}/tokens'>;
type Issued = ApiResponse<'/hub/systems/{id}/tokens', 'POST'>;

/** 信息系统登记: a data officer registers the department's systems and issues, rotates and revokes their tokens. */
export default function SystemsPage() {
  const { t } = useTranslation();
  const list = useLoad(() => api('GET', '/hub/systems'), []);
  const [registering, setRegistering] = useState(false);
  const [open, setOpen] = useState<System | null>(null);

  return (
    <Card title={t('hub.systems.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>{t('hub.systems.register')}</Button>}>
      <Typography.Paragraph type="secondary">{t('hub.systems.explain')}</Typography.Paragraph>
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} pagination={{ pageSize: 20 }} scroll={{ x: 800 }} columns={[
        { title: t('hub.systems.name'), key: 'n', render: (_, s) => <Space direction="vertical" size={0}><span>{s.name}</span><Typography.Text type="secondary" className="mono">{s.code}</Typography.Text></Space> },
        { title: t('hub.systems.department'), dataIndex: 'departmentName' },
        { title: t('hub.systems.purpose'), dataIndex: 'purpose', render: (v: string) => v || '—' },
        { title: t('hub.systems.contact'), dataIndex: 'contact', render: (v: string) => v || '—' },
        { title: t('common.actions'), key: 'a', render: (_, s) => <Button size="small" onClick={() => setOpen(s)}>{t('hub.systems.tokens')}</Button> },
      ]} />
      {registering && <RegisterSystem onClose={(saved) => { setRegistering(false); if (saved) { list.reload(); setOpen(saved); } }} />}
      {open && <Tokens system={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

interface SystemForm { code: string; name: string; departmentId: number; purpose: string; contact: string }

function RegisterSystem({ onClose }: { onClose: (saved: System | null) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user, can } = useSession();
  // A hub administrator registers for any department; everyone else for their own.
  const anyDepartment = can('hub.resource.review');
  const departments = useLoad(departmentsInJurisdiction, []);
  const offered = departments.data?.filter((d) => anyDepartment || d.id === user?.departmentId);
  const [form] = Form.useForm<SystemForm>();
  const { saving, whileSaving } = useSaving();

  const submit = (values: SystemForm) => whileSaving(async () => {
    const saved = await api('POST', '/hub/systems', values);
    void message.success(t('hub.systems.registered'));
    onClose(saved);
  }, { form, fields: ['code', 'name', 'departmentId', 'purpose', 'contact'] });

  return (
    <Modal open title={t('hub.systems.register')} onCancel={() => onClose(null)} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ departmentId: user?.departmentId ?? undefined }}>
        <Form.Item name="name" label={t('hub.systems.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="code" label={t('hub.systems.code')} help={t('hub.systems.codeHelp')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,40}$/ }]}>
          <Input maxLength={40} className="mono" />
        </Form.Item>
        <Form.Item name="departmentId" label={t('hub.systems.department')} rules={[{ required: true }]}>
          <DepartmentSelect departments={offered} />
        </Form.Item>
        <Form.Item name="purpose" label={t('hub.systems.purpose')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        <Form.Item name="contact" label={t('hub.systems.contact')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A system's tokens: issue or rotate (the new token shown once), revoke one at once. */
function Tokens({ system, onClose }: { system: System; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const tokens = useLoad(() => api('GET', `/hub/systems/${system.id}/tokens`), [system.id]);
  const [validDays, setValidDays] = useState(365);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [revoking, setRevoking] = useState<SystemToken | null>(null);
  const live = tokens.data?.items.filter((k) => !k.revokedAt && new Date(k.expiresAt) > new Date()) ?? [];

  async function issue(rotate: boolean) {
    try {
      setIssued(rotate ? await api('POST', `/hub/systems/${system.id}/token-rotation`, { validDays })
        : await api('POST', `/hub/systems/${system.id}/tokens`, { validDays }));
      tokens.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const state = (k: SystemToken) => k.revokedAt ? 'revoked' : new Date(k.expiresAt) <= new Date() ? 'expired' : 'live';
  return (
    <Modal open title={`${t('hub.systems.tokens')} · ${system.name}`} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      {issued && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('hub.systems.shownOnce')}
        description={<Typography.Paragraph copyable={{ text: issued.token }} code data-testid="issued-token" style={{ wordBreak: 'break-all', marginBottom: 0 }}>
          {issued.token}</Typography.Paragraph>} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <span>{t('hub.systems.validDays')}</span>
        <InputNumber aria-label={t('hub.systems.validDays')} min={1} max={730} precision={0} value={validDays} onChange={(v) => setValidDays(v ?? 365)} />
        {live.length === 0
          ? <Button type="primary" onClick={() => void issue(false)}>{t('hub.systems.issue')}</Button>
          : <Button type="primary" onClick={() => void issue(true)}>{t('hub.systems.rotate')}</Button>}
      </Space>
      {live.length > 0 && <Typography.Paragraph type="secondary">{t('hub.systems.rotateHelp')}</Typography.Paragraph>}
      <Table rowKey="id" size="small" loading={tokens.loading} dataSource={tokens.data?.items} pagination={false} columns={[
        { title: t('hub.systems.issuedAt'), key: 'c', render: (_, k) => `${chinaTime(k.createdAt, i18n.language)}${k.createdBy ? ` · ${k.createdBy}` : ''}` },
        { title: t('hub.systems.expiresAt'), key: 'e', render: (_, k) => chinaTime(k.expiresAt, i18n.language) },
        { title: t('hub.systems.state'), key: 's', render: (_, k) => <Tag color={{ live: 'success', revoked: 'error', expired: 'default' }[state(k)]}>{t(`hub.systems.states.${state(k)}`)}</Tag> },
        { title: t('common.actions'), key: 'a', render: (_, k) => state(k) === 'live' &&
          <Button danger size="small" onClick={() => setRevoking(k)}>{t('hub.systems.revoke')}</Button> },
      ]} />
      {revoking && <ConfirmDecision onClose={() => setRevoking(null)} decision={{
        title: `${t('hub.systems.revoke')} · ${system.name}`, okText: t('hub.systems.revoke'), danger: true,
        consequence: t('hub.systems.revokeConsequence', { system: system.name }),
        run: async () => {
          await api('DELETE', `/hub/systems/${system.id}/tokens/${revoking.id}`);
          void message.success(t('hub.systems.revoked'));
          tokens.reload();
        },
      }} />}
    </Modal>
  );
}
