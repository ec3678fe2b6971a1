/**
 * Who may do what in 数据铁笼. Inspectors (监督员, the role `inspector`) read and handle alerts and keep the rule
 * library; the integrity files (廉政档案) are read only by the discipline office (纪检: an inspector in a
 * department of kind 'discipline-inspection'). Nobody sees or handles an alert about themselves.
 */
import { assertCan, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, forbidden } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';

export const oversightActions = {
  readAlerts: 'oversight.alert.read',
  handleAlerts: 'oversight.alert.handle',
  editRules: 'oversight.rule.edit',
  readIntegrity: 'oversight.integrity.read',
} as const;

const a = oversightActions;
export const oversightGrants = {
  inspector: [a.readAlerts, a.handleAlerts, a.editRules, a.readIntegrity],
  platform_admin: [a.readAlerts],
} as const;

/** The department kind of the discipline office. */
export const disciplineKind = 'discipline-inspection';

async function inDisciplineOffice(db: Queryable, actor: Actor): Promise<boolean> {
  if (actor.departmentId === null) return false;
  return (await findDepartment(db, actor.departmentId))?.kind === disciplineKind;
}

/** The console offers the integrity files only to the discipline office, and 我的预警 to whoever has one. */
export async function oversightCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  const withhold = hasGrant(actor, a.readIntegrity) && !(await inDisciplineOffice(db, actor)) ? [a.readIntegrity] : [];
  return { withhold, add: (await hasReleasedAlerts(db, actor)) ? [readOwnAlerts] : [] };
}

/** 我的预警 is in a staff member's menu once an inspector has released an alert about them. */
export const readOwnAlerts = 'oversight.alert.mine';

async function hasReleasedAlerts(db: Queryable, actor: Actor): Promise<boolean> {
  if (actor.kind !== 'staff') return false;
  const { rows } = await db.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM oversight_alerts WHERE people @> ARRAY[$1::text] AND released_at IS NOT NULL) AS any', [actor.id]);
  return rows[0]!.any;
}

export async function assertDisciplineOffice(db: Queryable, actor: Actor): Promise<void> {
  assertCan(actor, a.readIntegrity);
  if (!(await inDisciplineOffice(db, actor))) throw forbidden(a.readIntegrity);
}

/** The people an alert is about are staff user ids; the actor is one of them when acting in their own name. */
export const isAbout = (actor: Actor, people: readonly string[]) => actor.kind === 'staff' && people.includes(actor.id);

export function assertNotAbout(actor: Actor, people: readonly string[]): void {
  if (isAbout(actor, people)) throw new DomainError('oversight.alert.about-self', { status: 403 }, 'the alert is about you');
}

/**
 * SQL condition on an alert list (alias `al`): within the actor's jurisdiction (an alert naming no official,
 * e.g. a bad rating left unrectified, goes to every inspector) and never about the actor.
 */
export function alertScope(actor: Actor, params: unknown[]): string {
  const within = inJurisdiction('al.division_code', actor.jurisdiction, params);
  params.push(actor.id);
  const self = `NOT ($${params.length} = ANY(al.people))`;
  const nobody = actor.jurisdiction.prefix === null ? 'false' : 'al.division_code IS NULL';
  return `((${within}) OR ${nobody}) AND ${self}`;
}
