import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, List, Modal, Select, Table, Tag, Upload } from 'antd';
import { DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, apiCsv, ApiProblem, apiText, query, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import type { Item, ItemSummary } from './types';

type ImportReport = ApiResponse<'/services/items/import', 'POST'>;

const download = (name: string, text: string, type: string) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
};

/** 事项管理 (admin): the items, their application forms as JSON Schema, import and export. */
export default function ItemsAdminPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Item | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const items = useLoad(() => api('GET', `/services/items${query({ q, limit: 20, offset: (page - 1) * 20 })}`), [q, page]);

  const importFile = async (file: File) => {
    const text = await file.text();
    try {
      const result = file.name.endsWith('.json')
        ? await api('POST', '/services/items/import', JSON.parse(text))
        : await apiCsv<ImportReport>('/services/items/import', text);
      setReport(result);
      items.reload();
    } catch (error) {
      void message.error(error instanceof ApiProblem ? error.title : t('services.admin.badJson'));
    }
  };

  return (
    <Card title={t('services.admin.title')} extra={
      <Flex wrap gap={8}>
        <Button icon={<DownloadOutlined />} onClick={() => void apiText('/services/items/export?format=csv').then((csv) => download('service-items.csv', csv, 'text/csv'))}>{t('services.admin.export')}</Button>
        <Button icon={<DownloadOutlined />} onClick={() => void apiText('/services/items/export?format=json').then((json) => download('service-items.json', json, 'application/json'))}>{t('services.admin.exportJson')}</Button>
        <Upload showUploadList={false} accept=".csv,.json" beforeUpload={(file) => { void importFile(file); return false; }}>
          <Button icon={<UploadOutlined />}>{t('services.admin.import')}</Button>
        </Upload>
      </Flex>
    }>
      {report && (
        <Alert style={{ marginBottom: 12 }} type={report.failed ? 'warning' : 'success'} closable onClose={() => setReport(null)}
          title={t('services.admin.imported', { saved: report.saved, failed: report.failed })}
          description={report.errors.length > 0 && <List size="small" dataSource={report.errors.slice(0, 20)} renderItem={(e) => <List.Item>{t('services.admin.row', e)}</List.Item>} />} />
      )}
      <Input.Search allowClear placeholder={t('services.admin.search')} style={{ maxWidth: 320, marginBottom: 12 }} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
      <Table<ItemSummary>
        rowKey="id" size="small" loading={items.loading} dataSource={items.data?.items ?? []} scroll={{ x: 800 }}
        pagination={{ current: page, pageSize: 20, total: items.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('services.item.name'), dataIndex: 'name' },
          { title: t('services.item.kind'), dataIndex: 'kind', render: (v: string) => t(`services.kinds.${v}`) },
          { title: t('services.item.department'), render: (_, row) => row.department.name },
          { title: t('services.item.committed'), render: (_, row) => `${row.committedDays} / ${row.statutoryDays}` },
          { title: t('services.admin.hasForm'), render: (_, row) => row.applyOnline ? <Tag color="blue">{t('services.portal.online')}</Tag> : '—' },
          { title: '', render: (_, row) => <Button size="small" icon={<EditOutlined />} aria-label={`${t('services.admin.editForm')} ${row.name}`}
            onClick={() => void api<Item>('GET', `/services/items/${row.id}`).then(setEditing)}>{t('services.admin.editForm')}</Button> },
        ]}
      />
      {editing && <FormEditor item={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); items.reload(); }} />}
    </Card>
  );
}

type AmountKind = NonNullable<Item['amountKind']>;
const amountKinds: AmountKind[] = ['benefit', 'fee'];

/**
 * The item's form as JSON, checked here for syntax and by the server as JSON Schema (errors on the field), and
 * whether its approval pays or charges an amount (the clerk then states it on each approval).
 */
function FormEditor({ item, onClose, onSaved }: { item: Item; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ formSchema: string; prefill: string; amountKind: AmountKind | 'none' }>();
  const parse = (text: string) => { try { return { ok: true as const, value: JSON.parse(text) as unknown }; } catch { return { ok: false as const }; /* not JSON, said by the rule below */ } };
  const jsonRule = { validator: (_: unknown, text: string) => (parse(text).ok ? Promise.resolve() : Promise.reject(new Error(t('services.admin.badJson')))) };
  const save = async () => {
    const values = await form.validateFields();
    try {
      await api('PUT', `/services/items/${item.id}/form`, { formSchema: parse(values.formSchema).value, prefill: parse(values.prefill).value,
        amountKind: values.amountKind === 'none' ? null : values.amountKind });
      void message.success(t('services.admin.saved'));
      onSaved();
    } catch (error) {
      if (error instanceof ApiProblem && (error.field === 'formSchema' || error.field === 'prefill' || error.field === 'amountKind'))
        form.setFields([{ name: error.field, errors: [`${error.title}${error.detail ? `: ${error.detail}` : ''}`] }]);
      else void message.error(problemText(error));
    }
  };
  return (
    <Modal open title={`${t('services.admin.editForm')} · ${item.name}`} onCancel={onClose} onOk={() => void save()} width={720} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ formSchema: JSON.stringify(item.formSchema, null, 2), prefill: JSON.stringify(item.prefill, null, 2),
        amountKind: item.amountKind ?? 'none' }}>
        <Form.Item name="formSchema" label={t('services.admin.formSchema')} rules={[jsonRule]}>
          <Input.TextArea rows={14} className="mono" />
        </Form.Item>
        <Form.Item name="prefill" label={t('services.admin.prefill')} rules={[jsonRule]}>
          <Input.TextArea rows={4} className="mono" />
        </Form.Item>
        <Form.Item name="amountKind" label={t('services.admin.amountKind')} extra={t('services.admin.amountKindHelp')}>
          <Select options={[{ value: 'none', label: t('services.admin.noAmount') }, ...amountKinds.map((kind) => ({ value: kind, label: t(`services.amount.${kind}`) }))]} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
