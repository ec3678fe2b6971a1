import { useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, Flex, Input, List, Row, Space, Statistic, Steps, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, FormOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { navigate, usePath } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { lifeEvents, percent } from './common';
import type { Item } from './types';

/** 一网通办 portal (no login): the catalogue by life event and search, and the guide (办事指南) of one item. */
export default function PortalPage() {
  const path = usePath();
  const match = /^\/services\/items\/(\d+)$/.exec(path);
  return match ? <GuidePage id={Number(match[1])} /> : <CataloguePage />;
}

function CataloguePage() {
  const { t } = useTranslation();
  const [event, setEvent] = useState<string>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const items = useLoad(() => api('GET', `/services/items${query({ lifeEvent: event, q, limit: 10, offset: (page - 1) * 10 })}`), [event, q, page]);
  const counts = useLoad(() => api('GET', '/services/life-events'), []);
  const figures = useLoad(() => api('GET', '/services/figures/public'), []);
  const countOf = (key: string) => counts.data?.items.find((c) => c.key === key)?.count;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>{t('services.portal.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('services.portal.subtitle')}</Typography.Text>
      </div>
      <Input.Search allowClear enterButton placeholder={t('services.portal.search')} aria-label={t('services.portal.search')}
        onSearch={(value) => { setQ(value.trim()); setPage(1); }} />
      <Flex wrap gap={8} className="services-events">
        <Tag.CheckableTag checked={!event} onChange={() => { setEvent(undefined); setPage(1); }}>{t('services.portal.allEvents')}</Tag.CheckableTag>
        {lifeEvents.map((key) => (
          <Tag.CheckableTag key={key} checked={event === key} onChange={() => { setEvent(key); setPage(1); }}>
            {t(`services.events.${key}`)}{countOf(key) !== undefined ? ` ${countOf(key)}` : ''}
          </Tag.CheckableTag>
        ))}
      </Flex>
      <Card size="small" title={t('services.portal.total', { count: items.data?.total ?? 0 })}>
        <List
          loading={items.loading}
          dataSource={items.data?.items ?? []}
          locale={{ emptyText: <Empty /> }}
          pagination={{ current: page, pageSize: 10, total: items.data?.total ?? 0, onChange: setPage, showSizeChanger: false, size: 'small' }}
          renderItem={(item) => (
            <List.Item>
              <List.Item.Meta
                title={<a href={`/services/items/${item.id}`} onClick={(e) => { e.preventDefault(); navigate(`/services/items/${item.id}`); }}>{item.name}</a>}
                description={
                  <Flex wrap gap={4}>
                    <Tag>{t(`services.kinds.${item.kind}`)}</Tag>
                    <Tag>{item.department.name}</Tag>
                    {item.applyOnline && <Tag color="blue">{t('services.portal.online')}</Tag>}
                    {item.fullyOnline && <Tag color="green">{t('services.portal.fullyOnline')}</Tag>}
                    <Tag>{t('services.item.committed')} {t('services.item.days', { count: item.committedDays })}</Tag>
                  </Flex>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      {figures.data && (
        <Card size="small" title={t('services.portal.figures')}>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}><Statistic title={t('services.portal.itemsOnline')} value={figures.data.items.online} /></Col>
            <Col xs={12} md={6}><Statistic title={t('services.portal.fullyOnlineRate')} value={percent(figures.data.items.fullyOnlineRate)} /></Col>
            <Col xs={12} md={6}><Statistic title={t('services.portal.finished')} value={figures.data.time.finished} /></Col>
            <Col xs={12} md={6}><Statistic title={t('services.portal.satisfaction')} value={percent(figures.data.ratings.satisfaction)} /></Col>
          </Row>
        </Card>
      )}
    </Space>
  );
}

function GuidePage({ id }: { id: number }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const { data: item } = useLoad(() => api<Item>('GET', `/services/items/${id}`), [id]);
  if (!item) return null;
  const apply = () => navigate(`/my-services/apply/${item.id}`);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/services')} style={{ paddingInline: 0 }}>{t('services.portal.back')}</Button>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>{item.name}</Typography.Title>
        {item.applyOnline && (
          <Button type="primary" icon={<FormOutlined />} onClick={apply}>
            {user?.kind === 'citizen' ? t('services.portal.apply') : t('services.portal.applyLogin')}
          </Button>
        )}
      </Flex>
      <Card size="small" title={t('services.portal.guide')}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label={t('services.item.code')}><span className="mono">{item.code}</span></Descriptions.Item>
          <Descriptions.Item label={t('services.item.kind')}>{t(`services.kinds.${item.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.department')}>{item.department.name}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.body')}>{item.implementingBody}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.statutory')}>{t('services.item.days', { count: item.statutoryDays })}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.committed')}>{t('services.item.days', { count: item.committedDays })}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.fee')}>{item.fee}</Descriptions.Item>
          <Descriptions.Item label={t('services.item.visits')}>{item.visits}</Descriptions.Item>
          {item.legalBasis ? <Descriptions.Item label={t('services.item.legalBasis')} span={2}>{item.legalBasis}</Descriptions.Item> : null}
          {item.issuesCredentialType ? <Descriptions.Item label={t('services.item.credential')} span={2}>{t(`credentials.types.${item.issuesCredentialType}`)}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Card size="small" title={t('services.item.conditions')}>
        <List size="small" dataSource={item.conditions} renderItem={(c, i) => <List.Item>{i + 1}. {c.text}</List.Item>} />
      </Card>
      <Card size="small" title={t('services.item.materials')}>
        <List size="small" dataSource={item.materials} locale={{ emptyText: '—' }} renderItem={(m) => (
          <List.Item>
            <Flex wrap gap={6} align="center">
              <span>{m.name}</span>
              <Tag>{m.required ? t('services.item.required') : t('services.item.optional')}</Tag>
              {m.replacedBy && <Tag color="green">{t('services.item.replaced', { ref: m.replacedBy.ref })}</Tag>}
            </Flex>
          </List.Item>
        )} />
      </Card>
      <Card size="small" title={t('services.item.steps')}>
        <Steps size="small" current={-1} items={item.steps.map((s) => ({ title: s.label, description: s.countersign ? t('services.item.countersign') : undefined }))} />
      </Card>
      {item.guide && (
        <Card size="small" title={t('services.item.guideText')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{item.guide}</Typography.Paragraph>
        </Card>
      )}
    </Space>
  );
}
