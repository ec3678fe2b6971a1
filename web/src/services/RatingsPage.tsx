import { useState } from 'react';
import { App, Button, Card, Col, Flex, Input, Modal, Progress, Row, Segmented, Space, Statistic, Switch, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { chinaTime } from '../format';
import { percent } from './common';

type Task = ApiItem<'/services/rectifications'>;
type RatingFigure = ApiItem<'/services/ratings/figures'>;
const stageOrder = ['verify', 'rectify', 'reply', 'review'];

/** 好差评 dashboard: time compression, channels, ratings per department/item/channel, and the rectification tasks of bad ratings. */
export default function RatingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const [by, setBy] = useState<'department' | 'item' | 'channel'>('department');
  const [openOnly, setOpenOnly] = useState(true);
  const [acting, setActing] = useState<{ task: Task; stage: string } | null>(null);
  const [note, setNote] = useState('');
  const figures = useLoad(() => api('GET', '/services/figures'), []);
  const ratings = useLoad(() => api('GET', `/services/ratings/figures?by=${by}`), [by]);
  const tasks = useLoad(() => api<ApiResponse<'/services/rectifications'>>('GET', `/services/rectifications${query({ limit: 50 })}${openOnly ? '&state=verify&state=rectify&state=reply&state=review' : ''}`), [openOnly]);
  const admin = !!user && (user.roles.includes('platform_admin') || user.roles.includes('dept_admin'));

  const send = async (accepted?: boolean) => {
    if (!acting) return;
    const path = acting.stage === 'callback' ? 'callback' : acting.stage;
    try {
      await api('POST', `/services/rectifications/${acting.task.id}/${path}`, { note, ...(accepted === false ? { accepted: false } : {}) });
      void message.success(t('services.actions.done'));
      setActing(null);
      setNote('');
      tasks.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  const f = figures.data;
  const days = (v: number | null | undefined) => (v ?? 0).toFixed(1);
  const maxDays = f ? Math.max(f.time.averageStatutoryDays ?? 0, 1) : 1;
  const maxChannel = f ? Math.max(1, ...f.applicationsByChannel.map((c) => c.count)) : 1;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {f && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('services.portal.itemsOnline')} value={f.items.online} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('services.portal.fullyOnlineRate')} value={percent(f.items.fullyOnlineRate)} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('services.ratings.satisfaction')} value={percent(f.ratings.satisfaction)} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('services.ratings.rectificationRate')} value={percent(f.ratings.rectificationRate)} /></Card></Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('services.ratings.compression')}>
              {([['averageActual', f.time.averageActualDays], ['averageCommitted', f.time.averageCommittedDays], ['averageStatutory', f.time.averageStatutoryDays]] as const).map(([key, value]) => (
                <div key={key}>{t(`services.ratings.${key}`)}: {days(value)} {t('services.ratings.days')}
                  <Progress percent={Math.round(((value ?? 0) / maxDays) * 100)} showInfo={false} /></div>
              ))}
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('services.ratings.perChannel')}>
              {f.applicationsByChannel.map((c) => (
                <div key={c.key}>{t(`services.channels.${c.key}`)}: {c.count}<Progress percent={Math.round((c.count / maxChannel) * 100)} showInfo={false} /></div>
              ))}
            </Card>
          </Col>
        </Row>
      )}
      <Card size="small" title={t('services.ratings.dashboard')} extra={
        <Segmented value={by} onChange={(v) => setBy(v as typeof by)} options={[
          { value: 'department', label: t('services.ratings.byDepartment') }, { value: 'item', label: t('services.ratings.byItem') },
          { value: 'channel', label: t('services.ratings.byChannel') }]} />}>
        <Table<RatingFigure> rowKey="key" size="small" loading={ratings.loading} dataSource={ratings.data?.items ?? []} pagination={{ pageSize: 10 }} scroll={{ x: 640 }}
          columns={[
            { title: '', dataIndex: 'name', render: (v: string) => (by === 'channel' ? t(`services.channels.${v}`) : v) },
            { title: t('services.ratings.total'), dataIndex: 'total' },
            { title: t('services.ratings.satisfaction'), dataIndex: 'satisfaction', render: percent },
            { title: t('services.ratings.bad'), dataIndex: 'bad' },
            { title: t('services.ratings.rectified'), dataIndex: 'rectified' },
            { title: t('services.ratings.calledBack'), dataIndex: 'calledBack' },
          ]} />
      </Card>
      <Card size="small" title={t('services.ratings.tasks')} extra={<Space>{t('services.ratings.stages.closed')}<Switch checked={!openOnly} onChange={(v) => setOpenOnly(!v)} aria-label={t('services.ratings.stages.closed')} /></Space>}>
        <Table<Task> rowKey="id" size="small" loading={tasks.loading} dataSource={tasks.data?.items ?? []} scroll={{ x: 900 }} pagination={{ pageSize: 10 }}
          columns={[
            { title: t('services.app.receipt'), dataIndex: 'receiptNumber', render: (v: string) => <span className="mono">{v}</span> },
            { title: t('services.app.item'), dataIndex: 'itemName' },
            { title: t('services.app.department'), dataIndex: 'departmentName' },
            { title: t('services.rating.title'), render: (_, task) => <Flex gap={4} wrap><Tag color="red">{t(`services.rating.levels.${task.level}`)}</Tag>{task.comment}</Flex> },
            { title: t('services.ratings.stage'), dataIndex: 'state', render: (v: string) => <Tag color={v === 'closed' ? 'green' : 'orange'}>{t(`services.ratings.stages.${v}`)}</Tag> },
            { title: t('services.ratings.due'), render: (_, task) => <span>{chinaTime(task.due, i18n.language)}{task.overdue && <Tag color="error" style={{ marginInlineStart: 4 }}>{t('services.app.overdue')}</Tag>}</span> },
            { title: '', render: (_, task) => (
              <Flex gap={4} wrap>
                {stageOrder.includes(task.state) && (task.state !== 'review' || admin) && (
                  <Button size="small" type="primary" onClick={() => setActing({ task, stage: task.state })}>{t(`services.ratings.stages.${task.state}`)}</Button>)}
                {!task.calledBackAt && <Button size="small" onClick={() => setActing({ task, stage: 'callback' })}>{t('services.ratings.callback')}</Button>}
              </Flex>) },
          ]} />
      </Card>
      {acting && (
        <Modal open title={`${t(acting.stage === 'callback' ? 'services.ratings.callback' : `services.ratings.stages.${acting.stage}`)} · ${acting.task.receiptNumber}`}
          onCancel={() => setActing(null)} footer={[
            acting.stage === 'review' && <Button key="back" onClick={() => void send(false)} disabled={!note.trim()}>{t('services.ratings.sendBack')}</Button>,
            <Button key="ok" type="primary" onClick={() => void send()} disabled={!note.trim()}>{t('services.actions.done')}</Button>,
          ]}>
          <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('services.actions.note')} aria-label={t('services.actions.note')} />
        </Modal>
      )}
    </Space>
  );
}
