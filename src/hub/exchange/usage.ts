/**
 * Reading the evidence: the departments' call log (调用日志), hiding an entry from the citizen for a while
 * (an ongoing investigation), and "who used my data" (我的数据使用记录) for the citizen whose ID a call carried.
 */
import { assertCan, getUser, type Actor, type Ctx } from '../../kernel/auth/index.ts';
import { chinaDay } from '../../kernel/calendar/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger, getEntry, type LedgerEntry } from '../../kernel/ledger/index.ts';
import { hideRecord, recordHash, type EvidenceRow } from './evidence.ts';
import { isHubAdmin, maskValue } from './catalogue.ts';
import { departmentScope, exchangeActions, seesDepartmentRow } from './policy.ts';

export interface EvidenceView {
  messageId: string;
  at: Date;
  consumerSystemName: string;
  consumerDepartmentId: number;
  consumerDepartmentName: string;
  providerDepartmentName: string | null;
  resourceCode: string | null;
  resourceName: string | null;
  predicateCode: string | null;
  subject: string | null;
  fields: string[];
  purpose: string;
  caseId: string;
  legalBasis: string | null;
  requestHash: string;
  responseHash: string | null;
  status: number;
  code: string;
  durationMs: number;
  hiddenUntil: Date | null;
  hiddenReason: string | null;
}

const viewQuery = `SELECT e.message_id AS "messageId", e.at, s.name AS "consumerSystemName", e.consumer_department_id AS "consumerDepartmentId",
    cd.name AS "consumerDepartmentName", pd.name AS "providerDepartmentName", r.code AS "resourceCode", r.name AS "resourceName",
    p.code AS "predicateCode", e.subject, e.fields, e.purpose, e.case_id AS "caseId", e.legal_basis AS "legalBasis",
    e.request_hash AS "requestHash", e.response_hash AS "responseHash", e.status, e.code, e.duration_ms AS "durationMs",
    e.hidden_until AS "hiddenUntil", e.hidden_reason AS "hiddenReason"
  FROM hub_evidence e
  JOIN hub_systems s ON s.id = e.consumer_system_id
  JOIN departments cd ON cd.id = e.consumer_department_id
  LEFT JOIN departments pd ON pd.id = e.provider_department_id
  LEFT JOIN hub_resources r ON r.id = e.resource_id
  LEFT JOIN hub_predicates p ON p.id = e.predicate_id`;

export interface EvidenceQuery {
  from?: string;
  to?: string;
  resource?: string;
  outcome?: 'answered' | 'refused';
  limit?: number;
}

/**
 * 调用日志: calls made or served by the actor's department (all of them for hub administrators), newest
 * first. Subjects are shown masked; the viewing itself is a ledger entry.
 */
export async function listEvidence(ctx: Ctx, query: EvidenceQuery): Promise<EvidenceView[]> {
  assertCan(ctx.actor, exchangeActions.evidence);
  const params: unknown[] = [];
  const where = [departmentScope(ctx.actor, await isHubAdmin(ctx.tx, ctx.actor), exchangeActions.evidence,
    { consumer: 'e.consumer_department_id', provider: 'e.provider_department_id' }, params)];
  if (query.from) { params.push(new Date(`${query.from}T00:00:00+08:00`)); where.push(`e.at >= $${params.length}`); }
  if (query.to) { params.push(new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000)); where.push(`e.at < $${params.length}`); }
  if (query.resource) { params.push(query.resource); where.push(`r.code = $${params.length}`); }
  if (query.outcome) where.push(query.outcome === 'answered' ? 'e.status = 200' : 'e.status <> 200');
  params.push(query.limit ?? 100);
  const { rows } = await ctx.tx.query<EvidenceView>(`${viewQuery} WHERE ${where.join(' AND ')} ORDER BY e.at DESC LIMIT $${params.length}`, params);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.evidence.listed', object: { type: 'hub-evidence', id: 'list' }, payload: { query, rows: rows.length } });
  return rows.map((row) => ({ ...row, subject: row.subject === null ? null : String(maskValue(row.subject, 'partial')) }));
}

/**
 * One call's evidence with its ledger entry (null while still queued) and the hash the entry must carry
 * for the stored row, so the console can check the row against the signed ledger.
 */
export async function evidenceDetail(ctx: Ctx, input: { messageId: string }): Promise<EvidenceView & { recordHash: string; ledgerEntry: LedgerEntry | null }> {
  const row = (await listEvidenceById(ctx.tx, input.messageId))[0];
  if (!row || !seesDepartmentRow(ctx.actor, await isHubAdmin(ctx.tx, ctx.actor), exchangeActions.evidence,
    { consumer: row.consumerDepartmentId, provider: row.providerDepartmentId }))
    throw new DomainError('hub.evidence.not-found', { status: 404 }, input.messageId);
  const stored = await ctx.tx.query<EvidenceRow>('SELECT * FROM hub_evidence WHERE message_id = $1', [input.messageId]);
  const ledger = await ctx.tx.query<{ leaf_index: number }>(
    `SELECT leaf_index FROM ledger_entries WHERE object_type = 'hub-message' AND object_id = $1 AND action ~ '^hub\\.(call|ask)\\.'`, [input.messageId]);
  const ledgerEntry = ledger.rows[0] ? await getEntry(ctx.tx, ledger.rows[0].leaf_index) : null;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.evidence.listed', object: { type: 'hub-evidence', id: input.messageId } });
  return { ...row, subject: row.subject === null ? null : String(maskValue(row.subject, 'partial')), recordHash: recordHash(stored.rows[0]!), ledgerEntry };
}

async function listEvidenceById(db: Queryable, messageId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) return [];
  return (await db.query<EvidenceView & { providerDepartmentId: number | null }>(
    `${viewQuery.replace('SELECT ', 'SELECT e.provider_department_id AS "providerDepartmentId", ')} WHERE e.message_id = $1`, [messageId])).rows;
}

/**
 * 暂不告知: the department that made a call hides it from the citizen until a later day, with a reason the
 * citizen sees once the day has come.
 */
export async function hideEvidence(ctx: Ctx, input: { messageId: string; until: string; reason: string }): Promise<{ messageId: string; hiddenUntil: Date; hiddenReason: string }> {
  assertCan(ctx.actor, exchangeActions.hide);
  const rows = await listEvidenceById(ctx.tx, input.messageId);
  const row = rows[0];
  if (!row) throw new DomainError('hub.evidence.not-found', { status: 404 }, input.messageId);
  // Only the department that made the call knows why the citizen must not learn of it yet: not a hub administrator.
  if (row.consumerDepartmentId !== ctx.actor.departmentId)
    throw new DomainError('hub.evidence.not-own', { status: 403 }, 'not your department\'s call');
  if (input.until <= chinaDay(ctx.now)) throw new DomainError('hub.evidence.hide-until-past', { field: 'until' }, 'until a later day');
  const until = new Date(`${input.until}T00:00:00+08:00`);
  await hideRecord(ctx.tx, ctx.actor, { messageId: input.messageId, until, reason: input.reason });
  return { messageId: input.messageId, hiddenUntil: until, hiddenReason: input.reason };
}

export interface UsageEntry {
  messageId: string;
  at: Date;
  consumerDepartmentName: string;
  consumerSystemName: string;
  providerDepartmentName: string | null;
  resourceName: string | null;
  predicateName: string | null;
  fields: string[];
  fieldNames: string[];
  purpose: string;
  legalBasis: string | null;
  answered: boolean;
  hiddenReason: string | null;
}

/**
 * 我的数据使用记录: every call that carried the citizen's own ID, newest first, except those a department
 * hides until a day still to come; once that day has come the entry shows with the reason it was hidden.
 */
export async function myUsage(db: Queryable, actor: Actor, query: { before?: string; limit?: number }, now = new Date()): Promise<{ total: number; entries: UsageEntry[] }> {
  assertCan(actor, exchangeActions.usage);
  if (actor.kind !== 'citizen') throw new DomainError('hub.not-citizen', { status: 403 }, 'citizens only');
  const idNumber = (await getUser(db, Number(actor.id)))?.id_number;
  if (!idNumber) return { total: 0, entries: [] };
  const shown = 'e.subject = $1 AND (e.hidden_until IS NULL OR e.hidden_until <= $2)';
  const params: unknown[] = [idNumber, now, query.limit ?? 50];
  let page = '';
  if (query.before) { params.push(new Date(query.before)); page = ` AND e.at < $${params.length}`; }
  const [entries, total] = await Promise.all([
    db.query<UsageEntry>(
      `SELECT e.message_id AS "messageId", e.at, cd.name AS "consumerDepartmentName", s.name AS "consumerSystemName",
              pd.name AS "providerDepartmentName", r.name AS "resourceName", p.name AS "predicateName", e.fields,
              coalesce((SELECT array_agg(coalesce(f.name, c) ORDER BY n) FROM unnest(e.fields) WITH ORDINALITY AS u (c, n)
                 LEFT JOIN hub_resource_fields f ON f.resource_id = e.resource_id AND f.code = u.c), '{}') AS "fieldNames",
              e.purpose, e.legal_basis AS "legalBasis", e.status = 200 AS answered, e.hidden_reason AS "hiddenReason"
         FROM hub_evidence e
         JOIN hub_systems s ON s.id = e.consumer_system_id
         JOIN departments cd ON cd.id = e.consumer_department_id
         LEFT JOIN departments pd ON pd.id = e.provider_department_id
         LEFT JOIN hub_resources r ON r.id = e.resource_id
         LEFT JOIN hub_predicates p ON p.id = e.predicate_id
        WHERE ${shown}${page} ORDER BY e.at DESC LIMIT $3`, params),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_evidence e WHERE ${shown}`, [idNumber, now]),
  ]);
  return { total: total.rows[0]!.n, entries: entries.rows };
}
