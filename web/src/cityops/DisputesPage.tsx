import { useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Drawer, Flex, Input, InputNumber, Modal, Radio, Space, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem, type ApiResponse } from '../api';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { CityMap, type MapView, type Shapes } from '../map';
import { departmentsInJurisdiction } from '../org';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { time } from './cases';

type Dispute = ApiItem<'/cityops/disputes'>;
type DisputeDetail = ApiResponse<'/cityops/disputes/{id}'>;
type Rule = ApiItem<'/cityops/jurisdiction-rules'>;
type Scope = Rule['scope'];

const PAGE_SIZE = 20;
const tints = ['#d6e4ff', '#ffd8bf', '#d9f7be', '#efdbff'];

/** The decision's limit: the time, with 督办 or 预警 while open when the sweep raised one. */
function Due({ d }: { d: Dispute }) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      <span>{time(d.dueAt as string)}</span>
      {d.supervisedAt || d.overdue ? <Tag color="red">{t('cityops.cases.supervised')}</Tag> : d.warnedAt ? <Tag color="orange">{t('cityops.cases.warned')}</Tag> : null}
    </Space>
  );
}

/** The grids around the point, one tint per county, and the box to show them in. */
function mapOf(d: DisputeDetail): { shapes: Shapes; fit: MapView } {
  const counties: string[] = [];
  const features = d.grids.features.map((f) => {
    const county = f.properties.divisionCode.slice(0, 6);
    if (!counties.includes(county)) counties.push(county);
    return { type: 'Feature' as const, geometry: f.geometry as Shapes['features'][number]['geometry'],
      properties: { ...f.properties, fill: tints[counties.indexOf(county) % tints.length] } };
  });
  const span = 0.0012; // about 120 m each way: the point and the line it lies near
  return { shapes: { type: 'FeatureCollection', features }, fit: [d.lon - span, d.lat - span, d.lon + span, d.lat + span] };
}

/** 裁定: the unit (a candidate, or another unit serving the area), the reason and, optionally, the rule it becomes. */
function DecideForm({ d, onDone }: { d: DisputeDetail; onDone: (next: DisputeDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [other, setOther] = useState(false);
  const [reason, setReason] = useState('');
  const [asRule, setAsRule] = useState(false);
  const [scope, setScope] = useState<Scope>(d.componentCode ? 'component' : 'place');
  const [radiusM, setRadiusM] = useState(30);
  const [anyKind, setAnyKind] = useState(false);
  const departments = useLoad(() => (other ? departmentsInJurisdiction() : Promise.resolve([])), [other]);
  const decide = async () => {
    try {
      const rule = asRule ? { scope, ...(scope === 'place' ? { radiusM } : {}), anyKind } : null;
      onDone(await api('POST', `/cityops/disputes/${d.id}/decide`, { departmentId, reason, rule }) as DisputeDetail);
      message.success(t('cityops.disputes.decidedNote'));
    } catch (e) {
      message.error(problemText(e));
    }
  };
  return (
    <Card size="small" title={t('cityops.disputes.decide')} data-testid="decide-form">
      <Flex vertical gap={8}>
        <Radio.Group value={other ? undefined : departmentId} onChange={(e) => { setOther(false); setDepartmentId(e.target.value as number); }}>
          <Flex vertical gap={4}>
            {d.candidates.map((c) => <Radio key={c.id} value={c.id}>{c.name}</Radio>)}
          </Flex>
        </Radio.Group>
        <Checkbox checked={other} onChange={(e) => { setOther(e.target.checked); setDepartmentId(undefined); }}>{t('cityops.disputes.otherUnit')}</Checkbox>
        {other && <DepartmentSelect departments={departments.data} value={departmentId} onChange={setDepartmentId} style={{ minWidth: 280 }} />}
        <Input.TextArea aria-label={t('cityops.disputes.reason')} placeholder={t('cityops.disputes.reason')} rows={2} value={reason}
          onChange={(e) => setReason(e.target.value)} />
        <Checkbox checked={asRule} onChange={(e) => setAsRule(e.target.checked)}>{t('cityops.disputes.asRule')}</Checkbox>
        {asRule && (
          <Flex vertical gap={6} style={{ paddingLeft: 24 }}>
            <Radio.Group value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
              <Radio value="place">{t('cityops.disputes.scopes.place')}</Radio>
              <Radio value="component" disabled={!d.componentCode}>{t('cityops.disputes.scopes.component')}</Radio>
              <Radio value="grid">{t('cityops.disputes.scopes.grid')}</Radio>
            </Radio.Group>
            {scope === 'place' && (
              <Space>
                <span>{t('cityops.disputes.radius')}</span>
                <InputNumber aria-label={t('cityops.disputes.radius')} min={10} max={300} value={radiusM} onChange={(v) => setRadiusM(v ?? 30)} suffix="m" />
              </Space>
            )}
            <Checkbox checked={anyKind} onChange={(e) => setAnyKind(e.target.checked)}>{t('cityops.disputes.anyKind')}</Checkbox>
          </Flex>
        )}
        <Button type="primary" disabled={!departmentId || !reason.trim()} onClick={() => void decide()}>{t('cityops.disputes.decideButton')}</Button>
      </Flex>
    </Card>
  );
}

function DisputeView({ d, onChange }: { d: DisputeDetail; onChange: (next: DisputeDetail) => void }) {
  const { t } = useTranslation();
  const { shapes, fit } = useMemo(() => mapOf(d), [d]);
  return (
    <Flex vertical gap={12}>
      <Descriptions size="small" column={1} bordered items={[
        { label: t('cityops.cases.code'), children: d.caseCode },
        { label: t('cityops.cases.kind'), children: `${d.kindNameZh}（${d.kindCode}）` },
        { label: t('cityops.cases.description'), children: d.description },
        { label: t('cityops.cases.place'), children: `${d.divisionName ?? d.divisionCode} · ${d.gridName ?? '—'} ${d.address} (${d.lon.toFixed(5)}, ${d.lat.toFixed(5)})` },
        { label: t('cityops.disputes.reasons'), children: <Space size={4} wrap>{d.reasons.map((r) => <Tag key={r} color="volcano">{t(`cityops.disputes.reasonNames.${r}`)}</Tag>)}</Space> },
        { label: t('cityops.disputes.candidates'), children: (
          <Flex vertical data-testid="candidates">{d.candidates.map((c) => (
            <span key={c.id}>{c.name} {c.returned && <Tag color="orange">{t('cityops.disputes.returned')}</Tag>}</span>))}</Flex>) },
        { label: t('cityops.disputes.grids'), children: d.grids.features.map((g) => `${g.properties.countyName ?? ''} ${g.properties.divisionName ?? ''} ${g.properties.name}`).join('；') },
        ...(d.component ? [{ label: t('cityops.disputes.component'), children: (
          <span data-testid="component-record">{d.component.code} {d.component.kindNameZh} {d.component.address} · {t('cityops.owner')}：{d.component.ownerName ?? t('cityops.disputes.noOwner')}
            · {t('cityops.maintainer')}：{d.component.maintainerName ?? '—'} · {t('cityops.competent')}：{d.component.competentName ?? '—'}</span>) }] : []),
        ...d.returns.map((r, i) => ({ label: `${t('cityops.disputes.return')} ${i + 1}`, children: `${time(r.at as string)} ${r.departmentName ?? ''}（${r.actorName}）：${r.note ?? ''}` })),
        { label: t('cityops.disputes.due'), children: <Due d={d} /> },
        ...(d.state === 'decided' ? [{ label: t('cityops.disputes.decision'), children: (
          <span data-testid="decision">{d.decidedDepartmentName} · {d.decisionReason} · {d.decidedByName}{d.ruleId ? ` · ${t('cityops.disputes.ruleMade')}` : ''}</span>) }] : []),
      ]} />
      <CityMap shapes={shapes} fit={fit} points={[{ lon: d.lon, lat: d.lat, title: d.caseCode }]} height={260} search={false} testId="dispute-map" />
      {d.abilities.decide && <DecideForm d={d} onDone={onChange} />}
    </Flex>
  );
}

/** 管辖规则: the rules decisions made; the command centre retires one with the reason. */
function Rules() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useLoad(() => api('GET', '/cityops/jurisdiction-rules'), []);
  const [retiring, setRetiring] = useState<Rule | null>(null);
  const [reason, setReason] = useState('');
  const retire = async () => {
    try {
      await api('POST', `/cityops/jurisdiction-rules/${retiring!.id}/retire`, { reason });
      setRetiring(null);
      setReason('');
      rules.reload();
    } catch (e) {
      message.error(problemText(e));
    }
  };
  const where = (r: Rule) => (r.scope === 'component' ? r.componentCode : r.scope === 'grid' ? `${r.gridName ?? r.gridCode}`
    : t('cityops.disputes.around', { radius: r.radiusM, lon: r.lon?.toFixed(5), lat: r.lat?.toFixed(5) }));
  return (
    <>
      <Table<Rule> rowKey="id" size="small" loading={rules.loading} dataSource={rules.data?.items ?? []} pagination={false} data-testid="rules" scroll={{ x: 800 }}
        columns={[
          { title: t('cityops.disputes.scope'), render: (_: unknown, r) => <span>{t(`cityops.disputes.scopes.${r.scope}`)}：{where(r)}</span> },
          { title: t('cityops.cases.kind'), render: (_: unknown, r) => r.kindNameZh ?? t('cityops.disputes.anyKindShort') },
          { title: t('cityops.cases.unit'), dataIndex: 'departmentName' },
          { title: t('cityops.disputes.reason'), dataIndex: 'reason' },
          { title: t('cityops.disputes.madeBy'), render: (_: unknown, r) => `${r.createdByName} ${time(r.createdAt as string)}` },
          { title: t('cityops.state'), render: (_: unknown, r) => (r.retiredAt
            ? <Tag title={r.retiredReason ?? ''}>{t('cityops.disputes.retired')}</Tag> : <Tag color="green">{t('cityops.disputes.live')}</Tag>) },
          { title: '', render: (_: unknown, r) => r.abilities.retire && <Button size="small" onClick={() => setRetiring(r)}>{t('cityops.disputes.retire')}</Button> },
        ]} />
      <Modal open={retiring !== null} title={t('cityops.disputes.retire')} onCancel={() => setRetiring(null)} onOk={() => void retire()}
        okButtonProps={{ disabled: !reason.trim() }}>
        <Input.TextArea aria-label={t('cityops.disputes.reason')} placeholder={t('cityops.disputes.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}

function Queue({ state }: { state: 'open' | 'decided' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<DisputeDetail | null>(null);
  const list = useLoad(() => api('GET', `/cityops/disputes${query({ state, page, pageSize: PAGE_SIZE })}`), [state, page]);
  const show = (d: Dispute) => { api('GET', `/cityops/disputes/${d.id}`).then(setOpen, (e: unknown) => void message.error(problemText(e))); };
  return (
    <>
      <Table<Dispute> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 900 }}
        onRow={(d) => ({ onClick: () => show(d), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('cityops.cases.code'), dataIndex: 'caseCode' },
          { title: t('cityops.cases.kind'), dataIndex: 'kindNameZh' },
          { title: t('cityops.cases.place'), render: (_: unknown, d) => `${d.divisionName ?? d.divisionCode} ${d.address}` },
          { title: t('cityops.disputes.reasons'), render: (_: unknown, d) => d.reasons.map((r) => <Tag key={r} color="volcano">{t(`cityops.disputes.reasonNames.${r}`)}</Tag>) },
          { title: t('cityops.disputes.candidates'), render: (_: unknown, d) => d.candidates.map((c) => c.name).join('、') },
          ...(state === 'decided' ? [{ title: t('cityops.disputes.decidedUnit'), dataIndex: 'decidedDepartmentName' }] : []),
          state === 'open' ? { title: t('cityops.disputes.due'), render: (_: unknown, d) => <Due d={d} /> }
            : { title: t('cityops.disputes.decidedAt'), render: (_: unknown, d) => time(d.decidedAt as string | null) },
        ]} />
      <Drawer open={open !== null} width={620} title={t('cityops.disputes.detail')} onClose={() => setOpen(null)} destroyOnHidden>
        {open && <DisputeView d={open} onChange={(next) => { setOpen(next); list.reload(); }} />}
      </Drawer>
    </>
  );
}

/** 管辖争议: the command centre's queue of cases no single unit owns, its decisions, and the rules they made. */
export default function DisputesPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('open');
  return (
    <Card title={t('cityops.disputes.title')}>
      <Tabs activeKey={tab} onChange={setTab} destroyOnHidden items={[
        { key: 'open', label: t('cityops.disputes.open'), children: <Queue state="open" /> },
        { key: 'decided', label: t('cityops.disputes.decided'), children: <Queue state="decided" /> },
        { key: 'rules', label: t('cityops.disputes.rules'), children: <Rules /> },
      ]} />
    </Card>
  );
}
