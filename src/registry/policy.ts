/**
 * Who may do what in the base libraries. Roles grant the actions; jurisdiction limits the rows: a source by
 * its provider's division, a record by the division its address names within its source's (else its
 * source's), a pair by both of its records', a golden record by its entity's. A citizen reads only the
 * golden record carrying their own resident ID.
 */
import { assertCan, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

export const registryActions = {
  manageSources: 'registry.source.manage',
  read: 'registry.record.read',
  review: 'registry.pair.review',
  edit: 'registry.entity.edit',
  quality: 'registry.quality.read',
  own: 'registry.own.read',
} as const;

const a = registryActions;
export const registryGrants = {
  platform_admin: [a.manageSources, a.read, a.review, a.edit, a.quality],
  data_officer: [a.manageSources, a.read, a.review, a.edit, a.quality],
  officer: [a.read],
  inspector: [a.read, a.quality],
  citizen: [a.own],
} as const;

/** SQL condition limiting rows by their division column to the actor's jurisdiction. */
export const registryScope = (actor: Actor, column: string, params: unknown[]) => inJurisdiction(column, actor.jurisdiction, params);

/**
 * 标准记录 is offered to an officer once the base libraries hold a golden record in their jurisdiction: a
 * county the libraries have not reached yet gets no empty search page. The reads still check for themselves.
 */
export async function registryCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  if (actor.kind !== 'staff' || actor.roles.some((role) => role !== 'officer')) return {};
  const params: unknown[] = [];
  const { rows } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM registry_entities e WHERE ${registryScope(actor, 'e.division_code', params)} AND e.golden <> '{}') AS any`, params);
  return rows[0]!.any ? {} : { withhold: [a.read] };
}

/** Every division given must lie in the actor's jurisdiction: a pair's two records, a merge's two entities. */
export function assertCovers(actor: Actor, action: string, divisions: string[]): void {
  assertCan(actor, action);
  const outside = divisions.find((d) => !actor.jurisdiction.covers(d));
  if (outside !== undefined)
    throw new DomainError('registry.outside-jurisdiction', { status: 403, division: outside }, `division ${outside} is outside your jurisdiction`);
}
