/**
 * Who may do what in 七张问题清单 and 督考. Roles grant the actions; three facts decide the rest:
 * overseers (inspectors, the platform) see and act across their jurisdiction, a department works only on
 * its own problems and tasks, and the 督查室 (a department of kind 'supervision') assigns tasks, closes them
 * and sets the score's weights. Nobody accepts their own department's rectification.
 */
import { assertCan, can, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, forbidden } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';

export const supervisionActions = {
  readProblems: 'supervision.problem.read',
  openProblem: 'supervision.problem.open',
  rectify: 'supervision.problem.rectify',
  accept: 'supervision.problem.accept',
  manageLists: 'supervision.list.manage',
  readTasks: 'supervision.task.read',
  assign: 'supervision.task.assign',
  report: 'supervision.task.report',
  readScores: 'supervision.score.read',
  setWeights: 'supervision.score.weights',
} as const;
export type SupervisionAction = (typeof supervisionActions)[keyof typeof supervisionActions];

const a = supervisionActions;
/** The roles that hold each action; the manifest grants them. */
export const supervisionGrants = {
  platform_admin: [a.readProblems, a.openProblem, a.rectify, a.accept, a.manageLists, a.readTasks, a.assign, a.report, a.readScores, a.setWeights],
  inspector: [a.readProblems, a.openProblem, a.accept, a.manageLists, a.readTasks, a.assign, a.readScores, a.setWeights],
  dept_admin: [a.readProblems, a.openProblem, a.rectify, a.readTasks, a.report, a.readScores],
  officer: [a.readProblems, a.openProblem, a.rectify, a.readTasks, a.report, a.readScores],
} as const;

/** The kind of the 督查室's department: its staff assign supervision tasks and weigh the score. */
export const officeKind = 'supervision';
/** Actions only the 督查室 (or the platform) takes, whatever the role grants. */
const officeActions: readonly SupervisionAction[] = [a.assign, a.setWeights];

const actsForPlatform = (actor: Actor) => hasGrant(actor, '*') || actor.roles.includes('platform_admin');

/** Sees and acts on every department's problems and tasks of its jurisdiction. */
export const oversees = (actor: Actor) => actsForPlatform(actor) || actor.roles.includes('inspector') || actor.roles.includes('dept_admin');

export async function isOffice(db: Queryable, actor: Actor): Promise<boolean> {
  if (actsForPlatform(actor)) return true;
  if (actor.departmentId === null) return false;
  return (await findDepartment(db, actor.departmentId))?.kind === officeKind;
}

/** Throws unless the actor may take an office action (assign, weigh) on rows of `divisionCode`. */
export async function assertOffice(db: Queryable, actor: Actor, action: SupervisionAction, row?: { divisionCode: string }): Promise<void> {
  assertCan(actor, action, row);
  if (!(await isOffice(db, actor))) throw new DomainError('supervision.not-office', { status: 403 }, 'only the 督查室 may do this');
}

/** The owner department's own work (analysis, steps, reports); overseers of the platform may act for it. */
export function assertOwner(actor: Actor, action: SupervisionAction, row: { divisionCode: string; departmentId: number }): void {
  assertCan(actor, action, row);
  if (actsForPlatform(actor) || actor.departmentId === row.departmentId) return;
  throw new DomainError('supervision.not-owner', { status: 403 }, 'this is another department\'s work');
}

/** Whether assertOwner would let the actor act: for the buttons a page offers. */
export const mayWorkOn = (actor: Actor, action: SupervisionAction, row: { divisionCode: string; departmentId: number }) =>
  can(actor, action, row) && (actsForPlatform(actor) || actor.departmentId === row.departmentId);

/** Whether assertReviewer would let the actor accept. */
export const mayReview = (actor: Actor, row: { divisionCode: string; departmentId: number }) =>
  can(actor, a.accept, row) && (actor.departmentId === null || actor.departmentId !== row.departmentId);

/** 评估验收 is someone else's: never the owner department's staff. */
export function assertReviewer(actor: Actor, row: { divisionCode: string; departmentId: number }): void {
  assertCan(actor, a.accept, row);
  if (actor.departmentId !== null && actor.departmentId === row.departmentId)
    throw new DomainError('supervision.own-problem', { status: 403 }, 'the owner department cannot accept its own rectification');
}

/** SQL condition limiting rows (alias `alias`, with division_code and department_id) to what the actor may see. */
export function rowScope(actor: Actor, action: SupervisionAction, alias: string, params: unknown[]): string {
  if (!hasGrant(actor, action)) return 'false';
  const within = inJurisdiction(`${alias}.division_code`, actor.jurisdiction, params);
  if (oversees(actor)) return within;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND ${alias}.department_id = $${params.length}`;
}

export function assertSees(actor: Actor, action: SupervisionAction, row: { divisionCode: string; departmentId: number }, what: string, id: number | string): void {
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
  if (!hasGrant(actor, action)) throw forbidden(action);
  if (!actor.jurisdiction.covers(row.divisionCode) || (!oversees(actor) && actor.departmentId !== row.departmentId))
    throw new DomainError(`supervision.${what}.not-found`, { status: 404, id }, `${what} ${id} not found`);
}

/** The office actions are withheld from the menu of anyone outside the 督查室. */
export async function supervisionCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  return { withhold: (await isOffice(db, actor)) ? [] : officeActions };
}

export const actorRef = (actor: Actor) => `${actor.kind}:${actor.id}`;
