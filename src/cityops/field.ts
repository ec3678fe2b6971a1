/**
 * 现场作业: the tasks a field worker goes out for, and the arrival check-in (到场签到) on site.
 *
 * A patrol worker's tasks are the 核实 and 核查 they are given; a handling unit's worker's tasks are the
 * cases the unit gave them (or they took) to handle (处置). A worker sees only their own tasks. A check-in
 * is refused outside the fence of the task (GEOFENCE_METRES plus the phone's accuracy, field-times.ts), with
 * the distance, and when the position is older than POSITION_MAX_AGE_MINUTES against the time of the
 * check-in. The phone may send a check-in later than it was made (it waited in the offline queue): its
 * `recordedAt` is the time it was made, checked against the task's start and the server's clock, and the
 * late mark (迟到, arrived after the step's limit) goes by it. The phone's coordinates are not kept with a
 * check-in: the distance and the times are the record.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { checkPhotos, storePhotos, type PhotoInput } from './case-photos.ts';
import { actorRef, assertUnit, lockCase, metresBetween, type Case, type CaseState } from './cases.ts';
import { actTime, fenceMetres, positionTime } from './field-times.ts';
import { cityopsActions as a, isFieldWorker, userIdOf } from './policy.ts';

/** The steps a worker goes out for: 核实, 处置, 核查. */
export const fieldSteps = ['verifying', 'handling', 'checking'] as const;
export type FieldStep = (typeof fieldSteps)[number];

export interface CheckIn {
  id: number;
  caseId: number;
  step: FieldStep;
  distanceM: number;
  allowedM: number;
  accuracy: number | null;
  positionAt: Date;
  recordedAt: Date;
  receivedAt: Date;
  dueAt: Date | null;
  late: boolean;
}

const checkInColumns = `k.id::int, k.case_id::int AS "caseId", k.step, k.distance_m AS "distanceM", k.allowed_m AS "allowedM", k.accuracy,
  k.position_at AS "positionAt", k.recorded_at AS "recordedAt", k.received_at AS "receivedAt", k.due_at AS "dueAt", k.late`;

export interface FieldTask {
  caseId: number;
  code: string;
  step: FieldStep;
  kindCode: string;
  kindNameZh: string;
  kindNameEn: string;
  urgency: string;
  description: string;
  address: string;
  lon: number;
  lat: number;
  reply: string | null;
  /** The step's limit: arriving after it is late. */
  dueAt: Date | null;
  stepStartedAt: Date;
  /** The worker's latest check-in for this step, if any. */
  checkIn: CheckIn | null;
}

/** The limit a worker's arrival is held to: the handling limit (处置时限) or the step's. */
const dueOf = (c: { state: string; handleDueAt: Date | null; dueAt: Date | null }) => (c.state === 'handling' ? c.handleDueAt : c.dueAt);

/**
 * 今日任务: the open tasks of the worker calling (their own only), most urgent first, each with their latest
 * check-in for it; and, for a unit's worker, the unit's cases in 处置 that nobody has taken yet.
 */
export async function listFieldTasks(db: Queryable, actor: Actor): Promise<{ items: FieldTask[]; available: FieldTask[] }> {
  assertCan(actor, a.fieldWork);
  const me = userIdOf(actor);
  if (me === null || !(await isFieldWorker(db, actor))) throw new DomainError('cityops.field.not-field-worker', { status: 403 }, 'field tasks are for field workers');
  const select = `SELECT c.id::int AS "caseId", c.code, c.state AS step, c.kind_code AS "kindCode", t.name_zh AS "kindNameZh", t.name_en AS "kindNameEn",
      c.urgency, c.description, c.address, c.lon, c.lat, c.reply, CASE WHEN c.state = 'handling' THEN c.handle_due_at ELSE c.due_at END AS "dueAt",
      c.step_started_at AS "stepStartedAt",
      (SELECT row_to_json(x) FROM (SELECT ${checkInColumns} FROM cityops_field_checkins k
         WHERE k.case_id = c.id AND k.user_id = $1 AND k.step = c.state AND k.recorded_at >= c.step_started_at ORDER BY k.recorded_at DESC LIMIT 1) x) AS "checkIn"
    FROM cityops_cases c JOIN cityops_case_kinds t ON t.code = c.kind_code`;
  const order = `ORDER BY (c.urgency = 'urgent') DESC, "dueAt" NULLS LAST, c.id`;
  const { rows } = await db.query<FieldTask>(
    `${select} WHERE (c.state IN ('verifying', 'checking') AND c.assignee_user_id = $1) OR (c.state = 'handling' AND c.worker_user_id = $1) ${order}`, [me]);
  const { rows: available } = actor.departmentId === null ? { rows: [] } : await db.query<FieldTask>(
    `${select} WHERE c.state = 'handling' AND c.worker_user_id IS NULL AND c.department_id = $2 ${order} LIMIT 50`, [me, actor.departmentId]);
  return { items: rows.map(revive), available: available.map(revive) };
}

/** row_to_json gives the check-in's times as text. */
function revive(t: FieldTask): FieldTask {
  const k = t.checkIn as unknown as Record<string, unknown> | null;
  if (!k) return t;
  const date = (v: unknown) => (v === null ? null : new Date(v as string));
  return { ...t, checkIn: { ...(k as unknown as CheckIn), positionAt: date(k.positionAt)!, recordedAt: date(k.recordedAt)!, receivedAt: date(k.receivedAt)!,
    dueAt: date(k.dueAt) } };
}

/**
 * 指派处置人员: the unit gives a case in 处置 to one of its workers (`userId`), or a worker takes it (no
 * `userId`); a case another worker holds is taken only by the unit giving it on. One history row and one
 * ledger entry (`cityops.case.worker-assigned`).
 */
export async function assignWorker(ctx: Ctx, input: { caseId: number; userId?: number | null }): Promise<Case> {
  const c = await lockCase(ctx, input.caseId);
  assertUnit(ctx, c);
  if (c.state !== 'handling')
    throw new DomainError('cityops.case.bad-transition', { status: 409, field: 'state', state: c.state, command: 'assign' }, `a case in state ${c.state} cannot be assigned`);
  const me = userIdOf(ctx.actor);
  const taking = input.userId === undefined || input.userId === null;
  const workerId = taking ? me : input.userId!;
  if (workerId === null) throw new DomainError('cityops.field.not-unit-worker', { field: 'userId' }, 'name the worker');
  if (taking && c.workerUserId !== null && c.workerUserId !== me)
    throw new DomainError('cityops.field.taken', { status: 409, field: 'caseId' }, 'another worker of the unit has the case');
  const { rows: [worker] } = await ctx.tx.query<{ name: string }>(
    `SELECT display_name AS name FROM users WHERE id = $1 AND kind = 'staff' AND NOT disabled AND department_id = $2`, [workerId, c.departmentId]);
  if (!worker) throw new DomainError('cityops.field.not-unit-worker', { field: 'userId' }, 'the worker is not staff of the unit the case is with');
  const { rows } = await ctx.tx.query<{ id: number }>(`UPDATE cityops_cases SET worker_user_id = $2, updated_at = $3 WHERE id = $1 RETURNING id::int`,
    [c.id, workerId, ctx.now]);
  await ctx.tx.query(
    `INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, user_id, from_state, to_state, department_id, division_code, note)
     VALUES ($1, $2, 'worker-assigned', $3, $4, $5, $6, $6, $7, $8, $9)`,
    [c.id, ctx.now, actorRef(ctx.actor), ctx.actor.name, me, c.state, c.departmentId, c.divisionCode, worker.name]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.case.worker-assigned', object: { type: 'cityops-case', id: String(rows[0]!.id) }, at: ctx.now,
    payload: { workerUserId: workerId, previous: c.workerUserId, taken: taking } });
  return { ...c, workerUserId: workerId };
}

export interface CheckInInput {
  caseId: number;
  /** The phone's own id for this check-in (a UUID): sending it again answers the check-in already kept. */
  clientId: string;
  lon: number;
  lat: number;
  accuracy?: number | null;
  /** When the phone took the position (its fix time). */
  at: string;
  /** When the worker checked in on the phone; now when not given. */
  recordedAt?: string | null;
  /** 处置前 photos: required when arriving to handle a case. */
  photos?: PhotoInput[];
}

/**
 * 到场签到: the worker holding a task checks in on site. Refused with the distance outside the fence, refused
 * for a stale position or an impossible time; nothing is written then. One check-in row, the before-photos,
 * a history row (`arrived`) and a ledger entry (`cityops.case.arrived`) in one transaction.
 */
export async function checkIn(ctx: Ctx, input: CheckInInput): Promise<CheckIn> {
  const me = userIdOf(ctx.actor);
  assertCan(ctx.actor, a.fieldWork);
  if (me === null) throw new DomainError('cityops.field.not-field-worker', { status: 403 }, 'field tasks are for staff');
  const c = await lockCase(ctx, input.caseId);
  const { rows: [again] } = await ctx.tx.query<CheckIn>(`SELECT ${checkInColumns} FROM cityops_field_checkins k WHERE k.user_id = $1 AND k.client_id = $2`,
    [me, input.clientId]);
  if (again) {
    if (again.caseId !== c.id) throw new DomainError('cityops.field.client-id-taken', { status: 409, field: 'clientId' }, 'the id names another check-in');
    return again;
  }
  if (!(fieldSteps as readonly CaseState[]).includes(c.state))
    throw new DomainError('cityops.field.no-task', { status: 409, field: 'caseId', state: c.state }, 'the case has no field task now');
  const step = c.state as FieldStep;
  const holder = step === 'handling' ? c.workerUserId : c.assigneeUserId;
  if (holder !== me) throw new DomainError('cityops.case.not-assignee', { status: 403 }, 'the task is not yours');
  const recordedAt = actTime(input.recordedAt, ctx.now, c.stepStartedAt);
  const positionAt = positionTime(input.at, recordedAt);
  if (!Number.isFinite(input.lon) || input.lon < -180 || input.lon > 180) throw new DomainError('cityops.case.bad-location', { field: 'lon' });
  if (!Number.isFinite(input.lat) || input.lat < -90 || input.lat > 90) throw new DomainError('cityops.case.bad-location', { field: 'lat' });
  const distance = Math.round(metresBetween(c, input));
  const allowed = fenceMetres(input.accuracy);
  if (distance > allowed)
    throw new DomainError('cityops.field.outside-fence', { status: 422, field: 'lon', distance, allowed },
      `the phone is ${distance} m from the task, outside the ${allowed} m fence`);
  const photos = checkPhotos(input.photos, { required: step === 'handling' });
  const dueAt = dueOf(c);
  const late = dueAt !== null && recordedAt.getTime() > dueAt.getTime();
  const { rows: [kept] } = await ctx.tx.query<CheckIn>(
    `INSERT INTO cityops_field_checkins AS k (case_id, step, user_id, client_id, distance_m, allowed_m, accuracy, position_at, recorded_at, received_at, due_at, late)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${checkInColumns}`,
    [c.id, step, me, input.clientId, distance, allowed, input.accuracy ?? null, positionAt, recordedAt, ctx.now, dueAt, late]);
  const stored = await storePhotos(ctx, c.id, 'arrive', photos);
  await ctx.tx.query(
    `INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, user_id, from_state, to_state, department_id, division_code, note)
     VALUES ($1, $2, 'arrived', $3, $4, $5, $6, $6, $7, $8, $9)`,
    [c.id, recordedAt, actorRef(ctx.actor), ctx.actor.name, me, step, c.departmentId, c.divisionCode, `${distance} m${late ? ' · 迟到' : ''}`]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.case.arrived', object: { type: 'cityops-case', id: String(c.id) }, at: ctx.now,
    payload: { step, distanceM: distance, allowedM: allowed, positionAt: positionAt.toISOString(), recordedAt: recordedAt.toISOString(), late,
      dueAt: dueAt?.toISOString() ?? null, photos: stored } });
  return kept!;
}

