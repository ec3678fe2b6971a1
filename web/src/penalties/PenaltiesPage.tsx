import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Flex, Form, Grid, Input, InputNumber, Modal, Radio, Segmented, Select, Switch, Table, Tabs, Tag, Timeline, TreeSelect } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { chinaTime, yuan } from '../format';
import { currentLanguage } from '../i18n';
import { areaOptions, departmentsInJurisdiction } from '../org';
import { useSaving } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

type Case = ApiItem<'/penalties/cases'>;
type Item = ApiItem<'/penalties/items'>;
type Level = 'light' | 'ordinary' | 'severe';
const levels: Level[] = ['light', 'ordinary', 'severe'];
const states = ['investigating', 'proposed', 'reviewed', 'decided'] as const;
const stateColours: Record<string, string> = { investigating: 'processing', proposed: 'warning', reviewed: 'purple', decided: 'success' };

/** Amounts travel in 分 and show in 元. */
const money = (fen: number | null) => yuan(fen, currentLanguage());
const range = ([low, high]: readonly [number, number] | number[]) => `${money(low!)} – ${money(high!)}`;
const when = (at: string | null) => chinaTime(at, currentLanguage());

/** 行政处罚: the department's cases (an inspector's: the jurisdiction's), each opened into its record and next step. */
export default function PenaltiesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [state, setState] = useState<string>('open');
  const [open, setOpen] = useState<number>();
  const [filing, setFiling] = useState(false);
  const [generation, setGeneration] = useState(0);
  const shown = state === 'open' ? ['investigating', 'proposed', 'reviewed'] : state === 'all' ? [] : [state];
  const cases = useLoad(() => api('GET', `/penalties/cases?${shown.map((s) => `state=${s}&`).join('')}limit=200`), [state, generation]);
  const items = useLoad(() => api('GET', '/penalties/items'), []);
  const changed = () => setGeneration((g) => g + 1);
  return (
    <Card title={t('penalties.title')} extra={can('penalties.case.investigate') &&
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)}>{t('penalties.file')}</Button>}>
      <Tabs items={[
        { key: 'cases', label: t('penalties.cases'), children: (
          <Flex vertical gap={12}>
            {/* Six states do not fit a phone's width in one row: the row scrolls instead of widening the page. */}
            <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
              <Segmented value={state} onChange={(v) => setState(v)} options={['open', ...states, 'all'].map((s) => ({ value: s, label: t(`penalties.state.${s}`) }))} />
            </div>
            <Table<Case> rowKey="id" size="small" loading={cases.loading} dataSource={cases.data?.items ?? []} pagination={{ pageSize: 20 }} scroll={{ x: 900 }}
              onRow={(c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } })} columns={[
                { title: t('penalties.number'), dataIndex: 'number', render: (v: string) => <span className="mono" style={{ whiteSpace: 'nowrap' }}>{v}</span> },
                { title: t('penalties.item'), render: (_, c) => c.item.name },
                { title: t('penalties.party'), dataIndex: 'partyName' },
                { title: t('penalties.level'), render: (_, c) => (c.level ? t(`penalties.levels.${c.level}`) : '—') },
                { title: t('penalties.amount'), align: 'right', render: (_, c) => money(c.amount) },
                { title: t('penalties.stateLabel'), render: (_, c) => <Tag color={stateColours[c.state]}>{t(`penalties.state.${c.state}`)}</Tag> },
                { title: t('penalties.next'), render: (_, c) => c.abilities.map((a) => <Tag key={a} color="blue">{t(`penalties.action.${a}`)}</Tag>) },
                { title: t('penalties.filedAt'), render: (_, c) => when(c.filedAt) },
              ]} />
          </Flex>) },
        { key: 'items', label: t('penalties.items'), children: <ItemsTable items={items.data?.items} loading={items.loading} onSaved={items.reload} /> },
      ]} />
      {filing && <FileForm items={items.data?.items ?? []} onClose={() => setFiling(false)} onDone={(c) => { setFiling(false); changed(); setOpen(c.id); }} />}
      {open !== undefined && <CaseDrawer id={open} onClose={() => setOpen(undefined)} onChanged={changed} />}
    </Card>
  );
}

function ItemsTable({ items, loading, onSaved }: { items: Item[] | undefined; loading: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [editing, setEditing] = useState<Item | 'new'>();
  const mayEdit = can('penalties.item.manage');
  return (
    <Flex vertical gap={12}>
      {mayEdit && <Button icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }} onClick={() => setEditing('new')}>{t('penalties.addItem')}</Button>}
      <Table<Item> rowKey="id" size="small" loading={loading} dataSource={items ?? []} pagination={false} scroll={{ x: 1100 }} data-testid="penalty-items" columns={[
        { title: t('penalties.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
        { title: t('penalties.item'), render: (_, i) => <>{i.name}{!i.active && <Tag style={{ marginLeft: 4 }}>{t('penalties.inactive')}</Tag>}</> },
        { title: t('penalties.legalRange'), render: (_, i) => range([i.legalMin, i.legalMax]) },
        ...levels.map((level) => ({ title: t(`penalties.levels.${level}`), key: level, render: (_: unknown, i: Item) => range(i.bands[level]) })),
        { title: t('penalties.basis'), render: (_, i) => <span style={{ fontSize: 12 }}>{i.penaltyBasis}</span> },
        ...(mayEdit ? [{ title: '', key: 'edit', render: (_: unknown, i: Item) => <Button size="small" onClick={() => setEditing(i)}>{t('penalties.edit')}</Button> }] : []),
      ]} />
      {editing && <ItemForm item={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); onSaved(); }} />}
    </Flex>
  );
}

type ItemValues = Omit<Item, 'id' | 'legalMin' | 'legalMax' | 'bands'> & { legal: [number, number]; bands: Record<Level, [number, number]> };
const toYuan = ([low, high]: readonly number[]): [number, number] => [low! / 100, high! / 100];
const toFen = ([low, high]: readonly number[]): [number, number] => [Math.round(low! * 100), Math.round(high! * 100)];

/** One item and its 裁量基准, edited in 元: the legal range and the three bands. */
function ItemForm({ item, onClose, onSaved }: { item?: Item; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemValues>();
  const { saving, whileSaving } = useSaving();
  // The kinds of department the item may belong to, each named by one of its departments (综合执法局 for urban-management).
  const departments = useLoad(departmentsInJurisdiction, []);
  const kinds = [...new Map((departments.data ?? []).map((d) => [d.kind, { value: d.kind, label: `${d.shortName ?? d.name} (${d.kind})` }])).values()];
  const save = (v: ItemValues) => whileSaving(async () => {
    const { legal, bands, ...rest } = v;
    await api('PUT', '/penalties/items', { ...rest, legalMin: toFen(legal)[0], legalMax: toFen(legal)[1],
      bands: { light: toFen(bands.light), ordinary: toFen(bands.ordinary), severe: toFen(bands.severe) } });
    void message.success(t('penalties.done.item'));
    onSaved();
  }, { form, fields: ['code', 'name', 'departmentKind', 'violatedBasis', 'penaltyBasis'] });
  const initial: Partial<ItemValues> = item
    ? { ...item, legal: toYuan([item.legalMin, item.legalMax]), bands: { light: toYuan(item.bands.light), ordinary: toYuan(item.bands.ordinary), severe: toYuan(item.bands.severe) } }
    : { active: true, departmentKind: 'urban-management' };
  // A range's two ends; a refusal of a band (its field is `bands.<level>`) shows as a message with its reason.
  const pair = (name: (string | number)[], label: string) => (
    <Form.Item label={label} key={name.join('.')}>
      <Flex gap={8} align="center">
        <Form.Item name={[...name, 0]} noStyle rules={[{ required: true }]}><InputNumber min={0} precision={0} aria-label={`${label} ${t('penalties.from')}`} /></Form.Item>
        –
        <Form.Item name={[...name, 1]} noStyle rules={[{ required: true }]}><InputNumber min={0} precision={0} aria-label={`${label} ${t('penalties.to')}`} /></Form.Item>
        {t('penalties.yuan')}
      </Flex>
    </Form.Item>
  );
  return (
    <Modal open title={item ? `${t('penalties.edit')} · ${item.code}` : t('penalties.addItem')} onCancel={onClose} onOk={() => form.submit()}
      okText={t('penalties.save')} confirmLoading={saving} width={680}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void save(v)}>
        <Flex gap={12} wrap>
          <Form.Item name="code" label={t('penalties.code')} rules={[{ required: true }]} style={{ width: 200 }}><Input disabled={!!item} maxLength={40} className="mono" /></Form.Item>
          <Form.Item name="departmentKind" label={t('penalties.departmentKind')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 200 }}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={kinds} />
          </Form.Item>
        </Flex>
        <Form.Item name="name" label={t('penalties.item')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="violatedBasis" label={t('penalties.violatedBasis')} rules={[{ required: true }]}><Input maxLength={1000} /></Form.Item>
        <Form.Item name="penaltyBasis" label={t('penalties.basis')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        {pair(['legal'], t('penalties.legalRange'))}
        {levels.map((level) => pair(['bands', level], t(`penalties.levels.${level}`)))}
        <Form.Item name="active" label={t('penalties.inUse')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}

interface FileValues { itemId: number; partyKind: 'person' | 'organisation'; partyName: string; partyIdNumber: string; divisionCode: string; place: string; facts: string }

/** 立案. */
function FileForm({ items, onClose, onDone }: { items: Item[]; onClose: () => void; onDone: (c: ApiItem<'/penalties/cases'> | { id: number }) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FileValues>();
  const { saving, whileSaving } = useSaving();
  const areas = useLoad(async () => areaOptions((await api('GET', `/org/divisions/tree${query({ depth: 2 })}`)).items), []);
  const fields = ['itemId', 'partyKind', 'partyName', 'partyIdNumber', 'divisionCode', 'place', 'facts'];
  const save = (values: FileValues) => whileSaving(async () => {
    onDone(await api('POST', '/penalties/cases', values));
    void message.success(t('penalties.done.file'));
  }, { form, fields });
  const kind = Form.useWatch('partyKind', form);
  return (
    <Modal open title={t('penalties.file')} onCancel={onClose} onOk={() => form.submit()} okText={t('penalties.file')} confirmLoading={saving} width={640}>
      <Form form={form} layout="vertical" initialValues={{ partyKind: 'person' }} onFinish={(v) => void save(v)}>
        <Form.Item name="itemId" label={t('penalties.item')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={items.filter((i) => i.active).map((i) => ({ value: i.id, label: `${i.code} ${i.name}` }))} />
        </Form.Item>
        <Form.Item name="partyKind" label={t('penalties.partyKind')}>
          <Radio.Group optionType="button" options={(['person', 'organisation'] as const).map((k) => ({ value: k, label: t(`penalties.partyKinds.${k}`) }))} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="partyName" label={t('penalties.partyName')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 200 }}><Input maxLength={200} /></Form.Item>
          <Form.Item name="partyIdNumber" label={t(kind === 'organisation' ? 'penalties.creditCode' : 'penalties.idNumber')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 200 }}>
            <Input maxLength={18} className="mono" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="divisionCode" label={t('penalties.division')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 200 }}>
            <TreeSelect treeData={areas.data ?? []} showSearch treeNodeFilterProp="title" />
          </Form.Item>
          <Form.Item name="place" label={t('penalties.place')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 200 }}><Input maxLength={200} /></Form.Item>
        </Flex>
        <Form.Item name="facts" label={t('penalties.facts')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A case: its facts, its record, and the step the viewer may take now. */
function CaseDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const [generation, setGeneration] = useState(0);
  const view = useLoad(() => api('GET', `/penalties/cases/${id}`), [id, generation]);
  const c = view.data?.case;
  const moved = () => { setGeneration((g) => g + 1); onChanged(); };
  // Full width on a phone: a 640 px drawer would run off a 390 px screen.
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <Drawer open size={wide ? 640 : '100%'} title={c ? `${t('penalties.case')} ${c.number}` : t('penalties.case')} onClose={onClose} loading={view.loading && !c}>
      {c && view.data && <Flex vertical gap={16}>
        <Descriptions size="small" column={1} bordered data-testid="penalty-case">
          <Descriptions.Item label={t('penalties.stateLabel')}><Tag color={stateColours[c.state]}>{t(`penalties.state.${c.state}`)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('penalties.item')}>{c.item.code} {c.item.name}</Descriptions.Item>
          <Descriptions.Item label={t('penalties.party')}>{c.partyName} <span className="mono">{c.partyIdNumber}</span></Descriptions.Item>
          <Descriptions.Item label={t('penalties.place')}>{c.place}</Descriptions.Item>
          <Descriptions.Item label={t('penalties.facts')}>{c.facts}</Descriptions.Item>
          <Descriptions.Item label={t('penalties.fine')}>{c.level ? `${t(`penalties.levels.${c.level}`)} · ${money(c.amount)}` : '—'}</Descriptions.Item>
          {c.deviation && <Descriptions.Item label={t('penalties.deviation')}>{c.deviation}</Descriptions.Item>}
          <Descriptions.Item label={t('penalties.department')}>{c.department.name} · {c.investigatorName}</Descriptions.Item>
        </Descriptions>
        {view.data.abilities.includes('propose') && <ProposeForm id={id} bands={view.data.bands} legal={[view.data.legalMin, view.data.legalMax]} onDone={moved} />}
        {view.data.abilities.includes('review') && <CheckForm id={id} action="review" onDone={moved} />}
        {view.data.abilities.includes('decide') && <CheckForm id={id} action="decision" onDone={moved} />}
        <Timeline data-testid="penalty-timeline" items={view.data.events.map((e) => ({
          key: e.id, content: <><b>{t(`penalties.event.${e.action.split('.').pop()}`)}</b> · {e.actorName} · {when(e.at)}{e.note && <div>{e.note}</div>}</>,
        }))} />
      </Flex>}
    </Drawer>
  );
}

interface ProposeValues { level: Level; amountYuan: number; deviation?: string }

/** 拟处罚: the level and the fine; outside the level's band the reason is asked for before sending. */
function ProposeForm({ id, bands, legal, onDone }: { id: number; bands: Record<Level, number[]>; legal: [number, number]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProposeValues>();
  const { saving, whileSaving } = useSaving();
  const level = Form.useWatch('level', form) ?? 'ordinary';
  const amountYuan = Form.useWatch('amountYuan', form);
  const band = bands[level]!;
  const beyond = typeof amountYuan === 'number' && (amountYuan * 100 < band[0]! || amountYuan * 100 > band[1]!);
  const save = (v: ProposeValues) => whileSaving(async () => {
    await api('POST', `/penalties/cases/${id}/proposal`, { level: v.level, amount: Math.round(v.amountYuan * 100), deviation: beyond ? v.deviation : undefined });
    void message.success(t('penalties.done.propose'));
    onDone();
  }, { form, fields: ['level', 'amount', 'deviation'] });
  return (
    <Card size="small" title={t('penalties.action.propose')} data-testid="propose-form">
      <Form form={form} layout="vertical" initialValues={{ level: 'ordinary' }} onFinish={(v) => void save(v)}>
        <Form.Item name="level" label={t('penalties.level')}>
          <Radio.Group optionType="button" options={levels.map((l) => ({ value: l, label: t(`penalties.levels.${l}`) }))} />
        </Form.Item>
        <Form.Item name="amountYuan" label={t('penalties.amountYuan')} rules={[{ required: true }]}
          extra={t('penalties.bandHint', { band: range(band), legal: range(legal) })}>
          <InputNumber min={legal[0] / 100} max={legal[1] / 100} precision={0} style={{ width: 200 }} />
        </Form.Item>
        {beyond && <Form.Item name="deviation" label={t('penalties.deviation')} extra={t('penalties.deviationHint')}
          rules={[{ required: true, whitespace: true, message: t('penalties.deviationRequired') }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>}
        <Button type="primary" htmlType="submit" loading={saving}>{t('penalties.action.propose')}</Button>
      </Form>
    </Card>
  );
}

/** 法制审核 and 决定: pass (or decide), or send back to the investigator with the reason. */
function CheckForm({ id, action, onDone }: { id: number; action: 'review' | 'decision'; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [approve, setApprove] = useState(true);
  const { saving, whileSaving } = useSaving();
  const save = (v: { note?: string }) => whileSaving(async () => {
    await api('POST', `/penalties/cases/${id}/${action}`, { approve, note: v.note || undefined });
    void message.success(t(`penalties.done.${action}`));
    onDone();
  }, { form, fields: ['note'] });
  const name = action === 'review' ? 'review' : 'decide';
  return (
    <Card size="small" title={t(`penalties.action.${name}`)} data-testid={`${name}-form`}>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item label={t('penalties.outcome')}>
          <Radio.Group value={approve} onChange={(e) => setApprove(e.target.value as boolean)} optionType="button"
            options={[{ value: true, label: t(`penalties.approve.${name}`) }, { value: false, label: t('penalties.sendBack') }]} />
        </Form.Item>
        <Form.Item name="note" label={approve ? t('penalties.note') : t('penalties.sendBackReason')}
          rules={approve ? [] : [{ required: true, whitespace: true, message: t('penalties.reasonRequired') }]}>
          <Input maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>{t(`penalties.action.${name}`)}</Button>
      </Form>
    </Card>
  );
}
