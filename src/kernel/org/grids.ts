/**
 * 网格: the polygons of grid management under a township or a village/community, each looked after by a
 * grid worker. `gridAt` answers "which grid is this point in?" for routing reports by location.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import { divisionLevel, divisionPrefix } from '../checks/index.ts';
import type { Actor, Ctx } from '../auth/actor.ts';
import { assertCan, inJurisdiction } from '../auth/policy.ts';
import { readStamps, stampedCache, type Queryable } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { appendToLedger } from '../ledger/index.ts';
import { divisionExists } from './divisions.ts';
import { checkedCode, checkedDivisionCode, requiredText } from './input.ts';

/** A GeoJSON Polygon (RFC 7946): rings of [lon, lat] positions, the first ring the outer boundary. */
export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface Grid {
  code: string;
  name: string;
  divisionCode: string;
  /** Drawn by the demo, not surveyed. */
  schematic: boolean;
  geometry: Polygon;
}

export type GridFeature = {
  type: 'Feature';
  id: string;
  geometry: Polygon;
  properties: Omit<Grid, 'geometry'>;
};

const gridColumns = 'code, name, division_code AS "divisionCode", schematic, geometry';

function badGeometry(field: string, reason: string, message: string): DomainError {
  return new DomainError('org.grid.bad-geometry', { field, reason }, message);
}

/**
 * Checks a GeoJSON Polygon: every ring closed, with at least 4 positions, longitudes in [-180, 180] and
 * latitudes in [-90, 90], enclosing an area. The error names the ring or position at fault.
 */
export function checkPolygon(value: unknown, field = 'geometry'): Polygon {
  const polygon = value as { type?: unknown; coordinates?: unknown } | null;
  if (typeof polygon !== 'object' || polygon === null || polygon.type !== 'Polygon')
    throw badGeometry(`${field}.type`, 'type', 'a grid is a GeoJSON Polygon');
  if (!Array.isArray(polygon.coordinates) || polygon.coordinates.length === 0)
    throw badGeometry(`${field}.coordinates`, 'rings', 'a polygon has at least one ring');
  const rings = polygon.coordinates.map((ring: unknown, r) => {
    const ringField = `${field}.coordinates.${r}`;
    if (!Array.isArray(ring) || ring.length < 4)
      throw badGeometry(ringField, 'ring-length', 'a ring has at least 4 positions, the last repeating the first');
    const positions = ring.map((position: unknown, p) => {
      if (!Array.isArray(position) || position.length < 2 || position.length > 3 || !position.every(Number.isFinite))
        throw badGeometry(`${ringField}.${p}`, 'position', 'a position is [longitude, latitude]');
      const [lon, lat] = position as number[];
      if (lon < -180 || lon > 180) throw badGeometry(`${ringField}.${p}`, 'longitude', `longitude ${lon} is outside [-180, 180]`);
      if (lat < -90 || lat > 90) throw badGeometry(`${ringField}.${p}`, 'latitude', `latitude ${lat} is outside [-90, 90]`);
      return position as number[];
    });
    const [first, last] = [positions[0]!, positions[positions.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1])
      throw badGeometry(ringField, 'not-closed', 'a ring ends where it starts');
    let doubleArea = 0;
    for (let i = 0; i + 1 < positions.length; i++)
      doubleArea += positions[i]![0]! * positions[i + 1]![1]! - positions[i + 1]![0]! * positions[i]![1]!;
    if (doubleArea === 0) throw badGeometry(ringField, 'no-area', 'a ring encloses an area');
    return positions;
  });
  return { type: 'Polygon', coordinates: rings };
}

/** The grids under a division (its own and those of the divisions below it) within the jurisdiction, as GeoJSON. */
export async function listGrids(db: Queryable, actor: Actor, query: { divisionCode: string }) {
  assertCan(actor, 'org.read');
  const code = checkedDivisionCode(query.divisionCode, 'divisionCode');
  const params: unknown[] = [`${divisionPrefix(code)}%`];
  const { rows } = await db.query<Grid>(
    `SELECT ${gridColumns} FROM grids WHERE division_code LIKE $1 AND ${inJurisdiction('division_code', actor.jurisdiction, params)}
      ORDER BY code`, params);
  return { type: 'FeatureCollection' as const, features: rows.map(gridFeature) };
}

export function gridFeature({ geometry, ...properties }: Grid): GridFeature {
  return { type: 'Feature', id: properties.code, geometry, properties };
}

export interface CreateGrid {
  code: string;
  name: string;
  divisionCode: string;
  geometry: unknown;
}

/** Draws a grid under a township or a village/community. */
export async function createGrid(ctx: Ctx, input: CreateGrid): Promise<Grid> {
  const divisionCode = checkedDivisionCode(input.divisionCode, 'divisionCode');
  assertCan(ctx.actor, 'org.grid.manage', { divisionCode });
  const level = divisionLevel(divisionCode);
  if (level !== 'township' && level !== 'village')
    throw new DomainError('org.grid.wrong-level', { field: 'divisionCode', level }, 'grids are drawn under a township or a village/community');
  const code = checkedCode(input.code, 'org.grid.bad-code');
  const name = requiredText(input.name, 'name', 60);
  const geometry = checkPolygon(input.geometry);
  if (!(await divisionExists(ctx.tx, divisionCode)))
    throw new DomainError('org.division.unknown', { field: 'divisionCode' }, `division ${divisionCode} does not exist`);
  const { rows } = await ctx.tx.query<Grid>(
    `INSERT INTO grids (code, name, division_code, geometry, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING ${gridColumns}`, [code, name, divisionCode, JSON.stringify(geometry), ctx.now]);
  if (!rows[0]) throw new DomainError('org.grid.code-taken', { status: 409, field: 'code' }, `a grid has the code ${code}`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'org.grid.created', object: { type: 'grid', id: code },
    payload: { code, name, divisionCode, geometry }, at: ctx.now });
  return rows[0];
}

interface GridIndex {
  grids: Grid[];
  /** Bounding boxes of `grids`, in the same order; null when there are none. */
  boxes: Flatbush | null;
}

/** Indexes by the grids' stamp (`cache_stamps`): a change is seen by the next lookup that can see it. */
const indexes = stampedCache<GridIndex>(4);

async function buildIndex(db: Queryable): Promise<GridIndex> {
  const { rows: grids } = await db.query<Grid>(`SELECT ${gridColumns} FROM grids ORDER BY code`);
  if (grids.length === 0) return { grids, boxes: null };
  const boxes = new Flatbush(grids.length);
  for (const grid of grids) {
    const outer = grid.geometry.coordinates[0]!;
    const lons = outer.map((p) => p[0]!);
    const lats = outer.map((p) => p[1]!);
    boxes.add(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats));
  }
  boxes.finish();
  return { grids, boxes };
}

/**
 * The grid containing the point (WGS 84 longitude, latitude), or null. A point on the edge two grids
 * share goes to the one with the smaller code. `via` may be a transaction, which then also sees its own
 * uncommitted grids; a command that has read the stamps already passes the grids' one.
 */
export async function gridAt(via: Queryable, lon: number, lat: number, stamp?: string): Promise<Grid | null> {
  const index = await indexes(stamp ?? (await readStamps(via, ['grids'])).grids, () => buildIndex(via));
  return gridIn(index, lon, lat);
}

function gridIn({ grids, boxes }: GridIndex, lon: number, lat: number): Grid | null {
  if (!boxes) return null;
  const candidates = boxes.search(lon, lat, lon, lat).sort((a, b) => a - b);
  const found = candidates.find((i) => booleanPointInPolygon([lon, lat], grids[i]!.geometry));
  return found === undefined ? null : grids[found]!;
}
