import { useState } from 'react';
import { App, Button, Card, Empty, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { chinaTime, ruleName, SeverityTag, StateTag } from './common';

/** 我的预警: alerts about oneself that an inspector released, and one's answer to each. */
export default function MyAlertsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const mine = useLoad(() => api('GET', '/oversight/mine'), []);
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const answer = async (id: number) => {
    try {
      await api('POST', `/oversight/mine/${id}/answer`, { answer: drafts[id] ?? '' });
      mine.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('oversight.mine.title')}</Typography.Title>
      <Typography.Text type="secondary">{t('oversight.mine.note')}</Typography.Text>
      {mine.data?.items.length === 0 && <Empty description={t('oversight.mine.none')} />}
      {mine.data?.items.map((a) => (
        <Card key={a.id} size="small" title={<Space><SeverityTag severity={a.severity} />{ruleName(a.rule, i18n.language)}<StateTag state={a.state} /></Space>}
          extra={chinaTime(a.raisedAt)}>
          <Typography.Paragraph>{a.rationale}</Typography.Paragraph>
          {a.answer ? <Typography.Paragraph>{t('oversight.answer')}：{a.answer}</Typography.Paragraph> : (
            <Space.Compact style={{ width: '100%' }}>
              <Input value={drafts[a.id] ?? ''} onChange={(e) => setDrafts({ ...drafts, [a.id]: e.target.value })} placeholder={t('oversight.mine.placeholder')} />
              <Button type="primary" onClick={() => void answer(a.id)}>{t('oversight.mine.answer')}</Button>
            </Space.Compact>
          )}
        </Card>
      ))}
    </Space>
  );
}
