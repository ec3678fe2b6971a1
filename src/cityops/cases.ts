/**
 * 案件: a problem of a component (部件) or an event (事件) taken through the loop of 数字城管:
 *
 *   上报 (patrol) / 受理 (public, 12345, sensor, leader, command centre)
 *   → 核实 (public and 12345 reports: a patrol worker checks on site) → 立案 / 不予立案 (supervision centre,
 *   against the kind's 立案条件) → 派遣 (command centre, to the unit owning the component, else the dispatch
 *   catalogue's) → 处置 (the unit: a reply and an after-photo; or 退回 when it is not theirs) → 核查 (a patrol
 *   worker on site: pass, or back to the unit) → 结案 (supervision centre) → 评价.
 *
 * Each step runs against a time limit (`stepHours`; 处置 by kind and urgency) in working hours of the
 * calendar or round the clock; the sweep in case-deadlines.ts warns before it runs out and marks 督办 after.
 * Every change is a history row and a ledger entry in the command's transaction.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar, type WorkCalendar } from '../kernel/calendar/index.ts';
import { prepared, readStamps, stampsColumn, stampsFrom, type Queryable } from '../kernel/db/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { ledgerQueueSql, type LedgerStatementEntry } from '../kernel/ledger/index.ts';
import { findDepartment, gridAt } from '../kernel/org/index.ts';
import { acceptTicket, closeTicket, findTicket, replyTicket, returnTicket, transitions as ticketTransitions, type TicketState } from '../hotline/index.ts';
import { activeKindIn, areasAbove, assertUnitCovers, caseKinds, caseKindsStamp, kindIn, limitOf, type CaseKind, type CaseKinds, type Urgency } from './case-kinds.ts';
import { openDispute, returnersOf } from './disputes.ts';
import { findOwner } from './ownership.ts';
import { checkPhotos, storePhotos, type PhotoInput } from './case-photos.ts';
import { splitComponentCode } from './codes.ts';
import { actTime, arrivalSince, fenceMetres } from './field-times.ts';
import { caseMessage, screenOutboxSql } from './screen/feed.ts';
import { assertDesk, canReadCase, cityopsActions as a, deskKinds, deskOf, userIdOf } from './policy.ts';

export const caseStates = ['verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing', 'closed', 'rejected'] as const;
export type CaseState = (typeof caseStates)[number];
export const openStates: readonly CaseState[] = ['verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing'];
export const caseSources = ['patrol', 'public', 'hotline', 'sensor', 'leader', 'command'] as const;
export type CaseSource = (typeof caseSources)[number];

/** Working hours each step may take (处置 excepted: its limit is the kind's, by urgency). */
export const stepHours: Record<Exclude<CaseState, 'handling' | 'closed' | 'rejected'>, number> = {
  verifying: 2, filing: 1, dispatching: 1, checking: 4, closing: 2,
};
/** A warning (预警) is raised once this share of a step's time is used. */
export const WARNING_SHARE = 0.8;
/** A patrol worker is on site within this many metres of the case (plus the phone's stated accuracy, up to 100 m). */
export const ON_SITE_METRES = 300;

/** The commands of the loop and the states each may start from. */
export const transitions = {
  verify: ['verifying'], file: ['filing'], refuse: ['filing'], dispatch: ['dispatching'], return: ['handling'], handle: ['handling'],
  check: ['checking'], close: ['closing'], evaluate: ['closed'],
} as const satisfies Record<string, readonly CaseState[]>;
export type CaseCommand = keyof typeof transitions;

export interface Case {
  id: number;
  code: string;
  source: CaseSource;
  sourceRef: string | null;
  kindCode: string;
  urgency: Urgency;
  state: CaseState;
  outcome: 'closed' | 'not-filed' | 'unfounded' | null;
  reason: string | null;
  description: string;
  address: string;
  lon: number;
  lat: number;
  gridCode: string | null;
  divisionCode: string;
  componentCode: string | null;
  reporter: string;
  reporterUserId: number | null;
  assigneeUserId: number | null;
  fieldUserIds: number[];
  departmentId: number | null;
  /** The unit's worker who goes out to handle it (处置人员), given by the unit or taken by the worker. */
  workerUserId: number | null;
  reply: string | null;
  reworkCount: number;
  hotlineTicketId: number | null;
  stepStartedAt: Date;
  warnAt: Date | null;
  dueAt: Date | null;
  warnedAt: Date | null;
  supervisedAt: Date | null;
  handleDueAt: Date | null;
  rating: number | null;
  ratingComment: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export const caseColumns = `c.id::int, c.code, c.source, c.source_ref AS "sourceRef", c.kind_code AS "kindCode", c.urgency, c.state, c.outcome, c.reason,
  c.description, c.address, c.lon, c.lat, c.grid_code AS "gridCode", c.division_code AS "divisionCode", c.component_code AS "componentCode",
  c.reporter, c.reporter_user_id::int AS "reporterUserId", c.assignee_user_id::int AS "assigneeUserId",
  c.field_user_ids::int[] AS "fieldUserIds", c.department_id::int AS "departmentId", c.worker_user_id::int AS "workerUserId",
  c.reply, c.rework_count AS "reworkCount", c.hotline_ticket_id::int AS "hotlineTicketId", c.step_started_at AS "stepStartedAt", c.warning_due_at AS "warnAt",
  c.due_at AS "dueAt", c.warned_at AS "warnedAt", c.supervised_at AS "supervisedAt", c.handle_due_at AS "handleDueAt", c.rating,
  c.rating_comment AS "ratingComment", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.closed_at AS "closedAt"`;

export const actorRef = (actor: Actor) => `${actor.kind}:${actor.id}`;

const notFound = (id: number) => new DomainError('cityops.case.not-found', { status: 404, id }, `no case ${id}`);

/** What a step reads besides its case, from caches kept by stamp: the case kinds and the working calendar. */
export interface StepRules {
  kinds: CaseKinds;
  calendar: WorkCalendar;
}
const ruleStamps = ['calendar', caseKindsStamp] as const;

async function rulesAt(db: Queryable, stamps: Record<(typeof ruleStamps)[number], string>): Promise<StepRules> {
  return { kinds: await caseKinds(db, stamps[caseKindsStamp]), calendar: await loadCalendar(db, stamps.calendar) };
}

/** The case kinds and the working calendar as the transaction sees them. */
async function stepRules(db: Queryable): Promise<StepRules> {
  return rulesAt(db, await readStamps(db, ruleStamps));
}

/** Locks a case the actor may see, reading the step's rules with it in one statement; 404 otherwise (its existence is not told). */
async function lockStep(ctx: Ctx, id: number): Promise<{ c: Case; rules: StepRules }> {
  const { rows } = await ctx.tx.query<Case & { stamps: Record<string, string> | null }>(
    prepared(`SELECT ${caseColumns}, ${stampsColumn('$2')} AS stamps FROM cityops_cases c WHERE c.id = $1 FOR UPDATE`, [id, ruleStamps]));
  const row = rows[0];
  if (!row) throw notFound(id);
  const { stamps, ...c } = row;
  if (!canReadCase(ctx.actor, await deskOf(ctx.tx, ctx.actor), c)) throw notFound(id);
  return { c, rules: await rulesAt(ctx.tx, stampsFrom(stamps, ruleStamps)) };
}

/** Locks a case the actor may see; 404 otherwise (its existence is not told). */
export async function lockCase(ctx: Ctx, id: number): Promise<Case> {
  const { rows } = await ctx.tx.query<Case>(prepared(`SELECT ${caseColumns} FROM cityops_cases c WHERE c.id = $1 FOR UPDATE`, [id]));
  const c = rows[0];
  if (!c || !canReadCase(ctx.actor, await deskOf(ctx.tx, ctx.actor), c)) throw notFound(id);
  return c;
}

/** The case as stored now, within the caller's transaction (after a command has checked access). */
async function reloadCase(ctx: Ctx, id: number): Promise<Case> {
  return (await ctx.tx.query<Case>(`SELECT ${caseColumns} FROM cityops_cases c WHERE c.id = $1`, [id])).rows[0]!;
}

/** Refuses (409, field `state`) a command the state machine does not allow from the case's state. */
export function assertTransition(c: { state: CaseState }, command: CaseCommand): void {
  if (!(transitions[command] as readonly CaseState[]).includes(c.state))
    throw new DomainError('cityops.case.bad-transition', { status: 409, field: 'state', state: c.state, command },
      `a case in state ${c.state} cannot take ${command}`);
}

interface Clock {
  stepStartedAt: Date;
  warnAt: Date | null;
  dueAt: Date | null;
}

/** The clock of a step starting at `now`: its warning and its limit, in working hours of `calendar` or round the clock. */
export function clockFor(calendar: WorkCalendar, state: CaseState, kind: CaseKind, urgency: Urgency, now: Date): Clock {
  if (state === 'closed' || state === 'rejected') return { stepStartedAt: now, warnAt: null, dueAt: null };
  const limit = limitOf(kind, urgency);
  const hours = state === 'handling' ? limit.hours : stepHours[state];
  if (limit.roundClock) return { stepStartedAt: now, warnAt: new Date(now.getTime() + hours * WARNING_SHARE * 3_600_000), dueAt: new Date(now.getTime() + hours * 3_600_000) };
  return { stepStartedAt: now, warnAt: calendar.addWorkingHours(now, hours * WARNING_SHARE).due, dueAt: calendar.addWorkingHours(now, hours).due };
}

/** Great-circle distance in metres. */
export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export interface Position {
  lon: number;
  lat: number;
  /** The phone's stated accuracy in metres. */
  accuracy?: number | null;
}

function checkPoint(p: { lon: number; lat: number }): void {
  if (!Number.isFinite(p.lon) || p.lon < -180 || p.lon > 180) throw new DomainError('cityops.case.bad-location', { field: 'lon' });
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) throw new DomainError('cityops.case.bad-location', { field: 'lat' });
}

/** Keeps where the worker's phone was at a step (personal data: shown to the worker alone), refusing a worker not on site. */
async function recordPosition(ctx: Ctx, c: { id: number; lon: number; lat: number }, step: 'report' | 'verify' | 'check', p: Position): Promise<number> {
  checkPoint(p);
  const distance = Math.round(metresBetween(c, p));
  const allowed = fenceMetres(p.accuracy, ON_SITE_METRES);
  if (distance > allowed)
    throw new DomainError('cityops.case.not-on-site', { field: 'lon', distance, allowed }, `the phone is ${distance} m from the case, more than ${allowed} m`);
  await ctx.tx.query(`INSERT INTO cityops_case_positions (case_id, step, user_id, lon, lat, accuracy, distance_m, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.id, step, userIdOf(ctx.actor), p.lon, p.lat, p.accuracy ?? null, distance, ctx.now]);
  return distance;
}

interface Move {
  action: string;
  to: CaseState;
  set?: Record<string, unknown>;
  note?: string | null;
  departmentId?: number | null;
  onTime?: boolean | null;
  passed?: boolean | null;
  payload?: Record<string, unknown>;
}

const columnOf: Record<string, string> = {
  outcome: 'outcome', reason: 'reason', departmentId: 'department_id', workerUserId: 'worker_user_id', assigneeUserId: 'assignee_user_id', reply: 'reply', reworkCount: 'rework_count',
  handleDueAt: 'handle_due_at', urgency: 'urgency', kindCode: 'kind_code', rating: 'rating', ratingComment: 'rating_comment', closedAt: 'closed_at',
  gridCode: 'grid_code', divisionCode: 'division_code',
};

/** The CTEs writing a step's history row (its values in the columns' order) and its ledger entry, for the statement writing the case. */
function stepRecords(params: unknown[], event: unknown[], entry: LedgerStatementEntry): string {
  const values = event.map((v) => `$${params.push(v)}`).join(', ');
  return `event AS (INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, user_id, from_state, to_state, department_id, division_code,
      note, on_time, passed) VALUES (${values})),
    queued AS (${ledgerQueueSql([entry], params)})`;
}

/** The history row's values of a step by the context's actor, for `stepRecords`. */
const eventValues = (ctx: Ctx, caseId: number, action: string, step: { from: CaseState | null; to: CaseState; departmentId: number | null;
  divisionCode: string; note: string | null; onTime: boolean | null; passed: boolean | null }) =>
  [caseId, ctx.now, action.replace('cityops.case.', ''), actorRef(ctx.actor), ctx.actor.name, userIdOf(ctx.actor), step.from, step.to, step.departmentId,
    step.divisionCode, step.note, step.onTime, step.passed];

/**
 * Moves a case to its next state with a new clock, one history row, one ledger entry and its screen message,
 * all in one statement; returns the case as stored.
 */
async function moveCase(ctx: Ctx, c: Case, rules: StepRules, kind: CaseKind, move: Move): Promise<Case> {
  const urgency = (move.set?.urgency as Urgency | undefined) ?? c.urgency;
  const clock = move.to === c.state && move.action === 'cityops.case.evaluated'
    ? { stepStartedAt: c.stepStartedAt, warnAt: c.warnAt, dueAt: c.dueAt } : clockFor(rules.calendar, move.to, kind, urgency, ctx.now);
  const sets = ['state = $2', 'step_started_at = $3', 'warning_due_at = $4', 'due_at = $5', 'warned_at = NULL', 'supervised_at = NULL', 'updated_at = $6'];
  const params: unknown[] = [c.id, move.to, clock.stepStartedAt, clock.warnAt, clock.dueAt, ctx.now];
  if (typeof move.set?.assigneeUserId === 'number') sets.push(`field_user_ids = array_append(field_user_ids, $${params.push(move.set.assigneeUserId)}::bigint)`);
  for (const [key, value] of Object.entries(move.set ?? {})) sets.push(`${columnOf[key]!} = $${params.push(value)}`);
  // What the statement stores, known beforehand: the history row and the screen message are written with it.
  const next = { ...c, ...move.set, state: move.to } as Case;
  const records = stepRecords(params, eventValues(ctx, c.id, move.action, { from: c.state, to: move.to, departmentId: move.departmentId ?? next.departmentId,
    divisionCode: c.divisionCode, note: move.note ?? null, onTime: move.onTime ?? null, passed: move.passed ?? null }),
  { actor: ctx.actor, action: move.action, object: { type: 'cityops-case', id: String(c.id) }, at: ctx.now, payload: { from: c.state, to: move.to, ...move.payload } });
  const { rows } = await ctx.tx.query<Case>(prepared(
    `WITH moved AS (UPDATE cityops_cases c SET ${sets.join(', ')} WHERE c.id = $1 RETURNING ${caseColumns}),
    ${records},
    screened AS (${screenOutboxSql([caseMessage(next, move.action, ctx.now)], params)})
    SELECT moved.* FROM moved`, params));
  const moved = rows[0]!;
  if (moved.hotlineTicketId !== null) await followOnTicket(ctx, moved, move.action);
  return moved;
}

/**
 * The 12345 ticket a case came from follows it, in the same transaction: 立案 signs for it, a passed 核查
 * answers the caller with the unit's reply, 结案 closes it, and a case not filed or not found on site goes
 * back to the hotline centre with the reason. A ticket the hotline has moved on meanwhile is left alone.
 */
async function followOnTicket(ctx: Ctx, c: Case, action: string): Promise<void> {
  const ticketId = c.hotlineTicketId!;
  const ticket = await findTicket(ctx.tx, ticketId);
  const as: Ctx = { ...ctx, actor: { ...systemActor('cityops'), name: '数字城管' } };
  const may = (t: keyof typeof ticketTransitions) => ticket !== null && (ticketTransitions[t] as readonly TicketState[]).includes(ticket.state);
  if (action === 'cityops.case.filed' && may('accept')) await acceptTicket(as, { ticketId });
  else if (action === 'cityops.case.check-passed' && may('reply')) await replyTicket(as, { ticketId, reply: c.reply ?? '' });
  else if (action === 'cityops.case.closed' && may('close')) await closeTicket(as, { ticketId, note: `数字城管案件 ${c.code} 结案` });
  else if ((action === 'cityops.case.refused' || action === 'cityops.case.unfounded') && may('return'))
    await returnTicket(as, { ticketId, reasonCode: action === 'cityops.case.refused' ? 'not-our-duty' : 'wrong-location', note: `数字城管案件 ${c.code}：${c.reason ?? ''}` });
}

/** Was the step finished within its limit? */
const inTime = (c: { dueAt: Date | null }, now: Date) => c.dueAt === null || now.getTime() <= c.dueAt.getTime();

/** The patrol worker for a field task (核实, 核查) in the case's area: the one with the fewest open tasks. */
async function patrolWorkerFor(db: Queryable, divisionCode: string, prefer: number | null): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT u.id::int FROM users u JOIN departments d ON d.id = u.department_id
      WHERE d.kind = $1 AND u.kind = 'staff' AND NOT u.disabled AND u.division_code = ANY($2::text[])
      ORDER BY (u.id = $3) DESC,
               (SELECT count(*) FROM cityops_cases c WHERE c.assignee_user_id = u.id AND c.state IN ('verifying', 'checking')), u.id
      LIMIT 1`, [deskKinds.patrol, areasAbove(divisionCode), prefer ?? 0]);
  return rows[0]?.id ?? null;
}

export interface NewCase {
  source: CaseSource;
  /** The source's own reference: a sensor's event id, a ticket number, the leader's instruction. */
  sourceRef?: string | null;
  /** A case kind: C + class + kind for a component (C0102 污水井盖), E + class + kind for an event (E0102 暴露垃圾). */
  kindCode: string;
  urgency?: Urgency;
  description: string;
  address?: string;
  lon: number;
  lat: number;
  /** The 16-digit code of the component concerned, if any: its owner is the first choice at 派遣. */
  componentCode?: string | null;
  /** Where no grid contains the point (a 12345 ticket's area): the division to file the case in. */
  divisionCode?: string | null;
  photos?: PhotoInput[];
  hotlineTicketId?: number | null;
}

/** Public and 12345 reports are checked on site first; the others go straight to 立案. */
const needsVerifying = (source: CaseSource) => source === 'public' || source === 'hotline';

async function insertCase(ctx: Ctx, input: NewCase, extra: { reporterUserId: number | null; position?: Position }): Promise<Case> {
  const rules = await stepRules(ctx.tx);
  const kind = activeKindIn(rules.kinds, input.kindCode);
  const urgency = input.urgency ?? 'normal';
  const description = input.description.trim();
  if (description === '') throw new DomainError('cityops.case.no-description', { field: 'description' });
  checkPoint(input);
  let componentDivision: string | null = null;
  if (input.componentCode) {
    splitComponentCode(input.componentCode, 'componentCode');
    const { rows } = await ctx.tx.query<{ divisionCode: string; kind: string }>(
      `SELECT division_code AS "divisionCode", 'C' || class_code || kind_code AS kind FROM cityops_components WHERE code = $1`, [input.componentCode]);
    if (!rows[0]) throw new DomainError('cityops.case.unknown-component', { field: 'componentCode' }, `no component ${input.componentCode}`);
    if (kind.type === 'component' && rows[0].kind !== kind.code)
      throw new DomainError('cityops.case.component-kind', { field: 'componentCode' }, `component ${input.componentCode} is not of kind ${kind.code}`);
    componentDivision = rows[0].divisionCode;
  }
  const photos = checkPhotos(input.photos, { required: input.source === 'patrol' });
  const grid = await gridAt(ctx.tx, input.lon, input.lat);
  const divisionCode = grid?.divisionCode ?? componentDivision ?? input.divisionCode ?? null;
  if (!divisionCode) throw new DomainError('cityops.case.outside-grids', { field: 'lon' }, 'the point lies in no grid of the city');
  if (!ctx.actor.jurisdiction.covers(divisionCode)) throw new DomainError('forbidden', { status: 403, field: 'lon' }, 'the place lies outside your jurisdiction');
  const state: CaseState = needsVerifying(input.source) ? 'verifying' : 'filing';
  const clock = clockFor(rules.calendar, state, kind, urgency, ctx.now);
  const assignee = state === 'verifying' ? await patrolWorkerFor(ctx.tx, divisionCode, null) : null;
  const { rows } = await ctx.tx.query<Case>(
    `INSERT INTO cityops_cases AS c (id, code, source, source_ref, kind_code, urgency, state, description, address, lon, lat, grid_code, division_code,
       component_code, reporter, reporter_user_id, assignee_user_id, field_user_ids, hotline_ticket_id, step_started_at, warning_due_at, due_at, created_at, updated_at)
     SELECT n, to_char($17::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(n::text, 6, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
       $12, $13, $14, $15, CASE WHEN $15::bigint IS NULL THEN '{}' ELSE ARRAY[$15::bigint] END, $16, $17, $18, $19, $17, $17
       FROM (SELECT nextval('cityops_cases_id_seq') AS n) AS s
     RETURNING ${caseColumns}`,
    [input.source, input.sourceRef ?? null, kind.code, urgency, state, description, (input.address ?? '').trim(), input.lon, input.lat, grid?.code ?? null,
      divisionCode, input.componentCode ?? null, actorRef(ctx.actor), extra.reporterUserId, assignee, input.hotlineTicketId ?? null, ctx.now,
      clock.warnAt, clock.dueAt]);
  const c = rows[0]!;
  const stored = await storePhotos(ctx, c.id, 'report', photos);
  const distance = extra.position ? await recordPosition(ctx, c, 'report', extra.position) : null;
  const action = input.source === 'patrol' ? 'cityops.case.reported' : 'cityops.case.opened';
  const params: unknown[] = [];
  const records = stepRecords(params, eventValues(ctx, c.id, action, { from: null, to: state, departmentId: null, divisionCode, note: input.sourceRef ?? null,
    onTime: null, passed: null }),
  { actor: ctx.actor, action, object: { type: 'cityops-case', id: String(c.id) }, at: ctx.now,
    payload: { code: c.code, source: c.source, sourceRef: c.sourceRef, kindCode: c.kindCode, urgency, state, divisionCode, componentCode: c.componentCode,
      photos: stored, onSiteMetres: distance } });
  await ctx.tx.query(prepared(`WITH ${records} ${screenOutboxSql([caseMessage(c, action, ctx.now)], params)}`, params));
  return c;
}

export interface PatrolReport {
  kindCode: string;
  urgency?: Urgency;
  description: string;
  address?: string;
  componentCode?: string | null;
  /** Where the phone is: the case is placed there. */
  lon: number;
  lat: number;
  accuracy?: number | null;
  photos: PhotoInput[];
}

/** 上报: a patrol worker reports a problem found on the street, with a photo and the phone's position; it waits for 立案. */
export async function reportCase(ctx: Ctx, input: PatrolReport): Promise<Case> {
  await assertDesk(ctx.tx, ctx.actor, a.caseReport, 'patrol');
  return insertCase(ctx, { ...input, source: 'patrol' }, { reporterUserId: userIdOf(ctx.actor), position: input });
}

/** What `openCase` takes: a new case of the sources it opens, in a grid of the city (no division of its own, no ticket). */
export interface OpenCase extends Omit<NewCase, 'source' | 'divisionCode' | 'hotlineTicketId'> {
  /**
   * 群众举报 `public` (checked on site before 立案), 领导交办 `leader`, the command centre's own `command`, or a
   * sensor's event `sensor` (acted by the platform: the device gateway runs as a system actor).
   */
  source: 'public' | 'leader' | 'command' | 'sensor';
}

/**
 * Opens a case: by the command centre for public reports, leaders' instructions and its own findings; by
 * the platform for a sensor's event. Public reports wait for 核实, the others for 立案. The point must
 * lie in a grid of the city (within the actor's jurisdiction). One transaction: the case, its photos, its
 * first history row and its ledger entry (`cityops.case.opened`).
 */
export async function openCase(ctx: Ctx, input: OpenCase): Promise<Case> {
  if (!['public', 'leader', 'command', 'sensor'].includes(input.source)) throw new DomainError('cityops.case.bad-source', { field: 'source' });
  if (input.source === 'sensor') {
    assertCan(ctx.actor, a.caseOpen);
    if (ctx.actor.kind !== 'system' && !ctx.actor.roles.includes('platform_admin'))
      throw new DomainError('cityops.case.bad-source', { status: 403, field: 'source' }, 'sensor events are opened by the platform');
  } else {
    await assertDesk(ctx.tx, ctx.actor, a.caseOpen, 'command');
  }
  return insertCase(ctx, input, { reporterUserId: null });
}

/** Opens a case for a 12345 ticket (hotline-link.ts checks who may); it waits for 核实. */
export async function openHotlineCase(ctx: Ctx, input: Omit<NewCase, 'source'> & { hotlineTicketId: number }): Promise<Case> {
  return insertCase(ctx, { ...input, source: 'hotline' }, { reporterUserId: null });
}

interface FieldStep {
  caseId: number;
  note?: string | null;
  lon: number;
  lat: number;
  accuracy?: number | null;
  photos?: PhotoInput[];
}

/** The worker given the task, or (for the platform) anyone; refuses others. */
function assertAssignee(ctx: Ctx, c: Case): void {
  const me = userIdOf(ctx.actor);
  if (ctx.actor.kind === 'system' || ctx.actor.roles.includes('platform_admin')) return;
  if (me === null || c.assigneeUserId !== me) throw new DomainError('cityops.case.not-assignee', { status: 403 }, 'the task is not yours');
}

/** 核实: the patrol worker given the task confirms on site that the reported problem is there (then it waits for 立案) or not. */
export async function verifyCase(ctx: Ctx, input: FieldStep & { found: boolean }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseCheck, 'patrol', c);
  assertTransition(c, 'verify');
  assertAssignee(ctx, c);
  if (!input.found && !input.note?.trim()) throw new DomainError('cityops.case.reason-required', { field: 'note' }, 'say what was found instead');
  const photos = checkPhotos(input.photos, { required: input.found });
  const kind = kindIn(rules.kinds, c.kindCode);
  const distance = await recordPosition(ctx, c, 'verify', input);
  const stored = await storePhotos(ctx, c.id, 'verify', photos);
  return moveCase(ctx, c, rules, kind, input.found
    ? { action: 'cityops.case.verified', to: 'filing', set: { assigneeUserId: null }, note: input.note, onTime: inTime(c, ctx.now), passed: true,
      payload: { photos: stored, onSiteMetres: distance } }
    : { action: 'cityops.case.unfounded', to: 'rejected', set: { assigneeUserId: null, outcome: 'unfounded', reason: input.note!.trim(), closedAt: ctx.now },
      note: input.note, onTime: inTime(c, ctx.now), passed: false, payload: { reason: input.note, photos: stored, onSiteMetres: distance } });
}

/** 立案: the supervision centre files the case against the kind's 立案条件, possibly under another kind or urgency. */
export async function fileCase(ctx: Ctx, input: { caseId: number; kindCode?: string; urgency?: Urgency; note?: string | null }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseFile, 'supervision', c);
  assertTransition(c, 'file');
  const kind = activeKindIn(rules.kinds, input.kindCode ?? c.kindCode);
  return moveCase(ctx, c, rules, kind, { action: 'cityops.case.filed', to: 'dispatching', set: { kindCode: kind.code, urgency: input.urgency ?? c.urgency },
    note: input.note, onTime: inTime(c, ctx.now), payload: { kindCode: kind.code, urgency: input.urgency ?? c.urgency, filingCondition: kind.filingCondition } });
}

/** 不予立案: the supervision centre refuses to file, with the reason (the 立案条件 not met, a duplicate, not the city's). */
export async function refuseCase(ctx: Ctx, input: { caseId: number; reason: string }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseFile, 'supervision', c);
  assertTransition(c, 'refuse');
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('cityops.case.reason-required', { field: 'reason' });
  return moveCase(ctx, c, rules, kindIn(rules.kinds, c.kindCode), { action: 'cityops.case.refused', to: 'rejected',
    set: { outcome: 'not-filed', reason, closedAt: ctx.now }, note: reason, onTime: inTime(c, ctx.now), payload: { reason } });
}

/** Refuses (409, field `state`) a step on a case whose jurisdiction dispute is open: the command centre decides it first. */
async function assertNotDisputed(ctx: Ctx, c: Case): Promise<void> {
  const { rows } = await ctx.tx.query<{ id: number }>(`SELECT id::int FROM cityops_disputes WHERE case_id = $1 AND state = 'open'`, [c.id]);
  if (rows[0]) throw new DomainError('cityops.case.disputed', { status: 409, field: 'state', disputeId: rows[0].id }, `case ${c.id} waits for its dispute ${rows[0].id}`);
}

/**
 * 派遣: the command centre sends the case to a unit: the one named, else the owner (ownership.ts: a jurisdiction
 * rule, the component's 权属, the dispatch catalogue). Where several units could own it, the case goes to the
 * disputes queue instead (管辖争议) and stays in 派遣, marked; where none does, the unit must be named. A unit
 * that does not serve the case's area is refused. A case whose dispute is open waits for its decision.
 */
export async function dispatchCase(ctx: Ctx, input: { caseId: number; departmentId?: number | null; note?: string | null }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseDispatch, 'command', c);
  assertTransition(c, 'dispatch');
  await assertNotDisputed(ctx, c);
  if (input.departmentId != null) return dispatchTo(ctx, c, { departmentId: input.departmentId, by: 'chosen', note: input.note }, rules);
  const owner = await findOwner(ctx.tx, c);
  if (owner.kind === 'none')
    throw new DomainError('cityops.case.no-route', { field: 'departmentId' }, 'neither a component owner nor the dispatch catalogue names a unit');
  if (owner.kind === 'disputed') {
    await openDispute(ctx, c, owner);
    return reloadCase(ctx, c.id);
  }
  const { route } = owner;
  return dispatchTo(ctx, c, { departmentId: route.departmentId, by: route.by, note: input.note, home: route.home }, rules);
}

/**
 * Sends a case in 派遣 to a unit (the caller has checked who may): refuses an unknown department, a desk of
 * city operations and a unit that does not serve the case's area. `home` is the grid a decision or a rule
 * places the case in when its unit serves the area across the line, not the case's own. One history row and ledger entry, `cityops.case.dispatched`.
 * `rules` are those read with the case when it was locked, else read here.
 */
export async function dispatchTo(ctx: Ctx, c: Case, input: { departmentId: number; by: string; note?: string | null;
  home?: { gridCode: string; divisionCode: string } | null; payload?: Record<string, unknown> }, known?: StepRules): Promise<Case> {
  const rules = known ?? await stepRules(ctx.tx);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('cityops.case.unknown-department', { field: 'departmentId' }, `no department ${input.departmentId}`);
  if (Object.values(deskKinds).includes(department.kind as never))
    throw new DomainError('cityops.case.not-a-unit', { field: 'departmentId' }, `${department.name} is a desk of city operations, not a handling unit`);
  const home = input.home && !c.divisionCode.startsWith(divisionPrefix(department.divisionCode)) ? input.home : null;
  assertUnitCovers(department, home?.divisionCode ?? c.divisionCode);
  const kind = kindIn(rules.kinds, c.kindCode);
  const clock = clockFor(rules.calendar, 'handling', kind, c.urgency, ctx.now);
  const departmentId = department.id;
  return moveCase(ctx, c, rules, kind, { action: 'cityops.case.dispatched', to: 'handling',
    set: { departmentId, handleDueAt: clock.dueAt, workerUserId: null, ...(home ? { gridCode: home.gridCode, divisionCode: home.divisionCode } : {}) },
    departmentId, note: input.note, onTime: inTime(c, ctx.now),
    payload: { departmentId, by: input.by, handleDueAt: clock.dueAt, ...(home ? { placedIn: home } : {}), ...input.payload } });
}

/** The unit the case is dispatched to (or the platform); refuses others. */
export function assertUnit(ctx: Ctx, c: Case): void {
  assertCan(ctx.actor, a.caseHandle, c);
  if (ctx.actor.kind === 'system' || ctx.actor.roles.includes('platform_admin')) return;
  if (ctx.actor.departmentId === null || ctx.actor.departmentId !== c.departmentId)
    throw new DomainError('cityops.case.not-unit', { status: 403 }, 'the case is not with your department');
}

/**
 * 退回: the unit hands the case back to the command centre (not theirs to handle), with the reason. When
 * another unit returned it before, no single owner is left to guess: the case goes to the disputes queue
 * (管辖争议) with the units that returned it and the owner routing would name.
 */
export async function returnCase(ctx: Ctx, input: { caseId: number; reason: string }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  assertUnit(ctx, c);
  assertTransition(c, 'return');
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('cityops.case.reason-required', { field: 'reason' });
  const returned = await moveCase(ctx, c, rules, kindIn(rules.kinds, c.kindCode), { action: 'cityops.case.returned', to: 'dispatching',
    set: { departmentId: null, handleDueAt: null, reason }, departmentId: c.departmentId, note: reason, payload: { reason, departmentId: c.departmentId } });
  const returners = await returnersOf(ctx.tx, c.id);
  if (returners.length < 2) return returned;
  const owner = await findOwner(ctx.tx, returned);
  const others = owner.kind === 'single' ? [owner.route.departmentId] : owner.kind === 'disputed' ? owner.candidateIds : [];
  await openDispute(ctx, returned, { reasons: ['returned', ...(owner.kind === 'disputed' ? owner.reasons : [])],
    candidateIds: [...new Set([...returners, ...others])], gridCodes: owner.kind === 'disputed' ? owner.gridCodes : returned.gridCode ? [returned.gridCode] : [] });
  return reloadCase(ctx, c.id);
}

/**
 * 处置: the unit reports the problem handled, with its reply and an after-photo; a patrol worker is given the 核查.
 * A case given to a worker of the unit is handled by that worker alone, after their arrival check-in (到场签到)
 * for this round; `recordedAt` is when it was done on the phone (it may have waited in the phone's offline
 * queue), and the on-time count goes by it.
 */
export async function handleCase(ctx: Ctx, input: { caseId: number; reply: string; photos: PhotoInput[]; recordedAt?: string | null }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  assertUnit(ctx, c);
  assertTransition(c, 'handle');
  let notBefore = c.stepStartedAt;
  if (c.workerUserId !== null && ctx.actor.kind !== 'system' && !ctx.actor.roles.includes('platform_admin')) {
    if (userIdOf(ctx.actor) !== c.workerUserId) throw new DomainError('cityops.case.not-assignee', { status: 403 }, 'the case is with another worker of the unit');
    const arrived = await arrivalSince(ctx.tx, c.id, c.workerUserId, 'handling', c.stepStartedAt);
    if (!arrived) throw new DomainError('cityops.field.not-arrived', { status: 409 }, 'check in on site before reporting the case handled');
    notBefore = arrived.recordedAt;
  }
  const doneAt = actTime(input.recordedAt, ctx.now, notBefore);
  const reply = input.reply.trim();
  if (!reply) throw new DomainError('cityops.case.reply-required', { field: 'reply' });
  const photos = checkPhotos(input.photos, { required: true });
  const stored = await storePhotos(ctx, c.id, 'handle', photos);
  const checker = await patrolWorkerFor(ctx.tx, c.divisionCode, c.reporterUserId);
  const onTime = c.handleDueAt === null || doneAt.getTime() <= c.handleDueAt.getTime();
  return moveCase(ctx, c, rules, kindIn(rules.kinds, c.kindCode), { action: 'cityops.case.handled', to: 'checking', set: { reply, assigneeUserId: checker },
    departmentId: c.departmentId, note: reply, onTime, payload: { reply, photos: stored, onTime, checker, doneAt: doneAt.toISOString() } });
}

/** 核查: the patrol worker given the task checks on site: passed (it waits for 结案) or back to the unit (返工). */
export async function checkCase(ctx: Ctx, input: FieldStep & { passed: boolean }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseCheck, 'patrol', c);
  assertTransition(c, 'check');
  assertAssignee(ctx, c);
  if (!input.passed && !input.note?.trim()) throw new DomainError('cityops.case.reason-required', { field: 'note' }, 'say what is still wrong');
  const photos = checkPhotos(input.photos, { required: true });
  const distance = await recordPosition(ctx, c, 'check', input);
  const stored = await storePhotos(ctx, c.id, 'check', photos);
  const kind = kindIn(rules.kinds, c.kindCode);
  if (input.passed)
    return moveCase(ctx, c, rules, kind, { action: 'cityops.case.check-passed', to: 'closing', set: { assigneeUserId: null }, note: input.note,
      onTime: inTime(c, ctx.now), passed: true, payload: { photos: stored, onSiteMetres: distance } });
  const clock = clockFor(rules.calendar, 'handling', kind, c.urgency, ctx.now);
  return moveCase(ctx, c, rules, kind, { action: 'cityops.case.check-failed', to: 'handling',
    set: { assigneeUserId: null, reworkCount: c.reworkCount + 1, handleDueAt: clock.dueAt, reason: input.note!.trim() }, note: input.note,
    onTime: inTime(c, ctx.now), passed: false, payload: { note: input.note, photos: stored, onSiteMetres: distance } });
}

/** 结案: the supervision centre closes a case whose 核查 passed. */
export async function closeCase(ctx: Ctx, input: { caseId: number; note?: string | null }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  await assertDesk(ctx.tx, ctx.actor, a.caseFile, 'supervision', c);
  assertTransition(c, 'close');
  return moveCase(ctx, c, rules, kindIn(rules.kinds, c.kindCode), { action: 'cityops.case.closed', to: 'closed', set: { outcome: 'closed', closedAt: ctx.now },
    note: input.note, onTime: inTime(c, ctx.now), payload: { note: input.note ?? null } });
}

/** 评价: a centre rates how a closed case was handled (1–5), once. */
export async function evaluateCase(ctx: Ctx, input: { caseId: number; rating: number; comment?: string | null }): Promise<Case> {
  const { c, rules } = await lockStep(ctx, input.caseId);
  assertCan(ctx.actor, a.caseEvaluate, c);
  const desk = await deskOf(ctx.tx, ctx.actor);
  if (desk !== 'platform' && desk !== 'supervision' && desk !== 'command')
    throw new DomainError('cityops.case.not-desk', { status: 403, desk: 'supervision' }, 'only a centre rates a case');
  assertTransition(c, 'evaluate');
  if (c.outcome !== 'closed') throw new DomainError('cityops.case.bad-transition', { status: 409, field: 'state', state: c.state, command: 'evaluate' });
  if (c.rating !== null) throw new DomainError('cityops.case.rated', { status: 409, field: 'rating' }, 'the case is rated already');
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new DomainError('cityops.case.bad-rating', { field: 'rating' });
  return moveCase(ctx, c, rules, kindIn(rules.kinds, c.kindCode), { action: 'cityops.case.evaluated', to: 'closed',
    set: { rating: input.rating, ratingComment: input.comment?.trim() || null }, note: input.comment, payload: { rating: input.rating, comment: input.comment ?? null } });
}
