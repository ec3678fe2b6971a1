import { useState } from 'react';
import { App, Button, Card, Checkbox, Drawer, Flex, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { areaOptions, departmentsInJurisdiction } from '../org';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';

type CaseKind = ApiItem<'/cityops/case-kinds'>;

const kindLabel = (k: CaseKind) => `${k.code} ${k.classNameZh} · ${k.nameZh}`;
const kindOptions = (kinds: CaseKind[] | undefined) => (kinds ?? []).filter((k) => k.active).map((k) => ({ value: k.code, label: kindLabel(k) }));

/** Runs a change and reports it; answers whether it went through. */
function useChange() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async (change: () => Promise<unknown>): Promise<boolean> => {
    try {
      await change();
      message.success(t('cityops.settings.saved'));
      return true;
    } catch (e) {
      message.error(problemText(e));
      return false;
    }
  };
}

function KindEditor({ kind, onClose, onSaved }: { kind: CaseKind; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const change = useChange();
  const [form] = Form.useForm();
  const save = async () => {
    const values = await form.validateFields();
    if (await change(() => api('PATCH', `/cityops/case-kinds/${kind.code}`, values))) onSaved();
  };
  return (
    <Drawer open title={kindLabel(kind)} width={520} onClose={onClose}
      extra={<Button type="primary" onClick={() => void save()}>{t('cityops.settings.save')}</Button>}>
      <Form form={form} layout="vertical" initialValues={kind}>
        <Form.Item name="filingCondition" label={t('cityops.settings.filingCondition')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
        <Form.Item name="closingCondition" label={t('cityops.settings.closingCondition')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
        {(['normal', 'urgent'] as const).map((u) => (
          <Space key={u} align="baseline">
            <Form.Item name={`${u}Hours`} label={t(`cityops.settings.${u}Hours`)} rules={[{ required: true }]}><InputNumber min={0.5} max={2000} step={0.5} /></Form.Item>
            <Form.Item name={`${u}RoundClock`} valuePropName="checked"><Checkbox>{t('cityops.settings.roundClock')}</Checkbox></Form.Item>
          </Space>
        ))}
        <Form.Item name="active" label={t('cityops.settings.active')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Drawer>
  );
}

function KindsTab({ kinds, reload }: { kinds: { data?: CaseKind[]; loading: boolean }; reload: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<CaseKind | null>(null);
  const limit = (hours: number, roundClock: boolean) => t(roundClock ? 'cityops.settings.clockHours' : 'cityops.settings.workingHours', { hours });
  return (
    <>
      <Table<CaseKind> rowKey="code" size="small" loading={kinds.loading} dataSource={kinds.data ?? []} pagination={{ pageSize: 20 }} columns={[
        { title: t('cityops.settings.kind'), key: 'kind', render: (_, k) => kindLabel(k) },
        { title: t('cityops.settings.filingCondition'), dataIndex: 'filingCondition', ellipsis: true },
        { title: t('cityops.settings.normalHours'), key: 'normal', render: (_, k) => limit(k.normalHours, k.normalRoundClock) },
        { title: t('cityops.settings.urgentHours'), key: 'urgent', render: (_, k) => limit(k.urgentHours, k.urgentRoundClock) },
        { title: t('cityops.settings.active'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('cityops.settings.inUse')}</Tag> : <Tag>{t('cityops.settings.retired')}</Tag>) },
        { title: '', key: 'edit', render: (_, k) => <Button size="small" onClick={() => setEditing(k)}>{t('cityops.settings.edit')}</Button> },
      ]} />
      {editing && <KindEditor kind={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); reload(); }} />}
    </>
  );
}

function DispatchTab({ kinds }: { kinds: CaseKind[] | undefined }) {
  const { t } = useTranslation();
  const change = useChange();
  const [kindCode, setKindCode] = useState<string | undefined>();
  const [divisionCode, setDivisionCode] = useState<string | undefined>();
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const rules = useLoad(() => api('GET', `/cityops/dispatch-rules${query({ kindCode })}`), [kindCode]);
  const departments = useLoad(() => departmentsInJurisdiction(), []);
  const areas = useLoad(async () => areaOptions((await api('GET', `/org/divisions/tree${query({ depth: 2 })}`)).items), []);
  const set = async () => {
    if (await change(() => api('PUT', '/cityops/dispatch-rules', { divisionCode, kindCode, departmentId }))) rules.reload();
  };
  const remove = async (id: number) => {
    if (await change(() => api('DELETE', `/cityops/dispatch-rules/${id}`))) rules.reload();
  };
  return (
    <Flex vertical gap={12}>
      <Space wrap data-testid="dispatch-rule-form">
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('cityops.settings.kind')} style={{ minWidth: 260 }}
          value={kindCode} onChange={setKindCode} options={kindOptions(kinds)} />
        <TreeSelect placeholder={t('cityops.settings.area')} style={{ minWidth: 220 }} value={divisionCode} onChange={setDivisionCode}
          treeData={areas.data ?? []} showSearch treeNodeFilterProp="title" treeDefaultExpandAll={false} />
        <DepartmentSelect departments={departments.data} value={departmentId} onChange={setDepartmentId} style={{ minWidth: 260 }} />
        <Button type="primary" disabled={!kindCode || !divisionCode || !departmentId} onClick={() => void set()}>{t('cityops.settings.setUnit')}</Button>
      </Space>
      <Table rowKey="id" size="small" loading={rules.loading} dataSource={rules.data?.items ?? []} pagination={{ pageSize: 20 }} columns={[
        { title: t('cityops.settings.kind'), key: 'kind', render: (_, r) => `${r.kindCode} ${r.kindNameZh}` },
        { title: t('cityops.settings.area'), key: 'area', render: (_, r) => r.divisionName ?? r.divisionCode },
        { title: t('cityops.settings.unit'), dataIndex: 'departmentName' },
        { title: '', key: 'remove', render: (_, r) => (
          <Popconfirm title={t('cityops.settings.removeConfirm')} onConfirm={() => void remove(r.id)}>
            <Button size="small" danger>{t('cityops.settings.remove')}</Button>
          </Popconfirm>) },
      ]} />
    </Flex>
  );
}

function HotlineTab({ kinds }: { kinds: CaseKind[] | undefined }) {
  const { t } = useTranslation();
  const change = useChange();
  const mapped = useLoad(() => api('GET', '/cityops/hotline-categories'), []);
  const categories = useLoad(() => api('GET', '/hotline/categories'), []);
  const [form] = Form.useForm<{ categoryCode: string; kindCode: string; auto: boolean }>();
  const nameOf = new Map((categories.data?.items ?? []).map((c) => [c.code, c.path.join(' / ')]));
  const kindName = new Map((kinds ?? []).map((k) => [k.code, kindLabel(k)]));
  const set = async (value: { categoryCode: string; kindCode: string; auto: boolean }) => {
    if (await change(() => api('PUT', '/cityops/hotline-categories', value))) mapped.reload();
  };
  return (
    <Flex vertical gap={12}>
      <Form form={form} layout="inline" initialValues={{ auto: false }} onFinish={(v) => void set(v)} data-testid="hotline-category-form">
        <Form.Item name="categoryCode" rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder={t('cityops.settings.category')} style={{ minWidth: 260 }}
            options={(categories.data?.items ?? []).filter((c) => c.active).map((c) => ({ value: c.code, label: `${c.code} ${c.path.join(' / ')}` }))} />
        </Form.Item>
        <Form.Item name="kindCode" rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder={t('cityops.settings.kind')} style={{ minWidth: 260 }} options={kindOptions(kinds)} />
        </Form.Item>
        <Form.Item name="auto" valuePropName="checked"><Checkbox>{t('cityops.settings.auto')}</Checkbox></Form.Item>
        <Button type="primary" htmlType="submit">{t('cityops.settings.map')}</Button>
      </Form>
      <Table rowKey="categoryCode" size="small" loading={mapped.loading} dataSource={mapped.data?.items ?? []} pagination={false} columns={[
        { title: t('cityops.settings.category'), key: 'category', render: (_, m) => `${m.categoryCode} ${nameOf.get(m.categoryCode) ?? ''}` },
        { title: t('cityops.settings.kind'), key: 'kind', render: (_, m) => kindName.get(m.kindCode) ?? m.kindCode },
        { title: t('cityops.settings.auto'), key: 'auto', render: (_, m) => (
          <Switch size="small" checked={m.auto} aria-label={`${t('cityops.settings.auto')} ${m.categoryCode}`} onChange={(auto) => void set({ ...m, auto })} />) },
      ]} />
    </Flex>
  );
}

/** 案件设置: the command centre keeps the case kinds' conditions and time limits, the dispatch catalogue and the 12345 categories that become cases. */
export default function CaseSettingsPage() {
  const { t } = useTranslation();
  const kinds = useLoad(async () => (await api('GET', '/cityops/case-kinds')).items, []);
  return (
    <Card title={t('cityops.settings.title')}>
      <Tabs items={[
        { key: 'kinds', label: t('cityops.settings.kinds'), children: <KindsTab kinds={kinds} reload={kinds.reload} /> },
        { key: 'dispatch', label: t('cityops.settings.dispatch'), children: <DispatchTab kinds={kinds.data} /> },
        { key: 'hotline', label: t('cityops.settings.hotline'), children: <HotlineTab kinds={kinds.data} /> },
      ]} />
    </Card>
  );
}
