import { useEffect, useRef, useState } from 'react';
import { AutoComplete, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { api, query, type ApiResponse } from '../api';
import type { CityMapProps, MapView, Shapes } from './index';

// MapLibre looks for its worker beside its own module, which bundling moves; tell it where the bundle put it.
setWorkerUrl(workerUrl);

type Place = ApiResponse<'/org/places', 'GET'>['items'][number];
type Level = 'county' | 'township' | 'community' | 'grid';
type Data = Parameters<GeoJSONSource['setData']>[0];

/**
 * Labels are drawn by the browser from the fonts on the device: the style names no glyph server, so
 * MapLibre renders every label locally (and would for CJK even with one, through
 * `localIdeographFontFamily`). Nothing is fetched from outside the platform.
 */
export const labelFonts = ['Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei'];

const countyTints = ['#d6e4ff', '#d9f7be', '#fff1b8', '#ffd8bf', '#efdbff', '#b5f5ec', '#ffccc7', '#f4ffb8'];

/** How each level is drawn: from what zoom its name shows, and how large. */
const labelStyle: Record<Level, { minzoom: number; size: number; color: string }> = {
  county: { minzoom: 0, size: 15, color: '#1f1f1f' },
  township: { minzoom: 7.5, size: 12, color: '#262626' },
  community: { minzoom: 11, size: 11, color: '#434343' },
  grid: { minzoom: 12.5, size: 10, color: '#595959' },
};
const labelLayers = (['grid', 'community', 'township', 'county'] as const).map((level) => `labels-${level}`);

/** The boundaries the base map draws, fetched once per page load; grids only once the map is zoomed in. */
let base: Promise<Record<Exclude<Level, 'grid'>, Shapes>> | undefined;
let grids: Promise<Shapes> | undefined;
const boundaries = (level: Level) => api<Shapes>('GET', `/org/boundaries${query({ level })}`);
function loadBase() {
  base ??= Promise.all((['county', 'township', 'community'] as const).map(boundaries))
    .then(([county, township, community]) => ({ county: county!, township: township!, community: community! }));
  base.catch(() => { base = undefined; }); // the next map tries again
  return base;
}

/** The largest part's outer ring. */
function outerRing(geometry: { type: string; coordinates: unknown }): number[][] {
  const parts = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  return parts.map((p) => p[0]!).reduce((a, b) => (b.length > a.length ? b : a));
}

/** One point per place for its name: the mean of its outer ring, inside the gently bent cells of the city. */
function labelPoints(shapes: Shapes, level: Level): Shapes['features'] {
  return shapes.features.map((f) => {
    const ring = outerRing(f.geometry);
    const mean = (i: number) => ring.reduce((s, p) => s + p[i]!, 0) / ring.length;
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [mean(0), mean(1)] }, properties: { name: f.properties.name, level } };
  });
}

function boundsOf(shapes: Shapes): [[number, number], [number, number]] | null {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      west = Math.min(west, x!); east = Math.max(east, x!); south = Math.min(south, y!); north = Math.max(north, y!);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  shapes.features.forEach((f) => visit(f.geometry.coordinates));
  return Number.isFinite(west) ? [[west, south], [east, north]] : null;
}

const tinted = (townships: Shapes): Shapes => {
  const counties = new Map<string, string>();
  return { ...townships, features: townships.features.map((f) => {
    const county = String(f.properties.parentCode ?? '').slice(0, 6);
    if (!counties.has(county)) counties.set(county, countyTints[counties.size % countyTints.length]!);
    return { ...f, properties: { ...f.properties, fill: counties.get(county) } };
  }) };
};

/** Draws the city: township tints (or the page's own shapes), the borders of every level, and the names. */
function drawBase(map: MapLibreMap, layers: Awaited<ReturnType<typeof loadBase>>, overlay: boolean) {
  const add = (id: string, data: Shapes | Shapes['features']) =>
    map.addSource(id, { type: 'geojson', data: (Array.isArray(data) ? { type: 'FeatureCollection', features: data } : data) as Data });
  add('townships', tinted(layers.township));
  add('counties', layers.county);
  add('communities', layers.community);
  add('grids', { type: 'FeatureCollection', features: [] });
  add('labels', [...labelPoints(layers.county, 'county'), ...labelPoints(layers.township, 'township'), ...labelPoints(layers.community, 'community')]);
  add('grid-labels', []);
  if (!overlay) map.addLayer({ id: 'townships-fill', type: 'fill', source: 'townships', paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.8 } });
  map.addLayer({ id: 'grids-line', type: 'line', source: 'grids', minzoom: 11, paint: { 'line-color': '#8c8c8c', 'line-width': 0.5, 'line-dasharray': [2, 2] } });
  map.addLayer({ id: 'communities-line', type: 'line', source: 'communities', minzoom: 10, paint: { 'line-color': '#8c8c8c', 'line-width': 0.8 } });
  map.addLayer({ id: 'townships-line', type: 'line', source: 'townships', paint: { 'line-color': '#7b8794', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 12, 1.5] } });
  map.addLayer({ id: 'counties-line', type: 'line', source: 'counties', paint: { 'line-color': '#595959', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.6, 12, 3] } });
  for (const level of ['grid', 'community', 'township', 'county'] as const) {
    const { minzoom, size, color } = labelStyle[level];
    map.addLayer({ id: `labels-${level}`, type: 'symbol', source: level === 'grid' ? 'grid-labels' : 'labels', minzoom,
      filter: ['==', ['get', 'level'], level],
      layout: { 'text-field': ['get', 'name'], 'text-font': labelFonts, 'text-size': size, 'text-max-width': 8, 'text-padding': 3 },
      paint: { 'text-color': color, 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 } });
  }
}

/** The search box: places and addresses from the platform's own gazetteer. */
function PlaceSearch({ onFound }: { onFound: (place: Place) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Place[]>([]);
  useEffect(() => {
    const q = text.trim();
    if (!q) { setFound([]); return; }
    let current = true;
    const timer = setTimeout(() => {
      // Suggestions only: none are shown when the search fails.
      api('GET', `/org/places${query({ q })}`).then(({ items }) => { if (current) setFound(items); }, () => { if (current) setFound([]); });
    }, 250);
    return () => { current = false; clearTimeout(timer); };
  }, [text]);
  const pick = (code: string) => {
    const place = found.find((p) => p.code === code);
    if (place) { setText(place.name); onFound(place); }
  };
  return (
    <AutoComplete className="city-map-search" value={text} onChange={setText} onSelect={pick}
      options={found.map((p) => ({ value: p.code, label: (
        <span data-testid="place-option">{p.name} <span className="city-map-within">{[...p.within].reverse().join(' · ')} · {t(`map.level.${p.level}`)}</span></span>
      ) }))}>
      <Input.Search allowClear placeholder={t('map.search')} aria-label={t('map.search')} data-testid="map-search"
        onSearch={() => { if (found[0]) pick(found[0].code); }} />
    </AutoComplete>
  );
}

/**
 * The city on a map served entirely by the platform: county, township, community and (zoomed in) grid
 * borders with their names, a search box, and markers; clicking the map (or dragging a draggable marker)
 * calls `onPick`. `shapes` (a page's own coloured polygons) replace the township tints.
 */
export default function CityMap({ shapes, points = [], dots, onView, onPick, onMap, height = 360, testId, search = true, fit }: CityMapProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap>();
  const [schematic, setSchematic] = useState(false);
  const pick = useRef(onPick);
  pick.current = onPick;
  const view = useRef(onView);
  view.current = onView;
  const ready = useRef(onMap);
  ready.current = onMap;
  const dotClick = useRef(dots?.onClick);
  dotClick.current = dots?.onClick;
  const translate = useRef(t);
  // Whether the page brings its own shapes, known at the first render: they replace the township tints.
  const overlay = useRef(shapes !== undefined);
  const fitTo = useRef(fit);
  translate.current = t;

  useEffect(() => {
    const created = new MapLibreMap({ container: container.current!, center: [106.75, 30.45], zoom: 8, attributionControl: false,
      dragRotate: false, pitchWithRotate: false, fadeDuration: 0, localIdeographFontFamily: labelFonts.join(', '),
      style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f4f1' } }] } });
    created.touchZoomRotate.disableRotation();
    created.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    created.on('click', (e: MapMouseEvent) => pick.current?.(Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6));
    // The names in view, for screen readers.
    created.on('idle', () => {
      const names = [...new Set(created.queryRenderedFeatures({ layers: labelLayers.filter((id) => created.getLayer(id)) })
        .map((f) => String(f.properties.name)))];
      // What is on show, for checking that the map shows places and follows the search.
      container.current?.setAttribute('data-labels', JSON.stringify(names));
      container.current?.setAttribute('data-view', JSON.stringify({ center: created.getCenter().toArray(), zoom: created.getZoom() }));
      container.current?.setAttribute('aria-label', `${translate.current('map.label')}${names.length ? `: ${names.slice(0, 20).join('、')}` : ''}`);
    });
    const tellView = () => view.current?.(created.getBounds().toArray().flat().map((x) => Math.round(x * 1e5) / 1e5) as MapView);
    created.on('moveend', tellView);
    let live = true;
    created.once('load', () => {
      void loadBase().then((layers) => {
        if (!live) return;
        drawBase(created, layers, overlay.current);
        setSchematic(layers.county.features.some((f) => f.properties.schematic === true));
        const bounds: [[number, number], [number, number]] | null = fitTo.current
          ? [[fitTo.current[0], fitTo.current[1]], [fitTo.current[2], fitTo.current[3]]] : boundsOf(layers.county);
        if (bounds) {
          created.fitBounds(bounds, { padding: 16, animate: false, maxZoom: 17 });
          // What the view was fitted to, so a browser test can aim a click at a known place.
          container.current?.setAttribute('data-bounds', JSON.stringify(bounds));
        }
        setMap(created);
        ready.current?.(created);
        tellView();
      });
    });
    // Grids are many: fetched the first time the map is zoomed in far enough to show them.
    const showGrids = () => {
      if (created.getZoom() < 10.5 || !created.getSource('grids')) return;
      created.off('zoomend', showGrids);
      grids ??= boundaries('grid');
      void grids.then((g) => {
        if (!live) return;
        void created.getSource<GeoJSONSource>('grids')?.setData(g as Data); // nothing waits for the redraw
        void created.getSource<GeoJSONSource>('grid-labels')?.setData({ type: 'FeatureCollection', features: labelPoints(g, 'grid') } as Data);
      // Grids failing to load leave the borders above them; the next zoom asks again.
      }, () => { grids = undefined; created.on('zoomend', showGrids); });
    };
    created.on('zoomend', showGrids);
    return () => { live = false; created.remove(); };
  }, []);

  useEffect(() => {
    if (!map || !shapes) return;
    const source = map.getSource<GeoJSONSource>('shapes');
    if (source) void source.setData(shapes as Data); // nothing waits for the redraw
    else {
      map.addSource('shapes', { type: 'geojson', data: shapes as Data });
      map.addLayer({ id: 'shapes-fill', type: 'fill', source: 'shapes',
        paint: { 'fill-color': ['coalesce', ['get', 'fill'], '#dbe4ee'], 'fill-opacity': 0.75 } }, 'grids-line');
    }
  }, [map, shapes]);

  useEffect(() => {
    if (!map || !dots) return;
    const data = { type: 'FeatureCollection', features: dots.points.map((p) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, color: p.color } })) } as Data;
    const source = map.getSource<GeoJSONSource>('dots');
    if (source) void source.setData(data); // nothing waits for the redraw
    else {
      map.addSource('dots', { type: 'geojson', data });
      map.addLayer({ id: 'dots', type: 'circle', source: 'dots', paint: {
        'circle-color': ['get', 'color'], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2, 15, 6],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.8 } }, 'labels-grid');
      map.on('click', 'dots', (e) => {
        const id = e.features?.[0]?.properties.id as string | undefined;
        if (id) dotClick.current?.(id);
      });
      map.on('mouseenter', 'dots', () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', 'dots', () => { map.getCanvas().style.cursor = ''; });
    }
    // How many dots are drawn, for checking that the layer follows the page's filter: told once they are on
    // the canvas (the source is parsed off the main thread), when the view in data-view is the one drawn.
    const count = String(dots.points.length);
    container.current?.removeAttribute('data-dots');
    map.once('idle', () => container.current?.setAttribute('data-dots', count));
  }, [map, dots]);

  useEffect(() => {
    if (!map) return;
    const markers = points.map((p) => {
      const marker = new Marker({ color: p.color ?? '#c8102e', draggable: p.draggable === true }).setLngLat([p.lon, p.lat]).addTo(map);
      const element = marker.getElement();
      element.setAttribute('data-testid', p.draggable ? 'map-marker-draggable' : 'map-marker');
      if (p.title) element.title = p.title;
      if (p.onClick) {
        element.style.cursor = 'pointer';
        element.addEventListener('click', (e) => { e.stopPropagation(); p.onClick!(); });
      }
      if (p.draggable) marker.on('dragend', () => {
        const at = marker.getLngLat();
        pick.current?.(Math.round(at.lng * 1e6) / 1e6, Math.round(at.lat * 1e6) / 1e6);
      });
      return marker;
    });
    // A point set from outside (a search, a warning's "move the point") is brought into view.
    const moved = points.find((p) => p.draggable);
    if (moved && !map.getBounds().contains([moved.lon, moved.lat])) map.easeTo({ center: [moved.lon, moved.lat] });
    return () => markers.forEach((m) => m.remove());
  }, [map, points]);

  const found = (place: Place) => {
    if (!map) return;
    const [west, south, east, north] = place.bbox as [number, number, number, number];
    map.fitBounds([[west, south], [east, north]], { padding: 24, maxZoom: 14, duration: 600 });
    pick.current?.(place.lon, place.lat);
  };

  return (
    <div className="city-map">
      {search && <PlaceSearch onFound={found} />}
      <div ref={container} data-testid={testId} role="img" className="hotline-map" style={{ height, cursor: onPick ? 'crosshair' : undefined }} />
      {schematic && <div className="city-map-note">{t('map.note')}</div>}
    </div>
  );
}
