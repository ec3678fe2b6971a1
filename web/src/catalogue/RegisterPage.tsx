import { useState } from 'react';
import { App, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, apiCsv, ApiProblem, query } from '../api';
import { problemText, showProblemOnField } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { LoadReportView, StatusTag, type Entry, type LoadReport } from './shared';

const fieldTypes = ['string', 'integer', 'number', 'date', 'boolean'];
const sensitivities = ['general', 'important', 'core'];
const levels = ['L1', 'L2', 'L3', 'L4'];
const maskings = ['none', 'partial', 'hash', 'drop'];
const cycles = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'];
const entryFields = ['code', 'name', 'summary', 'format', 'updateCycle', 'shareType', 'openType', 'keyField', 'subjectKind', 'subjectField', 'fields'];

interface FieldForm { code: string; name: string; type: string; length?: number; sensitivity: string; level: string; masking: string; required?: boolean; check?: string }

/** 资源登记: a data officer registers an entry with its fields, imports its data from CSV and submits it for review. */
export default function RegisterPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm();
  const [selected, setSelected] = useState<string | null>(null);
  const mine = useLoad(() => api('GET', `/hub/resources${query({ provider: user?.departmentId ?? undefined, limit: 100 })}`), []);
  const options = (prefix: string, values: string[]) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

  async function register(values: Record<string, unknown> & { fields: FieldForm[] }) {
    const { fields, keyField, subjectKind, subjectField, ...rest } = values;
    try {
      const created = await api('POST', '/hub/resources', {
        ...rest, kind: 'table',
        ...(keyField ? { keyField } : {}), ...(subjectKind && subjectField ? { subjectKind, subjectField } : {}),
        fields: fields.map(({ required, length, check, ...f }) => ({ ...f, ...(length ? { length } : {}),
          rules: { ...(required ? { required: true } : {}), ...(check ? { check } : {}) } })),
      });
      void message.success(t('hub.register.created', { code: created.code }));
      form.resetFields();
      setSelected(created.code);
      mine.reload();
    } catch (error) {
      if (!showProblemOnField(form, error, entryFields)) void message.error(error instanceof ApiProblem ? `${error.title}${error.field ? ` (${error.field})` : ''}` : String(error));
    }
  }

  return (
    <Flex vertical gap={16}>
      <Card title={t('hub.register.mine')}>
        <Table<Entry> rowKey="code" size="small" loading={mine.loading} dataSource={mine.data?.items} pagination={false} scroll={{ x: true }}
          rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (keys) => setSelected(String(keys[0])) }}
          onRow={(e) => ({ onClick: () => setSelected(e.code) })}
          columns={[
            { title: t('hub.entry.code'), dataIndex: 'code' },
            { title: t('hub.entry.name'), dataIndex: 'name' },
            { title: t('hub.entry.status'), dataIndex: 'status', render: (v: Entry['status']) => <StatusTag status={v} /> },
            { title: t('hub.entry.rowsShort'), dataIndex: 'rowCount' },
          ]} />
      </Card>
      {selected && <EntryLoad code={selected} onChange={mine.reload} />}
      <Card title={t('hub.register.title')}>
        <Form form={form} layout="vertical" onFinish={(values) => void register(values)} initialValues={{ format: 'CSV', updateCycle: 'daily', shareType: 'conditional', openType: 'closed',
          fields: [{ type: 'string', sensitivity: 'general', level: 'L1', masking: 'none' }] }}>
          <Row gutter={16}>
            <Col xs={24} md={8}><Form.Item name="code" label={t('hub.entry.code')} extra={t('hub.register.codeHint')} rules={[{ required: true }]}><Input placeholder="A01-0001-0001-0001" /></Form.Item></Col>
            <Col xs={24} md={16}><Form.Item name="name" label={t('hub.entry.name')} rules={[{ required: true }]}><Input /></Form.Item></Col>
          </Row>
          <Form.Item name="summary" label={t('hub.entry.summary')}><Input.TextArea rows={2} /></Form.Item>
          <Row gutter={16}>
            <Col xs={12} md={6}><Form.Item name="format" label={t('hub.entry.format')} rules={[{ required: true }]}><Input /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="updateCycle" label={t('hub.entry.updateCycle')}><Select options={options('hub.cycle', cycles)} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="shareType" label={t('hub.entry.shareType')}><Select options={options('hub.share', ['unconditional', 'conditional', 'none'])} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="openType" label={t('hub.entry.openType')}><Select options={options('hub.openType', ['open', 'conditional', 'closed'])} /></Form.Item></Col>
            <Col xs={12} md={8}><Form.Item name="keyField" label={t('hub.entry.keyField')}><Input placeholder="id_number" /></Form.Item></Col>
            <Col xs={12} md={8}><Form.Item name="subjectKind" label={t('hub.entry.subjectKind')}><Select allowClear options={options('hub.subject', ['person', 'company'])} /></Form.Item></Col>
            <Col xs={12} md={8}><Form.Item name="subjectField" label={t('hub.entry.subjectField')}><Input placeholder="id_number" /></Form.Item></Col>
          </Row>
          <Typography.Title level={5}>{t('hub.entry.fields')}</Typography.Title>
          <Form.List name="fields">
            {(items, { add, remove }) => (
              <Flex vertical gap={4}>
                {items.map(({ key, name }) => (
                  <Space key={key} wrap align="baseline" data-testid="field-row">
                    <Form.Item name={[name, 'code']} rules={[{ required: true }]}><Input placeholder={t('hub.field.code')} aria-label={t('hub.field.code')} style={{ width: 130 }} /></Form.Item>
                    <Form.Item name={[name, 'name']} rules={[{ required: true }]}><Input placeholder={t('hub.field.name')} aria-label={t('hub.field.name')} style={{ width: 140 }} /></Form.Item>
                    <Form.Item name={[name, 'type']}><Select options={options('hub.type', fieldTypes)} aria-label={t('hub.field.type')} popupMatchSelectWidth={false} style={{ width: 110 }} /></Form.Item>
                    <Form.Item name={[name, 'length']}><InputNumber min={1} placeholder={t('hub.field.length')} aria-label={t('hub.field.length')} style={{ width: 90 }} /></Form.Item>
                    <Form.Item name={[name, 'sensitivity']}><Select options={options('hub.sensitivity', sensitivities)} aria-label={t('hub.field.sensitivity')} popupMatchSelectWidth={false} style={{ width: 120 }} /></Form.Item>
                    <Form.Item name={[name, 'level']}><Select options={levels.map((v) => ({ value: v, label: v }))} aria-label={t('hub.field.level')} popupMatchSelectWidth={false} style={{ width: 70 }} /></Form.Item>
                    <Form.Item name={[name, 'masking']}><Select options={options('hub.masking', maskings)} aria-label={t('hub.field.masking')} popupMatchSelectWidth={false} style={{ width: 120 }} /></Form.Item>
                    <Form.Item name={[name, 'check']}><Select allowClear placeholder={t('hub.field.check')} options={options('hub.check', ['resident-id', 'credit-code'])} aria-label={t('hub.field.check')} popupMatchSelectWidth={false} style={{ width: 180 }} /></Form.Item>
                    <Form.Item name={[name, 'required']} valuePropName="checked"><Switch size="small" checkedChildren={t('hub.field.required')} unCheckedChildren={t('hub.field.optional')} aria-label={t('hub.field.required')} /></Form.Item>
                    <MinusCircleOutlined onClick={() => remove(name)} aria-label={t('hub.register.removeField')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'string', sensitivity: 'general', level: 'L1', masking: 'none' })}>
                  {t('hub.register.addField')}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" style={{ marginTop: 16 }}>{t('hub.register.save')}</Button>
        </Form>
      </Card>
    </Flex>
  );
}

/** Import (upload a CSV, see the per-row report) and submission of one entry. */
function EntryLoad({ code, onChange }: { code: string; onChange: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const entry = useLoad(() => api('GET', `/hub/resources/${code}`), [code]);
  const [report, setReport] = useState<LoadReport | null>(null);
  const show = (error: unknown) => void message.error(problemText(error));

  async function upload(file: File) {
    try {
      setReport(await apiCsv<LoadReport>(`/hub/resources/${code}/import`, await file.text()));
      entry.reload();
      onChange();
    } catch (error) {
      show(error);
    }
  }

  async function submit() {
    try {
      await api('POST', `/hub/resources/${code}/submit`);
      void message.success(t('hub.register.submitted'));
      entry.reload();
      onChange();
    } catch (error) {
      show(error);
    }
  }

  const e = entry.data;
  return (
    <Card title={e ? `${e.name} (${e.code})` : code} extra={e && <StatusTag status={e.status} />}>
      <Flex vertical gap={12}>
        {e?.reviewNote && e.status === 'draft' && <Typography.Text type="warning">{t('hub.register.returnedWith', { note: e.reviewNote })}</Typography.Text>}
        {e?.abilities?.load && (
          <label>
            {t('hub.import.choose')}{' '}
            <input type="file" accept=".csv,text/csv" aria-label={t('hub.import.choose')}
              onChange={(event) => { const file = event.target.files?.[0]; if (file) void upload(file); event.target.value = ''; }} />
          </label>
        )}
        {report && <LoadReportView report={report} />}
        {e?.abilities?.submit && <Button type="primary" onClick={() => void submit()} style={{ alignSelf: 'flex-start' }}>{t('hub.register.submit')}</Button>}
      </Flex>
    </Card>
  );
}
