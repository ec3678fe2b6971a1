import { useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Result, Select, Space, Steps, Tag, Timeline } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { listName } from './ProblemsPage';
import { Attachments, chinaDate, chinaTime, Due, EvidencePicker, StateTag, type FileInput } from './shared';

type View = ApiResponse<'/supervision/problems/{id}'>;
const causeCategories = ['institution', 'process', 'responsibility', 'capacity', 'resources', 'oversight', 'external'] as const;
const preventionKinds = ['rule', 'check', 'item'] as const;
/** The loop's stages, and the stage each state is at. */
const loop = ['registered', 'analysis', 'rectification', 'acceptance', 'prevention', 'watch'] as const;
const stageOf: Record<string, number> = { registered: 1, analysed: 2, rectifying: 2, review: 3, accepted: 4, closed: 5 };

/** One problem through 发现→清单→根源分析→整改→评估验收→预警预防, each stage's form shown to whoever may act on it. */
export default function ProblemPage({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const view = useLoad(() => api('GET', `/supervision/problems/${id}`), [id]);
  const [busy, setBusy] = useState(false);
  const act = async (path: string, body: unknown) => {
    setBusy(true);
    try {
      await api('POST', `/supervision/problems/${id}/${path}`, body);
      void message.success(t('supervision.done'));
      view.reload();
      return true;
    } catch (error) {
      void message.error(problemText(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const back = <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/problems')}>{t('supervision.problem.back')}</Button>;
  if (view.error && !view.data) return <Result status="warning" title={view.error} extra={back} />;
  const v = view.data;
  if (!v) return <Card loading />;
  const p = v.problem;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center">{back}<h2 style={{ margin: 0 }}>{p.title}</h2><StateTag state={p.state} of="problem" />
        {p.recurrenceOf && <Tag color="warning">{t('supervision.problem.recurrenceOf', { number: p.recurrenceOf.number })}</Tag>}</Flex>
      <Card size="small">
        <Steps size="small" current={stageOf[p.state]} items={loop.map((s) => ({ title: t(`supervision.loop.${s}`) }))} responsive />
      </Card>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
          { key: 'number', label: t('supervision.problem.number'), children: <span className="mono">{p.number}</span> },
          { key: 'list', label: t('supervision.problem.list'), children: listName(p.list, i18n.language) },
          { key: 'source', label: t('supervision.problem.source'), children: t(`supervision.sources.${p.source}`) },
          { key: 'department', label: t('supervision.problem.department'), children: p.department.name },
          { key: 'area', label: t('supervision.problem.area'), children: p.divisionName ?? p.divisionCode },
          { key: 'due', label: t('supervision.problem.due'), children: <span>{t('supervision.problem.workingDays', { count: p.dueDays })} · <Due due={p.due} overdue={p.overdue} /></span> },
          { key: 'opened', label: t('supervision.problem.openedAt'), children: chinaTime(p.openedAt, i18n.language) },
          { key: 'kind', label: t('supervision.problem.kind'), children: p.kind },
          { key: 'description', label: t('supervision.problem.description'), children: p.description, span: 3 },
        ]} />
      </Card>
      <Analysis view={v} busy={busy} act={act} />
      <Rectification view={v} busy={busy} act={act} />
      <Acceptance view={v} busy={busy} act={act} />
      <Prevention view={v} busy={busy} act={act} />
      <Card size="small" title={t('supervision.problem.timeline')}>
        <Timeline items={v.events.map((e, i) => ({ key: i, content: (
          <div><strong>{t(`supervision.events.${e.action}`)}</strong> · {e.actorName} · {chinaTime(e.at, i18n.language)}{e.note && <div>{e.note}</div>}</div>) }))} />
      </Card>
    </Space>
  );
}

interface Part { view: View; busy: boolean; act: (path: string, body: unknown) => Promise<boolean> }

function Analysis({ view, busy, act }: Part) {
  const { t } = useTranslation();
  const p = view.problem;
  const [form] = Form.useForm<{ whys: string[]; causeCategory: string; rootCause: string }>();
  const editable = view.can.rectify && ['registered', 'analysed', 'rectifying'].includes(p.state);
  const a = p.analysis;
  return (
    <Card size="small" title={t('supervision.loop.analysis')}>
      {a && (
        <Descriptions size="small" column={1} items={[
          ...a.whys.map((w, i) => ({ key: `why-${i}`, label: t('supervision.analysis.why', { n: i + 1 }), children: w })),
          { key: 'cause', label: t('supervision.analysis.causeCategory'), children: <Tag>{t(`supervision.causes.${a.causeCategory}`)}</Tag> },
          { key: 'root', label: t('supervision.analysis.rootCause'), children: a.rootCause },
        ]} />
      )}
      {editable && (
        <Form form={form} layout="vertical" style={{ marginTop: a ? 12 : 0 }} initialValues={a ?? { whys: ['', '', ''] }}
          onFinish={(values) => void act('analysis', { ...values, whys: values.whys.filter((w) => w?.trim()) })}>
          <Form.List name="whys">{(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Form.Item key={field.key} label={t('supervision.analysis.why', { n: i + 1 })} required={i === 0}>
                  <Flex gap={8}><Form.Item name={field.name} noStyle rules={i === 0 ? [{ required: true }] : []}><Input aria-label={t('supervision.analysis.why', { n: i + 1 })} maxLength={1000} /></Form.Item>
                    {i > 0 && <Button onClick={() => remove(field.name)}>{t('supervision.remove')}</Button>}</Flex>
                </Form.Item>
              ))}
              {fields.length < 5 && <Button onClick={() => add('')} style={{ marginBottom: 12 }}>{t('supervision.analysis.addWhy')}</Button>}
            </>
          )}</Form.List>
          <Form.Item name="causeCategory" label={t('supervision.analysis.causeCategory')} rules={[{ required: true }]}>
            <Select options={causeCategories.map((c) => ({ value: c, label: t(`supervision.causes.${c}`) }))} />
          </Form.Item>
          <Form.Item name="rootCause" label={t('supervision.analysis.rootCause')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('supervision.analysis.save')}</Button>
        </Form>
      )}
      {!a && !editable && <span style={{ color: '#888' }}>{t('supervision.analysis.waiting')}</span>}
    </Card>
  );
}

function Rectification({ view, busy, act }: Part) {
  const { t, i18n } = useTranslation();
  const p = view.problem;
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<FileInput[]>([]);
  const [note, setNote] = useState('');
  const canAdd = view.can.rectify && ['analysed', 'rectifying'].includes(p.state);
  return (
    <Card size="small" title={t('supervision.loop.rectification')}>
      {view.steps.map((s, i) => (
        <div key={s.id} style={{ marginBottom: 12 }}>
          <div><strong>{i + 1}.</strong> {s.description}</div>
          <div style={{ color: '#888' }}>{s.doneBy} · {chinaTime(s.doneAt, i18n.language)}</div>
          <Attachments files={s.attachments} />
        </div>
      ))}
      {!view.steps.length && !canAdd && <span style={{ color: '#888' }}>{t('supervision.rectification.none')}</span>}
      {canAdd && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} placeholder={t('supervision.rectification.step')} aria-label={t('supervision.rectification.step')} maxLength={4000} />
          <EvidencePicker files={files} onChange={setFiles} />
          <Button type="primary" loading={busy} disabled={!description.trim()} onClick={() => void act('steps', { description, attachments: files }).then((ok) => {
            if (ok) { setDescription(''); setFiles([]); }
          })}>{t('supervision.rectification.add')}</Button>
        </Space>
      )}
      {view.can.rectify && p.state === 'rectifying' && (
        <Flex gap={8} style={{ marginTop: 16 }} wrap>
          <Input style={{ flex: 1, minWidth: 200 }} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('supervision.rectification.submitNote')} aria-label={t('supervision.rectification.submitNote')} />
          <Button loading={busy} disabled={!note.trim()} onClick={() => void act('submit', { note })}>{t('supervision.rectification.submit')}</Button>
        </Flex>
      )}
    </Card>
  );
}

function Acceptance({ view, busy, act }: Part) {
  const { t, i18n } = useTranslation();
  const p = view.problem;
  const [note, setNote] = useState('');
  return (
    <Card size="small" title={t('supervision.loop.acceptance')}>
      {p.acceptedAt && <div>{t('supervision.acceptance.by', { name: p.acceptedBy, at: chinaTime(p.acceptedAt, i18n.language) })}</div>}
      {p.state === 'review' && !view.can.review && <span style={{ color: '#888' }}>{t('supervision.acceptance.waiting')}</span>}
      {p.state === 'review' && view.can.review && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('supervision.acceptance.note')} aria-label={t('supervision.acceptance.note')} />
          <Flex gap={8}>
            <Button type="primary" loading={busy} disabled={!note.trim()} onClick={() => void act('review', { accepted: true, note })}>{t('supervision.acceptance.accept')}</Button>
            <Button danger loading={busy} disabled={!note.trim()} onClick={() => void act('review', { accepted: false, note })}>{t('supervision.acceptance.return')}</Button>
          </Flex>
        </Space>
      )}
      {!p.acceptedAt && p.state !== 'review' && <span style={{ color: '#888' }}>{t('supervision.acceptance.notYet')}</span>}
    </Card>
  );
}

function Prevention({ view, busy, act }: Part) {
  const { t, i18n } = useTranslation();
  const p = view.problem;
  const [form] = Form.useForm<{ kind: string; description: string; everyDays?: number }>();
  const kind = Form.useWatch('kind', form);
  return (
    <Card size="small" title={t('supervision.loop.prevention')}>
      {p.prevention && (
        <Descriptions size="small" column={1} items={[
          { key: 'kind', label: t('supervision.prevention.kind'), children: <Tag color="green">{t(`supervision.prevention.kinds.${p.prevention.kind}`)}</Tag> },
          { key: 'description', label: t('supervision.prevention.description'), children: p.prevention.description },
          ...(p.prevention.everyDays ? [{ key: 'every', label: t('supervision.prevention.everyDays'), children: t('supervision.problem.workingDays', { count: p.prevention.everyDays }) }] : []),
          { key: 'watch', label: t('supervision.prevention.watchUntil'), children: chinaDate(p.watchUntil, i18n.language) },
          ...(p.nextCheckAt ? [{ key: 'next', label: t('supervision.prevention.nextCheck'), children: chinaDate(p.nextCheckAt, i18n.language) }] : []),
          { key: 'recurrences', label: t('supervision.prevention.recurrences'), children: view.recurrences.length
            ? <Flex gap={6} wrap>{view.recurrences.map((r) => <Tag key={r.id} color="warning" style={{ cursor: 'pointer' }} onClick={() => navigate(`/problems/${r.id}`)}>{r.number}</Tag>)}</Flex>
            : t('supervision.prevention.noRecurrence') },
        ]} />
      )}
      {p.state === 'accepted' && view.can.prevent && (
        <Form form={form} layout="vertical" onFinish={(values) => void act('prevention', values)}>
          <Form.Item name="kind" label={t('supervision.prevention.kind')} rules={[{ required: true }]}>
            <Select options={preventionKinds.map((k) => ({ value: k, label: t(`supervision.prevention.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="description" label={t('supervision.prevention.description')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          {kind === 'check' && <Form.Item name="everyDays" label={t('supervision.prevention.everyDays')} rules={[{ required: true }]}><InputNumber min={1} max={250} /></Form.Item>}
          <Button type="primary" htmlType="submit" loading={busy}>{t('supervision.prevention.save')}</Button>
        </Form>
      )}
      {!p.prevention && p.state !== 'accepted' && <span style={{ color: '#888' }}>{t('supervision.prevention.afterAcceptance')}</span>}
    </Card>
  );
}
