import { useState } from 'react';
import { App, Button, Card, Col, Empty, Flex, List, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { useLoad } from '../useLoad';
import { fieldLabel, libraryNames, Waterfall, type LibraryName } from './common';
import { problemText } from '../problemFields';

type Pair = ApiItem<'/registry/review'>;

/** 人工复核: pairs the model is unsure of, the two records side by side, the weight of each field as a waterfall. */
export default function ReviewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [library, setLibrary] = useState<LibraryName>('people');
  const queue = useLoad(() => api('GET', `/registry/review${query({ library, limit: 10 })}`), [library]);

  async function decide(pair: Pair, decision: 'match' | 'non-match') {
    try {
      await api('POST', `/registry/pairs/${pair.id}/decision`, { decision });
      void message.success(t(decision === 'match' ? 'registry.decidedMatch' : 'registry.decidedNonMatch'));
      queue.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  return (
    <Card title={t('registry.reviewTitle')} extra={<Typography.Text type="secondary">{t('registry.waiting', { n: queue.data?.total ?? 0 })}</Typography.Text>}>
      <Segmented value={library} onChange={(v) => setLibrary(v as LibraryName)} style={{ marginBottom: 16 }}
        options={libraryNames.map((l) => ({ value: l, label: t(`registry.libraries.${l}`) }))} />
      <List loading={queue.loading} dataSource={queue.data?.items ?? []} locale={{ emptyText: <Empty description={t('registry.reviewEmpty')} /> }}
        renderItem={(pair) => {
          const fields = [...new Set([...Object.keys(pair.left.raw), ...Object.keys(pair.right.raw)])];
          return (
            <List.Item key={pair.id} data-testid="review-pair">
              <Flex vertical gap={8} style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color="gold">{t('registry.probability', { p: (pair.probability * 100).toFixed(1) })}</Tag>
                  <Tag>{t('registry.weight', { w: pair.weight.toFixed(2) })}</Tag>
                </Space>
                <Row gutter={16}>
                  <Col xs={24} lg={12}>
                    <Table size="small" pagination={false} rowKey="field" dataSource={fields.map((field) => ({ field }))} columns={[
                      { title: t('registry.field'), key: 'f', width: 110, render: (_: unknown, r: { field: string }) => fieldLabel(t, library, r.field) },
                      { title: `${pair.left.providerName} · ${pair.left.sourceName}`, key: 'l', render: (_: unknown, r: { field: string }) => pair.left.raw[r.field] ?? '—' },
                      { title: `${pair.right.providerName} · ${pair.right.sourceName}`, key: 'r', render: (_: unknown, r: { field: string }) => {
                        const value = pair.right.raw[r.field] ?? '—';
                        return value !== (pair.left.raw[r.field] ?? '—') ? <Typography.Text mark>{value}</Typography.Text> : value;
                      } },
                    ]} />
                  </Col>
                  <Col xs={24} lg={12}><Waterfall library={library} explanation={pair.explanation} testId="waterfall" /></Col>
                </Row>
                <Space>
                  <Button type="primary" onClick={() => void decide(pair, 'match')}>{t('registry.sameEntity')}</Button>
                  <Button danger onClick={() => void decide(pair, 'non-match')}>{t('registry.differentEntity')}</Button>
                </Space>
              </Flex>
            </List.Item>
          );
        }} />
    </Card>
  );
}
