/**
 * 七张问题清单: a problem found (发现) goes on a list (清单) with an owner department and a deadline in working
 * days; the department analyses its root cause (根源分析: five whys and a category of cause), takes steps
 * with evidence (整改), and asks for acceptance; someone outside the department accepts or sends it back
 * (评估验收); a prevention step (预警预防: a new rule, a recurring check, a changed item) closes it, and for
 * the watch window after that a new problem of the same kind in the same area is flagged as its recurrence.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar } from '../kernel/calendar/index.ts';
import { withTransaction, type Db, type Queryable, type Tx } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { attachmentsOf, storeAttachments, type Attachment, type AttachmentInput } from './attachments.ts';
import { findList } from './lists.ts';
import { actorRef, assertOwner, assertReviewer, assertSees, mayReview, mayWorkOn, oversees, rowScope, supervisionActions as a } from './policy.ts';

export const problemSources = ['hotline-hotspot', 'hotline-category', 'rating', 'oversight-alert', 'inspection', 'audit', 'manual'] as const;
export type ProblemSource = (typeof problemSources)[number];
export const problemStates = ['registered', 'analysed', 'rectifying', 'review', 'accepted', 'closed'] as const;
export type ProblemState = (typeof problemStates)[number];
/** 原因类别 of the root-cause template. */
export const causeCategories = ['institution', 'process', 'responsibility', 'capacity', 'resources', 'oversight', 'external'] as const;
export type CauseCategory = (typeof causeCategories)[number];
export const preventionKinds = ['rule', 'check', 'item'] as const;
export type PreventionKind = (typeof preventionKinds)[number];

/** After closing, a new problem of the same kind and area within this many days is a recurrence (复发). */
export const watchDays = 180;

export interface Analysis {
  /** 5 whys: each answer asks the next why; one to five. */
  whys: string[];
  causeCategory: CauseCategory;
  rootCause: string;
}

export interface Prevention {
  kind: PreventionKind;
  description: string;
  /** For a recurring check: every so many working days. */
  everyDays: number | null;
}

export interface Problem {
  id: number;
  number: string;
  title: string;
  description: string;
  list: { id: number; code: string; nameZh: string; nameEn: string };
  source: ProblemSource;
  sourceRef: string | null;
  kind: string;
  department: { id: number; name: string };
  divisionCode: string;
  divisionName: string | null;
  state: ProblemState;
  dueDays: number;
  due: Date;
  overdue: boolean;
  analysis: Analysis | null;
  prevention: Prevention | null;
  recurrenceOf: { id: number; number: string } | null;
  openedBy: string;
  openedAt: Date;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
  watchUntil: Date | null;
  nextCheckAt: Date | null;
}

const columns = `p.id::int, p.number, p.title, p.description, p.source, p.source_ref AS "sourceRef", p.kind, p.division_code AS "divisionCode",
  v.name AS "divisionName", p.state, p.due_days AS "dueDays", p.due, p.analysis, p.prevention, p.opened_by AS "openedBy", p.opened_at AS "openedAt",
  p.accepted_by AS "acceptedBy", p.accepted_at AS "acceptedAt", p.closed_at AS "closedAt", p.watch_until AS "watchUntil", p.next_check_at AS "nextCheckAt",
  json_build_object('id', l.id, 'code', l.code, 'nameZh', l.name_zh, 'nameEn', l.name_en) AS list,
  json_build_object('id', d.id, 'name', d.name) AS department,
  CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'number', r.number) END AS "recurrenceOf",
  (p.state NOT IN ('accepted', 'closed') AND p.due < $1) AS overdue`;
const from = `supervision_problems p JOIN supervision_lists l ON l.id = p.list_id JOIN departments d ON d.id = p.department_id
  LEFT JOIN divisions v ON v.code = p.division_code LEFT JOIN supervision_problems r ON r.id = p.recurrence_of`;

async function readProblem(db: Queryable, id: number, now: Date, lock = false): Promise<Problem | undefined> {
  if (lock) await db.query('SELECT 1 FROM supervision_problems WHERE id = $1 FOR UPDATE', [id]);
  const { rows: [row] } = await db.query<Problem>(`SELECT ${columns} FROM ${from} WHERE p.id = $2`, [now, id]);
  return row;
}

async function lockProblem(ctx: Ctx, id: number): Promise<Problem> {
  const problem = await readProblem(ctx.tx, id, ctx.now, true);
  if (!problem) throw new DomainError('supervision.problem.not-found', { status: 404, id });
  assertSees(ctx.actor, a.readProblems, ownerOf(problem), 'problem', id);
  return problem;
}

const ownerOf = (p: Problem) => ({ divisionCode: p.divisionCode, departmentId: p.department.id });

function assertState(problem: Problem, states: readonly ProblemState[], act: string): void {
  if (!states.includes(problem.state))
    throw new DomainError('supervision.problem.bad-state', { status: 409, field: 'state', state: problem.state, act }, `cannot ${act} a problem that is ${problem.state}`);
}

/** One act on a problem: its row change, its line in the timeline and its ledger entry, on the command's transaction. */
async function record(ctx: Ctx, problem: { id: number }, action: string, note: string | null, payload: unknown): Promise<void> {
  await ctx.tx.query('INSERT INTO supervision_problem_events (problem_id, action, actor, actor_name, note, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [problem.id, action, actorRef(ctx.actor), ctx.actor.name, note, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: `supervision.problem.${action}`, object: { type: 'problem', id: problem.id }, payload, at: ctx.now });
}

const text = (value: string | undefined | null, field: string, max = 4000): string => {
  const out = value?.trim() ?? '';
  if (!out) throw new DomainError('validation', { field }, `${field} is required`);
  if (out.length > max) throw new DomainError('validation', { field }, `${field} is at most ${max} characters`);
  return out;
};

export interface OpenProblem {
  source: ProblemSource;
  /** The finding in its source (a hotspot's area and week, a rating's rectification id, an alert id); one problem per finding. */
  sourceRef?: string | null;
  title: string;
  description: string;
  listId: number;
  departmentId: number;
  /** Area of the problem (12-digit division); the owner department's division when not given. */
  divisionCode?: string;
  /** What kind of problem, for recurrence (a hotline category code, an item code, a rule name…). */
  kind: string;
  /** Working days to rectify. */
  dueDays: number;
}

/** 发现→清单: puts a finding on a list; flags it as a recurrence of a closed problem of the same kind and area still watched. */
export async function registerProblem(ctx: Ctx, input: OpenProblem): Promise<Problem> {
  if (!(problemSources as readonly string[]).includes(input.source)) throw new DomainError('validation', { field: 'source' }, `unknown source ${input.source}`);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('supervision.department.unknown', { field: 'departmentId' }, `no department ${input.departmentId}`);
  const divisionCode = input.divisionCode ?? department.divisionCode;
  if (!/^\d{12}$/.test(divisionCode)) throw new DomainError('validation', { field: 'divisionCode' }, 'a division code has 12 digits');
  assertCan(ctx.actor, a.openProblem, { divisionCode: department.divisionCode });
  if (!oversees(ctx.actor) && ctx.actor.departmentId !== department.id)
    throw new DomainError('supervision.not-owner', { status: 403, field: 'departmentId' }, 'a department registers its own problems; overseers any');
  const list = await findList(ctx.tx, ctx.actor, input.listId);
  if (!Number.isInteger(input.dueDays) || input.dueDays < 1 || input.dueDays > 250)
    throw new DomainError('validation', { field: 'dueDays' }, 'a deadline is 1 to 250 working days');
  const title = text(input.title, 'title', 200);
  const description = text(input.description, 'description');
  const kind = text(input.kind, 'kind', 100);
  const due = (await loadCalendar(ctx.tx)).addWorkingDays(ctx.now, input.dueDays).due;
  const { rows: [earlier] } = await ctx.tx.query<{ id: number; number: string }>(
    `SELECT id::int, number FROM supervision_problems WHERE kind = $1 AND division_code = $2 AND state = 'closed' AND watch_until >= $3
      ORDER BY closed_at DESC LIMIT 1`, [kind, divisionCode, ctx.now]);
  const { rows: [created] } = await ctx.tx.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('supervision_problems', 'id')) AS id)
     INSERT INTO supervision_problems (id, number, title, description, list_id, source, source_ref, kind, department_id, division_code, state,
       due_days, due, recurrence_of, opened_by, opened_at, updated_at)
     SELECT n.id, 'WT' || to_char($13::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(n.id::text, 5, '0'),
       $1, $2, $3, $4, $5, $6, $7, $8, 'registered', $9, $10, $11, $12, $13, $13 FROM n
     ON CONFLICT (source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING RETURNING id::int`,
    [title, description, list.id, input.source, input.sourceRef ?? null, kind, department.id, divisionCode, input.dueDays, due,
      earlier?.id ?? null, actorRef(ctx.actor), ctx.now]);
  if (!created) throw new DomainError('supervision.problem.duplicate-source', { status: 409, field: 'sourceRef' }, 'this finding is on a list already');
  await record(ctx, created, 'registered', earlier ? earlier.number : null,
    { ...input, divisionCode, due, recurrenceOf: earlier?.id ?? null });
  if (earlier) await record(ctx, earlier, 'recurred', null, { by: created.id });
  return (await readProblem(ctx.tx, created.id, ctx.now))!;
}

/**
 * Opens a problem from another module (an oversight alert, an import) on the caller's transaction: `db`
 * is that transaction, so the problem exists if and only if the caller's act commits.
 */
export function openProblem(db: Tx, actor: Actor, input: OpenProblem, now = new Date()): Promise<Problem> {
  return registerProblem({ tx: db, actor, now }, input);
}

/** 根源分析: the department's five whys and cause category; may be revised until it asks for acceptance. */
export async function analyseProblem(ctx: Ctx, input: { id: number } & Analysis): Promise<Problem> {
  const problem = await lockProblem(ctx, input.id);
  assertOwner(ctx.actor, a.rectify, ownerOf(problem));
  assertState(problem, ['registered', 'analysed', 'rectifying'], 'analyse');
  if (input.whys.length < 1 || input.whys.length > 5) throw new DomainError('validation', { field: 'whys' }, 'one to five whys');
  const analysis: Analysis = {
    whys: input.whys.map((why, i) => text(why, `whys.${i}`, 1000)),
    causeCategory: input.causeCategory,
    rootCause: text(input.rootCause, 'rootCause', 2000),
  };
  if (!causeCategories.includes(analysis.causeCategory)) throw new DomainError('validation', { field: 'causeCategory' }, 'unknown cause category');
  const next = problem.state === 'registered' ? 'analysed' : problem.state;
  await ctx.tx.query('UPDATE supervision_problems SET analysis = $2, state = $3, updated_at = $4 WHERE id = $1', [problem.id, analysis, next, ctx.now]);
  await record(ctx, problem, 'analysed', analysis.rootCause, analysis);
  return (await readProblem(ctx.tx, problem.id, ctx.now))!;
}

/** 整改措施: a step taken, with its evidence; the first one starts the rectification. */
export async function addStep(ctx: Ctx, input: { id: number; description: string; attachments: AttachmentInput[] }): Promise<Problem> {
  const problem = await lockProblem(ctx, input.id);
  assertOwner(ctx.actor, a.rectify, ownerOf(problem));
  if (problem.state === 'registered') throw new DomainError('supervision.problem.analysis-first', { status: 409, field: 'state' }, 'analyse the root cause first');
  assertState(problem, ['analysed', 'rectifying'], 'add a step to');
  const description = text(input.description, 'description');
  const { rows: [step] } = await ctx.tx.query<{ id: number }>(
    'INSERT INTO supervision_steps (problem_id, description, done_by, done_at) VALUES ($1, $2, $3, $4) RETURNING id::int',
    [problem.id, description, ctx.actor.name, ctx.now]);
  const files = await storeAttachments(ctx.tx, { stepId: step!.id }, input.attachments);
  await ctx.tx.query(`UPDATE supervision_problems SET state = 'rectifying', updated_at = $2 WHERE id = $1`, [problem.id, ctx.now]);
  await record(ctx, problem, 'step-added', description, { step: step!.id, description, files: files.map((f) => ({ name: f.name, sha256: f.sha256 })) });
  return (await readProblem(ctx.tx, problem.id, ctx.now))!;
}

/** 提请验收: the department says the rectification is done; it needs an analysis and at least one step with evidence. */
export async function submitProblem(ctx: Ctx, input: { id: number; note: string }): Promise<Problem> {
  const problem = await lockProblem(ctx, input.id);
  assertOwner(ctx.actor, a.rectify, ownerOf(problem));
  assertState(problem, ['rectifying'], 'submit');
  const { rows: [{ evidence }] } = await ctx.tx.query<{ evidence: number }>(
    'SELECT count(*)::int AS evidence FROM supervision_attachments x JOIN supervision_steps s ON s.id = x.step_id WHERE s.problem_id = $1', [problem.id]);
  if (!evidence) throw new DomainError('supervision.problem.no-evidence', { status: 409, field: 'attachments' }, 'a step with evidence is needed before acceptance');
  const note = text(input.note, 'note');
  await ctx.tx.query(`UPDATE supervision_problems SET state = 'review', updated_at = $2 WHERE id = $1`, [problem.id, ctx.now]);
  await record(ctx, problem, 'submitted', note, { note });
  return (await readProblem(ctx.tx, problem.id, ctx.now))!;
}

/** 评估验收 by someone outside the owner department: accepted, or sent back to rectification with the reason. */
export async function reviewProblem(ctx: Ctx, input: { id: number; accepted: boolean; note: string }): Promise<Problem> {
  const problem = await lockProblem(ctx, input.id);
  assertReviewer(ctx.actor, ownerOf(problem));
  assertState(problem, ['review'], 'review');
  const note = text(input.note, 'note');
  await ctx.tx.query(
    `UPDATE supervision_problems SET state = $2, accepted_by = $3, accepted_at = $4, updated_at = $5 WHERE id = $1`,
    [problem.id, input.accepted ? 'accepted' : 'rectifying', input.accepted ? ctx.actor.name : null, input.accepted ? ctx.now : null, ctx.now]);
  await record(ctx, problem, input.accepted ? 'accepted' : 'returned', note, { accepted: input.accepted, note });
  return (await readProblem(ctx.tx, problem.id, ctx.now))!;
}

/** 预警预防: what keeps it from coming back; closes the problem and starts the recurrence watch. */
export async function preventProblem(ctx: Ctx, input: { id: number; kind: PreventionKind; description: string; everyDays?: number }): Promise<Problem> {
  const problem = await lockProblem(ctx, input.id);
  if (!oversees(ctx.actor)) assertOwner(ctx.actor, a.rectify, ownerOf(problem));
  else assertCan(ctx.actor, a.readProblems, ownerOf(problem));
  assertState(problem, ['accepted'], 'close');
  if (!preventionKinds.includes(input.kind)) throw new DomainError('validation', { field: 'kind' }, 'unknown prevention kind');
  const everyDays = input.kind === 'check' ? input.everyDays ?? null : null;
  if (input.kind === 'check' && (!everyDays || !Number.isInteger(everyDays) || everyDays < 1 || everyDays > 250))
    throw new DomainError('validation', { field: 'everyDays' }, 'a recurring check runs every 1 to 250 working days');
  const prevention: Prevention = { kind: input.kind, description: text(input.description, 'description'), everyDays };
  const nextCheck = everyDays ? (await loadCalendar(ctx.tx)).addWorkingDays(ctx.now, everyDays).due : null;
  await ctx.tx.query(
    `UPDATE supervision_problems SET state = 'closed', prevention = $2, closed_at = $3::timestamptz, watch_until = $3::timestamptz + make_interval(days => $4),
       next_check_at = $5, updated_at = $3::timestamptz WHERE id = $1`, [problem.id, prevention, ctx.now, watchDays, nextCheck]);
  await record(ctx, problem, 'closed', prevention.description, prevention);
  return (await readProblem(ctx.tx, problem.id, ctx.now))!;
}

/** 定期检查: a recurring check of a closed problem falls due; it goes on the timeline and the next is set. */
export async function sweepChecks(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const calendar = await loadCalendar(tx);
    if (!calendar.isWorkingDay(chinaDay(now))) return 0;
    const { rows } = await tx.query<{ id: number; everyDays: number }>(
      `SELECT id::int, (prevention->>'everyDays')::int AS "everyDays" FROM supervision_problems
        WHERE state = 'closed' AND next_check_at <= $1 AND watch_until >= $1 FOR UPDATE SKIP LOCKED`, [now]);
    const ctx = { tx, actor: systemActor('supervision.checks'), now };
    for (const row of rows) {
      await tx.query('UPDATE supervision_problems SET next_check_at = $2 WHERE id = $1', [row.id, calendar.addWorkingDays(now, row.everyDays).due]);
      await record(ctx, row, 'check-due', null, { everyDays: row.everyDays });
    }
    return rows.length;
  });
}

// ---- reading ----

export interface ProblemQuery {
  listId?: number;
  state?: ProblemState[];
  overdue?: boolean;
  departmentId?: number;
  limit: number;
  offset: number;
}

/** The board: problems the actor may see, open ones first by deadline. */
export async function listProblems(db: Queryable, actor: Actor, query: ProblemQuery, now = new Date()): Promise<{ total: number; items: Problem[] }> {
  assertCan(actor, a.readProblems);
  const params: unknown[] = [now];
  const where = [rowScope(actor, a.readProblems, 'p', params)];
  if (query.listId !== undefined) { params.push(query.listId); where.push(`p.list_id = $${params.length}`); }
  if (query.departmentId !== undefined) { params.push(query.departmentId); where.push(`p.department_id = $${params.length}`); }
  if (query.state?.length) { params.push(query.state); where.push(`p.state = ANY($${params.length})`); }
  if (query.overdue) where.push(`p.state NOT IN ('accepted', 'closed') AND p.due < $1`);
  const filter = where.join(' AND ');
    // $1 (now) is typed here too, as the count may not use it otherwise.
  const { rows: [{ total }] } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM supervision_problems p WHERE ${filter} AND $1::timestamptz IS NOT NULL`, params);
  params.push(query.limit, query.offset);
  const { rows } = await db.query<Problem>(`SELECT ${columns} FROM ${from} WHERE ${filter}
    ORDER BY (p.state IN ('accepted', 'closed')), p.due, p.id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total, items: rows };
}

export interface ProblemView {
  problem: Problem;
  steps: { id: number; description: string; doneBy: string; doneAt: Date; attachments: Attachment[] }[];
  events: { action: string; actorName: string; note: string | null; at: Date }[];
  recurrences: { id: number; number: string; openedAt: Date }[];
  /** What the viewer may do now. */
  can: { rectify: boolean; review: boolean; prevent: boolean };
}

export async function viewProblem(db: Queryable, actor: Actor, id: number, now = new Date()): Promise<ProblemView> {
  const problem = await readProblem(db, id, now);
  if (!problem) throw new DomainError('supervision.problem.not-found', { status: 404, id });
  assertSees(actor, a.readProblems, ownerOf(problem), 'problem', id);
  const { rows: steps } = await db.query<ProblemView['steps'][number]>(
    'SELECT id::int, description, done_by AS "doneBy", done_at AS "doneAt" FROM supervision_steps WHERE problem_id = $1 ORDER BY id', [id]);
  const files = await attachmentsOf(db, 'step_id', steps.map((s) => s.id));
  const { rows: events } = await db.query<ProblemView['events'][number]>(
    'SELECT action, actor_name AS "actorName", note, at FROM supervision_problem_events WHERE problem_id = $1 ORDER BY id', [id]);
  const { rows: recurrences } = await db.query<ProblemView['recurrences'][number]>(
    'SELECT id::int, number, opened_at AS "openedAt" FROM supervision_problems WHERE recurrence_of = $1 ORDER BY id', [id]);
  const owner = ownerOf(problem);
  return {
    problem,
    steps: steps.map((s) => ({ ...s, attachments: files.get(s.id) ?? [] })),
    events, recurrences,
    can: {
      rectify: mayWorkOn(actor, a.rectify, owner),
      review: mayReview(actor, owner),
      prevent: oversees(actor) || mayWorkOn(actor, a.rectify, owner),
    },
  };
}

export interface ProblemCount {
  key: string;
  name: string;
  total: number;
  open: number;
  closed: number;
  overdue: number;
  recurrences: number;
}

export interface ProblemStats {
  total: ProblemCount;
  byList: ProblemCount[];
  byDepartment: ProblemCount[];
  /** By county (区县) of the problem's area. */
  byArea: ProblemCount[];
}

/** Counts, overdue and recurrence by list, department and area, over what the actor may see. */
export async function problemStats(db: Queryable, actor: Actor, now = new Date()): Promise<ProblemStats> {
  assertCan(actor, a.readProblems);
  const params: unknown[] = [now];
  const scope = rowScope(actor, a.readProblems, 'p', params);
  const counts = `count(*)::int AS total, count(*) FILTER (WHERE p.state NOT IN ('accepted', 'closed'))::int AS open,
    count(*) FILTER (WHERE p.state IN ('accepted', 'closed'))::int AS closed,
    count(*) FILTER (WHERE p.state NOT IN ('accepted', 'closed') AND p.due < $1)::int AS overdue,
    count(p.recurrence_of)::int AS recurrences`;
  const grouped = async (key: string, name: string, join: string) => (await db.query<ProblemCount>(
    `SELECT ${key} AS key, ${name} AS name, ${counts} FROM supervision_problems p ${join} WHERE ${scope} GROUP BY 1, 2 ORDER BY total DESC, key`, params)).rows;
  const [total] = await grouped(`'total'`, `'total'`, '');
  return {
    total: total ?? { key: 'total', name: 'total', total: 0, open: 0, closed: 0, overdue: 0, recurrences: 0 },
    byList: await grouped('l.code', 'l.name_zh', 'JOIN supervision_lists l ON l.id = p.list_id'),
    byDepartment: await grouped('d.id::text', 'd.name', 'JOIN departments d ON d.id = p.department_id'),
    byArea: await grouped(`rpad(left(p.division_code, 6), 12, '0')`, `coalesce(v.name, left(p.division_code, 6))`,
      `LEFT JOIN divisions v ON v.code = rpad(left(p.division_code, 6), 12, '0')`),
  };
}
