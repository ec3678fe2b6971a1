import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, Marker, setWorkerUrl, type GeoJSONSource, type GeoJSONSourceSpecification, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

// MapLibre looks for its worker beside its own module, which bundling moves; tell it where the bundle put it.
setWorkerUrl(workerUrl);

export interface Shapes {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

export interface MapPoint {
  lon: number;
  lat: number;
  /** Marker colour; the picked point is red. */
  color?: string;
  title?: string;
  onClick?: () => void;
}

// A style of our own with no remote tiles, glyphs or sprites: a plain background, then the city's own
// polygons as fill and line layers; names go in HTML markers and lists, never in symbol layers.
const style = {
  version: 8 as const,
  sources: {},
  layers: [{ id: 'background', type: 'background' as const, paint: { 'background-color': '#eef1f4' } }],
};

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

/**
 * A map of the city's polygons (grids or townships) from our own API. Each polygon is filled with its
 * `fill` property when it has one. Clicking the map calls `onPick` with the point; `points` are markers.
 */
export function CityMap({ shapes, points = [], onPick, height = 360, testId }: {
  shapes: Shapes | undefined;
  points?: MapPoint[];
  onPick?: (lon: number, lat: number) => void;
  height?: number | string;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const created = new MapLibreMap({ container: container.current!, style, center: [106.63, 30.46], zoom: 8, attributionControl: false,
      dragRotate: false, pitchWithRotate: false });
    created.on('click', (e: MapMouseEvent) => pick.current?.(Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6));
    map.current = created;
    return () => { created.remove(); map.current = null; };
  }, []);

  useEffect(() => {
    const current = map.current;
    if (!current || !shapes) return;
    const draw = () => {
      const source = current.getSource<GeoJSONSource>('shapes');
      if (source) void source.setData(shapes as GeoJSONSourceSpecification['data'] & object); // nothing waits for the redraw
      else {
        current.addSource('shapes', { type: 'geojson', data: shapes as GeoJSONSourceSpecification['data'] & object });
        current.addLayer({ id: 'shapes-fill', type: 'fill', source: 'shapes',
          paint: { 'fill-color': ['coalesce', ['get', 'fill'], '#dbe4ee'], 'fill-opacity': 0.75 } });
        current.addLayer({ id: 'shapes-line', type: 'line', source: 'shapes', paint: { 'line-color': '#7b8794', 'line-width': 0.6 } });
        const bounds = boundsOf(shapes);
        if (bounds) {
          current.fitBounds(bounds, { padding: 16, animate: false });
          // What the view was fitted to, so a browser test can aim a click at a known place.
          container.current?.setAttribute('data-bounds', JSON.stringify(bounds));
        }
      }
    };
    if (current.isStyleLoaded()) draw(); else current.once('load', draw);
  }, [shapes]);

  useEffect(() => {
    const current = map.current;
    if (!current) return;
    const markers = points.map((p) => {
      const marker = new Marker({ color: p.color ?? '#c8102e' }).setLngLat([p.lon, p.lat]).addTo(current);
      const element = marker.getElement();
      if (p.title) element.title = p.title;
      if (p.onClick) {
        element.style.cursor = 'pointer';
        element.addEventListener('click', (e) => { e.stopPropagation(); p.onClick!(); });
      }
      return marker;
    });
    return () => markers.forEach((m) => m.remove());
  }, [points]);

  return <div ref={container} data-testid={testId} className="hotline-map" style={{ height, cursor: onPick ? 'crosshair' : undefined }} />;
}
