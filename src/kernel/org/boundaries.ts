/**
 * 边界: the shapes of counties, townships, communities (社区/村) and grids for maps, drawn from the grids
 * alone (public: code, name, level; no people). Grids tile each township, so a township is the union of
 * its grids, a county the union of its townships' grids and a community the union of its own grids. The union is exact for tiles that meet edge to edge on shared
 * coordinates (as drawn by the demo and by any survey that shares vertices): every edge is split at the
 * vertices lying on it, edges two tiles share cancel out, and what is left is chained into rings. A part
 * that is split off or a hole comes out as its own ring, so the result may be a MultiPolygon.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { divisionLevel, divisionPrefix } from '../checks/index.ts';
import type { Db, Queryable } from '../db/index.ts';
import type { Polygon } from './grids.ts';

export const boundaryLevels = ['county', 'township', 'community', 'grid'] as const;
export type BoundaryLevel = (typeof boundaryLevels)[number];

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

export interface BoundaryFeature {
  type: 'Feature';
  id: string;
  geometry: Polygon | MultiPolygon;
  properties: { code: string; name: string; level: BoundaryLevel; parentCode: string | null; schematic: boolean };
}

export interface Boundaries {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

type Point = [number, number];
type Ring = Point[];

const key = (p: Point) => `${p[0]},${p[1]}`;

/** Twice the signed area: positive for a counter-clockwise ring. */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum;
}

/** Is p on the open segment a–b? Exact for the shared coordinates the union relies on. */
function strictlyBetween(a: Point, b: Point, p: Point): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (cross !== 0) return false;
  const dot = (p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1]);
  const length = (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2;
  return dot > 0 && dot < length;
}

/** The union of polygons that tile without overlapping, as a Polygon or, for several parts, a MultiPolygon. */
export function unionOfTiles(polygons: Polygon[]): Polygon | MultiPolygon {
  // Outer rings, counter-clockwise, without the closing position.
  const rings: Ring[] = polygons.map((p) => {
    const ring = p.coordinates[0]!.map((q) => [q[0]!, q[1]!] as Point);
    const open = ring.slice(0, -1);
    return signedArea(ring) < 0 ? open.reverse() : open;
  });
  const byKey = new Map(rings.flat().map((p) => [key(p), p]));
  // Sorted by longitude, so the vertices that may lie on an edge are found by bisection, not by a scan of all.
  const vertices = [...byKey.values()].sort((u, v) => u[0] - v[0]);
  const firstAtOrEast = (lon: number) => {
    let [low, high] = [0, vertices.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (vertices[mid]![0] < lon) low = mid + 1; else high = mid;
    }
    return low;
  };
  const onEdge = (a: Point, b: Point): Point[] => {
    const found: Point[] = [];
    for (let i = firstAtOrEast(Math.min(a[0], b[0])); i < vertices.length && vertices[i]![0] <= Math.max(a[0], b[0]); i++)
      if (strictlyBetween(a, b, vertices[i]!)) found.push(vertices[i]!);
    return found;
  };
  const edges = new Map<string, { from: Point; to: Point }>();
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      const cuts = onEdge(a, b)
        .sort((u, v) => (u[0] - a[0]) ** 2 + (u[1] - a[1]) ** 2 - ((v[0] - a[0]) ** 2 + (v[1] - a[1]) ** 2));
      const points = [a, ...cuts, b];
      for (let j = 0; j + 1 < points.length; j++) {
        const [from, to] = [points[j]!, points[j + 1]!];
        const reverse = `${key(to)}>${key(from)}`;
        // An edge two tiles share runs both ways: it is inside the union.
        if (edges.has(reverse)) edges.delete(reverse);
        else edges.set(`${key(from)}>${key(to)}`, { from, to });
      }
    }
  }
  const outgoing = new Map<string, Point[]>();
  for (const { from, to } of edges.values()) outgoing.set(key(from), [...(outgoing.get(key(from)) ?? []), to]);
  const chained: Ring[] = [];
  for (const [startKey, targets] of outgoing) {
    while (targets.length > 0) {
      const start = byKey.get(startKey)!;
      const ring: Ring = [start];
      let next: Point | undefined = targets.pop();
      // Overlapping tiles can leave a chain open; it is closed where it stops.
      while (next !== undefined && key(next) !== startKey) {
        ring.push(next);
        next = outgoing.get(key(next))?.pop();
      }
      ring.push(start);
      const simplified = dropCollinear(ring);
      if (simplified.length >= 4) chained.push(simplified);
    }
  }
  const outers = chained.filter((r) => signedArea(r) > 0);
  const holes = chained.filter((r) => signedArea(r) < 0);
  const parts = outers.map((outer) => [outer, ...holes.filter((h) =>
    booleanPointInPolygon(h[0]!, { type: 'Polygon', coordinates: [outer] }, { ignoreBoundary: false }))]);
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
}

/** A closed ring without the vertices that lie on a straight run (left by the splitting). */
function dropCollinear(ring: Ring): Ring {
  const open = ring.slice(0, -1);
  const kept = open.filter((p, i) => {
    const prev = open[(i - 1 + open.length) % open.length]!;
    const next = open[(i + 1) % open.length]!;
    return (p[0] - prev[0]) * (next[1] - prev[1]) - (p[1] - prev[1]) * (next[0] - prev[0]) !== 0;
  });
  return kept.length < 3 ? [] : [...kept, kept[0]!];
}

interface GridRow {
  code: string;
  name: string;
  divisionCode: string;
  schematic: boolean;
  geometry: Polygon;
}

async function buildBoundaries(db: Queryable, level: BoundaryLevel): Promise<Boundaries> {
  const { rows: grids } = await db.query<GridRow>(
    'SELECT code, name, division_code AS "divisionCode", schematic, geometry FROM grids ORDER BY code');
  if (level === 'grid')
    return { type: 'FeatureCollection', features: grids.map((g) => ({ type: 'Feature', id: g.code, geometry: g.geometry,
      properties: { code: g.code, name: g.name, level, parentCode: g.divisionCode, schematic: g.schematic } })) };
  const byArea = new Map<string, GridRow[]>();
  for (const grid of grids) {
    if (level === 'community' && divisionLevel(grid.divisionCode) !== 'village') continue; // a township's own grids belong to no community
    const code = level === 'community' ? grid.divisionCode : grid.divisionCode.slice(0, level === 'county' ? 6 : 9).padEnd(12, '0');
    byArea.set(code, [...(byArea.get(code) ?? []), grid]);
  }
  const { rows: divisions } = await db.query<{ code: string; name: string; parentCode: string | null }>(
    'SELECT code, name, parent_code AS "parentCode" FROM divisions WHERE code = ANY($1)', [[...byArea.keys()]]);
  const named = new Map(divisions.map((d) => [d.code, d]));
  return {
    type: 'FeatureCollection',
    features: [...byArea].filter(([code]) => named.has(code)).map(([code, tiles]) => ({
      type: 'Feature', id: code, geometry: unionOfTiles(tiles.map((t) => t.geometry)),
      properties: { code, name: named.get(code)!.name, level, parentCode: named.get(code)!.parentCode, schematic: tiles.some((t) => t.schematic) },
    })),
  };
}

/**
 * Built once per pool and level and kept until the grids or the divisions change: each cached collection is
 * tagged with the grids' stamp (renewed by a trigger in every transaction that changes grids) and the
 * divisions' count and latest change, which name the areas.
 */
const cache = new WeakMap<Db, Map<BoundaryLevel, { tag: string; boundaries: Promise<Boundaries> }>>();

/** The boundaries of one level, optionally only those under a division. */
export async function listBoundaries(db: Db, query: { level: BoundaryLevel; within?: string }): Promise<Boundaries> {
  const { tag } = (await db.query<{ tag: string }>(
    `SELECT g.stamp || '/' || d.n || '/' || coalesce(d.changed::text, '') AS tag
       FROM cache_stamps g, (SELECT count(*) AS n, max(updated_at) AS changed FROM divisions) d WHERE g.name = 'grids'`)).rows[0]!;
  const perLevel = cache.get(db) ?? new Map<BoundaryLevel, { tag: string; boundaries: Promise<Boundaries> }>();
  cache.set(db, perLevel);
  let entry = perLevel.get(query.level);
  if (entry?.tag !== tag) {
    entry = { tag, boundaries: buildBoundaries(db, query.level) };
    perLevel.set(query.level, entry);
    const built = entry;
    // The caller gets the failure; forgetting it lets the next call build again.
    built.boundaries.catch(() => { if (perLevel.get(query.level) === built) perLevel.delete(query.level); });
  }
  const all = await entry.boundaries;
  if (query.within === undefined) return all;
  const prefix = divisionPrefix(query.within);
  return { type: 'FeatureCollection', features: all.features.filter((f) =>
    (f.properties.level === 'grid' ? f.properties.parentCode! : f.properties.code).startsWith(prefix)) };
}
