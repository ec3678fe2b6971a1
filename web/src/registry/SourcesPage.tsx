import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, InputNumber, Modal, Progress, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { CloudDownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, query, type ApiItem, type ApiResponse } from '../api';
import { chinaTime } from '../exchange/format';
import { useLoad } from '../useLoad';
import { fieldLabel, libraryNames, type LibraryName } from './common';
import { problemText, useSaving } from '../problemFields';

type Source = ApiItem<'/registry/sources'>;
type Load = ApiResponse<'/registry/loads/{id}'>;

const stageOrder = ['read', 'clean', 'match', 'cluster', 'golden', 'done'] as const;

/** The progress line of a load: its stage as a step of six, and what each stage counted so far. */
export function LoadProgress({ load }: { load: Load }) {
  const { t } = useTranslation();
  const step = stageOrder.indexOf(load.stage);
  const counted = ['read', 'cleaned', 'findings', 'pairs', 'review', 'entities', 'golden'].filter((k) => load.counts[k] !== undefined);
  return (
    <Flex vertical gap={2} data-testid="load-progress">
      <Progress percent={Math.round((step / (stageOrder.length - 1)) * 100)} size="small"
        status={load.state === 'failed' ? 'exception' : load.state === 'done' ? 'success' : 'active'}
        format={() => t(`registry.stages.${load.stage}`)} />
      <Typography.Text type="secondary">
        {t(`registry.loadStates.${load.state}`)}：{counted.map((k) => t(`registry.counts.${k}`, { n: load.counts[k] })).join(' · ') || t('registry.nothingYet')}
      </Typography.Text>
    </Flex>
  );
}

/** 数据源: the libraries' sources, adding one with its field mapping and trust, and loads with their progress. */
export default function SourcesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [library, setLibrary] = useState<LibraryName>('people');
  const sources = useLoad(() => api('GET', `/registry/sources${query({ library })}`), [library]);
  const loads = useLoad(() => api('GET', '/registry/loads'), []);
  const [adding, setAdding] = useState(false);
  const [running, setRunning] = useState<Record<number, Load>>({});

  const latest = (source: Source) => running[source.id] ?? loads.data?.items.find((l) => l.sourceId === source.id);

  // While a load runs, its progress is read twice a second.
  useEffect(() => {
    const live = Object.values(running).filter((l) => l.state === 'running');
    if (live.length === 0) return;
    const timer = setTimeout(() => {
      void Promise.all(live.map((l) => api('GET', `/registry/loads/${l.id}`))).then((next) => {
        setRunning((current) => ({ ...current, ...Object.fromEntries(next.map((l) => [l.sourceId, l])) }));
        if (next.some((l) => l.state !== 'running')) loads.reload();
      }, (error: unknown) => void message.error(problemText(error)));
    }, 500);
    return () => clearTimeout(timer);
  }, [running, loads, message]);

  async function startLoad(source: Source) {
    try {
      const load = await api<Load>('POST', `/registry/sources/${source.id}/loads`);
      setRunning((current) => ({ ...current, [source.id]: load }));
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const columns = [
    { title: t('registry.source'), key: 'source', render: (_: unknown, s: Source) => (
      <Space direction="vertical" size={0}><span>{s.resourceName}</span><Typography.Text type="secondary">{s.providerName}</Typography.Text></Space>) },
    { title: t('registry.mapping'), key: 'mapping', render: (_: unknown, s: Source) => (
      <Flex wrap gap={4}>{Object.entries(s.mapping).map(([field]) => <Tag key={field}>{fieldLabel(t, s.library, field)} · {t('registry.trustShort', { n: s.trust[field] })}</Tag>)}</Flex>) },
    { title: t('registry.lastLoad'), key: 'load', width: 340, render: (_: unknown, s: Source) => {
      const load = latest(s);
      return load ? <Space direction="vertical" size={0} style={{ width: '100%' }}><LoadProgress load={load} />
        <Typography.Text type="secondary">{chinaTime(load.startedAt, i18n.language)}</Typography.Text></Space> : <Typography.Text type="secondary">{t('registry.neverLoaded')}</Typography.Text>;
    } },
    { title: '', key: 'actions', width: 120, render: (_: unknown, s: Source) => (
      <Button icon={<CloudDownloadOutlined />} disabled={latest(s)?.state === 'running'} onClick={() => void startLoad(s)}>{t('registry.startLoad')}</Button>) },
  ];

  return (
    <Card title={t('registry.sourcesTitle')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('registry.addSource')}</Button>}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('registry.sourcesExplain')} />
      <Segmented value={library} onChange={(v) => setLibrary(v as LibraryName)} style={{ marginBottom: 16 }}
        options={libraryNames.map((l) => ({ value: l, label: t(`registry.libraries.${l}`) }))} />
      <Table rowKey="id" loading={sources.loading} dataSource={sources.data?.items ?? []} columns={columns} pagination={false} scroll={{ x: 900 }} />
      {adding && <AddSourceModal library={library} onClose={(added) => { setAdding(false); if (added) sources.reload(); }} />}
    </Card>
  );
}

function AddSourceModal({ library: initial, onClose }: { library: LibraryName; onClose: (added: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [library, setLibrary] = useState<LibraryName>(initial);
  const [resource, setResource] = useState<string>();
  const { saving, whileSaving } = useSaving();
  const [needsGrant, setNeedsGrant] = useState(false);
  const options = useLoad(() => api('GET', `/registry/sources/options${query({ resource })}`), [resource]);
  const fields = options.data?.libraries.find((l) => l.library === library)?.fields ?? [];

  async function submit() {
    const values = await form.validateFields();
    const mapping: Record<string, string> = {};
    const trust: Record<string, number> = {};
    for (const f of fields) {
      if (values[`map_${f.code}`]) mapping[f.code] = values[`map_${f.code}`];
      if (values[`map_${f.code}`] && values[`trust_${f.code}`]) trust[f.code] = values[`trust_${f.code}`];
    }
    await whileSaving(async () => {
      await api('POST', '/registry/sources', { library, resource, mapping, trust });
      void message.success(t('registry.sourceAdded'));
      onClose(true);
    }, {
      onProblem: (error) => {
        if (!(error instanceof ApiProblem)) return false;
        if (error.code === 'registry.no-grant') setNeedsGrant(true);
        else if (error.field?.startsWith('mapping.')) form.setFields([{ name: `map_${error.field.slice(8)}`, errors: [error.title] }]);
        else return false;
        return true;
      },
    });
  }

  async function requestAccess() {
    try {
      await api('POST', '/registry/sources/access', { library, resource, purpose: t('registry.accessPurpose', { library: t(`registry.libraries.${library}`) }) });
      void message.success(t('registry.accessRequested'));
      onClose(false);
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  return (
    <Modal open title={t('registry.addSource')} width={720} onCancel={() => onClose(false)} onOk={() => void submit()} confirmLoading={saving}
      okText={t('registry.add')} okButtonProps={{ disabled: !resource }}>
      <Form form={form} layout="vertical">
        <Form.Item label={t('registry.library')}>
          <Segmented value={library} onChange={(v) => setLibrary(v as LibraryName)} options={libraryNames.map((l) => ({ value: l, label: t(`registry.libraries.${l}`) }))} />
        </Form.Item>
        <Form.Item label={t('registry.resource')} required>
          <Select showSearch optionFilterProp="label" value={resource} onChange={(v) => { setResource(v); setNeedsGrant(false); form.resetFields(); }}
            placeholder={t('registry.pickResource')} data-testid="source-resource"
            options={(options.data?.resources ?? []).map((r) => ({ value: r.code, label: `${r.name}（${r.providerName}）` }))} />
        </Form.Item>
        {needsGrant && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('registry.needsGrant')}
          action={<Button size="small" onClick={() => void requestAccess()}>{t('registry.requestAccess')}</Button>} />}
        {resource && <Table size="small" pagination={false} rowKey="code" dataSource={fields} columns={[
          { title: t('registry.libraryField'), key: 'field', render: (_: unknown, f: (typeof fields)[number]) => (
            <span>{fieldLabel(t, library, f.code)}{f.mandatory && <Tag color="red" style={{ marginLeft: 6 }}>{t('registry.mandatory')}</Tag>}</span>) },
          { title: t('registry.sourceField'), key: 'map', render: (_: unknown, f: (typeof fields)[number]) => (
            <Form.Item name={`map_${f.code}`} style={{ margin: 0 }} rules={f.mandatory ? [{ required: true, message: t('registry.mapMandatory') }] : []}>
              <Select allowClear showSearch optionFilterProp="label" placeholder={t('registry.notMapped')} data-testid={`map-${f.code}`} style={{ minWidth: 180 }}
                options={(options.data?.fields ?? []).map((x) => ({ value: x.code, label: x.name }))} />
            </Form.Item>) },
          { title: t('registry.trust'), key: 'trust', width: 120, render: (_: unknown, f: (typeof fields)[number]) => (
            <Form.Item name={`trust_${f.code}`} style={{ margin: 0 }} initialValue={5}><InputNumber min={1} max={10} /></Form.Item>) },
        ]} />}
      </Form>
    </Modal>
  );
}
