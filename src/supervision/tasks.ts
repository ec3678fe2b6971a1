/**
 * 督办事项: a leader of the 督查室 assigns a task to a department with a deadline and milestones in working
 * days; the department reports progress with evidence and finally reports it done; the leader closes it or
 * sends it back. A daily sweep on working days reminds the department a working day before the deadline
 * (催办) and escalates what is past it to the assigner (督办升级).
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar } from '../kernel/calendar/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { attachmentsOf, storeAttachments, type Attachment, type AttachmentInput } from './attachments.ts';
import { actorRef, assertOffice, assertOwner, assertSees, isOffice, mayWorkOn, rowScope, supervisionActions as a } from './policy.ts';

export const taskStates = ['assigned', 'reported', 'closed'] as const;
export type TaskState = (typeof taskStates)[number];
export const reportKinds = ['assigned', 'progress', 'completion', 'closed', 'returned', 'reminder', 'escalation'] as const;
export type ReportKind = (typeof reportKinds)[number];

export interface Milestone {
  id: number;
  title: string;
  due: Date;
  doneAt: Date | null;
  overdue: boolean;
}

export interface Task {
  id: number;
  number: string;
  title: string;
  detail: string;
  department: { id: number; name: string };
  divisionCode: string;
  state: TaskState;
  dueDays: number;
  due: Date;
  overdue: boolean;
  progress: number;
  assignedByName: string;
  assignedAt: Date;
  remindedAt: Date | null;
  escalatedAt: Date | null;
  closedAt: Date | null;
  milestones: Milestone[];
}

const columns = `t.id::int, t.number, t.title, t.detail, t.division_code AS "divisionCode", t.state, t.due_days AS "dueDays", t.due, t.progress,
  t.assigned_name AS "assignedByName", t.assigned_at AS "assignedAt", t.reminded_at AS "remindedAt", t.escalated_at AS "escalatedAt", t.closed_at AS "closedAt",
  json_build_object('id', d.id, 'name', d.name) AS department, (t.state <> 'closed' AND t.due < $1) AS overdue,
  coalesce((SELECT json_agg(json_build_object('id', m.id, 'title', m.title, 'due', m.due, 'doneAt', m.done_at,
     'overdue', m.done_at IS NULL AND m.due < $1) ORDER BY m.due, m.id) FROM supervision_milestones m WHERE m.task_id = t.id), '[]') AS milestones`;
const from = 'supervision_tasks t JOIN departments d ON d.id = t.department_id';

/** JSON aggregates carry dates as text; the API and the tests get Dates. */
const toTask = (row: Task): Task => ({ ...row, milestones: row.milestones.map((m) => ({ ...m, due: new Date(m.due), doneAt: m.doneAt && new Date(m.doneAt) })) });

async function readTask(db: Queryable, id: number, now: Date, lock = false): Promise<Task | undefined> {
  if (lock) await db.query('SELECT 1 FROM supervision_tasks WHERE id = $1 FOR UPDATE', [id]);
  const { rows: [row] } = await db.query<Task>(`SELECT ${columns} FROM ${from} WHERE t.id = $2`, [now, id]);
  return row && toTask(row);
}

const ownerOf = (t: Task) => ({ divisionCode: t.divisionCode, departmentId: t.department.id });

async function lockTask(ctx: Ctx, id: number): Promise<Task> {
  const task = await readTask(ctx.tx, id, ctx.now, true);
  if (!task) throw new DomainError('supervision.task.not-found', { status: 404, id });
  assertSees(ctx.actor, a.readTasks, ownerOf(task), 'task', id);
  return task;
}

/** One line of the task's record and its ledger entry. */
async function record(ctx: Ctx, task: { id: number }, kind: ReportKind, text: string, extra: { progress?: number; milestoneId?: number | null; payload?: unknown } = {}) {
  const { rows: [row] } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO supervision_reports (task_id, kind, text, progress, milestone_id, actor, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::int`,
    [task.id, kind, text, extra.progress ?? null, extra.milestoneId ?? null, actorRef(ctx.actor), ctx.actor.name, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: `supervision.task.${kind}`, object: { type: 'task', id: task.id },
    payload: extra.payload ?? { text, progress: extra.progress, milestoneId: extra.milestoneId }, at: ctx.now });
  return row!.id;
}

const required = (value: string | undefined, field: string, max: number) => {
  const out = value?.trim() ?? '';
  if (!out || out.length > max) throw new DomainError('validation', { field }, `${field}: 1 to ${max} characters`);
  return out;
};

export interface AssignTask {
  title: string;
  detail: string;
  departmentId: number;
  dueDays: number;
  milestones: { title: string; dueDays: number }[];
}

/** 交办: the 督查室 gives a department a task; the deadline and each milestone in working days from now. */
export async function assignTask(ctx: Ctx, input: AssignTask): Promise<Task> {
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('supervision.department.unknown', { field: 'departmentId' }, `no department ${input.departmentId}`);
  await assertOffice(ctx.tx, ctx.actor, a.assign, department);
  if (!Number.isInteger(input.dueDays) || input.dueDays < 1 || input.dueDays > 250) throw new DomainError('validation', { field: 'dueDays' }, '1 to 250 working days');
  input.milestones.forEach((m, i) => {
    if (!Number.isInteger(m.dueDays) || m.dueDays < 1 || m.dueDays > input.dueDays)
      throw new DomainError('validation', { field: `milestones.${i}.dueDays` }, 'a milestone falls due by the task\'s deadline');
  });
  const calendar = await loadCalendar(ctx.tx);
  const due = calendar.addWorkingDays(ctx.now, input.dueDays).due;
  const { rows: [created] } = await ctx.tx.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('supervision_tasks', 'id')) AS id)
     INSERT INTO supervision_tasks (id, number, title, detail, department_id, division_code, state, due_days, due, assigned_by, assigned_name, assigned_at, updated_at)
     SELECT n.id, 'DB' || to_char($9::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(n.id::text, 5, '0'),
       $1, $2, $3, $4, 'assigned', $5, $6, $7, $8, $9, $9 FROM n RETURNING id::int`,
    [required(input.title, 'title', 200), required(input.detail, 'detail', 4000), department.id, department.divisionCode, input.dueDays, due,
      actorRef(ctx.actor), ctx.actor.name, ctx.now]);
  const milestones = input.milestones.map((m, i) => ({ title: required(m.title, `milestones.${i}.title`, 200), due: calendar.addWorkingDays(ctx.now, m.dueDays).due }));
  if (milestones.length)
    await ctx.tx.query('INSERT INTO supervision_milestones (task_id, title, due) SELECT $1, * FROM unnest($2::text[], $3::timestamptz[])',
      [created!.id, milestones.map((m) => m.title), milestones.map((m) => m.due)]);
  await record(ctx, created!, 'assigned', input.title, { progress: 0, payload: { ...input, due, milestones } });
  return (await readTask(ctx.tx, created!.id, ctx.now))!;
}

export interface ReportTask {
  id: number;
  text: string;
  progress: number;
  /** A milestone this report completes. */
  milestoneId?: number;
  /** The department says the task is done: it waits for the 督查室 to close it. */
  completes: boolean;
  attachments: AttachmentInput[];
}

/** 进展报告 of the department, with evidence; a completion report puts the task before the 督查室. */
export async function reportTask(ctx: Ctx, input: ReportTask): Promise<Task> {
  const task = await lockTask(ctx, input.id);
  assertOwner(ctx.actor, a.report, ownerOf(task));
  if (task.state !== 'assigned')
    throw new DomainError('supervision.task.bad-state', { status: 409, field: 'state', state: task.state }, `the task is ${task.state}`);
  if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) throw new DomainError('validation', { field: 'progress' }, '0 to 100');
  const milestone = input.milestoneId === undefined ? null : task.milestones.find((m) => m.id === input.milestoneId);
  if (milestone === undefined) throw new DomainError('validation', { field: 'milestoneId' }, 'not a milestone of this task');
  if (milestone?.doneAt) throw new DomainError('supervision.milestone.done', { status: 409, field: 'milestoneId' }, 'the milestone is done already');
  const text = required(input.text, 'text', 4000);
  const progress = input.completes ? 100 : input.progress;
  const reportId = await record(ctx, task, input.completes ? 'completion' : 'progress', text, { progress, milestoneId: milestone?.id ?? null, payload: null });
  const files = await storeAttachments(ctx.tx, { reportId }, input.attachments);
  // The entry's payload names the files by hash: written after they are stored.
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'supervision.task.evidence', object: { type: 'task', id: task.id },
    payload: { report: reportId, text, progress, milestoneId: milestone?.id ?? null, files: files.map((f) => ({ name: f.name, sha256: f.sha256 })) }, at: ctx.now });
  if (milestone) await ctx.tx.query('UPDATE supervision_milestones SET done_at = $2 WHERE id = $1', [milestone.id, ctx.now]);
  await ctx.tx.query('UPDATE supervision_tasks SET progress = $2, state = $3, updated_at = $4 WHERE id = $1',
    [task.id, progress, input.completes ? 'reported' : 'assigned', ctx.now]);
  return (await readTask(ctx.tx, task.id, ctx.now))!;
}

/** The 督查室 closes a task reported done (办结), or sends it back with the reason. */
export async function closeTask(ctx: Ctx, input: { id: number; accepted: boolean; note: string }): Promise<Task> {
  const task = await lockTask(ctx, input.id);
  await assertOffice(ctx.tx, ctx.actor, a.assign, task);
  if (ctx.actor.departmentId === task.department.id)
    throw new DomainError('supervision.own-task', { status: 403 }, 'a department does not close its own task');
  if (task.state !== 'reported')
    throw new DomainError('supervision.task.bad-state', { status: 409, field: 'state', state: task.state }, `the task is ${task.state}`);
  const note = required(input.note, 'note', 2000);
  await record(ctx, task, input.accepted ? 'closed' : 'returned', note);
  await ctx.tx.query(`UPDATE supervision_tasks SET state = $2, closed_at = $3, closed_by = $4, updated_at = $5 WHERE id = $1`,
    [task.id, input.accepted ? 'closed' : 'assigned', input.accepted ? ctx.now : null, input.accepted ? actorRef(ctx.actor) : null, ctx.now]);
  return (await readTask(ctx.tx, task.id, ctx.now))!;
}

/**
 * 催办 and 督办升级, once a day on working days: an open task due by the end of the next working day is
 * reminded once; a task past its deadline is escalated to the assigner once. Idempotent: each flag is set once.
 */
export async function sweepTasks(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const calendar = await loadCalendar(tx);
    if (!calendar.isWorkingDay(chinaDay(now))) return 0;
    const ctx = { tx, actor: systemActor('supervision.tasks'), now };
    const soon = calendar.addWorkingDays(now, 1).due;
    const { rows: remind } = await tx.query<{ id: number; due: Date }>(
      `UPDATE supervision_tasks SET reminded_at = $1 WHERE state = 'assigned' AND reminded_at IS NULL AND due >= $1 AND due <= $2 RETURNING id::int, due`, [now, soon]);
    for (const task of remind) await record(ctx, task, 'reminder', 'due', { payload: { due: task.due } });
    const { rows: escalate } = await tx.query<{ id: number; due: Date; assignedBy: string }>(
      `UPDATE supervision_tasks SET escalated_at = $1 WHERE state <> 'closed' AND escalated_at IS NULL AND due < $1
       RETURNING id::int, due, assigned_by AS "assignedBy"`, [now]);
    for (const task of escalate) await record(ctx, task, 'escalation', 'overdue', { payload: { due: task.due, to: task.assignedBy } });
    return remind.length + escalate.length;
  });
}

// ---- reading ----

export interface TaskQuery {
  state?: TaskState[];
  departmentId?: number;
  limit: number;
  offset: number;
}

export async function listTasks(db: Queryable, actor: Actor, query: TaskQuery, now = new Date()): Promise<{ total: number; items: Task[] }> {
  assertCan(actor, a.readTasks);
  const params: unknown[] = [now];
  const where = [rowScope(actor, a.readTasks, 't', params)];
  if (query.departmentId !== undefined) { params.push(query.departmentId); where.push(`t.department_id = $${params.length}`); }
  if (query.state?.length) { params.push(query.state); where.push(`t.state = ANY($${params.length})`); }
  const filter = where.join(' AND ');
    // $1 (now) is typed here too, as the count does not use it otherwise.
  const { rows: [{ total }] } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM supervision_tasks t WHERE ${filter} AND $1::timestamptz IS NOT NULL`, params);
  params.push(query.limit, query.offset);
  const { rows } = await db.query<Task>(`SELECT ${columns} FROM ${from} WHERE ${filter}
    ORDER BY (t.state = 'closed'), t.due, t.id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total, items: rows.map(toTask) };
}

export interface TaskView {
  task: Task;
  reports: { id: number; kind: ReportKind; text: string; progress: number | null; milestoneId: number | null; actorName: string; at: Date; attachments: Attachment[] }[];
  can: { report: boolean; close: boolean };
}

export async function viewTask(db: Queryable, actor: Actor, id: number, now = new Date()): Promise<TaskView> {
  const task = await readTask(db, id, now);
  if (!task) throw new DomainError('supervision.task.not-found', { status: 404, id });
  assertSees(actor, a.readTasks, ownerOf(task), 'task', id);
  const { rows } = await db.query<TaskView['reports'][number]>(
    `SELECT id::int, kind, text, progress, milestone_id::int AS "milestoneId", actor_name AS "actorName", at FROM supervision_reports WHERE task_id = $1 ORDER BY id`, [id]);
  const files = await attachmentsOf(db, 'report_id', rows.map((r) => r.id));
  const report = mayWorkOn(actor, a.report, ownerOf(task));
  const close = (await isOffice(db, actor)) && actor.departmentId !== task.department.id && actor.jurisdiction.covers(task.divisionCode);
  return { task, reports: rows.map((r) => ({ ...r, attachments: files.get(r.id) ?? [] })), can: { report, close } };
}
