/**
 * 一张图 (the one map): the tickets of a map tile, scoped like every ticket list. A tile carries no caller's
 * name or phone, no description and no address: the number, kind, category, state and time of receipt only.
 */
import { assertCan, type Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { pointsInTile, type TileAddress, type TilePoint } from '../kernel/tiles.ts';
import { hotlineActions, isCentre, seesJurisdiction, ticketScope } from './policy.ts';
import { keptTicketCounts, sqlInstant } from './tile-counts.ts';
import type { TicketKind, TicketState } from './states.ts';

export interface TicketTileFilter {
  state?: TicketState;
  kind?: TicketKind;
  /** Received at or after. */
  from?: Date;
  /** Received before. */
  to?: Date;
}

/** The tickets with a point in the tile that the actor may read, as points (zoomed in) or counts per cell. */
export async function ticketsInTile(db: Queryable, actor: Actor, tile: TileAddress, filter: TicketTileFilter): Promise<TilePoint[]> {
  assertCan(actor, hotlineActions.read);
  const params: unknown[] = [];
  const centre = await isCentre(db, actor);
  const conditions = ['t.lon IS NOT NULL AND t.lat IS NOT NULL', ticketScope(actor, centre, params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (filter.state) add((n) => `t.state = $${n}`, filter.state);
  if (filter.kind) add((n) => `t.kind = $${n}`, filter.kind);
  // The window is written into the statement, as the tile's box is (src/kernel/tiles.ts): a generic plan does not
  // know a window of a day from one of a year.
  if (filter.from) conditions.push(`t.received_at >= ${sqlInstant(filter.from)}`);
  if (filter.to) conditions.push(`t.received_at < ${sqlInstant(filter.to)}`);
  return pointsInTile(db, tile, {
    from: 'hotline_tickets t', where: conditions.join(' AND '), params, point: 'point(t.lon, t.lat)', lon: 't.lon', lat: 't.lat',
    props: {
      id: 't.id::int', number: 't.number', kind: 't.kind', state: 't.state',
      category: '(SELECT c.name FROM hotline_categories c WHERE c.id = t.category_id)', receivedAt: `to_char(t.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
    },
    // Counts are kept per county and day for everyone's tickets: they serve who sees a whole jurisdiction, unfiltered.
    kept: seesJurisdiction(actor, centre) && !filter.state && !filter.kind
      ? (level, at) => keptTicketCounts(db, level, at, actor.jurisdiction, filter) : undefined,
  });
}
