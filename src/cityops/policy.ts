/**
 * Who may do what in city operations. Components are city property, not people's data, but a department
 * still sees and changes only those in its jurisdiction (the division of the component's grid).
 *
 * Cases (案件): roles grant the actions, and the department decides the desk. The supervision centre
 * (监督中心, department kind `city-supervision`) sends 核实, files (立案 / 不予立案) and closes (结案); the
 * command centre (指挥中心, `city-command`) opens cases, dispatches (派遣) and keeps the dispatch catalogue;
 * patrol workers (信息采集员, `city-patrol`) report and do the 核实 and 核查 they are given; a handling unit
 * handles (处置) the cases dispatched to it. Centres and overseers see the cases of their jurisdiction, a unit
 * the cases dispatched to it, a patrol worker only the cases they reported or were given a field task on,
 * the 12345 hotline centre the cases its tickets became.
 */
import { assertCan, can, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';

export const cityopsActions = {
  read: 'cityops.component.read',
  manage: 'cityops.component.manage',
  catalogue: 'cityops.catalogue.manage',
  caseRead: 'cityops.case.read',
  caseReport: 'cityops.case.report',
  caseOpen: 'cityops.case.open',
  caseFile: 'cityops.case.file',
  caseDispatch: 'cityops.case.dispatch',
  caseHandle: 'cityops.case.handle',
  caseCheck: 'cityops.case.check',
  caseEvaluate: 'cityops.case.evaluate',
  dispatchManage: 'cityops.dispatch.manage',
  /** 管辖争议: decide which unit owns a disputed case, and keep the rules decisions make. */
  disputeDecide: 'cityops.dispute.decide',
  fieldWork: 'cityops.field.work',
} as const;

const a = cityopsActions;
const caseWork = [a.caseRead, a.caseReport, a.caseOpen, a.caseFile, a.caseDispatch, a.caseHandle, a.caseCheck, a.caseEvaluate, a.dispatchManage, a.disputeDecide,
  a.fieldWork];
/** The roles that hold each action; the manifest grants them. */
export const cityopsGrants = {
  platform_admin: [a.read, a.manage, a.catalogue, ...caseWork],
  dept_admin: [a.read, a.manage, a.caseRead],
  officer: [a.read, ...caseWork],
  inspector: [a.read, a.caseRead],
} as const;

/**
 * The command-centre screen (指挥大屏) and its one-click orders (一键调度): the centres and overseers who see a whole
 * jurisdiction read the screen; the command centre issues orders; the staff of the department ordered acknowledge.
 */
export const screenActions = {
  read: 'cityops.screen.read',
  orderIssue: 'cityops.order.issue',
  orderAcknowledge: 'cityops.order.acknowledge',
} as const;
const sc = screenActions;
export const screenGrants = {
  platform_admin: [sc.read, sc.orderIssue, sc.orderAcknowledge],
  dept_admin: [sc.read, sc.orderAcknowledge],
  officer: [sc.read, sc.orderIssue, sc.orderAcknowledge],
  inspector: [sc.read],
} as const;

/** Department kinds of the city-operations desks. */
export const deskKinds = { supervision: 'city-supervision', command: 'city-command', patrol: 'city-patrol' } as const;
/** The 12345 hotline centre's department kind: it sees the cases its tickets became. */
const hotlineKind = 'hotline';
export type Desk = keyof typeof deskKinds | 'hotline' | 'platform' | 'none';

/** Monthly evaluation of departments, areas and workers, for whoever sees a whole jurisdiction's cases. */
export const readEvaluation = 'cityops.case.evaluation';

const actsForPlatform = (actor: Actor) => hasGrant(actor, '*') || actor.roles.includes('platform_admin');

const desks = new WeakMap<Actor, Promise<Desk>>();

/** The phone page of field work (现场任务), offered to field workers (isFieldWorker). */
export const fieldPage = 'cityops.field.page';

/**
 * Field workers (现场作业人员): patrol workers, and the staff of handling units (a department the dispatch
 * catalogue names or a case was dispatched to). They go on duty, check in on site and see their own tasks.
 */
export async function isFieldWorker(db: Queryable, actor: Actor): Promise<boolean> {
  if (!hasGrant(actor, a.fieldWork) || actor.kind !== 'staff') return false;
  const desk = await deskOf(db, actor);
  if (desk === 'platform' || desk === 'patrol') return true;
  if (desk !== 'none' || actor.departmentId === null) return false;
  const { rows } = await db.query<{ unit: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM cityops_dispatch_rules WHERE department_id = $1) OR EXISTS (SELECT 1 FROM cityops_cases WHERE department_id = $1) AS unit`,
    [actor.departmentId]);
  return rows[0]!.unit;
}

/** The layer of staff on duty on 一张图, offered to whoever seesStaffOnDuty. */
export const staffMap = 'cityops.field.staff-map';

const seeStaff = (actor: Actor, desk: Desk) => hasGrant(actor, a.caseRead) && (desk === 'platform' || desk === 'command' || desk === 'supervision');

/** The centres see who is on duty where (the map of staff), within their jurisdiction. */
export async function seesStaffOnDuty(db: Queryable, actor: Actor): Promise<boolean> {
  return seeStaff(actor, await deskOf(db, actor));
}

/** Which desk the actor works at: from the kind of their department (remembered with the actor object). */
export async function deskOf(db: Queryable, actor: Actor): Promise<Desk> {
  if (actsForPlatform(actor)) return 'platform';
  if (actor.departmentId === null) return 'none';
  const known = desks.get(actor);
  if (known) return known;
  const asked = findDepartment(db, actor.departmentId).then((d) => {
    const found = Object.entries(deskKinds).find(([, kind]) => kind === d?.kind);
    return (found?.[0] ?? (d?.kind === hotlineKind ? 'hotline' : 'none')) as Desk;
  });
  desks.set(actor, asked);
  asked.catch(() => desks.delete(actor)); // the caller gets the failure; forgetting it lets the next call ask again
  return asked;
}

const deskTitles: Record<keyof typeof deskKinds, string> = { supervision: '监督中心', command: '指挥中心', patrol: '信息采集员' };

/** Throws unless the actor may take `action` at `desk` (on a row of `divisionCode` when given). */
export async function assertDesk(db: Queryable, actor: Actor, action: string, desk: keyof typeof deskKinds, row?: { divisionCode: string }): Promise<void> {
  assertCan(actor, action, row);
  const at = await deskOf(db, actor);
  if (at !== 'platform' && at !== desk)
    throw new DomainError('cityops.case.not-desk', { status: 403, desk, action }, `only the ${deskTitles[desk]} may do this`);
}

/** The fields of a case that decide access. */
export interface CaseAccess {
  divisionCode: string;
  departmentId: number | null;
  reporterUserId: number | null;
  /** Patrol workers given a field task on the case (核实, 核查), done or not. */
  fieldUserIds: readonly number[];
  source: string;
}

/** The user id of a staff actor, or null. */
export const userIdOf = (actor: Actor): number | null => (actor.kind === 'staff' ? Number(actor.id) : null);

/** Does the desk see the whole jurisdiction's cases (centres and overseers)? */
export const seesJurisdiction = (actor: Actor, desk: Desk) =>
  desk === 'platform' || desk === 'supervision' || desk === 'command' || actor.roles.includes('inspector') || actor.roles.includes('dept_admin');

export function canReadCase(actor: Actor, desk: Desk, row: CaseAccess): boolean {
  if (!can(actor, a.caseRead, row)) return false;
  if (seesJurisdiction(actor, desk)) return true;
  const me = userIdOf(actor);
  if (desk === 'patrol') return me !== null && (row.reporterUserId === me || row.fieldUserIds.includes(me));
  if (desk === 'hotline') return row.source === 'hotline';
  return actor.departmentId !== null && row.departmentId === actor.departmentId;
}

/** SQL condition limiting a case list (alias `c`) to what the actor may see. */
export function caseScope(actor: Actor, desk: Desk, params: unknown[]): string {
  if (!hasGrant(actor, a.caseRead)) return 'false';
  const within = inJurisdiction('c.division_code', actor.jurisdiction, params);
  if (seesJurisdiction(actor, desk)) return within;
  if (desk === 'patrol') {
    params.push(userIdOf(actor));
    return `${within} AND (c.reporter_user_id = $${params.length} OR c.field_user_ids @> ARRAY[$${params.length}::bigint])`;
  }
  if (desk === 'hotline') return `${within} AND c.source = 'hotline'`;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND c.department_id = $${params.length}`;
}

const deskActions: Record<keyof typeof deskKinds, string[]> = {
  supervision: [a.caseFile],
  command: [a.caseOpen, a.caseDispatch, a.dispatchManage, a.disputeDecide, sc.orderIssue],
  patrol: [a.caseReport, a.caseCheck],
};

/** The console offers each desk its own actions; the evaluation to whoever sees a whole jurisdiction. */
export async function cityopsCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  const desk = await deskOf(db, actor);
  const withhold = desk === 'platform' ? [] : Object.entries(deskActions).flatMap(([d, actions]) => (d === desk ? [] : actions));
  if (desk !== 'platform' && desk !== 'supervision' && desk !== 'command') withhold.push(a.caseEvaluate);
  if (!seesJurisdiction(actor, desk)) withhold.push(sc.read);
  const add = hasGrant(actor, a.caseRead) && seesJurisdiction(actor, desk) ? [readEvaluation] : [];
  if (await isFieldWorker(db, actor)) add.push(fieldPage);
  if (seeStaff(actor, desk)) add.push(staffMap);
  return { withhold, add };
}
