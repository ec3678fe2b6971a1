/**
 * 在岗: field workers go on and off duty from the phone; while on duty the phone reports where it is, and the
 * centres see the staff on duty on the map (within their jurisdiction). Off duty, a worker is not shown.
 *
 * Positions are personal data. They are taken only while on duty, never written to the ledger (which keeps
 * everything forever), and kept at most POSITION_RETENTION_HOURS: going off duty deletes the worker's
 * positions at once, and the sweep `cityops.field.positions` deletes any older than that, or of a worker
 * no longer on duty. Going on and off duty is on the ledger.
 */
import { assertCan, inJurisdiction, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Db, Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Sweep } from '../kernel/jobs/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { positionTime } from './field-times.ts';
import { cityopsActions as a, isFieldWorker, seesStaffOnDuty, userIdOf } from './policy.ts';

/** How long a position reported on duty is kept. */
export const POSITION_RETENTION_HOURS = 24;

export interface Duty {
  onDuty: boolean;
  /** When the worker last went on or off duty. */
  changedAt: Date | null;
}

async function assertFieldWorker(db: Queryable, actor: Actor): Promise<number> {
  assertCan(actor, a.fieldWork);
  const me = userIdOf(actor);
  if (me === null || !(await isFieldWorker(db, actor)))
    throw new DomainError('cityops.field.not-field-worker', { status: 403 }, 'duty is for field workers');
  return me;
}

/** The caller's duty now. */
export async function getDuty(db: Queryable, actor: Actor): Promise<Duty> {
  const me = await assertFieldWorker(db, actor);
  const { rows } = await db.query<Duty>(`SELECT on_duty AS "onDuty", changed_at AS "changedAt" FROM cityops_field_duty WHERE user_id = $1`, [me]);
  return rows[0] ?? { onDuty: false, changedAt: null };
}

/** 上岗 / 离岗: going off duty deletes the worker's positions in the same transaction. One ledger entry per change. */
export async function setDuty(ctx: Ctx, input: { onDuty: boolean }): Promise<Duty> {
  const me = await assertFieldWorker(ctx.tx, ctx.actor);
  const { rows: [user] } = await ctx.tx.query<{ divisionCode: string }>(`SELECT division_code AS "divisionCode" FROM users WHERE id = $1`, [me]);
  const { rows: [before] } = await ctx.tx.query<{ onDuty: boolean }>(`SELECT on_duty AS "onDuty" FROM cityops_field_duty WHERE user_id = $1 FOR UPDATE`, [me]);
  if ((before?.onDuty ?? false) === input.onDuty) return getDuty(ctx.tx, ctx.actor);
  await ctx.tx.query(
    `INSERT INTO cityops_field_duty (user_id, on_duty, division_code, changed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET on_duty = EXCLUDED.on_duty, division_code = EXCLUDED.division_code, changed_at = EXCLUDED.changed_at`,
    [me, input.onDuty, user!.divisionCode, ctx.now]);
  const removed = input.onDuty ? 0 : (await ctx.tx.query('DELETE FROM cityops_field_positions WHERE user_id = $1', [me])).rowCount ?? 0;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: input.onDuty ? 'cityops.field.on-duty' : 'cityops.field.off-duty',
    object: { type: 'staff', id: String(me) }, at: ctx.now, payload: input.onDuty ? {} : { positionsDeleted: removed } });
  return { onDuty: input.onDuty, changedAt: ctx.now };
}

/** The phone reports where it is: kept only while its worker is on duty; a position older than the limit is refused. */
export async function reportPosition(ctx: Ctx, input: { lon: number; lat: number; accuracy?: number | null; at: string }): Promise<{ at: Date }> {
  const me = await assertFieldWorker(ctx.tx, ctx.actor);
  const at = positionTime(input.at, ctx.now);
  if (!Number.isFinite(input.lon) || input.lon < -180 || input.lon > 180) throw new DomainError('cityops.case.bad-location', { field: 'lon' });
  if (!Number.isFinite(input.lat) || input.lat < -90 || input.lat > 90) throw new DomainError('cityops.case.bad-location', { field: 'lat' });
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO cityops_field_positions (user_id, lon, lat, accuracy, at)
     SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM cityops_field_duty WHERE user_id = $1 AND on_duty)`,
    [me, input.lon, input.lat, input.accuracy ?? null, at]);
  if (rowCount === 0) throw new DomainError('cityops.field.off-duty', { status: 409 }, 'positions are taken only on duty');
  return { at };
}

export interface StaffOnDuty {
  userId: number;
  name: string;
  departmentName: string | null;
  divisionCode: string;
  since: Date;
  /** The latest position reported on this duty, or null before the first. */
  position: { lon: number; lat: number; accuracy: number | null; at: Date } | null;
}

/**
 * 在岗人员: the field workers on duty in the centre's jurisdiction, with their latest position, for the map.
 * Seeing where people are is itself a ledger entry naming whose positions were shown (not the positions).
 */
export async function listStaffOnDuty(ctx: Ctx): Promise<StaffOnDuty[]> {
  const { tx: db, actor } = ctx;
  if (!(await seesStaffOnDuty(db, actor)))
    throw new DomainError('forbidden', { status: 403, action: 'cityops.field.on-duty' }, 'the map of staff on duty is for the centres');
  const params: unknown[] = [];
  const within = inJurisdiction('d.division_code', actor.jurisdiction, params);
  const { rows } = await db.query<StaffOnDuty>(
    `SELECT d.user_id::int AS "userId", u.display_name AS name, dep.name AS "departmentName", d.division_code AS "divisionCode", d.changed_at AS since,
            (SELECT json_build_object('lon', p.lon, 'lat', p.lat, 'accuracy', p.accuracy, 'at', p.at) FROM cityops_field_positions p
              WHERE p.user_id = d.user_id ORDER BY p.at DESC LIMIT 1) AS position
       FROM cityops_field_duty d JOIN users u ON u.id = d.user_id LEFT JOIN departments dep ON dep.id = u.department_id
      WHERE d.on_duty AND ${within} ORDER BY u.display_name, d.user_id`, params);
  const located = rows.filter((r) => r.position !== null).map((r) => r.userId);
  if (located.length > 0)
    await appendToLedger(db, { actor, action: 'cityops.field.positions-viewed', object: { type: 'staff-positions', id: located.join(',') },
      purpose: 'dispatching field work', at: ctx.now, payload: { staff: located } });
  return rows.map((r) => ({ ...r, position: r.position && { ...r.position, at: new Date(r.position.at) } }));
}

/** Deletes positions older than the retention, or of workers no longer on duty; returns how many. */
export async function deleteOldPositions(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM cityops_field_positions p
      WHERE p.at < $1::timestamptz - make_interval(hours => $2)
         OR NOT EXISTS (SELECT 1 FROM cityops_field_duty d WHERE d.user_id = p.user_id AND d.on_duty)`, [now, POSITION_RETENTION_HOURS]);
  return rowCount ?? 0;
}

export const positionsSweep: Sweep = { name: 'cityops.field.positions', everyMs: 10 * 60_000, run: deleteOldPositions };
