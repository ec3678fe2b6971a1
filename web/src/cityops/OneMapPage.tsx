import { useEffect, useMemo, useRef, useState } from 'react';
import { Card, Checkbox, Flex, Select, Slider, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Popup, type GeoJSONSource, type Map as MapLibreMap, type MapGeoJSONFeature, type VectorTileSource } from 'maplibre-gl';
import { api, query, type ApiResponse } from '../api';
import { labelFonts } from '../map/CityMap';
import { CityMap } from '../map';
import { useSession, type PermissionAction } from '../session';
import { time } from './cases';

type TileLayer = 'components' | 'cases' | 'tickets' | 'sensors';
type Layer = TileLayer | 'staff';
interface Filters { componentState?: string; caseState?: string; caseSource?: string; ticketKind?: string }

/** The layers, drawn in this order (the last on top): who may read each, its colour, and which filters it heeds. */
const layers: { key: TileLayer; action: PermissionAction; colour: string; timed: boolean }[] = [
  { key: 'components', action: 'cityops.component.read', colour: '#2f54eb', timed: false },
  { key: 'sensors', action: 'cityops.sensor.read', colour: '#13c2c2', timed: false },
  { key: 'tickets', action: 'hotline.ticket.read', colour: '#fa8c16', timed: true },
  { key: 'cases', action: 'cityops.case.read', colour: '#f5222d', timed: true },
];
/**
 * Staff on duty (在岗人员) are few and move: not tiles but their latest positions, asked while the layer is on and
 * every STAFF_REFRESH_MS, each asking a ledger entry. Off until turned on, so nobody is watched by default.
 */
const staffLayer = { key: 'staff' as const, action: 'cityops.field.staff-map' as PermissionAction, colour: '#389e0d' };
const STAFF_REFRESH_MS = 30_000;
/** The time slider's reach: the last 90 days, in days before today. */
const DAYS = 90;
const DEFAULT_WINDOW: [number, number] = [-30, 0];

const componentStates = ['intact', 'damaged', 'missing', 'occupied'];
const caseStates = ['verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing', 'closed', 'rejected'];
const caseSources = ['patrol', 'public', 'hotline', 'sensor', 'leader', 'command'];
const ticketKinds = ['consultation', 'help', 'complaint', 'report', 'suggestion'];

const startOfDay = (offset: number) => {
  const day = new Date();
  day.setHours(0, 0, 0, 0);
  day.setDate(day.getDate() + offset);
  return day;
};
/** The window's bounds: from the start of its first day to the end of its last. */
const windowOf = ([first, last]: [number, number]) => ({ from: startOfDay(first).toISOString(), to: startOfDay(last + 1).toISOString() });

/** One layer's tile address, same origin (the session cookie goes with it), with the filters that layer heeds. */
function tilesUrl(layer: TileLayer, filters: Filters, days: [number, number]): string {
  const timed = layers.find((l) => l.key === layer)!.timed ? windowOf(days) : {};
  const params = {
    components: { state: filters.componentState },
    cases: { state: filters.caseState, source: filters.caseSource, ...timed },
    tickets: { kind: filters.ticketKind, ...timed },
    sensors: {},
  }[layer];
  return `${window.location.origin}/api/v1/cityops/tiles/${layer}/{z}/{x}/{y}.mvt${query(params)}`;
}

/** Adds a layer's source and its two map layers: circles (sized by count when zoomed out) and the counts. */
function addLayer(map: MapLibreMap, layer: TileLayer, colour: string, url: string, visible: boolean) {
  map.addSource(`onemap-${layer}`, { type: 'vector', tiles: [url], minzoom: 0, maxzoom: 16 });
  const visibility = visible ? 'visible' : 'none';
  map.addLayer({ id: `onemap-${layer}`, type: 'circle', source: `onemap-${layer}`, 'source-layer': layer, layout: { visibility },
    paint: { 'circle-color': colour, 'circle-opacity': 0.8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      'circle-radius': ['case', ['>', ['get', 'count'], 1], ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 6, 40, 16], 5] } });
  map.addLayer({ id: `onemap-${layer}-count`, type: 'symbol', source: `onemap-${layer}`, 'source-layer': layer, filter: ['>', ['get', 'count'], 1],
    layout: { visibility, 'text-field': ['to-string', ['get', 'count']], 'text-font': labelFonts, 'text-size': 10 },
    paint: { 'text-color': '#ffffff' } });
}

/** The staff layer: a point per worker with a position, named. */
function addStaffLayer(map: MapLibreMap) {
  map.addSource('onemap-staff', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'onemap-staff', type: 'circle', source: 'onemap-staff',
    paint: { 'circle-color': staffLayer.colour, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'onemap-staff-count', type: 'symbol', source: 'onemap-staff',
    layout: { 'text-field': ['get', 'name'], 'text-font': labelFonts, 'text-size': 12, 'text-offset': [0, 1.3], 'text-anchor': 'top' },
    paint: { 'text-color': '#135200', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 } });
}

type StaffOnDuty = ApiResponse<'/cityops/field/on-duty'>['items'][number];

/** How many are on show per layer: points by their own id, cells by their count. */
function renderedCounts(map: MapLibreMap, shown: Layer[]): Partial<Record<Layer, number>> {
  return Object.fromEntries(shown.map((layer) => {
    // A point near a tile's edge is in both tiles; a cell belongs to one.
    const seen = new Map<string, number>();
    map.queryRenderedFeatures({ layers: [`onemap-${layer}`] }).forEach((f, i) => {
      const id: unknown = f.properties.code ?? f.properties.number ?? f.properties.id;
      seen.set(id === undefined ? `cell:${i}` : String(id), Number(f.properties.count));
    });
    return [layer, [...seen.values()].reduce((a, b) => a + b, 0)];
  }));
}

/**
 * 一张图: components, cases, 12345 tickets and sensor devices of the jurisdiction on one map, as vector tiles the
 * platform cuts; layers on and off, filters, a time slider over the last 90 days, and a feature's details on click.
 */
export default function OneMapPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const readable = useMemo(() => layers.filter((l) => can(l.action)), [can]);
  const seesStaff = can(staffLayer.action);
  const toggles = useMemo(() => [...readable, ...(seesStaff ? [staffLayer] : [])], [readable, seesStaff]);
  const [visible, setVisible] = useState<Layer[]>(readable.map((l) => l.key));
  const [filters, setFilters] = useState<Filters>({});
  const [days, setDays] = useState<[number, number]>(DEFAULT_WINDOW);
  const [map, setMap] = useState<MapLibreMap>();
  const [counts, setCounts] = useState<Partial<Record<Layer, number>>>({});
  const shown = useRef(visible);
  shown.current = visible;
  const translate = useRef(t);
  translate.current = t;
  /** The popup open on the map and what it shows, so that a change of language rewrites it. */
  const opened = useRef<{ popup: Popup; feature: MapGeoJSONFeature } | null>(null);
  useEffect(() => {
    if (opened.current) opened.current.popup.setDOMContent(popupOf(opened.current.feature, t));
  }, [i18n.language, t]);

  // The sources once the map is there; afterwards filters change their tile addresses, toggles their visibility.
  useEffect(() => {
    if (!map) return;
    for (const { key, colour } of readable) {
      const url = tilesUrl(key, filters, days);
      const source = map.getSource<VectorTileSource>(`onemap-${key}`);
      if (source) source.setTiles([url]);
      else addLayer(map, key, colour, url, shown.current.includes(key));
    }
  }, [map, filters, days, readable]);

  useEffect(() => {
    if (!map) return;
    for (const { key } of toggles) for (const id of [`onemap-${key}`, `onemap-${key}-count`])
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible.includes(key) ? 'visible' : 'none');
  }, [map, visible, toggles]);

  const staffOn = seesStaff && visible.includes('staff');
  useEffect(() => {
    if (!map || !staffOn) return;
    if (!map.getSource('onemap-staff')) addStaffLayer(map);
    let live = true;
    const show = (staff: StaffOnDuty[]) => {
      if (!live) return;
      void map.getSource<GeoJSONSource>('onemap-staff')?.setData({ type: 'FeatureCollection', features: staff.flatMap((s) => s.position ? [{
        type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [s.position.lon, s.position.lat] },
        properties: { id: `staff:${s.userId}`, count: 1, name: s.name, department: s.departmentName ?? '', since: s.since, at: s.position.at } }] : []) });
    };
    const ask = () => api('GET', '/cityops/field/on-duty').then(({ items }) => show(items), () => undefined); // the next round asks again
    void ask();
    const timer = setInterval(() => void ask(), STAFF_REFRESH_MS);
    // Turned off, the positions leave the page too.
    return () => { clearInterval(timer); show([]); live = false; };
  }, [map, staffOn]);

  useEffect(() => {
    if (!map) return;
    const count = () => setCounts(renderedCounts(map, shown.current.filter((l) => map.getLayer(`onemap-${l}`))));
    map.on('idle', count);
    const ids = toggles.map((l) => `onemap-${l.key}`);
    const open = (e: { features?: MapGeoJSONFeature[]; lngLat: { lng: number; lat: number } }) => {
      const feature = e.features?.[0];
      if (!feature) return;
      const popup = new Popup({ maxWidth: '280px' }).setLngLat(e.lngLat).setDOMContent(popupOf(feature, translate.current)).addTo(map);
      opened.current = { popup, feature };
      popup.on('close', () => { if (opened.current?.popup === popup) opened.current = null; });
    };
    map.on('click', ids, open);
    const pointer = () => { map.getCanvas().style.cursor = 'pointer'; };
    const plain = () => { map.getCanvas().style.cursor = ''; };
    map.on('mouseenter', ids, pointer);
    map.on('mouseleave', ids, plain);
    return () => { map.off('idle', count); map.off('click', ids, open); map.off('mouseenter', ids, pointer); map.off('mouseleave', ids, plain); };
  }, [map, toggles]);

  const options = (values: string[], prefix: string) => values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
  const select = (field: keyof Filters, label: string, values: string[], prefix: string) => (
    <Select allowClear placeholder={label} aria-label={label} style={{ width: 150 }} value={filters[field]} data-testid={`onemap-${field}`}
      options={options(values, prefix)} onChange={(value?: string) => setFilters((f) => ({ ...f, [field]: value }))} />
  );
  const day = (offset: number) => startOfDay(offset).toLocaleDateString('zh-CN');

  return (
    <Card title={t('cityops.onemap.title')}>
      <Flex vertical gap={12}>
        <Flex gap={16} wrap align="center" data-testid="onemap-layers" data-counts={JSON.stringify(counts)}>
          {toggles.map(({ key, colour }) => (
            <Checkbox key={key} checked={visible.includes(key)} data-testid={`onemap-toggle-${key}`}
              onChange={(e) => setVisible((v) => (e.target.checked ? [...v, key] : v.filter((l) => l !== key)))}>
              <Space size={4}>
                <span style={{ background: colour, display: 'inline-block', width: 10, height: 10, borderRadius: 5 }} />
                {t(`cityops.onemap.layers.${key}`)}
                {visible.includes(key) && <Tag data-testid={`onemap-count-${key}`}>{counts[key] ?? 0}</Tag>}
              </Space>
            </Checkbox>
          ))}
          {readable.length === 0 && <Typography.Text type="secondary">{t('cityops.onemap.noLayers')}</Typography.Text>}
        </Flex>
        <Flex gap={8} wrap align="center">
          {can('cityops.component.read') && select('componentState', t('cityops.onemap.componentState'), componentStates, 'cityops.states')}
          {can('cityops.case.read') && select('caseState', t('cityops.onemap.caseState'), caseStates, 'cityops.cases.states')}
          {can('cityops.case.read') && select('caseSource', t('cityops.onemap.caseSource'), caseSources, 'cityops.cases.sources')}
          {can('hotline.ticket.read') && select('ticketKind', t('cityops.onemap.ticketKind'), ticketKinds, 'hotline.kind')}
        </Flex>
        {/* The marks' labels overhang the slider's ends by half their width: the margins keep them clear of the
            label, and on a phone the slider takes a line of its own rather than squeezing its marks together. */}
        <Flex gap={12} wrap align="center" data-testid="onemap-window">
          <Typography.Text>{t('cityops.onemap.window')}</Typography.Text>
          <Slider range min={-DAYS} max={0} value={days} style={{ flex: '1 1 240px', maxWidth: 480, marginInline: 40 }} aria-label={t('cityops.onemap.window')}
            marks={{ [-DAYS]: t('cityops.onemap.daysAgo', { days: DAYS }), [-30]: t('cityops.onemap.daysAgo', { days: 30 }), 0: t('cityops.onemap.today') }}
            tooltip={{ formatter: (v) => (v === undefined ? '' : day(v)) }} onChangeComplete={(v) => setDays(v as [number, number])} />
          <Typography.Text type="secondary" data-testid="onemap-window-text">{day(days[0])} — {day(days[1])}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary">{t('cityops.onemap.hint')}</Typography.Text>
        {seesStaff && <Typography.Text type="secondary">{t('cityops.onemap.staffHint')}</Typography.Text>}
        <CityMap height={620} testId="onemap" onMap={setMap} />
      </Flex>
    </Card>
  );
}

/** A feature's details: a cell's count, or a point's name, code and state in the viewer's language. */
function popupOf(feature: MapGeoJSONFeature, t: (key: string, options?: Record<string, unknown>) => string): HTMLElement {
  const p = feature.properties;
  const layer = (feature.sourceLayer ?? 'staff') as Layer;
  const box = document.createElement('div');
  box.setAttribute('data-testid', 'onemap-popup');
  const line = (text: string, strong = false) => {
    const row = document.createElement(strong ? 'strong' : 'div');
    row.textContent = text;
    box.appendChild(row);
  };
  line(t(`cityops.onemap.layers.${layer}`), true);
  if (layer === 'staff') {
    for (const text of [String(p.name), String(p.department), t('cityops.onemap.staffSince', { time: time(String(p.since)) }),
      t('cityops.onemap.staffAt', { time: time(String(p.at)) })]) if (text) line(text);
    return box;
  }
  if (Number(p.count) > 1) {
    line(t('cityops.onemap.cell', { count: Number(p.count) }));
    return box;
  }
  const state = {
    components: `cityops.states.${p.state}`, cases: `cityops.cases.states.${p.state}`,
    tickets: `hotline.state.${p.state}`, sensors: `sensors.connectivities.${p.state}`,
  }[layer];
  line(String(p.name ?? p.category ?? ''));
  line(String(p.code ?? p.number ?? ''));
  line(t(state));
  if (p.kind) line(t(`hotline.kind.${p.kind}`));
  if (p.source) line(t(`cityops.cases.sources.${p.source}`));
  if (p.address) line(String(p.address));
  const at = p.reportedAt ?? p.receivedAt;
  if (at) line(time(String(at)));
  return box;
}
