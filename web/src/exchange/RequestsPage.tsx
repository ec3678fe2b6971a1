import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { problemText, useSaving } from '../problemFields';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { codeLabel } from '../codes';
import { chinaTime, countdown, maskings } from './format';

type SharingRequest = ApiItem<'/hub/requests'>;


const stateColor: Record<SharingRequest['state'], string> = { pending: 'processing', approved: 'success', refused: 'error', escalated: 'warning', withdrawn: 'default' };
const open = (r: SharingRequest) => r.state === 'pending' || r.state === 'escalated';

/** 共享申请: my department's requests and those waiting for my decision, with countdowns to the deadline. */
export default function RequestsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const mayDecide = can('hub.request.decide');
  const [box, setBox] = useState<'mine' | 'to-approve'>(mayDecide ? 'to-approve' : 'mine');
  const list = useLoad(() => api('GET', `/hub/requests${query({ box })}`), [box]);
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<SharingRequest | null>(null);
  const [refusing, setRefusing] = useState<SharingRequest | null>(null);

  async function withdraw(request: SharingRequest) {
    try {
      await api('POST', `/hub/requests/${request.id}/withdraw`);
      list.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const columns = [
    { title: t('hubx.resource'), key: 'resource', render: (_: unknown, r: SharingRequest) => (
      <Space direction="vertical" size={0}><span>{r.resourceName}</span><Typography.Text type="secondary">{r.predicateCode ? codeLabel(t, 'predicates', r.predicateCode) : <span className="mono">{r.resourceCode}</span>}</Typography.Text></Space>) },
    { title: box === 'mine' ? t('hubx.provider') : t('hubx.consumer'), key: 'party',
      render: (_: unknown, r: SharingRequest) => box === 'mine' ? r.providerDepartmentName : `${r.consumerDepartmentName} · ${r.systemName}` },
    { title: t('hubx.fields'), dataIndex: 'fields', render: (fields: string[]) => <Flex wrap gap={4}>{fields.map((f) => <Tag key={f}>{codeLabel(t, 'fields', f)}</Tag>)}</Flex> },
    { title: t('hubx.purpose'), dataIndex: 'purpose' },
    { title: t('hubx.state'), key: 'state', render: (_: unknown, r: SharingRequest) => (
      <Space direction="vertical" size={0}>
        <Tag color={stateColor[r.state]}>{t(`hubx.states.${r.state}`)}</Tag>
        {r.reason && <Typography.Text type="secondary">{r.reason}</Typography.Text>}
      </Space>) },
    { title: t('hubx.due'), key: 'due', render: (_: unknown, r: SharingRequest) => {
      if (!open(r)) return chinaTime(r.requestedAt, i18n.language);
      const left = countdown(r.dueAt, t);
      return <Space direction="vertical" size={0}><Typography.Text type={left.overdue ? 'danger' : undefined} data-testid="countdown">{left.text}</Typography.Text>
        <Typography.Text type="secondary">{chinaTime(r.dueAt, i18n.language)}</Typography.Text></Space>;
    } },
    { title: t('common.actions'), key: 'actions', render: (_: unknown, r: SharingRequest) => !open(r) ? null : box === 'to-approve'
      ? <Space><Button type="primary" size="small" onClick={() => setDeciding(r)}>{t('hubx.approve')}</Button>
          <Button danger size="small" onClick={() => setRefusing(r)}>{t('hubx.refuse')}</Button></Space>
      : <Button size="small" onClick={() => void withdraw(r)}>{t('hubx.withdraw')}</Button> },
  ];

  return (
    <Card title={t('hubx.requestsTitle')} extra={can('hub.request.create') &&
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('hubx.newRequest')}</Button>}>
      <Tabs activeKey={box} onChange={(key) => setBox(key as typeof box)} items={[
        ...(mayDecide ? [{ key: 'to-approve', label: t('hubx.toApprove') }] : []),
        { key: 'mine', label: t('hubx.mine') },
      ]} />
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} columns={columns} scroll={{ x: 900 }} pagination={{ pageSize: 20 }} />
      {creating && <NewRequest onClose={(saved) => { setCreating(false); if (saved) { setBox('mine'); list.reload(); } }} />}
      {deciding && <Decide request={deciding} onClose={(saved) => { setDeciding(null); if (saved) list.reload(); }} />}
      {refusing && <ConfirmDecision onClose={() => setRefusing(null)} decision={{
        title: `${t('hubx.refuse')} · ${refusing.resourceName}`, consequence: t('hubx.refuseConsequence', { consumer: refusing.consumerDepartmentName }),
        okText: t('hubx.refuse'), danger: true, reasonField: 'reason', reasons: t('hubx.refuseReasons', { returnObjects: true }) as string[],
        run: async (reason) => {
          await api('POST', `/hub/requests/${refusing.id}/decision`, { approve: false, reason });
          void message.success(t('hubx.refused'));
          list.reload();
        },
      }} />}
    </Card>
  );
}

interface NewRequestForm { systemId: number; resource: string; kind: 'fields' | 'predicate'; fields?: string[]; predicate?: string; purpose: string; legalBasis: string; scenario: string }
const requestFields = ['systemId', 'resource', 'fields', 'predicate', 'purpose', 'legalBasis', 'scenario'];

function NewRequest({ onClose }: { onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewRequestForm>();
  const resource = Form.useWatch('resource', form);
  const kind = Form.useWatch('kind', form) ?? 'fields';
  const options = useLoad(() => api('GET', `/hub/requests/options${query({ resource })}`), [resource]);
  const { saving, whileSaving } = useSaving();

  const submit = (values: NewRequestForm) => whileSaving(async () => {
    const { kind: chosen, fields, predicate, ...rest } = values;
    const created = await api('POST', '/hub/requests', chosen === 'predicate' ? { ...rest, predicate } : { ...rest, fields });
    void message.success(t(created.state === 'approved' ? 'hubx.grantedAtOnce' : 'hubx.submitted'));
    onClose(true);
  }, { form, fields: requestFields });

  return (
    <Modal open title={t('hubx.newRequest')} onCancel={() => onClose(false)} onOk={() => form.submit()} confirmLoading={saving} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ kind: 'fields' }}>
        <Form.Item name="systemId" label={t('hubx.system')} rules={[{ required: true }]}>
          <Select options={options.data?.systems.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))} />
        </Form.Item>
        <Form.Item name="resource" label={t('hubx.resource')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" onChange={() => form.setFieldsValue({ fields: [], predicate: undefined })}
            options={options.data?.resources.map((r) => ({ value: r.code, label: `${r.name} · ${r.providerName} · ${t(`hubx.share.${r.shareType}`)}` }))} />
        </Form.Item>
        {options.data?.resource && options.data.resource.predicates.length > 0 && (
          <Form.Item name="kind" label={t('hubx.asking')}>
            <Select options={[{ value: 'fields', label: t('hubx.askFields') }, { value: 'predicate', label: t('hubx.askPredicate') }]} />
          </Form.Item>)}
        {kind === 'predicate'
          ? <Form.Item name="predicate" label={t('hubx.predicate')} rules={[{ required: true }]}>
              <Select options={options.data?.resource?.predicates.map((p) => ({ value: p.code, label: p.name }))} />
            </Form.Item>
          : <Form.Item name="fields" label={t('hubx.fields')} rules={[{ required: true }]}>
              <Checkbox.Group options={options.data?.resource?.fields.map((f) => ({ value: f.code, label: f.name }))} />
            </Form.Item>}
        <Form.Item name="purpose" label={t('hubx.purpose')} rules={[{ required: true }]}><Input maxLength={500} /></Form.Item>
        <Form.Item name="legalBasis" label={t('hubx.legalBasis')} rules={[{ required: true }]}><Input maxLength={500} /></Form.Item>
        <Form.Item name="scenario" label={t('hubx.scenario')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}

type Masking = (typeof maskings)[number];
interface DecisionForm { grantAs: string; fields: string[]; masking: Record<string, Masking | undefined>; filterField?: string; filterOp?: 'eq' | 'prefix';
  filterValue?: string; validity?: [Dayjs, Dayjs]; dailyQuota?: number; acceptWarnings?: boolean }
const decisionFields = ['fields', 'dailyQuota', 'predicate'];
// The value of `grantAs` that grants the fields themselves; any other is a predicate's code.
const asFields = '';

/** The set masking rules of the fields still granted. */
const maskingOf = (values: Pick<DecisionForm, 'masking'>, fields: string[]) =>
  Object.fromEntries(Object.entries(values.masking ?? {}).filter((entry): entry is [string, Masking] => !!entry[1] && fields.includes(entry[0])));

/**
 * 审批: approve with narrowed fields, masking, a row filter, validity and a daily quota, or with a predicate
 * instead of the fields when one answers the purpose (a refusal goes through ConfirmDecision). What the
 * consumer will receive is reviewed by the hub as the terms change: masking that defeats the purpose is said,
 * with an example, and must be confirmed.
 */
function Decide({ request, onClose }: { request: SharingRequest; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DecisionForm>();
  const chosen = Form.useWatch('fields', form) ?? request.fields;
  const masking = maskingOf({ masking: Form.useWatch('masking', form) ?? {} }, chosen);
  const grantAs = Form.useWatch('grantAs', form) ?? asFields;
  const options = useLoad(() => api('GET', `/hub/requests/options${query({ resource: request.resourceCode })}`), [request.resourceCode]);
  const review = useLoad(() => api('POST', `/hub/requests/${request.id}/review`, { fields: chosen, masking }), [request.id, chosen.join(), JSON.stringify(masking)]);
  const nameOf = (code: string) => options.data?.resource?.fields.find((f) => f.code === code)?.name ?? code;
  const predicates = review.data?.predicates ?? [];
  const defeating = grantAs === asFields && (review.data?.warnings ?? []).some((w) => w.reason === 'defeats-purpose');
  const accepted = Form.useWatch('acceptWarnings', form) === true;
  const { saving, whileSaving } = useSaving();

  const submit = (values: DecisionForm) => whileSaving(async () => {
    const limits = {
      rowFilter: values.filterField && values.filterValue ? [{ field: values.filterField, op: values.filterOp ?? 'eq', value: values.filterValue }] : undefined,
      validFrom: values.validity?.[0].startOf('day').toISOString(), validUntil: values.validity?.[1].endOf('day').toISOString(),
      dailyQuota: values.dailyQuota ?? undefined,
    };
    const body = values.grantAs && values.grantAs !== asFields ? { approve: true, predicate: values.grantAs, ...limits }
      : { approve: true, fields: values.fields, masking: maskingOf(values, values.fields), acceptWarnings: values.acceptWarnings || undefined, ...limits };
    await api('POST', `/hub/requests/${request.id}/decision`, body);
    void message.success(t('hubx.approved'));
    onClose(true);
  }, { form, fields: decisionFields });

  return (
    <Modal open title={`${t('hubx.approve')} · ${request.resourceName}`} onCancel={() => onClose(false)}
      onOk={() => form.submit()} confirmLoading={saving} okButtonProps={{ disabled: defeating && !accepted }} width={640} destroyOnHidden>
      <Typography.Paragraph type="secondary">{request.consumerDepartmentName} · {request.systemName} · {request.purpose} · {request.legalBasis}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ grantAs: asFields, fields: request.fields, masking: {}, filterOp: 'prefix' }}>
        {predicates.length > 0 && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('hubx.predicateOffered')}
            description={<>
              <Typography.Paragraph>{t('hubx.predicateOfferedWhy')}</Typography.Paragraph>
              <Form.Item name="grantAs" noStyle>
                <Radio.Group>
                  <Space direction="vertical">
                    {predicates.map((p) => <Radio key={p.code} value={p.code}>{t('hubx.grantPredicate', { name: p.name })}
                      {p.description && <Typography.Text type="secondary"> · {p.description}</Typography.Text>}</Radio>)}
                    <Radio value={asFields}>{t('hubx.grantRequestedFields')}</Radio>
                  </Space>
                </Radio.Group>
              </Form.Item>
            </>} />)}
        {grantAs === asFields && <>
          <Form.Item name="fields" label={t('hubx.grantFields')} rules={[{ required: true }]}>
            <Checkbox.Group options={request.fields.map((f) => ({ value: f, label: nameOf(f) }))} />
          </Form.Item>
          <Form.Item label={t('hubx.masking')} help={t('hubx.maskingHelp')}>
            <Flex vertical gap={4}>
              {chosen.map((code) => (
                <Space key={code} wrap>
                  <span style={{ display: 'inline-block', minWidth: 120 }}>{nameOf(code)}</span>
                  <Form.Item name={['masking', code]} noStyle>
                    <Select allowClear style={{ width: 160 }} placeholder={t('hubx.maskingDefault')} aria-label={`${t('hubx.masking')} ${nameOf(code)}`}
                      options={maskings.map((m) => ({ value: m, label: t(`hubx.maskingRules.${m}`) }))} />
                  </Form.Item>
                </Space>))}
            </Flex>
          </Form.Item>
          {(review.data?.warnings ?? []).length > 0 && (
            <Alert type={defeating ? 'warning' : 'info'} showIcon style={{ marginBottom: 16 }} data-testid="masking-warnings"
              message={defeating ? t('hubx.maskingDefeats') : t('hubx.maskingDrops')}
              description={<>
                <ul style={{ paddingInlineStart: 20, margin: 0 }}>
                  {review.data!.warnings.map((w) => (
                    <li key={w.field}>{t(w.reason === 'dropped' ? 'hubx.warningDropped' : 'hubx.warningDefeats', {
                      field: nameOf(w.field), rule: t(`hubx.maskingRules.${w.rule}`), value: w.example.value, masked: w.example.masked,
                      need: w.need ? t(`hubx.needs.${w.need}`) : '' })}</li>))}
                </ul>
                {defeating && <Form.Item name="acceptWarnings" valuePropName="checked" noStyle>
                  <Checkbox style={{ marginTop: 8 }}>{t('hubx.acceptWarnings')}</Checkbox>
                </Form.Item>}
              </>} />)}
        </>}
        <>
          <Form.Item label={t('hubx.rowFilter')} help={t('hubx.rowFilterHelp')}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="filterField" noStyle>
                <Select allowClear style={{ width: '40%' }} placeholder={t('hubx.field')} aria-label={t('hubx.rowFilterField')}
                  options={options.data?.resource?.fields.map((f) => ({ value: f.code, label: f.name }))} />
              </Form.Item>
              <Form.Item name="filterOp" noStyle>
                <Select style={{ width: '25%' }} options={[{ value: 'prefix', label: t('hubx.ops.prefix') }, { value: 'eq', label: t('hubx.ops.eq') }]} />
              </Form.Item>
              <Form.Item name="filterValue" noStyle><Input style={{ width: '35%' }} aria-label={t('hubx.rowFilterValue')} /></Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="validity" label={t('hubx.validity')}><DatePicker.RangePicker style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="dailyQuota" label={t('hubx.dailyQuota')}><InputNumber min={1} precision={0} style={{ width: '100%' }} /></Form.Item>
        </>
      </Form>
    </Modal>
  );
}
