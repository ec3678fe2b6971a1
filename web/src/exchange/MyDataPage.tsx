import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { useLoad } from '../useLoad';
import { chinaTime } from './format';

/** 我的数据使用记录: every call to the data hub that carried my ID, newest first. */
export default function MyDataPage() {
  const { t, i18n } = useTranslation();
  const [before, setBefore] = useState<string[]>([]);
  const usage = useLoad(() => api('GET', `/hub/my/usage${query({ before: before.at(-1), limit: 20 })}`), [before]);
  const entries = usage.data?.entries ?? [];

  return (
    <Card title={t('hubx.myDataTitle')}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('hubx.myDataExplain', { total: usage.data?.total ?? 0 })} />
      <List loading={usage.loading} dataSource={entries} locale={{ emptyText: <Empty description={t('hubx.myDataEmpty')} /> }}
        renderItem={(e) => (
          <List.Item key={e.messageId} data-testid="usage-entry">
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Flex justify="space-between" wrap gap={8}>
                <Typography.Text strong>{e.consumerDepartmentName}</Typography.Text>
                <Typography.Text type="secondary">{chinaTime(e.at, i18n.language)}</Typography.Text>
              </Flex>
              <Typography.Text>{t('hubx.usedVia', { system: e.consumerSystemName, provider: e.providerDepartmentName ?? '—', resource: e.predicateName ?? e.resourceName ?? '—' })}</Typography.Text>
              {e.predicateName ? <Typography.Text type="secondary">{t('hubx.onlyYesNo')}</Typography.Text>
                : <Flex wrap gap={4}>{e.fieldNames.map((f) => <Tag key={f}>{f}</Tag>)}</Flex>}
              <Typography.Text>{t('hubx.purpose')}：{e.purpose}</Typography.Text>
              {e.legalBasis && <Typography.Text type="secondary">{t('hubx.legalBasis')}：{e.legalBasis}</Typography.Text>}
              <Space wrap>
                {!e.answered && <Tag color="warning">{t('hubx.notAnswered')}</Tag>}
                {e.hiddenReason && <Tag color="purple">{t('hubx.wasHidden', { reason: e.hiddenReason })}</Tag>}
              </Space>
            </Flex>
          </List.Item>
        )} />
      <Space style={{ marginTop: 12 }}>
        {before.length > 0 && <Button onClick={() => setBefore(before.slice(0, -1))}>{t('hubx.newer')}</Button>}
        {entries.length === 20 && <Button onClick={() => setBefore([...before, entries.at(-1)!.at])}>{t('hubx.older')}</Button>}
      </Space>
    </Card>
  );
}
