/**
 * Who may do what in 行政处罚. Roles grant the actions; the department decides the rest: its officers investigate
 * (立案, 拟处罚) and review (法制审核) its own cases, its head (dept_admin) decides them, and nobody reviews or
 * decides a case they investigated, nor decides one they reviewed (《行政处罚法》第五十七条、第五十八条).
 * Inspectors read the cases of their jurisdiction; they do not act on them.
 */
import { assertCan, can, hasGrant, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

export const penaltiesActions = {
  read: 'penalties.case.read',
  investigate: 'penalties.case.investigate',
  review: 'penalties.case.review',
  decide: 'penalties.case.decide',
  manageItems: 'penalties.item.manage',
} as const;
export type PenaltiesAction = (typeof penaltiesActions)[keyof typeof penaltiesActions];

const a = penaltiesActions;
export const penaltiesGrants = {
  platform_admin: [a.read, a.manageItems],
  dept_admin: [a.read, a.investigate, a.review, a.decide, a.manageItems],
  officer: [a.read, a.investigate, a.review],
  inspector: [a.read],
} as const;

export const actorRef = (actor: Pick<Actor, 'kind' | 'id'>) => `${actor.kind}:${actor.id}`;

/** The platform's own processes (the demo's history) act for any department. */
const actsForAll = (actor: Actor) => hasGrant(actor, '*');

/** Reads every case of its jurisdiction rather than only its own department's. */
export const overseesCases = (actor: Actor) => actsForAll(actor) || actor.roles.includes('platform_admin') || actor.roles.includes('inspector');

export interface CaseOwner { divisionCode: string; departmentId: number }

/** Throws unless the actor may take `action` on a case of this department: its own staff, within their jurisdiction. */
export function assertActsOn(actor: Actor, action: PenaltiesAction, owner: CaseOwner): void {
  assertCan(actor, action, owner);
  if (!mayActOn(actor, action, owner)) throw new DomainError('penalties.not-own-department', { status: 403 }, 'this case belongs to another department');
}

const mayActOn = (actor: Actor, action: PenaltiesAction, owner: CaseOwner) =>
  can(actor, action, owner) && (actsForAll(actor) || actor.departmentId === owner.departmentId);

/** What the actor may do to a case now, for the console's buttons; the commands check it again. */
export function caseAbilities(actor: Actor, row: CaseOwner & { state: string; investigator: string; reviewer: string | null }): string[] {
  const mine = (action: PenaltiesAction) => mayActOn(actor, action, row);
  const me = actorRef(actor);
  const out: string[] = [];
  if (row.state === 'investigating' && mine(a.investigate) && me === row.investigator) out.push('propose');
  if (row.state === 'proposed' && mine(a.review) && me !== row.investigator) out.push('review');
  if (row.state === 'reviewed' && mine(a.decide) && me !== row.investigator && me !== row.reviewer) out.push('decide');
  return out;
}

/**
 * 行政处罚 is the work of the departments that enforce penalty items: staff of a department of a kind without
 * items (民政局, the 12345 centre) have no case to see, so the page stays out of their menu. Overseers keep it.
 */
export async function penaltiesCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  if (actor.kind !== 'staff' || overseesCases(actor)) return {};
  const { rows: [row] } = await db.query<{ enforces: boolean; cityWide: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM penalty_items i WHERE i.department_kind = d.kind) AS enforces, d.division_code LIKE '%00000000' AS "cityWide"
       FROM departments d WHERE d.id = $1`, [actor.departmentId]);
  if (!row?.enforces) return { withhold: Object.values(penaltiesActions) };
  // The discretion standard is the city's: a county bureau's head applies it and does not edit it (see items.ts).
  return row.cityWide ? {} : { withhold: [penaltiesActions.manageItems] };
}
