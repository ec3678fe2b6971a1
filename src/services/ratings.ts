/**
 * 好差评 (GB/T 39734/39735): the applicant rates a finished case and each step of it with one of the five
 * national levels; an unrated case becomes 基本满意 after the rating period (default 7 days). 不满意 and
 * 非常不满意 open a rectification task for the department (default 5 working days): 核实 → 整改 → 反馈
 * → 复核, and every named bad rating is called back (回访).
 */
import { assertCan, hasGrant, inJurisdiction, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { lockApplication } from './applications.ts';
import { assertApplicant, servicesActions } from './policy.ts';

/** The five national levels, best first, with the stored number. */
export const ratingLevels = {
  'very-satisfied': { value: 5, zh: '非常满意' },
  satisfied: { value: 4, zh: '满意' },
  'basically-satisfied': { value: 3, zh: '基本满意' },
  dissatisfied: { value: 2, zh: '不满意' },
  'very-dissatisfied': { value: 1, zh: '非常不满意' },
} as const;
export type RatingLevel = keyof typeof ratingLevels;
export const levelOf = (value: number) => (Object.keys(ratingLevels) as RatingLevel[]).find((k) => ratingLevels[k].value === value)!;
const badLevel = 2;

export async function servicesSetting(db: Queryable, name: 'defaultRatingDays' | 'rectificationDays'): Promise<number> {
  const { rows } = await db.query<{ value: number }>('SELECT value FROM services_settings WHERE name = $1', [name]);
  return Number(rows[0]!.value);
}

export interface Rating {
  id: number;
  applicationId: number;
  stepId: number | null;
  level: RatingLevel;
  comment: string | null;
  defaulted: boolean;
  ratedAt: Date;
  rectificationId: number | null;
}

export async function ratingsOf(db: Queryable, applicationId: number): Promise<Rating[]> {
  const { rows } = await db.query<Omit<Rating, 'level'> & { level: number }>(
    `SELECT r.id, r.application_id AS "applicationId", r.step_id AS "stepId", r.level, r.comment, r.defaulted, r.rated_at AS "ratedAt",
            x.id AS "rectificationId"
       FROM services_ratings r LEFT JOIN services_rectifications x ON x.rating_id = r.id
      WHERE r.application_id = $1 ORDER BY r.id`, [applicationId]);
  return rows.map((r) => ({ ...r, level: levelOf(r.level) }));
}

export interface RateApplication {
  id: number;
  stepId?: number;
  level: RatingLevel;
  comment?: string;
}

/**
 * The applicant rates the case (once finished) or one step taken by staff (once it happened). One rating
 * each: a second is refused with 409. A bad rating opens its rectification task in the same transaction.
 */
export async function rateApplication(ctx: Ctx, input: RateApplication): Promise<Rating> {
  const app = await lockApplication(ctx.tx, input.id);
  assertApplicant(ctx.actor, app);
  if (input.stepId === undefined) {
    if (app.state !== 'finished' && app.state !== 'rejected')
      throw new DomainError('services.rating.not-finished', { status: 409, field: 'state', state: app.state }, 'rate once the case is finished');
  } else {
    const { rows } = await ctx.tx.query(
      `SELECT 1 FROM services_application_steps WHERE id = $1 AND application_id = $2 AND actor_id LIKE 'staff:%'`, [input.stepId, app.id]);
    if (!rows.length) throw new DomainError('services.rating.step-unknown', { field: 'stepId' }, 'no such step of this application');
  }
  const { rows: [rated] } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO services_ratings (application_id, step_id, level, comment, item_id, department_id, division_code, channel, rated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
    [app.id, input.stepId ?? null, ratingLevels[input.level].value, input.comment?.trim() || null, app.itemId, app.departmentId,
      app.divisionCode, app.channel, ctx.now]);
  if (!rated) throw new DomainError('services.rating.twice', { status: 409, field: input.stepId === undefined ? 'id' : 'stepId' }, 'already rated');
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'services.rating.given', object: { type: 'application', id: app.id },
    payload: { stepId: input.stepId ?? null, level: input.level, comment: input.comment ?? null }, at: ctx.now,
  });
  if (ratingLevels[input.level].value <= badLevel) {
    const calendar = await loadCalendar(ctx.tx);
    const due = calendar.addWorkingDays(ctx.now, await servicesSetting(ctx.tx, 'rectificationDays')).due;
    await ctx.tx.query(
      `INSERT INTO services_rectifications (rating_id, department_id, division_code, state, due, created_at, updated_at)
       VALUES ($1, $2, $3, 'verify', $4, $5, $5)`, [rated.id, app.departmentId, app.divisionCode, due, ctx.now]);
  }
  return (await ratingsOf(ctx.tx, app.id)).find((r) => r.id === rated.id)!;
}

const defaulter = systemActor('services.default-rating');

/** 默认好评: finished cases unrated after the rating period get 基本满意, in one transaction, one ledger entry. */
export async function defaultRatings(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const days = await servicesSetting(tx, 'defaultRatingDays');
    const { rows } = await tx.query<{ applicationId: number }>(
      `INSERT INTO services_ratings (application_id, step_id, level, defaulted, item_id, department_id, division_code, channel, rated_at)
       SELECT a.id, NULL, 3, true, a.item_id, a.department_id, a.division_code, a.channel, $1
         FROM services_applications a
        WHERE a.state IN ('finished', 'rejected') AND a.finished_at < $1::timestamptz - make_interval(days => $2)
          AND NOT EXISTS (SELECT 1 FROM services_ratings r WHERE r.application_id = a.id AND r.step_id IS NULL)
       ON CONFLICT DO NOTHING RETURNING application_id AS "applicationId"`, [now, days]);
    if (rows.length)
      await appendToLedger(tx, { actor: defaulter, action: 'services.rating.defaulted', payload: { applications: rows.map((r) => r.applicationId) }, at: now });
    return rows.length;
  });
}

// ---- rectification (差评整改) ----

export const rectificationStates = ['verify', 'rectify', 'reply', 'review', 'closed'] as const;
export type RectificationState = (typeof rectificationStates)[number];

export interface Rectification {
  id: number;
  ratingId: number;
  departmentId: number;
  departmentName: string;
  divisionCode: string;
  state: RectificationState;
  due: Date;
  substantiated: boolean | null;
  verifyNote: string | null;
  rectifyNote: string | null;
  reply: string | null;
  reviewNote: string | null;
  calledBackAt: Date | null;
  callbackNote: string | null;
  createdAt: Date;
  closedAt: Date | null;
  level: RatingLevel;
  comment: string | null;
  applicationId: number;
  receiptNumber: string | null;
  itemName: string;
  applicantName: string;
  overdue: boolean;
}

const rectificationColumns = `x.id, x.rating_id AS "ratingId", x.department_id AS "departmentId", d.name AS "departmentName",
  x.division_code AS "divisionCode", x.state, x.due, x.substantiated, x.verify_note AS "verifyNote", x.rectify_note AS "rectifyNote",
  x.reply, x.review_note AS "reviewNote", x.called_back_at AS "calledBackAt", x.callback_note AS "callbackNote",
  x.created_at AS "createdAt", x.closed_at AS "closedAt", r.level, r.comment, a.id AS "applicationId", a.receipt_number AS "receiptNumber",
  i.name AS "itemName", a.applicant_name AS "applicantName", (x.state <> 'closed' AND x.due < now()) AS overdue`;
const rectificationFrom = `services_rectifications x JOIN services_ratings r ON r.id = x.rating_id
  JOIN services_applications a ON a.id = r.application_id JOIN services_items i ON i.id = a.item_id JOIN departments d ON d.id = x.department_id`;

const toRectification = (row: Omit<Rectification, 'level'> & { level: number }): Rectification => ({ ...row, level: levelOf(row.level) });

/** Staff of the department see its tasks; admins and inspectors their jurisdiction's. */
function rectificationScope(actor: Actor, params: unknown[]): string {
  if (!hasGrant(actor, servicesActions.readRatings)) return 'false';
  const within = inJurisdiction('x.division_code', actor.jurisdiction, params);
  if (hasGrant(actor, '*') || ['platform_admin', 'dept_admin', 'inspector'].some((r) => actor.roles.includes(r as Actor['roles'][number]))) return within;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND x.department_id = $${params.length}`;
}

export async function listRectifications(db: Queryable, actor: Actor, query: { state?: RectificationState[]; limit: number; offset: number }) {
  assertCan(actor, servicesActions.readRatings);
  const params: unknown[] = [];
  const where = [rectificationScope(actor, params)];
  if (query.state?.length) { params.push(query.state); where.push(`x.state = ANY($${params.length})`); }
  const filter = where.join(' AND ');
  const { rows: [{ total }] } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${rectificationFrom} WHERE ${filter}`, params);
  params.push(query.limit, query.offset);
  const { rows } = await db.query(`SELECT ${rectificationColumns} FROM ${rectificationFrom} WHERE ${filter}
    ORDER BY (x.state = 'closed'), x.due, x.id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total, items: rows.map(toRectification) };
}

async function lockRectification(ctx: Ctx, id: number): Promise<Rectification> {
  await ctx.tx.query('SELECT 1 FROM services_rectifications WHERE id = $1 FOR UPDATE', [id]);
  const params: unknown[] = [id];
  const { rows: [row] } = await ctx.tx.query(
    `SELECT ${rectificationColumns} FROM ${rectificationFrom} WHERE x.id = $1 AND ${rectificationScope(ctx.actor, params)}`, params);
  if (!row) throw notFound('services.rectification', id);
  return toRectification(row);
}

/** What each stage records and where it leads; the review (复核) is an admin's, the rest the department's. */
const stages = {
  verify: { next: 'rectify', column: 'verify_note', action: 'services.rectification.verified' },
  rectify: { next: 'reply', column: 'rectify_note', action: 'services.rectification.rectified' },
  reply: { next: 'review', column: 'reply', action: 'services.rectification.replied' },
  review: { next: 'closed', column: 'review_note', action: 'services.rectification.reviewed' },
} as const;

export interface AdvanceRectification {
  id: number;
  stage: keyof typeof stages;
  note: string;
  /** at 核实: whether the complaint was found true */
  substantiated?: boolean;
  /** at 复核: false sends the task back to 整改 */
  accepted?: boolean;
}

/** Completes the task's current stage with its note; the stage named must be the current one. */
export async function advanceRectification(ctx: Ctx, input: AdvanceRectification): Promise<Rectification> {
  assertCan(ctx.actor, servicesActions.rectify);
  const task = await lockRectification(ctx, input.id);
  if (task.state !== input.stage)
    throw new DomainError('services.rectification.bad-state', { status: 409, field: 'stage', state: task.state }, `the task is at ${task.state}`);
  const admin = hasGrant(ctx.actor, '*') || ctx.actor.roles.includes('platform_admin') || ctx.actor.roles.includes('dept_admin');
  if (input.stage === 'review' ? !admin : !admin && ctx.actor.departmentId !== task.departmentId) throw forbidden(`rectification.${input.stage}`);
  const note = input.note.trim();
  if (!note) throw new DomainError('services.reason-required', { field: 'note' }, 'a note is required');
  const stage = stages[input.stage];
  const back = input.stage === 'review' && input.accepted === false;
  const next = back ? 'rectify' : stage.next;
  await ctx.tx.query(
    `UPDATE services_rectifications SET state = $2, ${stage.column} = $3, updated_at = $4,
       substantiated = coalesce($5, substantiated), closed_at = CASE WHEN $2 = 'closed' THEN $4 ELSE closed_at END WHERE id = $1`,
    [task.id, next, note, ctx.now, input.stage === 'verify' ? input.substantiated ?? true : null]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: stage.action, object: { type: 'rectification', id: task.id },
    payload: { note, next, substantiated: input.substantiated ?? null }, at: ctx.now,
  });
  return lockRectification(ctx, task.id);
}

/** 回访: a call back to the citizen who gave the bad rating; once per task. */
export async function callBackRating(ctx: Ctx, input: { id: number; note: string }): Promise<Rectification> {
  assertCan(ctx.actor, servicesActions.rectify);
  const task = await lockRectification(ctx, input.id);
  if (task.calledBackAt) throw new DomainError('services.rectification.callback-done', { status: 409 }, 'already called back');
  if (!input.note.trim()) throw new DomainError('services.reason-required', { field: 'note' }, 'a note is required');
  await ctx.tx.query('UPDATE services_rectifications SET called_back_at = $2, callback_note = $3, updated_at = $2 WHERE id = $1',
    [task.id, ctx.now, input.note.trim()]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'services.rectification.called-back', object: { type: 'rectification', id: task.id },
    payload: { note: input.note }, at: ctx.now });
  return lockRectification(ctx, task.id);
}

// ---- figures ----

export interface RatingFigure {
  key: string;
  name: string;
  total: number;
  levels: Record<RatingLevel, number>;
  /** share of 基本满意 or better */
  satisfaction: number;
  bad: number;
  rectified: number;
  calledBack: number;
}

/** Ratings grouped by item, department or channel within `divisionPrefix` ('' for all), of a period of rating when given. */
export async function ratingFigures(db: Queryable, by: 'item' | 'department' | 'channel', divisionPrefix: string, limit = 50,
  period?: { from: Date; to: Date }): Promise<RatingFigure[]> {
  const group = { item: ['r.item_id::text', 'i.name'], department: ['r.department_id::text', 'd.name'], channel: ['r.channel', 'r.channel'] }[by];
  const { rows } = await db.query<{ key: string; name: string; total: number; l5: number; l4: number; l3: number; l2: number; l1: number; rectified: number; calledBack: number }>(
    `SELECT ${group[0]} AS key, ${group[1]} AS name, count(*)::int AS total,
            count(*) FILTER (WHERE r.level = 5)::int AS l5, count(*) FILTER (WHERE r.level = 4)::int AS l4,
            count(*) FILTER (WHERE r.level = 3)::int AS l3, count(*) FILTER (WHERE r.level = 2)::int AS l2,
            count(*) FILTER (WHERE r.level = 1)::int AS l1,
            count(x.id) FILTER (WHERE x.state = 'closed')::int AS rectified,
            count(x.called_back_at)::int AS "calledBack"
       FROM services_ratings r JOIN services_items i ON i.id = r.item_id JOIN departments d ON d.id = r.department_id
       LEFT JOIN services_rectifications x ON x.rating_id = r.id
      WHERE r.division_code LIKE $1 AND ($3::timestamptz IS NULL OR r.rated_at >= $3) AND ($4::timestamptz IS NULL OR r.rated_at < $4)
      GROUP BY 1, 2 ORDER BY total DESC, key LIMIT $2`, [`${divisionPrefix}%`, limit, period?.from ?? null, period?.to ?? null]);
  return rows.map((r) => ({
    key: r.key, name: r.name, total: r.total,
    levels: { 'very-satisfied': r.l5, satisfied: r.l4, 'basically-satisfied': r.l3, dissatisfied: r.l2, 'very-dissatisfied': r.l1 },
    satisfaction: r.total ? (r.l5 + r.l4 + r.l3) / r.total : 0, bad: r.l2 + r.l1, rectified: r.rectified, calledBack: r.calledBack,
  }));
}
