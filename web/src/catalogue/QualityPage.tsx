import { useState } from 'react';
import { App, Button, Card, Flex, Input, Modal, Progress, Radio, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { problemText } from '../problemFields';
import { codeLabel } from '../codes';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import type { Entry } from './shared';

type Objection = ApiItem<'/hub/objections'>;

/** Days left until a deadline (negative when past), counted in whole days for the countdown. */
const daysLeft = (iso: string) => Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);

/** 数据质量: quality scores of the department's resources, objections to answer and objections raised, with countdowns. */
export default function QualityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const scores = useLoad(() => api('GET', `/hub/resources${query({ provider: user?.departmentId ?? undefined, limit: 100 })}`), []);
  const toAnswer = useLoad(() => api('GET', '/hub/objections?side=to-answer'), []);
  const raised = useLoad(() => api('GET', '/hub/objections?side=raised'), []);
  const [answering, setAnswering] = useState<Objection | null>(null);
  const [outcome, setOutcome] = useState<'corrected' | 'rejected'>('corrected');
  const [answer, setAnswer] = useState('');

  async function rescore(code: string) {
    try {
      await api('POST', `/hub/resources/${code}/quality`);
      scores.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  async function send() {
    try {
      await api('POST', `/hub/objections/${answering!.id}/answer`, { outcome, ...(answer ? { answer } : {}) });
      setAnswering(null);
      setAnswer('');
      toAnswer.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const stateTag = (o: Objection) => o.state !== 'open' ? <Tag color={o.state === 'corrected' ? 'green' : 'default'}>{t(`hub.objection.${o.state}`)}</Tag>
    : <Tag color={o.overdue ? 'red' : 'blue'}>{o.overdue ? t('hub.objection.overdue', { days: -daysLeft(o.dueAt) }) : t('hub.objection.daysLeft', { days: daysLeft(o.dueAt) })}</Tag>;
  const objectionColumns = (side: 'to-answer' | 'raised') => [
    { title: t('hub.entry.name'), dataIndex: 'resourceName' },
    { title: side === 'to-answer' ? t('hub.objection.raisedBy') : t('hub.entry.provider'), render: (_: unknown, o: Objection) => (side === 'to-answer' ? o.raisedByName : o.providerName) },
    { title: t('hub.objection.record'), render: (_: unknown, o: Objection) => `${o.rowKey} · ${codeLabel(t, 'fields', o.fieldCode)}` },
    { title: t('hub.objection.description'), dataIndex: 'description' },
    { title: t('hub.objection.state'), render: (_: unknown, o: Objection) => stateTag(o) },
    ...(side === 'to-answer' ? [{ title: '', key: 'answer', render: (_: unknown, o: Objection) => o.state === 'open' && <Button size="small" onClick={() => setAnswering(o)}>{t('hub.objection.answer')}</Button> }] : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Card title={t('hub.quality.title')}>
        <Table<Entry> rowKey="code" size="small" loading={scores.loading} dataSource={scores.data?.items.filter((e) => e.kind === 'table')} pagination={false} scroll={{ x: true }}
          columns={[
            { title: t('hub.entry.name'), dataIndex: 'name' },
            { title: t('hub.entry.rowsShort'), dataIndex: 'rowCount' },
            { title: t('hub.entry.quality'), dataIndex: 'qualityScore', render: (v: number | null) => (v === null ? '—' : <Progress percent={Math.round(v * 1000) / 10} size="small" status={v < 0.95 ? 'exception' : 'normal'} />) },
            { title: '', key: 'score', render: (_, e) => <Button size="small" onClick={() => void rescore(e.code)}>{t('hub.quality.rescore')}</Button> },
          ]} />
      </Card>
      <Card title={t('hub.objection.toAnswer')}>
        <Table<Objection> rowKey="id" size="small" loading={toAnswer.loading} dataSource={toAnswer.data?.items} pagination={false} scroll={{ x: true }} columns={objectionColumns('to-answer')} />
      </Card>
      <Card title={t('hub.objection.raised')}>
        <Table<Objection> rowKey="id" size="small" loading={raised.loading} dataSource={raised.data?.items} pagination={false} scroll={{ x: true }} columns={objectionColumns('raised')} />
      </Card>
      <Modal open={answering !== null} title={t('hub.objection.answer')} onCancel={() => setAnswering(null)} onOk={() => void send()} okText={t('hub.objection.send')}>
        <Flex vertical gap={12}>
          <div>{answering?.description}</div>
          <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value)}
            options={[{ value: 'corrected', label: t('hub.objection.corrected') }, { value: 'rejected', label: t('hub.objection.rejected') }]} />
          <Input.TextArea rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} aria-label={t('hub.objection.answerText')} placeholder={t('hub.objection.answerText')} />
        </Flex>
      </Modal>
    </Flex>
  );
}
