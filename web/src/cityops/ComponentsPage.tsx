import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Input, Select, Table, Tag, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, apiHeaders, ApiProblem, query, type ApiItem, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { currentLanguage } from '../i18n';
import { CityMap, type MapDots, type MapView } from '../map';
import { departmentsInJurisdiction } from '../org';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

type Component = ApiItem<'/cityops/components'>;
type ImportReport = ApiResponse<'/cityops/components/import', 'POST'>;
type State = Component['state'];

const states: State[] = ['intact', 'damaged', 'missing', 'occupied'];
const stateColours: Record<State, string> = { intact: 'green', damaged: 'orange', missing: 'red', occupied: 'purple' };
/** The same colours on the map (antd's green, orange, red and purple). */
const stateDots: Record<State, string> = { intact: '#52c41a', damaged: '#fa8c16', missing: '#f5222d', occupied: '#722ed1' };
/** Dots drawn at most; past it the page asks to zoom in. */
const MAP_LIMIT = 5000;
const PAGE_SIZE = 20;

interface Filter {
  classCode?: string;
  kindCode?: string;
  state?: State;
  gridCode?: string;
  departmentId?: number;
}

/** Uploads a file as it is: CSV, or GeoJSON (`.geojson`, or `.json` holding a FeatureCollection). */
async function uploadComponents(file: File): Promise<ImportReport> {
  const type = /\.(geo)?json$/i.test(file.name) ? 'application/geo+json' : 'text/csv';
  const response = await fetch('/api/v1/cityops/components/import', {
    method: 'POST', headers: { ...apiHeaders(), 'content-type': type }, body: await file.text(), credentials: 'same-origin',
  });
  const body = await response.json() as ImportReport & { title?: string; code?: string };
  if (!response.ok) throw new ApiProblem(response.status, String(body.code ?? response.status), String(body.title ?? response.statusText));
  return body;
}

/**
 * 部件管理: the components of the jurisdiction with filters, on the map (those in view, coloured by state) and in a
 * table; a component's record, import with its per-row report, export.
 */
export default function ComponentsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const zh = currentLanguage() === 'zh-CN';
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Component | null>(null);
  const catalogue = useLoad(() => api('GET', '/cityops/catalogue'), []);
  const departments = useLoad(() => departmentsInJurisdiction(), []);
  const list = useLoad(() => api('GET', `/cityops/components${query({ ...filter, page, pageSize: PAGE_SIZE })}`), [filter, page]);
  const [view, setView] = useState<MapView>();
  const inView = useLoad(async () => (view ? api('GET', `/cityops/components/points${query({ ...filter, bbox: view.join(','), limit: MAP_LIMIT })}`) : null),
    [filter, view]);
  const dots = useMemo<MapDots>(() => ({
    points: (inView.data?.items ?? []).map((p) => ({ id: p.code, lon: p.lon, lat: p.lat, color: stateDots[p.state] })),
    onClick: (code) => { api('GET', `/cityops/components/${code}`).then(setOpen, (e: unknown) => void message.error(problemText(e))); },
  }), [inView.data, message]);

  const change = (next: Filter) => {
    setFilter((f) => ({ ...f, ...next }));
    setPage(1);
  };
  const name = (item: { nameZh: string; nameEn: string }) => (zh ? item.nameZh : item.nameEn);
  const kindsOf = catalogue.data?.classes.find((c) => c.code === filter.classCode)?.kinds ?? [];
  const exportUrl = (format: 'csv' | 'geojson') =>
    `/api/v1/cityops/components/export${query({ ...filter, format })}`;

  async function importFile(file: File) {
    try {
      const report = await uploadComponents(file);
      modal.info({
        title: t('cityops.importReport', report),
        width: 680,
        content: report.errors.length > 0 && (
          <Table size="small" rowKey={(e) => `${e.row}-${e.field}`} dataSource={report.errors} pagination={{ pageSize: 8, hideOnSinglePage: true }}
            columns={[
              { title: '#', dataIndex: 'row', width: 90, render: (row: number) => t('cityops.row', { row }) },
              { title: t('cityops.column'), dataIndex: 'field', width: 150, render: (v: string) => <span className="mono">{v}</span> },
              { title: t('cityops.reason'), render: (_, e) => t(`cityops.problems.${e.code}`, { defaultValue: e.message }) },
            ]} />
        ),
      });
      if (report.created > 0) list.reload();
    } catch (error) {
      void message.error(error instanceof ApiProblem ? error.title : t('cityops.badFile'));
    }
  }

  return (
    <Card title={t('cityops.title')} extra={
      <Flex wrap gap={8}>
        <Button icon={<DownloadOutlined />} href={exportUrl('csv')} download>{t('cityops.exportCsv')}</Button>
        <Button icon={<DownloadOutlined />} href={exportUrl('geojson')} download>{t('cityops.exportGeojson')}</Button>
        {can('cityops.component.manage') && (
          <Upload accept=".csv,.geojson,.json" showUploadList={false} beforeUpload={(file) => { void importFile(file); return false; }}>
            <Button icon={<UploadOutlined />}>{t('cityops.import')}</Button>
          </Upload>
        )}
      </Flex>
    }>
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select allowClear aria-label={t('cityops.class')} placeholder={t('cityops.class')} style={{ width: 140 }} value={filter.classCode}
          options={catalogue.data?.classes.map((c) => ({ value: c.code, label: name(c) }))}
          onChange={(classCode?: string) => change({ classCode, kindCode: undefined })} />
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} aria-label={t('cityops.kind')} placeholder={t('cityops.kind')} style={{ width: 180 }}
          disabled={!filter.classCode} value={filter.kindCode} popupMatchSelectWidth={false}
          options={kindsOf.map((k) => ({ value: k.code, label: k.standard ? name(k) : `${name(k)}（${t('cityops.extension')}）` }))}
          onChange={(kindCode?: string) => change({ kindCode })} />
        <Select allowClear aria-label={t('cityops.state')} placeholder={t('cityops.state')} style={{ width: 120 }} value={filter.state}
          options={states.map((s) => ({ value: s, label: t(`cityops.states.${s}`) }))} onChange={(state?: State) => change({ state })} />
        <Input.Search allowClear aria-label={t('cityops.gridCode')} placeholder={t('cityops.gridCode')} style={{ width: 220 }}
          onSearch={(v) => change({ gridCode: v.trim() || undefined })} />
        <DepartmentSelect allowClear departments={departments.data} value={filter.departmentId} placeholder={t('cityops.department')}
          style={{ width: 240 }} onChange={(departmentId) => change({ departmentId })} />
      </Flex>
      <div>
        <CityMap dots={dots} onView={setView} height={380} testId="components-map" />
        <Flex wrap gap={12} style={{ margin: '8px 0 16px' }} align="center">
          {states.map((s) => <span key={s}><span className="map-dot" style={{ background: stateDots[s] }} />{t(`cityops.states.${s}`)}</span>)}
          {inView.data && <span style={{ color: '#888' }} data-testid="map-count">{t('cityops.inView', { count: inView.data.items.length })}</span>}
        </Flex>
        {inView.data?.truncated && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('cityops.zoomIn', { limit: MAP_LIMIT })} />}
      </div>
      <Table<Component>
        rowKey="code" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 900 }}
        onRow={(c) => ({ onClick: () => setOpen(c), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
          showTotal: (total) => t('cityops.total', { total }) }}
        columns={[
          { title: t('cityops.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('cityops.kind'), render: (_, c) => (zh ? c.kindNameZh : c.kindNameEn) },
          { title: t('cityops.class'), render: (_, c) => (zh ? c.classNameZh : c.classNameEn) },
          { title: t('cityops.state'), render: (_, c) => <Tag color={stateColours[c.state]}>{t(`cityops.states.${c.state}`)}</Tag> },
          { title: t('cityops.grid'), render: (_, c) => c.gridName ?? t('cityops.none') },
          { title: t('cityops.competent'), render: (_, c) => c.competentDepartmentName ?? t('cityops.none') },
        ]}
      />
      <ComponentDrawer component={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

function ComponentDrawer({ component: c, onClose }: { component: Component | null; onClose: () => void }) {
  const { t } = useTranslation();
  const zh = currentLanguage() === 'zh-CN';
  const none = t('cityops.none');
  return (
    <Drawer open={c !== null} onClose={onClose} title={c && `${t('cityops.detail')} ${c.code}`} size="large">
      {c && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('cityops.code')}><span className="mono">{c.code}</span></Descriptions.Item>
          <Descriptions.Item label={t('cityops.class')}>{zh ? c.classNameZh : c.classNameEn}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.kind')}>{zh ? c.kindNameZh : c.kindNameEn}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.state')}><Tag color={stateColours[c.state]}>{t(`cityops.states.${c.state}`)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('cityops.grid')}>{c.gridName ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.location')}>{`${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}`}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.address')}>{c.address || none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.competent')}>{c.competentDepartmentName ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.owner')}>{c.ownerDepartmentName ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.maintainer')}>{c.maintainerDepartmentName ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.installedOn')}>{c.installedOn ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.surveyedOn')}>{c.surveyedOn ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.source')}>{t(`cityops.sources.${c.source}`)}</Descriptions.Item>
          <Descriptions.Item label={t('cityops.updatedAt')}>{new Date(c.updatedAt).toLocaleString(zh ? 'zh-CN' : 'en')}</Descriptions.Item>
        </Descriptions>
      )}
    </Drawer>
  );
}
