/**
 * Alerts and the cases opened on them. An alert carries its proof: the rule version that raised it, the acts
 * (ledger entries) with inclusion proofs against the latest signed checkpoint, and the people they name. The
 * inspector confirms it (核查), dismisses it with a reason, or opens a case: 提醒谈话, 整改 with a deadline or
 * 问责 referral. Once released, the person concerned sees it and answers. Every act here is on the ledger.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { chinaDayNumber, chinaMidnight, dayNumber, loadCalendar } from '../kernel/calendar/index.ts';
import { appendToLedger, getEntry, inclusionProofFor, latestCheckpoint, ledgerVerifierKey, type LedgerEntry } from '../kernel/ledger/index.ts';
import { builtinListId, openProblem } from '../supervision/index.ts';
import { alertScope, assertDisciplineOffice, assertNotAbout, isAbout, oversightActions } from './policy.ts';
import type { RuleDefinition } from './rules.ts';

export const alertStates = ['open', 'confirmed', 'dismissed', 'case', 'closed'] as const;
export type AlertState = (typeof alertStates)[number];
export const caseKinds = ['talk', 'rectify', 'referral'] as const;
export type CaseKind = (typeof caseKinds)[number];

export interface Person {
  id: string;
  name: string;
  department: string | null;
}

export interface AlertCase {
  id: number;
  kind: CaseKind;
  deadline: string | null;
  note: string;
  openedBy: string;
  openedAt: Date;
  outcome: string | null;
  closedAt: Date | null;
}

export interface AlertSummary {
  id: number;
  rule: { id: number; code: string; version: number; nameZh: string; nameEn: string };
  severity: 'red' | 'yellow';
  state: AlertState;
  raisedAt: Date;
  measure: number;
  people: Person[];
  department: string | null;
  released: boolean;
}

export interface Alert extends AlertSummary {
  ruleVersion: { rationale: string; legalBasis: string; scope: string; definition: RuleDefinition };
  entries: LedgerEntry[];
  /** The latest signed checkpoint and an inclusion proof of every entry in its tree (absent for entries not yet signed). */
  checkpoint: string | null;
  verifierKey: string;
  proofs: { index: number; size: number; hashes: string[] }[];
  dismissReason: string | null;
  answer: string | null;
  answeredAt: Date | null;
  case: AlertCase | null;
}

interface AlertRow {
  id: number;
  rule_id: number;
  code: string;
  version: number;
  name_zh: string;
  name_en: string;
  severity: 'red' | 'yellow';
  state: AlertState;
  raised_at: Date;
  measure: number;
  people: string[];
  department_id: number | null;
  department: string | null;
  released_at: Date | null;
  entries: number[];
  dismiss_reason: string | null;
  answer: string | null;
  answered_at: Date | null;
  rationale: string;
  legal_basis: string;
  scope: string;
  definition: RuleDefinition;
}

const alertSelect = `SELECT al.id, v.rule_id, r.code, v.version, v.name_zh, v.name_en, al.severity, al.state, al.raised_at, al.measure, al.people,
    al.department_id, d.name AS department, al.released_at, al.entries, al.dismiss_reason, al.answer, al.answered_at, v.rationale, v.legal_basis, v.scope, v.definition
  FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id JOIN oversight_rules r ON r.id = v.rule_id
  LEFT JOIN departments d ON d.id = al.department_id`;

async function peopleNamed(db: Queryable, ids: readonly string[]): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<Person>(
    `SELECT u.id::text AS id, u.display_name AS name, d.name AS department FROM users u LEFT JOIN departments d ON d.id = u.department_id
     WHERE u.id::text = ANY($1)`, [[...new Set(ids)]]);
  return new Map(rows.map((p) => [p.id, p]));
}

async function summaries(db: Queryable, rows: AlertRow[]): Promise<AlertSummary[]> {
  const named = await peopleNamed(db, rows.flatMap((r) => r.people));
  return rows.map((r) => ({
    id: r.id, rule: { id: r.rule_id, code: r.code, version: r.version, nameZh: r.name_zh, nameEn: r.name_en }, severity: r.severity, state: r.state,
    raisedAt: r.raised_at, measure: r.measure, people: r.people.map((id) => named.get(id) ?? { id, name: id, department: null }),
    department: r.department, released: r.released_at !== null,
  }));
}

export interface AlertQuery {
  state?: AlertState;
  ruleId?: number;
  severity?: 'red' | 'yellow';
  limit: number;
  offset: number;
}

/** Alerts the inspector may see (jurisdiction, never about themselves), newest act first. */
export async function listAlerts(db: Queryable, actor: Actor, query: AlertQuery): Promise<{ total: number; items: AlertSummary[] }> {
  assertCan(actor, oversightActions.readAlerts);
  const params: unknown[] = [];
  const where = [alertScope(actor, params)];
  if (query.state) where.push(`al.state = $${params.push(query.state)}`);
  if (query.ruleId) where.push(`v.rule_id = $${params.push(query.ruleId)}`);
  if (query.severity) where.push(`al.severity = $${params.push(query.severity)}`);
  const { rows: [count] } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id WHERE ${where.join(' AND ')}`, params);
  const { rows } = await db.query<AlertRow>(
    `${alertSelect} WHERE ${where.join(' AND ')} ORDER BY al.raised_at DESC, al.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset]);
  return { total: count!.n, items: await summaries(db, rows) };
}

export interface Dashboard {
  byRule: { ruleId: number; nameZh: string; nameEn: string; severity: string; open: number; total: number }[];
  byDepartment: { department: string; total: number }[];
  byDay: { day: string; red: number; yellow: number }[];
  byState: { state: AlertState; total: number }[];
}

/** 风险看板: alerts by rule, department, state and day (the last 30 days), within what the inspector sees. */
export async function alertDashboard(db: Queryable, actor: Actor, now: Date): Promise<Dashboard> {
  assertCan(actor, oversightActions.readAlerts);
  const params: unknown[] = [];
  const scope = alertScope(actor, params);
  const from = `FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id WHERE ${scope}`;
  const [byRule, byDepartment, byDay, byState] = await Promise.all([
    db.query<Dashboard['byRule'][number]>(
      `SELECT v.rule_id AS "ruleId", (array_agg(v.name_zh ORDER BY v.version DESC))[1] AS "nameZh", (array_agg(v.name_en ORDER BY v.version DESC))[1] AS "nameEn",
         max(al.severity) AS severity, count(*) FILTER (WHERE al.state = 'open')::int AS open, count(*)::int AS total
       ${from} GROUP BY v.rule_id ORDER BY total DESC`, params),
    db.query<Dashboard['byDepartment'][number]>(
      `SELECT coalesce(d.name, '—') AS department, count(*)::int AS total ${from.replace('WHERE', 'LEFT JOIN departments d ON d.id = al.department_id WHERE')}
       GROUP BY d.name ORDER BY total DESC LIMIT 15`, params),
    db.query<Dashboard['byDay'][number]>(
      `SELECT to_char(al.raised_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE al.severity = 'red')::int AS red,
         count(*) FILTER (WHERE al.severity = 'yellow')::int AS yellow
       ${from} AND al.raised_at >= $${params.length + 1} GROUP BY day ORDER BY day`, [...params, new Date(now.getTime() - 30 * 86_400_000)]),
    db.query<Dashboard['byState'][number]>(`SELECT al.state, count(*)::int AS total ${from} GROUP BY al.state`, params),
  ]);
  return { byRule: byRule.rows, byDepartment: byDepartment.rows, byDay: byDay.rows, byState: byState.rows };
}

async function lockAlert(ctx: Ctx, id: number): Promise<AlertRow> {
  const params: unknown[] = [];
  // Scoped by jurisdiction only (no user id matches ''), so that an alert about the caller is refused by name below.
  const scope = alertScope({ ...ctx.actor, id: '' }, params);
  const { rows: [row] } = await ctx.tx.query<AlertRow>(`${alertSelect} WHERE al.id = $${params.push(id)} AND ${scope} FOR UPDATE OF al`, params);
  if (!row) throw notFound('oversight.alert', id);
  // Named apart from "not found": the inspector learns only that it is about them, which they may know anyway.
  assertNotAbout(ctx.actor, row.people);
  return row;
}

async function caseOf(db: Queryable, alertId: number): Promise<AlertCase | null> {
  const { rows: [row] } = await db.query<AlertCase>(
    `SELECT id, kind, deadline::text AS deadline, note, opened_by AS "openedBy", opened_at AS "openedAt", outcome, closed_at AS "closedAt"
     FROM oversight_cases WHERE alert_id = $1`, [alertId]);
  return row ?? null;
}

/** The alert with its evidence and proofs, for the page that verifies them in the browser. */
async function withEvidence(db: Queryable, row: AlertRow): Promise<Alert> {
  const [summary] = await summaries(db, [row]);
  const checkpoint = await latestCheckpoint(db);
  // One after another: an alert opened inside a command reads on its transaction's connection.
  const entries: LedgerEntry[] = [];
  for (const i of row.entries) {
    const entry = await getEntry(db, i);
    if (entry) entries.push(entry);
  }
  const proofs = [];
  for (const e of checkpoint ? entries.filter((x) => x.index < checkpoint.size) : []) {
    const p = await inclusionProofFor(db, e.index, checkpoint!.size);
    proofs.push({ index: p.index, size: p.size, hashes: p.hashes });
  }
  return {
    ...summary!, ruleVersion: { rationale: row.rationale, legalBasis: row.legal_basis, scope: row.scope, definition: row.definition },
    entries, checkpoint: checkpoint?.note ?? null, verifierKey: await ledgerVerifierKey(db), proofs,
    dismissReason: row.dismiss_reason, answer: row.answer, answeredAt: row.answered_at, case: await caseOf(db, row.id),
  };
}

/** Opens an alert: its evidence and proofs. The view is a ledger entry (inspectors are overseen too). */
export async function viewAlert(ctx: Ctx, input: { id: number }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.readAlerts);
  const row = await lockAlert(ctx, input.id);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.alert.viewed', object: { type: 'oversight-alert', id: row.id }, payload: input, at: ctx.now });
  return withEvidence(ctx.tx, row);
}

async function move(ctx: Ctx, row: AlertRow, to: AlertState, action: string, payload: object, dismissReason: string | null = null): Promise<Alert> {
  await ctx.tx.query(
    'UPDATE oversight_alerts SET state = $2, handled_by = $3, handled_at = $4, dismiss_reason = coalesce($5, dismiss_reason) WHERE id = $1',
    [row.id, to, ctx.actor.id, ctx.now, dismissReason]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action, object: { type: 'oversight-alert', id: row.id }, payload, at: ctx.now });
  return withEvidence(ctx.tx, { ...row, state: to, dismiss_reason: dismissReason ?? row.dismiss_reason });
}

function requireState(row: AlertRow, allowed: readonly AlertState[]): void {
  if (!allowed.includes(row.state)) throw new DomainError('oversight.alert.bad-state', { status: 409, field: 'state', state: row.state }, `the alert is ${row.state}`);
}

const required = (text: string, field: string) => {
  const trimmed = text.trim();
  if (!trimmed) throw new DomainError('oversight.reason-required', { field }, `${field} is required`);
  return trimmed;
};

/** 核查属实: the inspector checked the acts and finds the alert founded. */
export async function confirmAlert(ctx: Ctx, input: { id: number; note: string }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.handleAlerts);
  const row = await lockAlert(ctx, input.id);
  requireState(row, ['open']);
  return move(ctx, row, 'confirmed', 'oversight.alert.confirmed', { note: required(input.note, 'note') });
}

/** 驳回: not founded; the reason is required and counts against the rule's threshold (its feedback). */
export async function dismissAlert(ctx: Ctx, input: { id: number; reason: string }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.handleAlerts);
  const row = await lockAlert(ctx, input.id);
  requireState(row, ['open', 'confirmed']);
  const reason = required(input.reason, 'reason');
  return move(ctx, row, 'dismissed', 'oversight.alert.dismissed', { reason }, reason);
}

/** 告知本人: the people concerned may now see the alert and answer it. */
export async function releaseAlert(ctx: Ctx, input: { id: number }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.handleAlerts);
  const row = await lockAlert(ctx, input.id);
  await ctx.tx.query('UPDATE oversight_alerts SET released_at = coalesce(released_at, $2) WHERE id = $1', [row.id, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.alert.released', object: { type: 'oversight-alert', id: row.id }, payload: input, at: ctx.now });
  return withEvidence(ctx.tx, { ...row, released_at: row.released_at ?? ctx.now });
}

/** 处置: 提醒谈话, 整改 (with a deadline) or 问责 referral, on an open or confirmed alert. */
export async function openCase(ctx: Ctx, input: { id: number; kind: CaseKind; deadline?: string; note: string }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.handleAlerts);
  const row = await lockAlert(ctx, input.id);
  requireState(row, ['open', 'confirmed']);
  const note = required(input.note, 'note');
  if (input.kind === 'rectify') await listForRectification(ctx, row, input.deadline, note);
  await ctx.tx.query(
    'INSERT INTO oversight_cases (alert_id, kind, deadline, note, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, input.kind, input.deadline ?? null, note, ctx.actor.id, ctx.now]);
  await ctx.tx.query('UPDATE oversight_alerts SET state = $2, handled_by = $3, handled_at = $4 WHERE id = $1', [row.id, 'case', ctx.actor.id, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.case.opened', object: { type: 'oversight-alert', id: row.id }, payload: input, at: ctx.now });
  return withEvidence(ctx.tx, { ...row, state: 'case' });
}

/**
 * 整改 goes on the 督查检查考核 problem list, owned by the department concerned, in the case's transaction: the
 * department then runs the list's loop (root cause, steps with evidence, acceptance by someone else, prevention).
 */
async function listForRectification(ctx: Ctx, row: AlertRow, deadline: string | undefined, note: string): Promise<void> {
  const due = deadline ? dayNumber(deadline) : null;
  if (due === null || due <= chinaDayNumber(ctx.now)) throw new DomainError('oversight.deadline-required', { field: 'deadline' }, 'a deadline after today is required');
  if (row.department_id === null) throw new DomainError('oversight.case.no-department', { status: 409, field: 'kind' }, 'the alert names no department to rectify');
  const calendar = await loadCalendar(ctx.tx);
  await openProblem(ctx.tx, ctx.actor, {
    source: 'oversight-alert', sourceRef: `alert:${row.id}`, listId: await builtinListId(ctx.tx, 'supervision-check'), departmentId: row.department_id, kind: `rule:${row.code}`,
    title: `${row.name_zh}（预警 ${row.id}）`, description: note,
    dueDays: Math.max(1, calendar.workingDaysBetween(ctx.now, new Date(chinaMidnight(due)))),
  }, ctx.now);
}

/** 办结: the case's outcome (the rectification done, the talk held, the referral's result). */
export async function closeCase(ctx: Ctx, input: { id: number; outcome: string }): Promise<Alert> {
  assertCan(ctx.actor, oversightActions.handleAlerts);
  const row = await lockAlert(ctx, input.id);
  requireState(row, ['case']);
  const outcome = required(input.outcome, 'outcome');
  await ctx.tx.query('UPDATE oversight_cases SET outcome = $2, closed_by = $3, closed_at = $4 WHERE alert_id = $1', [row.id, outcome, ctx.actor.id, ctx.now]);
  await ctx.tx.query('UPDATE oversight_alerts SET state = $2 WHERE id = $1', [row.id, 'closed']);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.case.closed', object: { type: 'oversight-alert', id: row.id }, payload: input, at: ctx.now });
  return withEvidence(ctx.tx, { ...row, state: 'closed' });
}

/** The released alerts about the caller (我的预警), to read and answer. */
export async function myAlerts(db: Queryable, actor: Actor): Promise<(AlertSummary & { answer: string | null; rationale: string })[]> {
  if (actor.kind !== 'staff') return [];
  const { rows } = await db.query<AlertRow>(`${alertSelect} WHERE $1 = ANY(al.people) AND al.released_at IS NOT NULL ORDER BY al.raised_at DESC`, [actor.id]);
  const list = await summaries(db, rows);
  return list.map((a, i) => ({ ...a, answer: rows[i]!.answer, rationale: rows[i]!.rationale }));
}

/** 本人说明: the person concerned answers a released alert about them. */
export async function answerAlert(ctx: Ctx, input: { id: number; answer: string }): Promise<{ id: number; answer: string }> {
  const { rows: [row] } = await ctx.tx.query<{ people: string[]; released_at: Date | null }>(
    'SELECT people, released_at FROM oversight_alerts WHERE id = $1 FOR UPDATE', [input.id]);
  if (!row || !isAbout(ctx.actor, row.people)) throw new DomainError('oversight.not-concerned', { status: 403 }, 'not about you');
  if (!row.released_at) throw new DomainError('oversight.not-released', { status: 409 }, 'not released');
  const answer = required(input.answer, 'answer');
  await ctx.tx.query('UPDATE oversight_alerts SET answer = $2, answered_at = $3 WHERE id = $1', [input.id, answer, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.alert.answered', object: { type: 'oversight-alert', id: input.id }, payload: input, at: ctx.now });
  return { id: input.id, answer };
}

export interface IntegrityFile {
  person: Person;
  alerts: (AlertSummary & { case: AlertCase | null; answer: string | null })[];
}

/** Officials with an integrity file (at least one alert), for the discipline office to choose from. */
export async function integrityIndex(ctx: Ctx): Promise<(Person & { alerts: number; cases: number })[]> {
  await assertDisciplineOffice(ctx.tx, ctx.actor);
  const { rows } = await ctx.tx.query<{ id: string; alerts: number; cases: number }>(
    `SELECT p AS id, count(*)::int AS alerts, count(*) FILTER (WHERE al.state IN ('case', 'closed'))::int AS cases
     FROM oversight_alerts al, unnest(al.people) p WHERE p <> $1 GROUP BY p ORDER BY cases DESC, alerts DESC LIMIT 200`, [ctx.actor.id]);
  const named = await peopleNamed(ctx.tx, rows.map((r) => r.id));
  return rows.map((r) => ({ ...(named.get(r.id) ?? { id: r.id, name: r.id, department: null }), alerts: r.alerts, cases: r.cases }));
}

/** 廉政档案: an official's alerts, cases and outcomes. Only the discipline office reads it; every view is on the ledger. */
export async function viewIntegrityFile(ctx: Ctx, input: { userId: string }): Promise<IntegrityFile> {
  await assertDisciplineOffice(ctx.tx, ctx.actor);
  assertNotAbout(ctx.actor, [input.userId]);
  const person = (await peopleNamed(ctx.tx, [input.userId])).get(input.userId);
  if (!person) throw notFound('oversight.person', input.userId);
  const { rows } = await ctx.tx.query<AlertRow>(`${alertSelect} WHERE $1 = ANY(al.people) ORDER BY al.raised_at DESC`, [input.userId]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.integrity.viewed', object: { type: 'user', id: input.userId }, payload: input, at: ctx.now });
  const list = await summaries(ctx.tx, rows);
  // One after another: the transaction's connection runs one query at a time.
  const alerts = [];
  for (const [i, a] of list.entries()) alerts.push({ ...a, case: await caseOf(ctx.tx, a.id), answer: rows[i]!.answer });
  return { person, alerts };
}
