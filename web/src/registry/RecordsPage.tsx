import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Input, List, Segmented, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiResponse } from '../api';
import { chinaTime } from '../exchange/format';
import { navigate, usePath } from '../router';
import { useLoad } from '../useLoad';
import { Certificates } from './Certificates';
import { fieldLabel, libraryNames, Waterfall, type LibraryName } from './common';
import { problemText } from '../problemFields';

type Entity = ApiResponse<'/registry/entities/{id}'>;

/** 标准记录: golden records by name or identifier; one opens with its provenance, conflicts, records, pairs and history. */
export default function RecordsPage() {
  const path = usePath();
  const id = Number(path.split('/')[2]);
  return id ? <GoldenRecord id={id} /> : <Search />;
}

function Search() {
  const { t, i18n } = useTranslation();
  const [library, setLibrary] = useState<LibraryName>('people');
  const [q, setQ] = useState('');
  const list = useLoad(() => api('GET', `/registry/entities${query({ library, q })}`), [library, q]);
  return (
    <Card title={t('registry.recordsTitle')}>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented value={library} onChange={(v) => setLibrary(v as LibraryName)} options={libraryNames.map((l) => ({ value: l, label: t(`registry.libraries.${l}`) }))} />
        <Input.Search allowClear placeholder={t('registry.searchPlaceholder')} onSearch={setQ} style={{ maxWidth: 360 }} />
      </Flex>
      <List loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: <Empty description={t('registry.noRecords')} /> }}
        renderItem={(e) => (
          <List.Item key={e.id} data-testid="entity" actions={[<Button key="open" onClick={() => navigate(`/registry-records/${e.id}`)}>{t('registry.open')}</Button>]}>
            <List.Item.Meta title={e.name ?? '—'} description={
              <Space wrap>
                <span>{e.subject ? t('registry.identified') : t('registry.unidentified')}</span>
                <Tag>{t('registry.recordCount', { n: e.records })}</Tag>
                {e.conflicts > 0 && <Tag color="orange">{t('registry.conflictCount', { n: e.conflicts })}</Tag>}
                <Typography.Text type="secondary">{chinaTime(e.updatedAt, i18n.language)}</Typography.Text>
              </Space>} />
          </List.Item>
        )} />
    </Card>
  );
}

const purposes = ['registry.purposes.quality', 'registry.purposes.review', 'registry.purposes.correction'] as const;

function GoldenRecord({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [purpose, setPurpose] = useState<string>();
  const [entity, setEntity] = useState<Entity>();
  const [pairId, setPairId] = useState<number>();

  async function open(chosen: string) {
    try {
      const read = await api('GET', `/registry/entities/${id}${query({ purpose: t(chosen) })}`);
      setPurpose(chosen);
      setEntity(read);
      setPairId(read.pairs[0]?.id);
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  async function undo(historyId: number) {
    try {
      await api('POST', `/registry/history/${historyId}/undo`);
      if (purpose) await open(purpose);
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const back = <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/registry-records')}>{t('registry.back')}</Button>;
  if (!entity) return (
    <Card title={t('registry.goldenTitle')} extra={back}>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('registry.readIsEvidence')} />
      <Space wrap>
        <Select style={{ minWidth: 280 }} placeholder={t('registry.pickPurpose')} data-testid="purpose"
          options={purposes.map((p) => ({ value: p, label: t(p) }))} onChange={(v) => void open(v)} />
      </Space>
    </Card>
  );

  const library = entity.library;
  const sourceOf = new Map(entity.records.map((r) => [r.sourceId, r]));
  const pair = entity.pairs.find((p) => p.id === pairId);
  const rows = Object.entries(entity.golden).map(([field, g]) => ({ field, ...g }));
  return (
    <Flex vertical gap={16}>
      <Card title={`${t('registry.goldenTitle')}：${entity.golden.name?.value ?? '—'}`} extra={back}>
        <Table size="small" pagination={false} rowKey="field" dataSource={rows} data-testid="golden-fields" scroll={{ x: 720 }} columns={[
          { title: t('registry.field'), key: 'f', width: 120, render: (_: unknown, r: (typeof rows)[number]) => fieldLabel(t, library, r.field) },
          { title: t('registry.value'), key: 'v', render: (_: unknown, r: (typeof rows)[number]) => (
            <Space direction="vertical" size={0}>
              <span>{r.value}</span>
              {r.original !== r.value && <Typography.Text type="secondary">{t('registry.asWritten', { value: r.original })}</Typography.Text>}
            </Space>) },
          { title: t('registry.fromSource'), key: 's', render: (_: unknown, r: (typeof rows)[number]) => {
            const source = sourceOf.get(r.sourceId);
            return source ? <Space direction="vertical" size={0}><span>{source.providerName}</span><Typography.Text type="secondary">{source.sourceName}</Typography.Text></Space> : '—';
          } },
          { title: t('registry.why'), key: 'w', render: (_: unknown, r: (typeof rows)[number]) => <Tag color="blue">{t(`registry.rules.${r.rule}`)}</Tag> },
          { title: t('registry.conflicts'), key: 'c', render: (_: unknown, r: (typeof rows)[number]) => (
            <Flex wrap gap={4}>{(entity.conflicts[r.field] ?? []).filter((c) => c.value !== r.value).map((c) => <Tag key={c.value} color="orange">{c.value}</Tag>)}</Flex>) },
        ]} />
      </Card>
      <Card title={t('registry.recordsOf', { n: entity.records.length })}>
        <Table size="small" pagination={false} rowKey="id" dataSource={entity.records} scroll={{ x: 720 }} columns={[
          { title: t('registry.source'), key: 's', render: (_: unknown, r: Entity['records'][number]) => `${r.providerName} · ${r.sourceName}` },
          { title: t('registry.values'), key: 'v', render: (_: unknown, r: Entity['records'][number]) => (
            <Flex wrap gap={4}>{Object.entries(r.raw).filter(([, v]) => v !== null).map(([f, v]) => <Tag key={f}>{fieldLabel(t, library, f)}：{v}</Tag>)}</Flex>) },
          { title: t('registry.findings'), key: 'x', render: (_: unknown, r: Entity['records'][number]) => (
            <Flex wrap gap={4}>{r.findings.map((f) => <Tag key={f.code} color="red">{t(`registry.findingCodes.${f.code}`, { defaultValue: f.code })}</Tag>)}</Flex>) },
          { title: t('registry.changedAt'), key: 'at', width: 150, render: (_: unknown, r: Entity['records'][number]) => chinaTime(r.changedAt, i18n.language) },
        ]} />
      </Card>
      <Card title={t('registry.certificates')}>
        <Certificates certificates={entity.certificates} />
      </Card>
      {pair && <Card title={t('registry.waterfallTitle')} extra={
        <Select value={pairId} onChange={setPairId} style={{ minWidth: 220 }} options={entity.pairs.map((p) => ({ value: p.id,
          label: t('registry.pairLabel', { p: (p.probability * 100).toFixed(1), band: t(`registry.bands.${p.band}`) }) }))} />}>
        <Waterfall library={library} explanation={pair.explanation} testId="golden-waterfall" />
      </Card>}
      <Card title={t('registry.history')}>
        {entity.history.length === 0 ? <Empty /> : <Timeline items={entity.history.map((h) => ({ key: h.id, content: (
          <Space wrap>
            <span>{t(`registry.historyActions.${h.action}`)}</span>
            <Typography.Text type="secondary">{chinaTime(h.at, i18n.language)}</Typography.Text>
            {h.undoable && <Button size="small" onClick={() => void undo(h.id)}>{t('registry.undo')}</Button>}
          </Space>) }))} />}
      </Card>
    </Flex>
  );
}
