import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Skeleton } from 'antd';
import type { Map as MapLibreMap } from 'maplibre-gl';

export { AddressCheck } from './AddressCheck';

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
  /** The picked point: dragging it picks its new place. */
  draggable?: boolean;
}

/** Many points at once (thousands), drawn as dots, each with its colour; a marker each would not do. */
export interface MapDots {
  points: { id: string; lon: number; lat: number; color: string }[];
  onClick?: (id: string) => void;
}

/** West, south, east, north. */
export type MapView = [number, number, number, number];

export interface CityMapProps {
  /** A page's own coloured polygons (a `fill` property each), drawn over the city instead of the township tints. */
  shapes?: Shapes;
  points?: MapPoint[];
  dots?: MapDots;
  /** The box in view, once the map has its place and after every move: for a page that loads what is in view. */
  onView?: (view: MapView) => void;
  onPick?: (lon: number, lat: number) => void;
  /** The map once its boundaries are drawn, for a page that adds its own sources and layers above them. */
  onMap?: (map: MapLibreMap) => void;
  height?: number;
  testId?: string;
  /** The place search box above the map (on by default). */
  search?: boolean;
  /** The box to show at first instead of the whole city (a case and the grids around it). */
  fit?: MapView;
}

const MapLibreCityMap = lazy(() => import('./CityMap'));

/**
 * The city map, loaded once it comes near the screen: the map library is most of a page's weight, and a
 * phone that never scrolls to the map never downloads it.
 */
export function CityMap(props: CityMapProps) {
  const holder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { setNear(true); observer.disconnect(); }
    }, { rootMargin: '300px' });
    observer.observe(holder.current!);
    return () => observer.disconnect();
  }, []);
  const waiting = <Skeleton.Node active style={{ width: '100%', height: (props.height ?? 360) + (props.search === false ? 0 : 40) }} />;
  return (
    <div ref={holder} className="city-map-holder">
      {near ? <Suspense fallback={waiting}><MapLibreCityMap {...props} /></Suspense> : waiting}
    </div>
  );
}
