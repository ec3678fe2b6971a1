/**
 * 一键调度: from the screen, the command centre orders a department to act on a case or a sensor alarm, with a
 * limit in minutes to acknowledge (签收) it. The department's staff acknowledge, never the one who issued it; an
 * order not acknowledged in time is escalated (升级) by a sweep to the department's superior, or, for a department
 * without one, to the command centre of the area, who may then acknowledge it in its stead. Each step is one
 * ledger entry and one message to the screens, in the command's transaction.
 */
import { assertCan, hasGrant, inJurisdiction, systemActor, type Actor, type Ctx } from '../../kernel/auth/index.ts';
import { withTransaction, type Db, type Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Sweep } from '../../kernel/jobs/index.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { findDepartment } from '../../kernel/org/index.ts';
import { assertUnitCovers } from '../case-kinds.ts';
import { actorRef, caseColumns, type Case } from '../cases.ts';
import { assertDesk, canReadCase, deskKinds, deskOf, screenActions as s, seesJurisdiction, userIdOf } from '../policy.ts';
import { sensorActions } from '../sensors/policy.ts';
import { notifyScreen, type ScreenMessage } from './feed.ts';

export const orderStates = ['issued', 'acknowledged', 'escalated'] as const;
export type OrderState = (typeof orderStates)[number];
/** The longest acknowledgement limit: a day. */
export const MAX_ACK_MINUTES = 1440;

export interface Order {
  id: number;
  divisionCode: string;
  caseId: number | null;
  caseCode: string | null;
  sensorEventId: number | null;
  deviceCode: string | null;
  /** What the order is about: the case's or the alarm's description. */
  subject: string;
  lon: number;
  lat: number;
  departmentId: number;
  departmentName: string;
  instruction: string;
  ackMinutes: number;
  state: OrderState;
  issuedAt: Date;
  ackDueAt: Date;
  issuedByUserId: number | null;
  issuedByName: string;
  acknowledgedAt: Date | null;
  acknowledgedByName: string | null;
  ackNote: string | null;
  escalatedAt: Date | null;
  escalatedToDepartmentId: number | null;
  escalatedToName: string | null;
}

const orderSelect = `SELECT o.id::int, o.division_code AS "divisionCode", o.case_id::int AS "caseId", c.code AS "caseCode",
    o.sensor_event_id::int AS "sensorEventId", sd.code AS "deviceCode", coalesce(c.description, se.description) AS subject, o.lon, o.lat,
    o.department_id::int AS "departmentId", d.name AS "departmentName", o.instruction, o.ack_minutes AS "ackMinutes", o.state,
    o.issued_at AS "issuedAt", o.ack_due_at AS "ackDueAt", o.issued_by_user_id::int AS "issuedByUserId", o.issued_by_name AS "issuedByName",
    o.acknowledged_at AS "acknowledgedAt", o.acknowledged_by_name AS "acknowledgedByName", o.ack_note AS "ackNote", o.escalated_at AS "escalatedAt",
    o.escalated_to_department_id::int AS "escalatedToDepartmentId", ed.name AS "escalatedToName"
  FROM cityops_orders o JOIN departments d ON d.id = o.department_id LEFT JOIN departments ed ON ed.id = o.escalated_to_department_id
  LEFT JOIN cityops_cases c ON c.id = o.case_id LEFT JOIN cityops_sensor_events se ON se.id = o.sensor_event_id
  LEFT JOIN cityops_sensor_devices sd ON sd.id = se.device_id`;

async function findOrder(db: Queryable, id: number): Promise<Order | undefined> {
  return (await db.query<Order>(`${orderSelect} WHERE o.id = $1`, [id])).rows[0];
}

const orderMessage = (o: { id: number; divisionCode: string; lon: number; lat: number; state: OrderState; departmentId: number },
  action: 'issued' | 'acknowledged' | 'escalated', at: Date): ScreenMessage => ({
  type: 'order', action, id: o.id, state: o.state, departmentId: o.departmentId, divisionCode: o.divisionCode, lon: o.lon, lat: o.lat, at: at.toISOString(),
});

export interface IssueOrder {
  /** The case ordered about, or */
  caseId?: number | null;
  /** the sensor event (报警) ordered about: exactly one of the two. */
  sensorEventId?: number | null;
  departmentId: number;
  instruction: string;
  /** Minutes the department has to acknowledge. */
  ackMinutes: number;
}

/** Where the order's subject lies, refused as not found when the issuer may not see it. */
async function subjectOf(ctx: Ctx, input: IssueOrder): Promise<{ divisionCode: string; lon: number; lat: number }> {
  const hasCase = input.caseId !== undefined && input.caseId !== null;
  const hasEvent = input.sensorEventId !== undefined && input.sensorEventId !== null;
  if (hasCase === hasEvent)
    throw new DomainError('cityops.order.one-subject', { field: 'caseId' }, 'an order is about one case or one sensor alarm');
  if (hasCase) {
    const { rows: [c] } = await ctx.tx.query<Case>(`SELECT ${caseColumns} FROM cityops_cases c WHERE c.id = $1`, [input.caseId]);
    if (!c || !canReadCase(ctx.actor, await deskOf(ctx.tx, ctx.actor), c))
      throw new DomainError('cityops.case.not-found', { status: 404, field: 'caseId' }, `no case ${input.caseId}`);
    return c;
  }
  const { rows: [e] } = await ctx.tx.query<{ divisionCode: string; lon: number; lat: number }>(
    'SELECT division_code AS "divisionCode", lon, lat FROM cityops_sensor_events WHERE id = $1', [input.sensorEventId]);
  if (!e || !hasGrant(ctx.actor, sensorActions.read) || !ctx.actor.jurisdiction.covers(e.divisionCode))
    throw new DomainError('cityops.order.unknown-alarm', { status: 404, field: 'sensorEventId' }, `no sensor event ${input.sensorEventId}`);
  return e;
}

/** 一键调度: the command centre orders a department serving the subject's area to act, within `ackMinutes` to acknowledge. */
export async function issueOrder(ctx: Ctx, input: IssueOrder): Promise<Order> {
  await assertDesk(ctx.tx, ctx.actor, s.orderIssue, 'command');
  const subject = await subjectOf(ctx, input);
  assertCan(ctx.actor, s.orderIssue, subject);
  const instruction = input.instruction.trim();
  if (instruction === '') throw new DomainError('cityops.order.no-instruction', { field: 'instruction' }, 'say what is to be done');
  if (!Number.isInteger(input.ackMinutes) || input.ackMinutes < 1 || input.ackMinutes > MAX_ACK_MINUTES)
    throw new DomainError('cityops.order.bad-limit', { field: 'ackMinutes' }, `from 1 to ${MAX_ACK_MINUTES} minutes`);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('cityops.order.unknown-department', { field: 'departmentId' }, `no department ${input.departmentId}`);
  if (department.kind === deskKinds.command)
    throw new DomainError('cityops.order.own-centre', { field: 'departmentId' }, 'the command centre orders another department');
  assertUnitCovers(department, subject.divisionCode);
  const due = new Date(ctx.now.getTime() + input.ackMinutes * 60_000);
  const { rows: [inserted] } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO cityops_orders (division_code, case_id, sensor_event_id, lon, lat, department_id, instruction, ack_minutes, state, issued_at, ack_due_at,
       issued_by, issued_by_user_id, issued_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', $9, $10, $11, $12, $13) RETURNING id::int`,
    [subject.divisionCode, input.caseId ?? null, input.sensorEventId ?? null, subject.lon, subject.lat, department.id, instruction, input.ackMinutes,
      ctx.now, due, actorRef(ctx.actor), userIdOf(ctx.actor), ctx.actor.name]);
  const id = inserted!.id;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.order.issued', object: { type: 'cityops-order', id: String(id) }, at: ctx.now,
    payload: { caseId: input.caseId ?? null, sensorEventId: input.sensorEventId ?? null, departmentId: department.id, instruction,
      ackMinutes: input.ackMinutes, ackDueAt: due.toISOString() } });
  const order = (await findOrder(ctx.tx, id))!;
  await notifyScreen(ctx.tx, [orderMessage(order, 'issued', ctx.now)]);
  return order;
}

/** Is the actor on the staff the order is addressed to now (the department, or after 升级 the one it went to)? */
const addressedTo = (actor: Actor, o: Pick<Order, 'departmentId' | 'escalatedToDepartmentId'>) =>
  actor.departmentId !== null && (actor.departmentId === o.departmentId || actor.departmentId === o.escalatedToDepartmentId);

/** May the viewer acknowledge the order now? (For the console's button; the command checks again.) */
export const canAcknowledge = (viewer: Actor, o: Order) => o.state !== 'acknowledged' && hasGrant(viewer, s.orderAcknowledge)
  && addressedTo(viewer, o) && !(userIdOf(viewer) !== null && o.issuedByUserId === userIdOf(viewer));

/** An order as the API shows it: with what the viewer may do. */
export const presentOrder = (o: Order, viewer: Actor) => {
  const { issuedByUserId: _issuer, ...shown } = o;
  return { ...shown, abilities: { acknowledge: canAcknowledge(viewer, o) } };
};

/** The departments the command centre may order: those of its jurisdiction but itself and the other centres' desks. */
export async function orderDepartments(db: Queryable, actor: Actor) {
  await assertDesk(db, actor, s.orderIssue, 'command');
  const params: unknown[] = [[deskKinds.command, deskKinds.supervision, deskKinds.patrol]];
  const within = inJurisdiction('d.division_code', actor.jurisdiction, params);
  const { rows } = await db.query<{ id: number; name: string; divisionCode: string; kind: string }>(
    `SELECT d.id::int, d.name, d.division_code AS "divisionCode", d.kind FROM departments d
      WHERE ${within} AND NOT (d.kind = ANY($1::text[])) ORDER BY d.division_code, d.name LIMIT 500`, params);
  return rows;
}

/** 签收: a member of the department ordered (or of the one it was escalated to) acknowledges, never its issuer. */
export async function acknowledgeOrder(ctx: Ctx, input: { orderId: number; note?: string | null }): Promise<Order> {
  assertCan(ctx.actor, s.orderAcknowledge);
  const { rows: [locked] } = await ctx.tx.query<{ id: number }>('SELECT id::int FROM cityops_orders WHERE id = $1 FOR UPDATE', [input.orderId]);
  const order = locked ? await findOrder(ctx.tx, locked.id) : undefined;
  if (!order || !(addressedTo(ctx.actor, order) || (await mayWatch(ctx.tx, ctx.actor, order))))
    throw new DomainError('cityops.order.not-found', { status: 404 }, `no order ${input.orderId}`);
  const me = userIdOf(ctx.actor);
  if (me !== null && order.issuedByUserId === me)
    throw new DomainError('cityops.order.own-order', { status: 403 }, 'nobody acknowledges an order they issued');
  if (!addressedTo(ctx.actor, order))
    throw new DomainError('cityops.order.not-addressee', { status: 403 }, 'the order is addressed to another department');
  if (order.state === 'acknowledged') throw new DomainError('cityops.order.acknowledged', { status: 409, field: 'state' }, 'acknowledged already');
  const note = input.note?.trim() || null;
  await ctx.tx.query(
    `UPDATE cityops_orders SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by_user_id = $3, acknowledged_by_name = $4, ack_note = $5
      WHERE id = $1`, [order.id, ctx.now, me, ctx.actor.name, note]);
  const late = ctx.now.getTime() > order.ackDueAt.getTime();
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.order.acknowledged', object: { type: 'cityops-order', id: String(order.id) },
    at: ctx.now, payload: { departmentId: ctx.actor.departmentId, note, late, escalated: order.state === 'escalated' } });
  const done = (await findOrder(ctx.tx, order.id))!;
  await notifyScreen(ctx.tx, [orderMessage(done, 'acknowledged', ctx.now)]);
  return done;
}

/** Does the actor watch the area's orders on the screen? */
async function mayWatch(db: Queryable, actor: Actor, order: { divisionCode: string }): Promise<boolean> {
  return hasGrant(actor, s.read) && actor.jurisdiction.covers(order.divisionCode) && seesJurisdiction(actor, await deskOf(db, actor));
}

export interface OrderFilter {
  /** Only the orders addressed to the caller's department (the 调度指令 of a unit). */
  mine?: boolean;
  /** Only the orders not yet acknowledged. */
  open?: boolean;
}

/** Orders newest first: those addressed to the caller's department, or with `mine` unset those of the area the caller watches. */
export async function listOrders(db: Queryable, actor: Actor, filter: OrderFilter): Promise<Order[]> {
  const params: unknown[] = [];
  const conditions: string[] = [];
  if (filter.mine) {
    assertCan(actor, s.orderAcknowledge);
    if (actor.departmentId === null) return [];
    params.push(actor.departmentId);
    conditions.push(`(o.department_id = $1 OR o.escalated_to_department_id = $1)`);
  } else {
    assertCan(actor, s.read);
    if (!seesJurisdiction(actor, await deskOf(db, actor)))
      throw new DomainError('forbidden', { status: 403, action: s.read }, 'the orders of an area are for the centres and overseers');
    const prefix = actor.jurisdiction.prefix;
    if (prefix === null) return [];
    params.push(`${prefix}%`);
    conditions.push(`o.division_code LIKE $1`);
  }
  if (filter.open) conditions.push(`o.state <> 'acknowledged'`);
  return (await db.query<Order>(`${orderSelect} WHERE ${conditions.join(' AND ')} ORDER BY o.issued_at DESC, o.id DESC LIMIT 200`, params)).rows;
}

const sweepActor = systemActor('cityops.orders');

/**
 * 升级: orders not acknowledged by their limit go to the ordered department's superior, or, for a department
 * without one, to the command centre nearest above the order's area (none: they stay marked 升级 on the screen).
 */
export async function escalateOrders(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: number; departmentId: number; divisionCode: string; lon: number; lat: number; ackDueAt: Date; to: number | null }>(
      `WITH due AS (SELECT o.id FROM cityops_orders o WHERE o.state = 'issued' AND o.ack_due_at <= $1 ORDER BY o.ack_due_at LIMIT 500 FOR UPDATE SKIP LOCKED)
       UPDATE cityops_orders o SET state = 'escalated', escalated_at = $1, escalated_to_department_id = coalesce(d.parent_id, (
           SELECT cc.id FROM departments cc WHERE cc.kind = $2 AND cc.division_code = ANY(ARRAY[rpad(left(o.division_code, 2), 12, '0'),
             rpad(left(o.division_code, 4), 12, '0'), rpad(left(o.division_code, 6), 12, '0'), rpad(left(o.division_code, 9), 12, '0'), o.division_code])
            ORDER BY cc.division_code DESC, cc.id LIMIT 1))
         FROM due, departments d WHERE o.id = due.id AND d.id = o.department_id
       RETURNING o.id::int, o.department_id::int AS "departmentId", o.division_code AS "divisionCode", o.lon, o.lat, o.ack_due_at AS "ackDueAt",
         o.escalated_to_department_id::int AS to`, [now, deskKinds.command]);
    if (rows.length === 0) return 0;
    await appendToLedger(tx, rows.map((r) => ({ actor: sweepActor, action: 'cityops.order.escalated', object: { type: 'cityops-order', id: String(r.id) },
      at: now, payload: { departmentId: r.departmentId, ackDueAt: r.ackDueAt.toISOString(), escalatedToDepartmentId: r.to } })));
    await notifyScreen(tx, rows.map((r) => orderMessage({ ...r, state: 'escalated' }, 'escalated', now)));
    return rows.length;
  });
}

/** The sweep of the acknowledgement limits: every 30 seconds, so a limit in minutes is kept to within half a minute. */
export const orderEscalationSweep: Sweep = { name: 'cityops.orders.escalation', everyMs: 30_000, run: escalateOrders };
