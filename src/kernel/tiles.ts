/**
 * Vector tiles (Mapbox Vector Tile 2.1) cut by the platform from its own rows, with no PostGIS: a tile's box
 * in longitude and latitude (Web Mercator, XYZ numbering), the rows of a layer inside it as single points or,
 * when zoomed out or too many, as counts per cell of a 16 × 16 grid (the tiles four zooms in) computed in SQL
 * or kept ahead of time by the layer's module, and the encoding.
 */
import { fromVectorTileJs, GeoJSONWrapper, type Feature } from '@maplibre/vt-pbf';
import type { Queryable } from './db/index.ts';

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** Units per tile side in the encoded geometry. */
const extent = 4096;
/** Zoomed out further than this, a layer is counts per cell; from here on, single points (up to `pointLimit`). */
export const pointZoom = 14;
/** More points than this in one tile are sent as counts per cell instead. */
const pointLimit = 5_000;
/** Cells are the tiles this many zooms in: 16 per tile side, 32 screen pixels apart on a map of 512-pixel tiles. */
const cellZoom = 4;
/** Points this far beyond the tile's edge (a share of its side) are included, so circles at the edge are not cut. */
const buffer = 1 / 64;

const lonOf = (x: number, n: number) => (x / n) * 360 - 180;
const latOf = (y: number, n: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;

/** [west, south, east, north] of a tile. */
export function tileBounds({ z, x, y }: TileAddress): [number, number, number, number] {
  const n = 2 ** z;
  return [lonOf(x, n), latOf(y + 1, n), lonOf(x + 1, n), latOf(y, n)];
}

/** Where a point falls in the tile, in tile units (0 to 4096 inside it). */
function tileUnits({ z, x, y }: TileAddress, lon: number, lat: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const mx = ((lon + 180) / 360) * n - x;
  const my = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n - y;
  return [Math.round(mx * extent), Math.round(my * extent)];
}

export type TileValue = string | number | boolean | null;

/** A point of a layer, or the count of a cell placed at the mean of its points (`count` > 1 or no `props`). */
export interface TilePoint {
  lon: number;
  lat: number;
  count: number;
  props: Record<string, TileValue>;
}

/** SQL for the XYZ tile at `level` holding a point: its x and y (the same arithmetic as tileUnits). */
export function cellOf(lon: string, lat: string, level: number): { x: string; y: string } {
  const n = 2 ** level;
  return {
    x: `floor((${lon} + 180) / 360 * ${n})::int`,
    y: `floor((1 - ln(tan(radians(${lat})) + 1 / cos(radians(${lat}))) / pi()) / 2 * ${n})::int`,
  };
}

/** The rows of a cell (the XYZ tile cx, cy at some level): how many, and the sums of their coordinates. */
export interface CellCount {
  cx: number;
  cy: number;
  count: number;
  lonSum: number;
  latSum: number;
}

/** Counts a layer keeps ahead of time for a tile's cells, and `rest`: the SQL condition for the rows they leave out. */
export interface KeptCounts {
  cells: CellCount[];
  rest: string;
}

/**
 * What a layer's rows are: `from` (a table with an alias), `where` (conditions on it, with `params`), `point`
 * (an SQL point of longitude and latitude that a GiST index covers), `lon` and `lat` (columns), and `props`
 * (property name → SQL expression) sent with single points only. `kept`, when the layer keeps counts ahead of
 * time, gives them for the cells at a level inside a tile, or null where it keeps none.
 */
export interface TileQuery {
  from: string;
  where: string;
  params: unknown[];
  point: string;
  lon: string;
  lat: string;
  props: Record<string, string>;
  kept?: (level: number, tile: TileAddress) => Promise<KeptCounts | null>;
}

/** The first and last x and y of the cells at `level` inside a tile (level ≥ the tile's zoom). */
export function cellRange({ z, x, y }: TileAddress, level: number) {
  const side = 2 ** (level - z);
  return { x0: x * side, x1: (x + 1) * side - 1, y0: y * side, y1: (y + 1) * side - 1 };
}

/**
 * The rows of a layer in a tile: single points from `pointZoom` on while there are at most `pointLimit`,
 * else counts per cell. The box goes through the GiST index of `point`; a cell belongs to one tile, so no
 * point is counted twice. Counts the layer keeps are added to those of the rows they leave out.
 */
export async function pointsInTile(db: Queryable, tile: TileAddress, query: TileQuery): Promise<TilePoint[]> {
  const [west, south, east, north] = tileBounds(tile);
  // The box is written into the statement, not passed as a parameter: statements run with generic plans
  // (src/kernel/db), and only a box the planner sees tells it a tile at zoom 16 is a few rows of the index.
  const within = (where: string, margin: number) => {
    const dx = (east - west) * margin;
    const dy = (north - south) * margin;
    return `(${where}) AND ${query.point} <@ box(point(${west - dx}, ${south - dy}), point(${east + dx}, ${north + dy}))`;
  };
  // The rows kept counts leave out are few and found by their own condition: the box must not tempt the
  // planner into its index, which reads every row of a zoomed-out tile.
  const besides = (kept: KeptCounts) =>
    `(${query.where}) AND (${kept.rest}) AND ${query.lon} BETWEEN ${west} AND ${east} AND ${query.lat} BETWEEN ${south} AND ${north}`;
  if (tile.z >= pointZoom && !(await overLimit(db, tile, query, besides))) {
    const names = Object.keys(query.props);
    const columns = names.map((name, i) => `${query.props[name]} AS p${i}`);
    const { rows } = await db.query<Record<string, TileValue>>(
      `SELECT ${[`${query.lon} AS lon`, `${query.lat} AS lat`, ...columns].join(', ')} FROM ${query.from} WHERE ${within(query.where, buffer)} LIMIT ${pointLimit + 1}`,
      query.params);
    if (rows.length <= pointLimit)
      return rows.map((r) => ({ lon: r.lon as number, lat: r.lat as number, count: 1, props: Object.fromEntries(names.map((name, i) => [name, r[`p${i}`] ?? null])) }));
  }
  const level = tile.z + cellZoom;
  const kept = await query.kept?.(level, tile) ?? null;
  const cell = cellOf(query.lon, query.lat, level);
  const { rows } = await db.query<CellCount>(
    `SELECT ${cell.x} AS cx, ${cell.y} AS cy, count(*)::int AS count, sum(${query.lon}) AS "lonSum", sum(${query.lat}) AS "latSum"
       FROM ${query.from} WHERE ${kept ? besides(kept) : within(query.where, 0)} GROUP BY 1, 2`, query.params);
  // A point on the box's east or south edge lies in the next tile's cell: that tile counts it.
  const { x0, x1, y0, y1 } = cellRange(tile, level);
  const cells = new Map<string, CellCount>();
  for (const c of [...(kept?.cells ?? []), ...rows]) {
    if (c.cx < x0 || c.cx > x1 || c.cy < y0 || c.cy > y1) continue;
    const key = `${c.cx}/${c.cy}`;
    const sum = cells.get(key);
    if (sum) {
      sum.count += c.count;
      sum.lonSum += c.lonSum;
      sum.latSum += c.latSum;
    } else {
      cells.set(key, { ...c });
    }
  }
  return [...cells.values()].filter((c) => c.count > 0).map((c) => ({ lon: c.lonSum / c.count, lat: c.latSum / c.count, count: c.count, props: {} }));
}

/** Whether kept counts already put more than `pointLimit` rows in the tile, so its points need not be read. */
async function overLimit(db: Queryable, tile: TileAddress, query: TileQuery, besides: (kept: KeptCounts) => string): Promise<boolean> {
  const kept = await query.kept?.(tile.z, tile);
  if (!kept) return false;
  const counted = kept.cells.reduce((sum, c) => sum + c.count, 0);
  if (counted <= pointLimit) return false;
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${query.from} WHERE ${besides(kept)}`, query.params);
  return counted + rows[0]!.n > pointLimit;
}

/** Encodes the layers of one tile (layer name → its points) as a Mapbox Vector Tile. */
export function encodeTile(tile: TileAddress, layers: Record<string, TilePoint[]>): Uint8Array {
  const wrapped = Object.fromEntries(Object.entries(layers).map(([name, points]) => {
    const features: Feature[] = points.map((p) => ({ type: 1, geometry: [tileUnits(tile, p.lon, p.lat)], tags: { ...p.props, count: p.count } }));
    const layer = new GeoJSONWrapper(features, { version: 2, extent });
    layer.name = name;
    return [name, layer];
  }));
  return fromVectorTileJs({ layers: wrapped });
}
