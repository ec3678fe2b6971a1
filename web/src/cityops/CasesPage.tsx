import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Flex, Image, Input, Rate, Select, Space, Table, Tag, Timeline, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentsInJurisdiction } from '../org';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { caseStates, fileToBase64, stateColours, time, type CaseDetail, type CaseItem, type CaseState } from './cases';

const PAGE_SIZE = 20;

/** The actions of the case's next step that the viewer may take (the server checks again). */
function CaseActions({ c, onDone }: { c: CaseDetail; onDone: (next: CaseDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [departmentId, setDepartmentId] = useState<number | undefined>(c.route?.departmentId);
  const [photo, setPhoto] = useState<File | null>(null);
  const [rating, setRating] = useState(5);
  const departments = useLoad(() => departmentsInJurisdiction(), []);
  const run = async (path: string, body: object) => {
    try {
      onDone(await api('POST', `/cityops/cases/${c.id}/${path}`, body) as CaseDetail);
      setText('');
      message.success(t('cityops.cases.done'));
    } catch (e) {
      message.error(problemText(e));
    }
  };
  const a = c.abilities;
  return (
    <Flex vertical gap={8} data-testid="case-actions">
      {(a.refuse || a.return || a.handle || a.close) && (
        <Input.TextArea aria-label={t('cityops.cases.note')} placeholder={t('cityops.cases.note')} value={text} onChange={(e) => setText(e.target.value)} rows={2} />
      )}
      {a.dispatch && (
        <Space wrap>
          <DepartmentSelect departments={departments.data ?? []} value={departmentId} onChange={setDepartmentId} style={{ minWidth: 260 }} />
          {c.route && <Tag>{t(`cityops.cases.routeBy.${c.route.by}`)}: {c.route.departmentName}</Tag>}
          <Button type="primary" onClick={() => void run('dispatch', departmentId ? { departmentId } : {})}>{t('cityops.cases.actions.dispatch')}</Button>
        </Space>
      )}
      {a.handle && (
        <Space wrap>
          <Upload accept="image/*" maxCount={1} beforeUpload={(file) => { setPhoto(file); return false; }} onRemove={() => setPhoto(null)}>
            <Button>{t('cityops.cases.afterPhoto')}</Button>
          </Upload>
          <Button type="primary" disabled={!photo || !text.trim()}
            onClick={() => void fileToBase64(photo!).then((data) => run('handle', { reply: text, photos: [{ data }] }))}>{t('cityops.cases.actions.handle')}</Button>
          <Button disabled={!text.trim()} onClick={() => void run('return', { reason: text })}>{t('cityops.cases.actions.return')}</Button>
        </Space>
      )}
      <Space wrap>
        {a.file && <Button type="primary" onClick={() => void run('file', {})}>{t('cityops.cases.actions.file')}</Button>}
        {a.refuse && <Button danger disabled={!text.trim()} onClick={() => void run('refuse', { reason: text })}>{t('cityops.cases.actions.refuse')}</Button>}
        {a.close && <Button type="primary" onClick={() => void run('close', text.trim() ? { note: text } : {})}>{t('cityops.cases.actions.close')}</Button>}
        {a.evaluate && (
          <>
            <Rate value={rating} onChange={setRating} />
            <Button onClick={() => void run('evaluate', { rating })}>{t('cityops.cases.actions.evaluate')}</Button>
          </>
        )}
      </Space>
    </Flex>
  );
}

export function CaseView({ c, onChange }: { c: CaseDetail; onChange: (next: CaseDetail) => void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <Descriptions size="small" column={1} bordered items={[
        { label: t('cityops.cases.code'), children: c.code },
        { label: t('cityops.cases.state'), children: <Tag color={stateColours[c.state]} data-testid="case-state">{t(`cityops.cases.states.${c.state}`)}</Tag> },
        { label: t('cityops.cases.kind'), children: `${c.kindNameZh}（${c.kindCode}）` },
        { label: t('cityops.cases.source'), children: `${t(`cityops.cases.sources.${c.source}`)}${c.sourceRef ? ` · ${c.sourceRef}` : ''}` },
        { label: t('cityops.cases.description'), children: c.description },
        { label: t('cityops.cases.place'), children: `${c.divisionName ?? c.divisionCode} · ${c.gridName ?? '—'} ${c.address}` },
        { label: t('cityops.cases.filingCondition'), children: c.filingCondition },
        { label: t('cityops.cases.unit'), children: <span>{c.departmentName ?? '—'} {c.disputeId !== null && <Tag color="volcano">{t('cityops.cases.disputed')}</Tag>}</span> },
        { label: t('cityops.cases.assignee'), children: c.assigneeName ?? '—' },
        ...(c.workerName ? [{ label: t('cityops.cases.worker'), children: c.workerName }] : []),
        { label: t('cityops.cases.due'), children: <span>{time(c.dueAt as string | null)} {c.supervisedAt ? <Tag color="red">{t('cityops.cases.supervised')}</Tag> : c.warnedAt ? <Tag color="orange">{t('cityops.cases.warned')}</Tag> : null}</span> },
        ...(c.reply ? [{ label: t('cityops.cases.reply'), children: c.reply }] : []),
        ...(c.reason ? [{ label: t('cityops.cases.reason'), children: c.reason }] : []),
        ...(c.rating ? [{ label: t('cityops.cases.rating'), children: <Rate disabled value={c.rating} /> }] : []),
      ]} />
      {c.photos.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap>{c.photos.map((p) => <Image key={p.id} src={p.url} width={72} height={72} style={{ objectFit: 'cover' }} alt={t(`cityops.cases.photoSteps.${p.step}`)} />)}</Space>
        </Image.PreviewGroup>
      )}
      <CaseActions c={c} onDone={onChange} />
      <Timeline items={c.events.map((e) => ({
        color: e.action === 'supervised' ? 'red' : e.action === 'warned' ? 'orange' : e.passed === false ? 'red' : 'blue',
        children: <span>{time(e.at as string)} {e.actorName} · {t(`cityops.cases.events.${e.action}`, { defaultValue: e.action })}{e.note ? `：${e.note}` : ''}</span>,
      }))} />
    </Flex>
  );
}

/** 案件管理: the cases the caller may see, filtered by state, with a case's record and its next step. */
export default function CasesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [state, setState] = useState<CaseState | undefined>();
  const [alerted, setAlerted] = useState(false);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<CaseDetail | null>(null);
  const list = useLoad(() => api('GET', `/cityops/cases${query({ state, alerted: alerted || undefined, page, pageSize: PAGE_SIZE })}`), [state, alerted, page]);
  const show = (c: CaseItem) => { api('GET', `/cityops/cases/${c.id}`).then((d) => setOpen(d as CaseDetail), (e: unknown) => void message.error(problemText(e))); };
  return (
    <Card title={t('cityops.cases.title')}>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('cityops.cases.state')} allowClear placeholder={t('cityops.cases.state')} style={{ width: 160 }} value={state}
          onChange={(v) => { setState(v); setPage(1); }} options={caseStates.map((s) => ({ value: s, label: t(`cityops.cases.states.${s}`) }))} />
        <Button type={alerted ? 'primary' : 'default'} onClick={() => { setAlerted(!alerted); setPage(1); }}>{t('cityops.cases.alerted')}</Button>
        <span>{t('cityops.cases.total', { total: list.data?.total ?? 0 })}</span>
      </Flex>
      <Table<CaseItem> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []}
        onRow={(c) => ({ onClick: () => show(c), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('cityops.cases.code'), dataIndex: 'code' },
          { title: t('cityops.cases.kind'), dataIndex: 'kindNameZh' },
          { title: t('cityops.cases.state'), dataIndex: 'state', render: (s: CaseState, c) => (
            <Space size={4}><Tag color={stateColours[s]}>{t(`cityops.cases.states.${s}`)}</Tag>{c.disputeId !== null && <Tag color="volcano">{t('cityops.cases.disputed')}</Tag>}{c.supervisedAt ? <Tag color="red">{t('cityops.cases.supervised')}</Tag> : null}</Space>) },
          { title: t('cityops.cases.source'), dataIndex: 'source', render: (s: CaseItem['source']) => t(`cityops.cases.sources.${s}`) },
          { title: t('cityops.cases.place'), render: (_: unknown, c) => c.divisionName ?? c.divisionCode },
          { title: t('cityops.cases.unit'), dataIndex: 'departmentName', render: (d: string | null) => d ?? '—' },
          { title: t('cityops.cases.due'), dataIndex: 'dueAt', render: (d: string | null) => time(d) },
        ]} />
      <Drawer open={open !== null} width={560} title={t('cityops.cases.detail')} onClose={() => setOpen(null)} destroyOnHidden>
        {open && <CaseView c={open} onChange={(next) => { setOpen(next); list.reload(); }} />}
      </Drawer>
    </Card>
  );
}

