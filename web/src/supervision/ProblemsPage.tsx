import { useState } from 'react';
import { App, Button, Card, Col, Drawer, Flex, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Switch, Table, Tabs, Tag } from 'antd';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem, type ApiResponse } from '../api';
import { useSaving } from '../problemFields';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentsInJurisdiction } from '../org';
import { navigate, usePath } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import ProblemPage from './ProblemPage';
import { Due, StateTag } from './shared';
import './supervision.css';

type Problem = ApiItem<'/supervision/problems'>;
type Finding = ApiItem<'/supervision/findings'>;
type Count = ApiResponse<'/supervision/problems/stats'>['total'];
type ListRow = ApiItem<'/supervision/lists'>;

interface Draft {
  source: Problem['source'];
  sourceRef?: string;
  title?: string;
  description?: string;
  kind?: string;
  divisionCode?: string;
  departmentId?: number;
  listId?: number;
  dueDays?: number;
}

/** 七张问题清单: the board (deadlines, overdue in red), counts by list, department and area, findings to register. */
export default function ProblemsPage() {
  const path = usePath();
  const id = Number(path.split('/')[2]);
  return Number.isInteger(id) && id > 0 ? <ProblemPage id={id} /> : <Board />;
}

export const listName = (l: { nameZh: string; nameEn: string }, language: string) => (language === 'en' ? l.nameEn : l.nameZh);

function Board() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [listId, setListId] = useState<number>();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [findingsOpen, setFindingsOpen] = useState(false);
  const lists = useLoad(() => api('GET', '/supervision/lists'), []);
  const problems = useLoad(() => api('GET', `/supervision/problems${query({ listId, overdue: overdueOnly || undefined, limit: 200 })}`), [listId, overdueOnly]);
  const stats = useLoad(() => api('GET', '/supervision/problems/stats'), []);
  const s = stats.data?.total;
  const counts = (rows: Count[] | undefined, nameTitle: string) => (
    <Table<Count> rowKey="key" size="small" dataSource={rows ?? []} pagination={false} scroll={{ x: 520 }} columns={[
      { title: nameTitle, dataIndex: 'name' },
      { title: t('supervision.stats.total'), dataIndex: 'total' },
      { title: t('supervision.stats.open'), dataIndex: 'open' },
      { title: t('supervision.stats.overdue'), dataIndex: 'overdue', render: (v: number) => (v ? <Tag color="error">{v}</Tag> : v) },
      { title: t('supervision.stats.recurrences'), dataIndex: 'recurrences', render: (v: number) => (v ? <Tag color="warning">{v}</Tag> : v) },
    ]} />
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        {(['total', 'open', 'overdue', 'recurrences'] as const).map((k) => (
          <Col key={k} xs={12} md={6}><Card size="small"><Statistic title={t(`supervision.stats.${k}`)} value={s?.[k] ?? 0}
            styles={k === 'overdue' && s?.overdue ? { content: { color: '#cf1322' } } : undefined} /></Card></Col>
        ))}
      </Row>
      <Card size="small" title={t('supervision.board.title')} extra={
        <Flex gap={8} wrap>
          {can('supervision.problem.open') && <Button icon={<SearchOutlined />} onClick={() => setFindingsOpen(true)}>{t('supervision.findings.title')}</Button>}
          {can('supervision.problem.open') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setDraft({ source: 'manual', dueDays: 10 })}>{t('supervision.board.register')}</Button>}
        </Flex>}>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Select<number> allowClear style={{ minWidth: 240 }} placeholder={t('supervision.board.allLists')} value={listId} onChange={setListId}
            aria-label={t('supervision.problem.list')} options={(lists.data?.items ?? []).map((l) => ({ value: l.id, label: listName(l, i18n.language) }))} />
          <Space>{t('supervision.board.overdueOnly')}<Switch checked={overdueOnly} onChange={setOverdueOnly} aria-label={t('supervision.board.overdueOnly')} /></Space>
        </Flex>
        <Table<Problem> rowKey="id" size="small" loading={problems.loading} dataSource={problems.data?.items ?? []} pagination={{ pageSize: 20 }} scroll={{ x: 1000 }}
          rowClassName={(p) => (p.overdue ? 'supervision-overdue-row' : '')}
          onRow={(p) => ({ onClick: () => navigate(`/problems/${p.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('supervision.problem.number'), dataIndex: 'number', render: (v: string) => <span className="mono" style={{ whiteSpace: 'nowrap' }}>{v}</span> },
            { title: t('supervision.problem.title'), dataIndex: 'title', render: (v: string, p) => <Flex gap={4} wrap>{v}{p.recurrenceOf && <Tag color="warning">{t('supervision.problem.recurrence')}</Tag>}</Flex> },
            { title: t('supervision.problem.list'), render: (_, p) => listName(p.list, i18n.language) },
            { title: t('supervision.problem.department'), render: (_, p) => p.department.name },
            { title: t('supervision.problem.state'), dataIndex: 'state', render: (v: string) => <StateTag state={v} of="problem" /> },
            { title: t('supervision.problem.due'), render: (_, p) => <Due due={p.due} overdue={p.overdue} /> },
          ]} />
      </Card>
      <Card size="small" title={t('supervision.stats.title')}>
        <Tabs items={[
          { key: 'department', label: t('supervision.stats.byDepartment'), children: counts(stats.data?.byDepartment, t('supervision.problem.department')) },
          { key: 'area', label: t('supervision.stats.byArea'), children: counts(stats.data?.byArea, t('supervision.problem.area')) },
          { key: 'list', label: t('supervision.stats.byList'), children: counts(stats.data?.byList.map((c) => {
            const list = lists.data?.items.find((l) => l.code === c.key);
            return { ...c, name: list ? listName(list, i18n.language) : c.name };
          }), t('supervision.problem.list')) },
        ]} />
      </Card>
      {findingsOpen && <Findings onClose={() => setFindingsOpen(false)} onPick={(d) => { setFindingsOpen(false); setDraft(d); }} />}
      {draft && <RegisterForm draft={draft} lists={lists.data?.items ?? []} onClose={() => setDraft(null)}
        onDone={(p) => { setDraft(null); navigate(`/problems/${p.id}`); }} />}
    </Space>
  );
}

/** 问题线索 from the hotline and the ratings; one click fills the register form. */
function Findings({ onClose, onPick }: { onClose: () => void; onPick: (draft: Draft) => void }) {
  const { t } = useTranslation();
  const findings = useLoad(() => api('GET', '/supervision/findings'), []);
  const describe = (f: Finding) => (f.source === 'rating'
    ? t('supervision.findings.rating', { item: f.subject, department: f.topic ?? '' })
    : t(`supervision.findings.${f.source === 'hotline-hotspot' ? 'hotspot' : 'category'}`, { name: f.subject, thisWeek: f.thisWeek, average: f.weeklyAverage }));
  return (
    <Drawer open title={t('supervision.findings.title')} size="large" onClose={onClose}>
      <Table<Finding> rowKey={(f) => `${f.source}-${f.sourceRef}`} size="small" loading={findings.loading} dataSource={findings.data?.items ?? []} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('supervision.problem.source'), dataIndex: 'source', render: (v: string) => <Tag>{t(`supervision.sources.${v}`)}</Tag> },
          { title: t('supervision.findings.what'), render: (_, f) => <div>{describe(f)}{f.topic && f.source === 'hotline-hotspot' && <div style={{ color: '#888' }}>{f.topic}</div>}{f.comment && <div style={{ color: '#888' }}>{f.comment}</div>}</div> },
          { title: '', render: (_, f) => (f.problem
            ? <a onClick={() => navigate(`/problems/${f.problem!.id}`)}>{f.problem.number}</a>
            : <Button size="small" type="primary" onClick={() => onPick({ source: f.source, sourceRef: f.sourceRef, title: describe(f), description: [describe(f), f.topic, f.comment].filter(Boolean).join('\n'),
              kind: f.kind, divisionCode: f.divisionCode ?? undefined, departmentId: f.departmentId ?? undefined, dueDays: 10 })}>{t('supervision.findings.register')}</Button>) },
        ]} />
    </Drawer>
  );
}

function RegisterForm({ draft, lists, onClose, onDone }: { draft: Draft; lists: ListRow[]; onClose: () => void; onDone: (p: Problem) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Draft>();
  const departments = useLoad(departmentsInJurisdiction, []);
  const { saving, whileSaving } = useSaving();
  const save = (values: Draft) => whileSaving(async () => {
    const body = { ...draft, ...values, divisionCode: draft.divisionCode && /^\d{12}$/.test(draft.divisionCode) ? draft.divisionCode : undefined };
    onDone(await api('POST', '/supervision/problems', body));
    void message.success(t('supervision.done'));
  });
  return (
    <Modal open title={t('supervision.board.register')} onCancel={onClose} onOk={() => form.submit()} okText={t('supervision.board.registerOk')} confirmLoading={saving} width={640}>
      <Form form={form} layout="vertical" initialValues={draft} onFinish={(v) => void save(v)}>
        <Form.Item name="title" label={t('supervision.problem.title')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('supervision.problem.description')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={12}><Form.Item name="listId" label={t('supervision.problem.list')} rules={[{ required: true }]}>
            <Select options={lists.map((l) => ({ value: l.id, label: listName(l, i18n.language) }))} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="departmentId" label={t('supervision.problem.department')} rules={[{ required: true }]}>
            <DepartmentSelect departments={departments.data} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="kind" label={t('supervision.problem.kind')} tooltip={t('supervision.problem.kindHelp')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="dueDays" label={t('supervision.problem.dueDays')} rules={[{ required: true }]}><InputNumber min={1} max={250} style={{ width: '100%' }} /></Form.Item></Col>
          {draft.source === 'manual' && <Col xs={24} md={12}><Form.Item name="source" label={t('supervision.problem.source')}>
            <Select options={(['manual', 'inspection', 'audit'] as const).map((v) => ({ value: v, label: t(`supervision.sources.${v}`) }))} /></Form.Item></Col>}
        </Row>
      </Form>
    </Modal>
  );
}
