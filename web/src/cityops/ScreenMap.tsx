import { useEffect, useRef, useState } from 'react';
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { api, query } from '../api';
import type { Shapes } from '../map';

setWorkerUrl(workerUrl);

type Data = Parameters<GeoJSONSource['setData']>[0];

/** A point on the screen's map: today's cases (overdue in amber) and the sensor alarms raised (red). */
export interface ScreenPoint {
  id: string;
  lon: number;
  lat: number;
  kind: 'case' | 'overdue' | 'alarm';
}

/** Something that just happened, pulsing where it happened for a while. */
export interface Pulse {
  key: string;
  lon: number;
  lat: number;
  at: number;
}

const colors = { case: '#36cfc9', overdue: '#faad14', alarm: '#ff4d4f' };
const labelFonts = ['Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei'];

const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features }) as Data;
const point = (lon: number, lat: number, properties: Record<string, unknown>) =>
  ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties });

/** The middle of a county's outer ring, for its name. */
function middle(geometry: Shapes['features'][number]['geometry']): [number, number] {
  const parts = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  const ring = parts.map((p) => p[0]!).reduce((a, b) => (b.length > a.length ? b : a));
  return [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
}

/** West-south and east-north corners of all the counties' outer rings. */
function extentOf(shapes: Shapes): [[number, number], [number, number]] | null {
  const corners = shapes.features.flatMap((f) => {
    const parts = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
    return parts.flatMap((p) => p[0]!);
  });
  if (corners.length === 0) return null;
  const [west, south, east, north] = corners.reduce(([w, s, e, n], [x, y]) => [Math.min(w, x!), Math.min(s, y!), Math.max(e, x!), Math.max(n, y!)],
    [Infinity, Infinity, -Infinity, -Infinity]);
  return [[west, south], [east, north]];
}

/**
 * The screen's map, dark for a control room: the counties of the caller's city with their names, today's cases and the
 * alarms as dots, and new events as rings that pulse (a GeoJSON source with a circle layer whose radius and opacity
 * follow one animation phase). Drawn from the platform's own boundaries; nothing is fetched from outside.
 */
export default function ScreenMap({ points, pulses, onCase }: { points: ScreenPoint[]; pulses: Pulse[]; onCase?: (id: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap>();
  const caseClick = useRef(onCase);
  caseClick.current = onCase;

  useEffect(() => {
    const created = new MapLibreMap({ container: container.current!, center: [106.75, 30.45], zoom: 8, attributionControl: false,
      dragRotate: false, pitchWithRotate: false, fadeDuration: 0, localIdeographFontFamily: labelFonts.join(', '),
      style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#06122b' } }] } });
    let live = true;
    created.once('load', () => {
      void api<Shapes>('GET', `/org/boundaries${query({ level: 'county' })}`).then((counties) => {
        if (!live) return;
        created.addSource('counties', { type: 'geojson', data: counties as Data });
        created.addSource('county-names', { type: 'geojson',
          data: collection(counties.features.map((f) => point(...middle(f.geometry), { name: f.properties.name }))) });
        created.addSource('points', { type: 'geojson', data: collection([]) });
        created.addSource('pulses', { type: 'geojson', data: collection([]) });
        created.addLayer({ id: 'counties-fill', type: 'fill', source: 'counties', paint: { 'fill-color': '#0b2a5b', 'fill-opacity': 0.85 } });
        created.addLayer({ id: 'counties-line', type: 'line', source: 'counties', paint: { 'line-color': '#4fa3ff', 'line-width': 1.6 } });
        created.addLayer({ id: 'county-names', type: 'symbol', source: 'county-names',
          layout: { 'text-field': ['get', 'name'], 'text-font': labelFonts, 'text-size': 18 },
          paint: { 'text-color': '#bcd7ff', 'text-halo-color': '#06122b', 'text-halo-width': 1.6 } });
        created.addLayer({ id: 'points', type: 'circle', source: 'points', paint: {
          'circle-color': ['match', ['get', 'kind'], 'alarm', colors.alarm, 'overdue', colors.overdue, colors.case],
          'circle-radius': 4, 'circle-opacity': 0.9 } });
        created.addLayer({ id: 'pulses', type: 'circle', source: 'pulses', paint: {
          'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': ['get', 'color'], 'circle-stroke-width': 3, 'circle-radius': 6, 'circle-stroke-opacity': 1 } });
        created.on('click', 'points', (e) => {
          const id = String(e.features?.[0]?.properties.id ?? '');
          if (id.startsWith('case-')) caseClick.current?.(Number(id.slice(5)));
        });
        const extent = extentOf(counties);
        if (extent) {
          // The whole city in view, again at every change of size, with names and dots in proportion to the map's width
          // (18 px names on a map 930 px wide at 1920×1080, twice that at 3840×2160).
          const fit = () => {
            created.fitBounds(extent, { padding: 24, animate: false });
            const width = container.current?.clientWidth ?? 930;
            created.setLayoutProperty('county-names', 'text-size', Math.round(width / 52));
            created.setPaintProperty('points', 'circle-radius', Math.max(3, Math.round(width / 230)));
          };
          fit();
          created.on('resize', fit);
        }
        setMap(created);
      });
    });
    created.on('idle', () => {
      // What is on show, for checking that the map is drawn: the county names and the dots.
      const names = created.getLayer('county-names') ? created.queryRenderedFeatures({ layers: ['county-names'] }).map((f) => String(f.properties.name)) : [];
      container.current?.setAttribute('data-labels', JSON.stringify([...new Set(names)]));
    });
    return () => { live = false; created.remove(); };
  }, []);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>('points')?.setData(collection(points.map((p) => point(p.lon, p.lat, { id: p.id, kind: p.kind }))));
    container.current?.setAttribute('data-points', String(points.length));
  }, [map, points]);

  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>('pulses')?.setData(collection(pulses.map((p) => point(p.lon, p.lat, {
      color: p.key.startsWith('alarm') ? colors.alarm : p.key.startsWith('order') ? '#b37feb' : colors.case }))));
    container.current?.setAttribute('data-pulses', String(pulses.length));
    if (pulses.length === 0) return;
    // One phase for every ring: a second from small and bright to wide and faded, about 20 frames a second.
    const timer = setInterval(() => {
      const phase = (Date.now() % 1000) / 1000;
      map.setPaintProperty('pulses', 'circle-radius', 6 + phase * 22);
      map.setPaintProperty('pulses', 'circle-stroke-opacity', 1 - phase);
    }, 50);
    return () => clearInterval(timer);
  }, [map, pulses]);

  // MapLibre makes its container `position: relative`: the frame that fills the panel is a wrapper around it.
  return <div className="screen-map"><div ref={container} data-testid="screen-map" role="img" style={{ width: '100%', height: '100%' }} /></div>;
}
