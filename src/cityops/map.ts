/**
 * 一张图 (the one map): components, cases, 12345 tickets and sensor devices as vector-tile layers, each
 * scoped as its own lists are (a layer the caller may not read is refused) and filtered by kind, state,
 * source and a time window. Staff on duty are drawn from their latest positions instead (`listStaffOnDuty`):
 * few, moving, and each look recorded.
 */
import { assertCan, inJurisdiction, type Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { encodeTile, pointsInTile, type TileAddress, type TilePoint } from '../kernel/tiles.ts';
import { ticketKinds, ticketStates, ticketsInTile, type TicketKind, type TicketState } from '../hotline/index.ts';
import { caseSources, caseStates } from './cases.ts';
import { componentStates } from './components.ts';
import { caseScope, cityopsActions, deskOf } from './policy.ts';
import { sensorActions } from './sensors/policy.ts';

export const mapLayers = ['components', 'cases', 'tickets', 'sensors'] as const;
export type MapLayer = (typeof mapLayers)[number];

/** What the map's filters send; which of them a layer heeds is said at each layer. */
export interface MapFilter {
  /** Components: class (2 digits) or class and kind (4); cases: a case kind or its class (C01, C0117); tickets: 咨询, 投诉 …; sensors: device type. */
  kind?: string;
  state?: string;
  /** Cases only: where they came from (patrol, hotline, sensor …). */
  source?: string;
  /** The time window of the slider: cases by report, tickets by receipt. Components and devices are shown as they are now. */
  from?: Date;
  to?: Date;
}

const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** Refuses a filter value the layer does not know, naming the field. */
function checkValue<T extends string>(layer: MapLayer, field: keyof MapFilter, value: string | undefined, check: readonly T[] | RegExp): T | undefined {
  if (value === undefined) return undefined;
  const ok = Array.isArray(check) ? check.includes(value as T) : (check as RegExp).test(value);
  if (!ok) throw new DomainError('cityops.map.bad-filter', { field, layer, value }, `${field} "${value}" is not one of the ${layer} layer's values`);
  return value as T;
}

/** x and y must lie within the zoom's 2^z tiles. */
export function checkTile(tile: TileAddress): TileAddress {
  const n = 2 ** tile.z;
  for (const field of ['x', 'y'] as const)
    if (tile[field] >= n) throw new DomainError('cityops.map.bad-tile', { field, max: n - 1 }, `${field} must be below ${n} at zoom ${tile.z}`);
  return tile;
}

/** Collects SQL conditions, pushing their values onto `params`. */
function conditions(first: string, params: unknown[]) {
  const list = [first];
  return {
    add(value: unknown, sql: (n: number) => string) {
      if (value === undefined) return;
      params.push(value);
      list.push(sql(params.length));
    },
    sql: () => list.join(' AND '),
  };
}

type Layer = (db: Queryable, actor: Actor, tile: TileAddress, filter: MapFilter) => Promise<TilePoint[]>;

const layers: Record<MapLayer, Layer> = {
  async components(db, actor, tile, filter) {
    assertCan(actor, cityopsActions.read);
    const params: unknown[] = [];
    const where = conditions(inJurisdiction('c.division_code', actor.jurisdiction, params), params);
    const kind = checkValue('components', 'kind', filter.kind, /^[0-9]{2}([0-9]{2})?$/);
    where.add(kind?.slice(0, 2), (n) => `c.class_code = $${n}`);
    where.add(kind?.slice(2) || undefined, (n) => `c.kind_code = $${n}`);
    where.add(checkValue('components', 'state', filter.state, componentStates), (n) => `c.state = $${n}`);
    return pointsInTile(db, tile, {
      from: 'cityops_components c', where: where.sql(), params, point: 'c.location', lon: 'c.lon', lat: 'c.lat',
      props: { code: 'c.code', classCode: 'c.class_code', state: 'c.state', address: 'c.address',
        name: '(SELECT k.name_zh FROM cityops_component_kinds k WHERE k.class_code = c.class_code AND k.code = c.kind_code)' },
    });
  },

  async cases(db, actor, tile, filter) {
    assertCan(actor, cityopsActions.caseRead);
    const params: unknown[] = [];
    const where = conditions(caseScope(actor, await deskOf(db, actor), params), params);
    where.add(checkValue('cases', 'kind', filter.kind, /^[CE][0-9]{2}([0-9]{2})?$/), (n) => `c.kind_code LIKE $${n} || '%'`);
    where.add(checkValue('cases', 'state', filter.state, caseStates), (n) => `c.state = $${n}`);
    where.add(checkValue('cases', 'source', filter.source, caseSources), (n) => `c.source = $${n}`);
    where.add(filter.from, (n) => `c.created_at >= $${n}`);
    where.add(filter.to, (n) => `c.created_at < $${n}`);
    return pointsInTile(db, tile, {
      from: 'cityops_cases c', where: where.sql(), params, point: 'point(c.lon, c.lat)', lon: 'c.lon', lat: 'c.lat',
      props: { id: 'c.id::int', code: 'c.code', state: 'c.state', source: 'c.source', urgency: 'c.urgency', address: 'c.address',
        name: '(SELECT k.name_zh FROM cityops_case_kinds k WHERE k.code = c.kind_code)', reportedAt: utc('c.created_at') },
    });
  },

  tickets(db, actor, tile, filter) {
    return ticketsInTile(db, actor, tile, {
      kind: checkValue<TicketKind>('tickets', 'kind', filter.kind, ticketKinds),
      state: checkValue<TicketState>('tickets', 'state', filter.state, ticketStates),
      from: filter.from, to: filter.to,
    });
  },

  async sensors(db, actor, tile, filter) {
    assertCan(actor, sensorActions.read);
    const params: unknown[] = [];
    const where = conditions(inJurisdiction('d.division_code', actor.jurisdiction, params), params);
    where.add(checkValue('sensors', 'kind', filter.kind, /^[a-z][a-z0-9_]{1,39}$/), (n) => `d.type_code = $${n}`);
    where.add(checkValue('sensors', 'state', filter.state, ['never', 'online', 'offline']), (n) => `d.connectivity = $${n}`);
    return pointsInTile(db, tile, {
      from: 'cityops_sensor_devices d', where: where.sql(), params, point: 'point(d.lon, d.lat)', lon: 'd.lon', lat: 'd.lat',
      props: { code: 'd.code', state: 'd.connectivity', enabled: 'd.enabled', address: 'd.name',
        name: '(SELECT t.name_zh FROM cityops_sensor_types t WHERE t.code = d.type_code)' },
    });
  },
};

/**
 * One layer's tile as a Mapbox Vector Tile (layer name = the layer): single points with their properties
 * from zoom 14 on, counts per cell (`count`) further out. Refuses (403) a layer the actor may not read.
 */
export async function mapTile(db: Queryable, actor: Actor, layer: MapLayer, tile: TileAddress, filter: MapFilter): Promise<Uint8Array> {
  checkTile(tile);
  if (filter.from && filter.to && filter.from >= filter.to)
    throw new DomainError('cityops.map.bad-window', { field: 'to' }, 'the window ends before it starts');
  return encodeTile(tile, { [layer]: await layers[layer](db, actor, tile, filter) });
}
