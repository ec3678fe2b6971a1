/**
 * Who may do what with tickets. Roles grant the actions; two further facts decide the rest:
 * the hotline centre (热线中心, a department of kind 'hotline') takes calls, dispatches, reviews returns,
 * closes and calls back; a department handles (签收, 退单, 答复) only tickets dispatched to it.
 * Rows are limited by jurisdiction as everywhere else.
 */
import { assertCan, can, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';

export const hotlineActions = {
  read: 'hotline.ticket.read',
  intake: 'hotline.ticket.intake',
  report: 'hotline.ticket.report',
  dispatch: 'hotline.ticket.dispatch',
  handle: 'hotline.ticket.handle',
  close: 'hotline.ticket.close',
  callback: 'hotline.ticket.callback',
  merge: 'hotline.ticket.merge',
  manage: 'hotline.catalogue.manage',
  retrain: 'hotline.classifier.retrain',
} as const;

const a = hotlineActions;
/** The roles that hold each action; the manifest grants them. */
export const hotlineGrants = {
  platform_admin: [a.read, a.intake, a.report, a.dispatch, a.handle, a.close, a.callback, a.merge, a.manage, a.retrain],
  officer: [a.read, a.intake, a.report, a.dispatch, a.handle, a.close, a.callback, a.merge, a.retrain],
  dept_admin: [a.read],
  inspector: [a.read],
  citizen: [a.report],
} as const;

/** The fields of a ticket that decide access. */
export interface TicketAccess {
  divisionCode: string;
  departmentId: number | null;
  intakeActor: string;
}

/**
 * A command asks this several times (intake: to take the call, to list duplicates, to present the result),
 * so the answer is kept with the actor object, which lives as long as its cached session: seconds.
 */
/** The kind of the hotline centre's department (热线中心): its staff dispatch every ticket of their jurisdiction. */
export const centreKind = 'hotline';

const centreActors = new WeakMap<Actor, Promise<boolean>>();

/** Does the actor work for the hotline centre (or act for the whole platform)? */
export async function isCentre(db: Queryable, actor: Actor): Promise<boolean> {
  if (actor.grants.has('*') || actor.roles.includes('platform_admin')) return true;
  if (actor.departmentId === null) return false;
  const known = centreActors.get(actor);
  if (known) return known;
  const asked = findDepartment(db, actor.departmentId).then((d) => d?.kind === centreKind);
  centreActors.set(actor, asked);
  asked.catch(() => centreActors.delete(actor)); // the caller gets the failure; forgetting it lets the next call ask again
  return asked;
}

/** A centre action (受理, 派单, 改派, 办结, 回访, 并单) on a ticket in the actor's jurisdiction. */
export async function assertCentre(db: Queryable, actor: Actor, action: string, row?: { divisionCode: string }): Promise<void> {
  assertCan(actor, action, row);
  if (!(await isCentre(db, actor)))
    throw new DomainError('hotline.not-centre', { status: 403, action }, 'only the hotline centre may do this');
}

/** A handling action (签收, 退单, 答复) by the department the ticket is dispatched to. */
export function assertHandler(actor: Actor, ticket: TicketAccess): void {
  assertCan(actor, a.handle, ticket);
  if (hasGrant(actor, '*') || actor.roles.includes('platform_admin')) return;
  if (actor.departmentId === null || actor.departmentId !== ticket.departmentId)
    throw new DomainError('hotline.not-handler', { status: 403 }, 'the ticket is not with your department');
}

/** Does the actor see every ticket of their jurisdiction (the centre and overseers), not only their department's? */
export const seesJurisdiction = (actor: Actor, centre: boolean) => centre || actor.roles.includes('inspector') || actor.roles.includes('dept_admin');

/**
 * May the actor see this ticket? The centre and overseers see their jurisdiction; a department sees the
 * tickets dispatched to it.
 */
export function canRead(actor: Actor, ticket: TicketAccess, centre: boolean): boolean {
  if (!can(actor, a.read, ticket)) return false;
  if (seesJurisdiction(actor, centre)) return true;
  return actor.departmentId !== null && actor.departmentId === ticket.departmentId;
}

/** The centre's actions (受理, 派单, 办结, 回访, 并单, retraining), refused to anyone outside the centre. */
const centreActions = [a.intake, a.dispatch, a.close, a.callback, a.merge, a.retrain];

/**
 * What the console offers in the hotline: the centre's desks only to the centre (assertCentre), and the
 * statistics (`hotline.metrics.read`) to whoever sees the whole jurisdiction's tickets; a department's
 * officers get their work queue.
 */
/** Statistics of the whole jurisdiction (考评), an ability the rule below adds. */
export const readMetrics = 'hotline.metrics.read';

export async function hotlineCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  const centre = await isCentre(db, actor);
  return { withhold: centre ? [] : centreActions, add: hasGrant(actor, a.read) && seesJurisdiction(actor, centre) ? [readMetrics] : [] };
}

/** The caller's name and phone are shown only to the intake operator and the handling department. */
export function seesCaller(actor: Actor, ticket: TicketAccess): boolean {
  if (actor.kind === 'anonymous') return false;
  if (ticket.intakeActor === `${actor.kind}:${actor.id}`) return true;
  return actor.departmentId !== null && actor.departmentId === ticket.departmentId && can(actor, a.handle, ticket);
}

/** SQL condition limiting a ticket list to what the actor may see; `t` is the tickets alias. */
export function ticketScope(actor: Actor, centre: boolean, params: unknown[]): string {
  const within = inJurisdiction('t.division_code', actor.jurisdiction, params);
  if (seesJurisdiction(actor, centre)) return within;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND t.department_id = $${params.length}`;
}

/** SQL condition for the tickets the actor's department co-handles (协办), wherever they are. */
export function coHandlerScope(actor: Actor, params: unknown[]): string {
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `EXISTS (SELECT 1 FROM hotline_co_handlers ch WHERE ch.ticket_id = t.id AND ch.department_id = $${params.length})`;
}

/** The centre or an admin of the catalogue: who edits the knowledge base and imports historical tickets. */
export async function assertCentreOrAdmin(db: Queryable, actor: Actor, action: string): Promise<void> {
  assertCan(actor, a.read);
  if (!hasGrant(actor, a.manage) && !(await isCentre(db, actor)))
    throw new DomainError('hotline.not-centre', { status: 403, action }, 'only the hotline centre or an admin may do this');
}
