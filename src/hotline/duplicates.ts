/**
 * Duplicates: open tickets of the same category near a point (before submitting and on intake), and
 * 并单, merging duplicates into one main ticket whose reply and callback reach every caller.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { assertCan } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { hotlineSetting, requireCategory } from './catalogue.ts';
import { assertCentre, hotlineActions, isCentre } from './policy.ts';
import { EARTH_RADIUS_M, nearbyOpenTicketsSql } from './queries.ts';
import { assertTransition, type TicketState } from './states.ts';
import { lockTicket, moveTicket, type Ticket } from './tickets.ts';

/** Great-circle distance in metres (haversine), for tests and for callers outside SQL. */
export function haversineMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface DuplicateQuery {
  categoryCode: string;
  /** The category's id when the caller has it at hand (intake), saving its lookup. */
  categoryId?: number;
  lon: number;
  lat: number;
  /** The ticket being looked at, left out of its own suggestions. */
  excludeId?: number;
  radiusMetres?: number;
  limit?: number;
}

export interface DuplicateSuggestion {
  id: number;
  number: string;
  state: TicketState;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  receivedAt: Date;
  distanceMetres: number;
}

/**
 * Open tickets of the same category within the radius (250 m unless configured), nearest first, top 5,
 * among the tickets the actor may see. A bounding box narrows the rows on the index; haversine decides.
 */
export async function findDuplicates(db: Queryable, actor: Actor, query: DuplicateQuery): Promise<DuplicateSuggestion[]> {
  assertCan(actor, hotlineActions.read);
  const categoryId = query.categoryId ?? (await requireCategory(db, query.categoryCode)).id;
  const radius = query.radiusMetres ?? await hotlineSetting(db, 'duplicateRadiusMetres');
  const params: unknown[] = [];
  const $ = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const sql = nearbyOpenTicketsSql(actor, await isCentre(db, actor), {
    categoryId: $(categoryId, 'bigint'), lon: $(query.lon, 'float8'), lat: $(query.lat, 'float8'), radiusMetres: $(radius, 'float8'),
    excludeId: $(query.excludeId ?? 0, 'bigint'), limit: $(query.limit ?? 5, 'int'),
  }, params);
  const { rows } = await db.query<DuplicateSuggestion>(sql, params);
  return rows;
}

export interface MergeTickets {
  mainId: number;
  duplicateIds: number[];
  note?: string;
}

/** 并单: the centre merges duplicates into a main ticket; each duplicate ends as merged and waits for the main's reply. */
export async function mergeTickets(ctx: Ctx, input: MergeTickets): Promise<{ main: Ticket; merged: Ticket[] }> {
  if (input.duplicateIds.length === 0) throw new DomainError('validation', { field: 'duplicateIds' }, 'name at least one duplicate');
  if (input.duplicateIds.includes(input.mainId)) throw new DomainError('hotline.merge-self', { field: 'duplicateIds' }, 'not into itself');
  // Lock in id order, so two merges over the same tickets cannot deadlock.
  const ids = [...new Set([input.mainId, ...input.duplicateIds])].sort((a, b) => a - b);
  const locked = new Map<number, Ticket>();
  for (const id of ids) locked.set(id, await lockTicket(ctx.tx, id));
  const main = locked.get(input.mainId)!;
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.merge, main);
  if (main.state === 'closed' || main.state === 'merged')
    throw new DomainError('hotline.bad-state', { status: 409, field: 'state', state: main.state, transition: 'merge' }, `the main ticket is ${main.state}`);
  const merged: Ticket[] = [];
  for (const id of input.duplicateIds) {
    const duplicate = locked.get(id)!;
    await assertCentre(ctx.tx, ctx.actor, hotlineActions.merge, duplicate);
    assertTransition(duplicate.state, 'merge');
    merged.push(await moveTicket(ctx, duplicate, { action: 'hotline.ticket.merged', to: 'merged', note: input.note,
      set: { main_ticket_id: main.id }, payload: { main: main.number } }));
  }
  return { main, merged };
}
