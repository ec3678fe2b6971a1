import { useState } from 'react';
import { Card, Checkbox, Col, Descriptions, Drawer, Empty, Flex, Grid, Input, List, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { useLoad } from '../useLoad';
import { FieldTable, GradeTag, StatusTag, type Entry, type Facet } from './shared';

type FacetKey = 'provider' | 'shareType' | 'sensitivity' | 'status';
const facetKeys: FacetKey[] = ['provider', 'shareType', 'sensitivity', 'status'];

/** 数据目录: search the catalogue in Chinese, narrow by facets, open an entry to see its fields, grades and versions. */
export default function CataloguePage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Partial<Record<FacetKey, string>>>({});
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const screens = Grid.useBreakpoint();
  const results = useLoad(() => api('GET', `/hub/resources${query({ q, ...filters, limit: 20, offset: (page - 1) * 20 })}`), [q, filters, page]);

  const labelOf = (key: FacetKey, f: Facet) => (key === 'provider' ? f.label ?? f.value : t(`hub.${key === 'shareType' ? 'share' : key}.${f.value}`));
  const toggle = (key: FacetKey, value: string) => { setPage(1); setFilters((old) => ({ ...old, [key]: old[key] === value ? undefined : value })); };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Input.Search allowClear enterButton={t('hub.catalogue.search')} placeholder={t('hub.catalogue.placeholder')} aria-label={t('hub.catalogue.search')}
          onSearch={(value) => { setPage(1); setQ(value.trim()); }} />
      </Col>
      <Col xs={24} md={6}>
        <Flex vertical gap={12}>
          {facetKeys.map((key) => (
            <Card key={key} size="small" title={t(`hub.facet.${key}`)}>
              {(results.data?.facets[key] ?? []).map((f) => (
                <div key={f.value}>
                  <Checkbox checked={filters[key] === f.value} onChange={() => toggle(key, f.value)}>{labelOf(key, f)} ({f.count})</Checkbox>
                </div>
              ))}
            </Card>
          ))}
        </Flex>
      </Col>
      <Col xs={24} md={18}>
        <Card title={t('hub.catalogue.results', { total: results.data?.total ?? 0 })}>
          {screens.md ? (
            <Table<Entry> rowKey="code" loading={results.loading} dataSource={results.data?.items} scroll={{ x: true }}
              onRow={(e) => ({ onClick: () => setOpen(e.code), style: { cursor: 'pointer' } })}
              pagination={{ current: page, pageSize: 20, total: results.data?.total, onChange: setPage, showSizeChanger: false }}
              locale={{ emptyText: <Empty description={t('hub.catalogue.none')} /> }}
              columns={[
                { title: t('hub.entry.name'), dataIndex: 'name', render: (v: string, e) => <Space direction="vertical" size={0}><Typography.Link>{v}</Typography.Link><Typography.Text type="secondary">{e.code}</Typography.Text></Space> },
                { title: t('hub.entry.provider'), dataIndex: 'providerName' },
                { title: t('hub.entry.shareType'), dataIndex: 'shareType', render: (v: string) => t(`hub.share.${v}`) },
                { title: t('hub.entry.grade'), dataIndex: 'topSensitivity', render: (v: Entry['topSensitivity']) => <GradeTag grade={v} /> },
                { title: t('hub.entry.status'), dataIndex: 'status', render: (v: Entry['status']) => <StatusTag status={v} /> },
              ]} />
          ) : (
            // On a phone each entry is a card-like row: a table's five columns would squeeze names to a character per line.
            <List<Entry> loading={results.loading} dataSource={results.data?.items} locale={{ emptyText: t('hub.catalogue.none') }}
              pagination={{ current: page, pageSize: 20, total: results.data?.total, onChange: setPage, size: 'small' }}
              renderItem={(e) => (
                <List.Item onClick={() => setOpen(e.code)} style={{ cursor: 'pointer' }}>
                  <List.Item.Meta title={<Typography.Link>{e.name}</Typography.Link>}
                    description={<Space wrap size={4}>{e.providerName}<span>{t(`hub.share.${e.shareType}`)}</span><GradeTag grade={e.topSensitivity} /><StatusTag status={e.status} /></Space>} />
                </List.Item>
              )} />
          )}
        </Card>
      </Col>
      <Drawer open={open !== null} onClose={() => setOpen(null)} size={Math.min(760, window.innerWidth)} title={t('hub.entry.detail')} destroyOnHidden>
        {open && <EntryDetail code={open} />}
      </Drawer>
    </Row>
  );
}

function EntryDetail({ code }: { code: string }) {
  const { t } = useTranslation();
  const entry = useLoad(() => api('GET', `/hub/resources/${code}`), [code]);
  const versions = useLoad(() => api('GET', `/hub/resources/${code}/versions`), [code]);
  const e = entry.data;
  if (!e) return null;
  return (
    <Flex vertical gap={16}>
      <Descriptions column={1} size="small" bordered items={[
        { label: t('hub.entry.code'), children: e.code },
        { label: t('hub.entry.name'), children: <strong>{e.name}</strong> },
        { label: t('hub.entry.provider'), children: e.providerName },
        { label: t('hub.entry.summary'), children: e.summary },
        { label: t('hub.entry.kind'), children: `${t(`hub.kind.${e.kind}`)} · ${e.format}` },
        { label: t('hub.entry.updateCycle'), children: t(`hub.cycle.${e.updateCycle}`) },
        { label: t('hub.entry.shareType'), children: t(`hub.share.${e.shareType}`) },
        { label: t('hub.entry.openType'), children: t(`hub.openType.${e.openType}`) },
        { label: t('hub.entry.status'), children: <Space><StatusTag status={e.status} />{t('hub.entry.version', { version: e.version })}</Space> },
        { label: t('hub.entry.quality'), children: e.qualityScore === null ? '—' : `${(e.qualityScore * 100).toFixed(1)}% · ${t('hub.entry.rows', { rows: e.rowCount })}` },
      ]} />
      <Typography.Title level={5}>{t('hub.entry.fields')}</Typography.Title>
      <FieldTable fields={e.fields ?? []} />
      <Typography.Title level={5}>{t('hub.entry.versions')}</Typography.Title>
      <List size="small" dataSource={versions.data?.items ?? []} locale={{ emptyText: t('hub.entry.noVersions') }}
        renderItem={(v) => <List.Item>{t('hub.entry.version', { version: v.version })} · {new Date(v.publishedAt).toLocaleString()}</List.Item>} />
    </Flex>
  );
}
