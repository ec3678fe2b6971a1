import { useState } from 'react';
import { App, Button, Card, Drawer, Flex, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { problemText } from '../problemFields';
import { ConfirmDecision } from '../components/ConfirmDecision';
import { useLoad } from '../useLoad';
import { FieldTable, GradeTag, type Entry } from './shared';

/** 目录审核: hub administrators publish the entries in review or send them back with a reason. */
export default function ReviewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queue = useLoad(() => api('GET', '/hub/resources?status=review&limit=100'), []);
  const [open, setOpen] = useState<Entry | null>(null);
  const [deciding, setDeciding] = useState<boolean | null>(null);

  async function show(code: string) {
    try {
      setOpen(await api('GET', `/hub/resources/${code}`));
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  async function decide(approve: boolean, text: string) {
    await api('POST', `/hub/resources/${open!.code}/review`, { approve, ...(text ? { note: text } : {}) });
    void message.success(t(approve ? 'hub.review.published' : 'hub.review.returned'));
    setOpen(null);
    queue.reload();
  }

  return (
    <Card title={t('hub.review.title')}>
      <Table<Entry> rowKey="code" loading={queue.loading} dataSource={queue.data?.items} scroll={{ x: true }} pagination={false}
        columns={[
          { title: t('hub.entry.code'), dataIndex: 'code' },
          { title: t('hub.entry.name'), dataIndex: 'name' },
          { title: t('hub.entry.provider'), dataIndex: 'providerName' },
          { title: t('hub.entry.grade'), dataIndex: 'topSensitivity', render: (v: Entry['topSensitivity']) => <GradeTag grade={v} /> },
          { title: '', key: 'open', render: (_, e) => <Button onClick={() => void show(e.code)}>{t('hub.review.open')}</Button> },
        ]} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} size={Math.min(760, window.innerWidth)} title={open?.name}>
        {open && (
          <Flex vertical gap={12}>
            <div>{open.summary}</div>
            <FieldTable fields={open.fields ?? []} />
            <Space>
              <Button type="primary" onClick={() => setDeciding(true)}>{t('hub.review.approve')}</Button>
              <Button danger onClick={() => setDeciding(false)}>{t('hub.review.reject')}</Button>
            </Space>
          </Flex>
        )}
      </Drawer>
      {open && deciding !== null && <ConfirmDecision onClose={() => setDeciding(null)} decision={{
        title: `${t(deciding ? 'hub.review.approve' : 'hub.review.reject')} · ${open.name}`, okText: t(deciding ? 'hub.review.approve' : 'hub.review.reject'),
        consequence: t(deciding ? 'hub.review.publishConsequence' : 'hub.review.rejectConsequence'), danger: !deciding, reasonField: 'note',
        reasonOptional: deciding, reasons: deciding ? undefined : t('hub.review.rejectReasons', { returnObjects: true }) as string[],
        run: (text) => decide(deciding, text),
      }} />}
    </Card>
  );
}
