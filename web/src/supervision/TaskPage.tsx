import { useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Flex, Input, InputNumber, Progress, Result, Select, Space, Tag, Timeline } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { problemText } from '../problemFields';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { Attachments, chinaDate, chinaTime, Due, EvidencePicker, StateTag, type FileInput } from './shared';

/** A task: its milestones, the department's reports with evidence, reminders and escalations, and the office's decision. */
export default function TaskPage({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const view = useLoad(() => api('GET', `/supervision/tasks/${id}`), [id]);
  const [text, setText] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [milestoneId, setMilestoneId] = useState<number>();
  const [completes, setCompletes] = useState(false);
  const [files, setFiles] = useState<FileInput[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (path: string, body: unknown) => {
    setBusy(true);
    try {
      await api('POST', `/supervision/tasks/${id}/${path}`, body);
      void message.success(t('supervision.done'));
      setText(''); setFiles([]); setNote(''); setCompletes(false); setMilestoneId(undefined);
      view.reload();
    } catch (error) {
      void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  };
  const back = <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/supervision-tasks')}>{t('supervision.tasks.back')}</Button>;
  if (view.error && !view.data) return <Result status="warning" title={view.error} extra={back} />;
  const v = view.data;
  if (!v) return <Card loading />;
  const task = v.task;
  const open = task.milestones.filter((m) => !m.doneAt);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center">{back}<h2 style={{ margin: 0 }}>{task.title}</h2><StateTag state={task.state} of="task" />
        {task.escalatedAt && <Tag color="error">{t('supervision.tasks.escalated')}</Tag>}</Flex>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
          { key: 'number', label: t('supervision.problem.number'), children: <span className="mono">{task.number}</span> },
          { key: 'department', label: t('supervision.problem.department'), children: task.department.name },
          { key: 'assigned', label: t('supervision.tasks.assignedBy'), children: `${task.assignedByName} · ${chinaDate(task.assignedAt, i18n.language)}` },
          { key: 'due', label: t('supervision.tasks.due'), children: <span>{t('supervision.problem.workingDays', { count: task.dueDays })} · <Due due={task.due} overdue={task.overdue} /></span> },
          { key: 'progress', label: t('supervision.tasks.progress'), children: <Progress percent={task.progress} size="small" style={{ maxWidth: 200 }} /> },
          { key: 'detail', label: t('supervision.tasks.detail'), children: task.detail, span: 3 },
        ]} />
      </Card>
      {task.milestones.length > 0 && (
        <Card size="small" title={t('supervision.tasks.milestones')}>
          {task.milestones.map((m) => (
            <Flex key={m.id} gap={8} wrap style={{ marginBottom: 6 }}>
              <Tag color={m.doneAt ? 'success' : m.overdue ? 'error' : 'default'}>{m.doneAt ? t('supervision.tasks.milestoneDone') : m.overdue ? t('supervision.overdue') : t('supervision.tasks.milestoneOpen')}</Tag>
              {m.title} · {chinaDate(m.due, i18n.language)}
            </Flex>
          ))}
        </Card>
      )}
      {v.can.report && task.state === 'assigned' && (
        <Card size="small" title={t('supervision.tasks.report')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('supervision.tasks.reportText')} aria-label={t('supervision.tasks.reportText')} maxLength={4000} />
            <Flex gap={12} wrap align="center">
              <span>{t('supervision.tasks.progress')}</span>
              <InputNumber min={0} max={100} value={completes ? 100 : progress ?? task.progress} onChange={setProgress} disabled={completes} aria-label={t('supervision.tasks.progress')} suffix="%" />
              {open.length > 0 && <Select<number> allowClear style={{ minWidth: 200 }} placeholder={t('supervision.tasks.completesMilestone')} aria-label={t('supervision.tasks.completesMilestone')}
                value={milestoneId} onChange={setMilestoneId} options={open.map((m) => ({ value: m.id, label: m.title }))} />}
              <Checkbox checked={completes} onChange={(e) => setCompletes(e.target.checked)}>{t('supervision.tasks.completes')}</Checkbox>
            </Flex>
            <EvidencePicker files={files} onChange={setFiles} />
            <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void send('reports', {
              text, progress: completes ? 100 : progress ?? task.progress, completes, attachments: files, ...(milestoneId ? { milestoneId } : {}) })}>{t('supervision.tasks.send')}</Button>
          </Space>
        </Card>
      )}
      {v.can.close && task.state === 'reported' && (
        <Card size="small" title={t('supervision.tasks.decide')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('supervision.acceptance.note')} aria-label={t('supervision.acceptance.note')} />
            <Flex gap={8}>
              <Button type="primary" loading={busy} disabled={!note.trim()} onClick={() => void send('close', { accepted: true, note })}>{t('supervision.tasks.close')}</Button>
              <Button danger loading={busy} disabled={!note.trim()} onClick={() => void send('close', { accepted: false, note })}>{t('supervision.tasks.return')}</Button>
            </Flex>
          </Space>
        </Card>
      )}
      <Card size="small" title={t('supervision.tasks.record')}>
        <Timeline items={v.reports.map((r) => ({
          key: r.id, color: r.kind === 'escalation' ? 'red' : r.kind === 'reminder' ? 'orange' : r.kind === 'closed' ? 'green' : 'blue',
          content: (
            <div>
              <strong>{t(`supervision.reports.${r.kind}`)}</strong> · {r.actorName === 'supervision.tasks' ? t('supervision.tasks.system') : r.actorName} · {chinaTime(r.at, i18n.language)}
              {r.progress !== null && r.kind !== 'assigned' && <Tag style={{ marginInlineStart: 6 }}>{r.progress}%</Tag>}
              {!['reminder', 'escalation', 'assigned'].includes(r.kind) && <div>{r.text}</div>}
              {r.kind === 'reminder' && <div>{t('supervision.reports.reminderText')}</div>}
              {r.kind === 'escalation' && <div>{t('supervision.reports.escalationText')}</div>}
              <Attachments files={r.attachments} />
            </div>) }))} />
      </Card>
    </Space>
  );
}
