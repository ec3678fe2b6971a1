/**
 * 疑义/纠错: a consuming department says a record of another department's resource is wrong (which row,
 * which field, what is wrong). The provider answers within `objectionWorkingDays` working days, with
 * "corrected" or "rejected" and a reason; open objections past their deadline show as overdue.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findPublishedResource } from './entries.ts';
import { assertProvider, hubActions, isHubAdmin } from './policy.ts';

/** Working days a provider has to answer an objection. */
export const objectionWorkingDays = 5;

export interface Objection {
  id: number;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: number;
  providerName: string;
  rowKey: string;
  fieldCode: string;
  description: string;
  raisedByDepartmentId: number;
  raisedByName: string;
  raisedAt: string;
  dueAt: string;
  state: 'open' | 'corrected' | 'rejected';
  answer: string | null;
  answeredAt: string | null;
  overdue: boolean;
}

const objectionSelect = `SELECT o.id, r.code AS "resourceCode", r.name AS "resourceName", r.provider_department_id AS "providerDepartmentId",
    p.name AS "providerName", o.row_key AS "rowKey", o.field_code AS "fieldCode", o.description,
    o.raised_by_department_id AS "raisedByDepartmentId", c.name AS "raisedByName", to_json(o.raised_at) #>> '{}' AS "raisedAt",
    to_json(o.due_at) #>> '{}' AS "dueAt", o.state, o.answer, to_json(o.answered_at) #>> '{}' AS "answeredAt",
    (o.state = 'open' AND o.due_at < $1) AS overdue
  FROM hub_objections o JOIN hub_resources r ON r.id = o.resource_id JOIN departments p ON p.id = r.provider_department_id
  JOIN departments c ON c.id = o.raised_by_department_id`;

async function findObjection(db: Queryable, id: number, now: Date): Promise<Objection | null> {
  const { rows } = await db.query<Objection>(`${objectionSelect} WHERE o.id = $2`, [now, id]);
  return rows[0] ?? null;
}

export interface RaiseObjection {
  code: string;
  rowKey: string;
  fieldCode: string;
  description: string;
}

/** 提出疑义: an officer of a consuming department objects to a record of a published resource. */
export async function raiseObjection(ctx: Ctx, input: RaiseObjection): Promise<Objection> {
  assertCan(ctx.actor, hubActions.objection);
  if (ctx.actor.departmentId === null) throw new DomainError('hub.provider-required', { status: 403 }, 'only department staff raise objections');
  const resource = await findPublishedResource(ctx.tx, input.code);
  if (!resource) throw notFound('hub.resource', input.code);
  if (resource.providerDepartmentId === ctx.actor.departmentId)
    throw new DomainError('hub.own-resource', { field: 'code' }, 'correct your own data directly');
  if (!resource.fields.some((f) => f.code === input.fieldCode))
    throw new DomainError('hub.unknown-field', { field: 'fieldCode' }, `${input.fieldCode} is not a field of ${input.code}`);
  if (resource.kind === 'table') {
    const { rowCount } = await ctx.tx.query('SELECT 1 FROM hub_rows WHERE resource_id = $1 AND key = $2 LIMIT 1', [resource.id, input.rowKey]);
    if (!rowCount) throw new DomainError('hub.row-unknown', { field: 'rowKey' }, `no record ${input.rowKey} in ${input.code}`);
  }
  const due = (await loadCalendar(ctx.tx)).addWorkingDays(ctx.now, objectionWorkingDays).due;
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_objections (resource_id, row_key, field_code, description, raised_by_department_id, raised_by, raised_at, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [resource.id, input.rowKey, input.fieldCode, input.description, ctx.actor.departmentId, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now, due]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.objection.raised', object: { type: 'hub-objection', id: rows[0]!.id },
    payload: { ...input, due } });
  return (await findObjection(ctx.tx, rows[0]!.id, ctx.now))!;
}

/** 答复疑义: the provider says the record was corrected, or why it is right (a rejection needs a reason). */
export async function answerObjection(ctx: Ctx, input: { id: number; outcome: 'corrected' | 'rejected'; answer?: string }): Promise<Objection> {
  const objection = await findObjection(ctx.tx, input.id, ctx.now);
  if (!objection) throw notFound('hub.objection', input.id);
  await assertProvider(ctx.tx, ctx.actor, objection.providerDepartmentId);
  if (objection.state !== 'open') throw new DomainError('hub.bad-state', { status: 409, state: objection.state }, 'the objection is answered');
  if (input.outcome === 'rejected' && !input.answer?.trim()) throw new DomainError('hub.reason-required', { field: 'answer' }, 'a rejection needs a reason');
  await ctx.tx.query(`UPDATE hub_objections SET state = $2, answer = $3, answered_by = $4, answered_at = $5 WHERE id = $1`,
    [input.id, input.outcome, input.answer ?? null, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.objection.answered', object: { type: 'hub-objection', id: input.id },
    payload: { outcome: input.outcome, answer: input.answer ?? null } });
  return (await findObjection(ctx.tx, input.id, ctx.now))!;
}

/**
 * Objections for the actor's department: `to-answer` about its resources, `raised` by it. Hub
 * administrators see every department's.
 */
export async function listObjections(db: Queryable, actor: Actor, query: { side: 'to-answer' | 'raised'; now?: Date }): Promise<Objection[]> {
  assertCan(actor, hubActions.read);
  const params: unknown[] = [query.now ?? new Date()];
  let where = 'true';
  if (!(await isHubAdmin(db, actor))) {
    params.push(actor.departmentId);
    where = `${query.side === 'to-answer' ? 'r.provider_department_id' : 'o.raised_by_department_id'} = $2`;
  }
  const { rows } = await db.query<Objection>(`${objectionSelect} WHERE ${where} ORDER BY o.state = 'open' DESC, o.due_at LIMIT 500`, params);
  return rows;
}
