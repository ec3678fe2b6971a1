/**
 * Vector tiles (Mapbox Vector Tile 2.1) cut by the platform from its own rows, with no PostGIS: a tile's box
 * in longitude and latitude (Web Mercator, XYZ numbering), the rows of a layer inside it as single points or,
 * when zoomed out or too many, as counts per cell of a 16 × 16 grid computed in SQL, and the encoding.
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
/** Cells per tile side when counting: 32 screen pixels apart on a map of 512-pixel tiles. */
const cells = 16;
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

/**
 * What a layer's rows are: `from` (a table with an alias), `where` (conditions on it, with `params`), `point`
 * (an SQL point of longitude and latitude that a GiST index covers), `lon` and `lat` (columns), and `props`
 * (property name → SQL expression) sent with single points only.
 */
export interface TileQuery {
  from: string;
  where: string;
  params: unknown[];
  point: string;
  lon: string;
  lat: string;
  props: Record<string, string>;
}

/**
 * The rows of a layer in a tile: single points from `pointZoom` on while there are at most `pointLimit`,
 * else counts per cell. The box goes through the GiST index of `point`; a cell belongs to one tile, so no
 * point is counted twice.
 */
export async function pointsInTile(db: Queryable, tile: TileAddress, query: TileQuery): Promise<TilePoint[]> {
  const [west, south, east, north] = tileBounds(tile);
  // The box is written into the statement, not passed as a parameter: statements run with generic plans
  // (src/kernel/db), and only a box the planner sees tells it a tile at zoom 16 is a few rows of the index.
  const within = (margin: number) => {
    const dx = (east - west) * margin;
    const dy = (north - south) * margin;
    return `(${query.where}) AND ${query.point} <@ box(point(${west - dx}, ${south - dy}), point(${east + dx}, ${north + dy}))`;
  };
  if (tile.z >= pointZoom) {
    const names = Object.keys(query.props);
    const columns = names.map((name, i) => `${query.props[name]} AS p${i}`);
    const { rows } = await db.query<Record<string, TileValue>>(
      `SELECT ${[`${query.lon} AS lon`, `${query.lat} AS lat`, ...columns].join(', ')} FROM ${query.from} WHERE ${within(buffer)} LIMIT ${pointLimit + 1}`,
      query.params);
    if (rows.length <= pointLimit)
      return rows.map((r) => ({ lon: r.lon as number, lat: r.lat as number, count: 1, props: Object.fromEntries(names.map((name, i) => [name, r[`p${i}`] ?? null])) }));
  }
  const { rows } = await db.query<{ lon: number; lat: number; count: number }>(
    `SELECT avg(${query.lon}) AS lon, avg(${query.lat}) AS lat, count(*)::int AS count FROM ${query.from} WHERE ${within(0)}
      GROUP BY floor((${query.lon} - ${west}) / ${(east - west) / cells}), floor((${query.lat} - ${south}) / ${(north - south) / cells})`, query.params);
  return rows.map((r) => ({ lon: r.lon, lat: r.lat, count: r.count, props: {} }));
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
