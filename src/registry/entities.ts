/**
 * 实体与标准记录: an entity is the records the matching put together (a person or a company), its golden record
 * the value of each field with the record and source it came from and the rule that chose it. Merges and
 * splits (by review or by hand) move records between entities; each keeps in its history where the records
 * were before, so it can be undone, and each is on the ledger. A staff read of a golden record goes through
 * the hub's gateway (the library's own resource), so it is evidence the person sees in 我的数据使用记录.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable, Tx } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { callResource, findSystem } from '../hub/index.ts';
import { certificatesOf, type CertificateEntry } from '../services/index.ts';
import type { Library } from './libraries.ts';
import type { PairExplanation } from './match/index.ts';
import { assertCovers, registryActions, registryScope } from './policy.ts';
import { refreshGolden, type FieldConflicts, type GoldenFields } from './resolve.ts';
import { findLibrary } from './sources.ts';

export interface EntityRecord {
  id: number;
  sourceId: number;
  sourceName: string;
  providerName: string;
  sourceKey: string;
  raw: Record<string, string | null>;
  findings: { field: string; code: string; message: string }[];
  changedAt: string;
}

export interface HistoryEntry {
  id: number;
  action: 'created' | 'merged' | 'split' | 'golden' | 'undone';
  detail: Record<string, unknown>;
  actor: string;
  at: string;
  undoable: boolean;
}

export interface PairView {
  id: number;
  leftId: number;
  rightId: number;
  weight: number;
  probability: number;
  /** the waterfall: prior, each field's part, the total */
  explanation: PairExplanation;
  band: 'match' | 'review' | 'non-match';
  decision: 'match' | 'non-match' | null;
}

export interface Entity {
  id: number;
  library: Library;
  subject: string | null;
  divisionCode: string;
  golden: GoldenFields;
  conflicts: FieldConflicts;
  updatedAt: string;
  records: EntityRecord[];
  pairs: PairView[];
  history: HistoryEntry[];
  /** 电子证照库: the certificates issued about the subject (by resident ID or credit code), from the credentials' index */
  certificates: CertificateEntry[];
}

interface EntityRow { id: number; library: Library; subject: string | null; divisionCode: string; golden: GoldenFields; conflicts: FieldConflicts; updatedAt: string }

const entitySelect = `SELECT id::int, library, subject, division_code AS "divisionCode", golden, conflicts, to_json(updated_at) #>> '{}' AS "updatedAt"
  FROM registry_entities`;

const findEntityRow = async (db: Queryable, id: number) => (await db.query<EntityRow>(`${entitySelect} WHERE id = $1`, [id])).rows[0] ?? null;

export const pairColumns = `p.id::int, p.left_id::int AS "leftId", p.right_id::int AS "rightId", p.weight, p.probability, p.parts AS explanation, p.band, p.decision`;

/** The certificates about a golden record's subject: a person's by resident ID, a company's by credit code; none without a valid one. */
export const certificatesOfEntity = (db: Queryable, entity: { library: Library; subject: string | null }) =>
  entity.subject ? certificatesOf(db, { kind: entity.library === 'people' ? 'person' : 'company', id: entity.subject }) : Promise.resolve([]);

/** The records, pairs, history and certificates of an entity, as stored. */
export async function entityDetail(db: Queryable, row: EntityRow): Promise<Entity> {
  // One after another: an undo reads the entity on its transaction's connection.
  const [records, pairs, history] = [
    await db.query<EntityRecord>(`SELECT r.id::int, r.source_id::int AS "sourceId", s.resource_name AS "sourceName", d.name AS "providerName",
        r.source_key AS "sourceKey", r.raw, r.findings, to_json(r.changed_at) #>> '{}' AS "changedAt"
      FROM registry_records r JOIN registry_sources s ON s.id = r.source_id JOIN departments d ON d.id = s.provider_department_id
      WHERE r.entity_id = $1 ORDER BY r.id`, [row.id]),
    await db.query<PairView>(`SELECT ${pairColumns} FROM registry_pairs p JOIN registry_records l ON l.id = p.left_id JOIN registry_records r ON r.id = p.right_id
      WHERE l.entity_id = $1 OR r.entity_id = $1 ORDER BY p.weight DESC LIMIT 100`, [row.id]),
    await db.query<HistoryEntry>(`SELECT id::int, action, detail, actor, to_json(at) #>> '{}' AS at,
        (action IN ('merged', 'split') AND undone_at IS NULL) AS undoable FROM registry_history WHERE entity_id = $1 ORDER BY id DESC LIMIT 100`, [row.id]),
  ];
  return { ...row, records: records.rows, pairs: pairs.rows, history: history.rows, certificates: await certificatesOfEntity(db, row) };
}

export interface EntitySummary {
  id: number;
  subject: string | null;
  name: string | null;
  records: number;
  conflicts: number;
  updatedAt: string;
}

/** Golden records of a library in the actor's jurisdiction, by name or identifier; a list shows names, not whole records. */
export async function searchEntities(db: Queryable, actor: Actor, query: { library: Library; q?: string; limit?: number }): Promise<EntitySummary[]> {
  assertCan(actor, registryActions.read);
  const params: unknown[] = [query.library];
  const where = ['e.library = $1', registryScope(actor, 'e.division_code', params), `e.golden <> '{}'`];
  if (query.q) { params.push(query.q); where.push(`(e.subject = $${params.length} OR e.golden #>> '{name,value}' LIKE $${params.length} || '%')`); }
  params.push(query.limit ?? 50);
  return (await db.query<EntitySummary>(
    `SELECT e.id::int, e.subject, e.golden #>> '{name,value}' AS name, (SELECT count(*)::int FROM registry_records r WHERE r.entity_id = e.id) AS records,
        (SELECT count(*)::int FROM jsonb_object_keys(e.conflicts)) AS conflicts, to_json(e.updated_at) #>> '{}' AS "updatedAt"
      FROM registry_entities e WHERE ${where.join(' AND ')} ORDER BY e.updated_at DESC, e.id DESC LIMIT $${params.length}`, params)).rows;
}

/**
 * 查看标准记录: a staff read of one golden record, within the jurisdiction, for a stated purpose. The read goes
 * through the hub gateway on the library's own resource with the library's system: the evidence names the
 * person (or company), the reader and the purpose, and commits with this transaction.
 */
export async function readGoldenRecord(ctx: Ctx, input: { id: number; purpose: string }): Promise<Entity> {
  const row = await findEntityRow(ctx.tx, input.id);
  if (!row || Object.keys(row.golden).length === 0) throw notFound('registry.entity', input.id);
  assertCan(ctx.actor, registryActions.read, row);
  const library = (await findLibrary(ctx.tx, row.library))!;
  const system = (await findSystem(ctx.tx, library.systemId))!;
  await callResource(ctx, { resource: library.resourceCode, ...(row.subject ? { subject: row.subject } : { key: String(row.id) }),
    purpose: input.purpose, caseId: `registry-entity:${row.id}` }, { system, actor: ctx.actor });
  return entityDetail(ctx.tx, row);
}

/** Moves records to `entityId`, remembering where each was; the entities touched get their golden records again. */
export async function moveRecords(tx: Tx, actor: Actor, input: { entityId: number; recordIds: number[]; action: 'merged' | 'split'; reason: string }, now: Date) {
  const { rows } = await tx.query<{ id: string; entity_id: string | null }>(
    'SELECT id, entity_id FROM registry_records WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [input.recordIds]);
  const before = Object.fromEntries(rows.map((r) => [r.id, r.entity_id === null ? null : Number(r.entity_id)]));
  await tx.query('UPDATE registry_records SET entity_id = $2 WHERE id = ANY($1::bigint[])', [input.recordIds, input.entityId]);
  const { rows: history } = await tx.query<{ id: string }>(
    `INSERT INTO registry_history (entity_id, action, before, detail, actor, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.entityId, input.action, JSON.stringify(before), JSON.stringify({ records: input.recordIds, reason: input.reason }), `${actor.kind}:${actor.id}`, now]);
  const touched = [...new Set([input.entityId, ...Object.values(before).filter((e): e is number => e !== null)])];
  await refreshGolden(tx, touched, now);
  await appendToLedger(tx, { actor, action: `registry.entity.${input.action}`, object: { type: 'registry-entity', id: input.entityId },
    payload: { historyId: Number(history[0]!.id), before, reason: input.reason } });
  return touched;
}

/** A new, empty entity of a library in a division, for a record split out. */
export async function newEntity(tx: Tx, library: Library, divisionCode: string, now: Date): Promise<number> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO registry_entities (library, division_code, updated_at) VALUES ($1, $2, $3) RETURNING id`, [library, divisionCode, now]);
  return Number(rows[0]!.id);
}

async function recordsOf(tx: Tx, ids: number[]) {
  return (await tx.query<{ id: number; entityId: number | null; divisionCode: string; library: Library }>(
    `SELECT id::int, entity_id::int AS "entityId", division_code AS "divisionCode", library FROM registry_records WHERE id = ANY($1::bigint[])`, [ids])).rows;
}

/** 合并: all records of entity `from` join entity `into` (both within the jurisdiction). */
export async function mergeEntities(ctx: Ctx, input: { into: number; from: number; reason: string }): Promise<Entity> {
  const into = await findEntityRow(ctx.tx, input.into);
  const from = await findEntityRow(ctx.tx, input.from);
  if (!into) throw notFound('registry.entity', input.into);
  if (!from) throw notFound('registry.entity', input.from);
  if (into.id === from.id || into.library !== from.library) throw new DomainError('registry.bad-merge', { field: 'from' }, 'two entities of one library');
  assertCovers(ctx.actor, registryActions.edit, [into.divisionCode, from.divisionCode]);
  const ids = (await ctx.tx.query<{ id: number }>('SELECT id::int FROM registry_records WHERE entity_id = $1', [from.id])).rows.map((r) => r.id);
  await moveRecords(ctx.tx, ctx.actor, { entityId: into.id, recordIds: ids, action: 'merged', reason: input.reason }, ctx.now);
  return entityDetail(ctx.tx, (await findEntityRow(ctx.tx, into.id))!);
}

/** 拆分: one record leaves its entity for a new one of its own. */
export async function splitRecord(ctx: Ctx, input: { recordId: number; reason: string }): Promise<Entity> {
  const [record] = await recordsOf(ctx.tx, [input.recordId]);
  if (!record || record.entityId === null) throw notFound('registry.record', input.recordId);
  const entity = (await findEntityRow(ctx.tx, record.entityId))!;
  assertCovers(ctx.actor, registryActions.edit, [entity.divisionCode, record.divisionCode]);
  const others = await ctx.tx.query('SELECT 1 FROM registry_records WHERE entity_id = $1 AND id <> $2 LIMIT 1', [entity.id, record.id]);
  if (!others.rowCount) throw new DomainError('registry.bad-split', { field: 'recordId' }, 'the record is alone in its entity');
  const id = await newEntity(ctx.tx, record.library, record.divisionCode, ctx.now);
  await moveRecords(ctx.tx, ctx.actor, { entityId: id, recordIds: [record.id], action: 'split', reason: input.reason }, ctx.now);
  return entityDetail(ctx.tx, (await findEntityRow(ctx.tx, id))!);
}

/** 撤销: a merge or split goes back: every record it moved returns to the entity it was in; answers with that entity. */
export async function undoChange(ctx: Ctx, input: { historyId: number }): Promise<Entity> {
  const { rows } = await ctx.tx.query<{ entityId: number; action: string; before: Record<string, number | null>; undoneAt: string | null }>(
    `SELECT entity_id::int AS "entityId", action, before, undone_at AS "undoneAt" FROM registry_history WHERE id = $1 FOR UPDATE`, [input.historyId]);
  const change = rows[0];
  if (!change) throw notFound('registry.history', input.historyId);
  if (!['merged', 'split'].includes(change.action) || change.undoneAt)
    throw new DomainError('registry.not-undoable', { status: 409, field: 'historyId' }, 'only a merge or split not undone yet');
  const entity = (await findEntityRow(ctx.tx, change.entityId))!;
  const back = Object.entries(change.before).map(([record, to]) => ({ record: Number(record), to }));
  // One after another: the transaction's connection runs one query at a time.
  const targets = [];
  for (const id of new Set(back.map((b) => b.to).filter((t): t is number => t !== null))) targets.push(await findEntityRow(ctx.tx, id));
  assertCovers(ctx.actor, registryActions.edit, [entity.divisionCode, ...targets.map((t) => t!.divisionCode)]);
  for (const b of back) await ctx.tx.query('UPDATE registry_records SET entity_id = $2 WHERE id = $1', [b.record, b.to]);
  await ctx.tx.query('UPDATE registry_history SET undone_at = $2 WHERE id = $1', [input.historyId, ctx.now]);
  await ctx.tx.query(`INSERT INTO registry_history (entity_id, action, detail, actor, at) VALUES ($1, 'undone', $2, $3, $4)`,
    [entity.id, JSON.stringify({ historyId: input.historyId, action: change.action }), `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  await refreshGolden(ctx.tx, [entity.id, ...targets.map((t) => t!.id)], ctx.now);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.entity.undone', object: { type: 'registry-entity', id: entity.id },
    payload: { historyId: input.historyId, restored: change.before } });
  // The entity the records went back to (a merge undone: the one they came from).
  return entityDetail(ctx.tx, (await findEntityRow(ctx.tx, targets[0]?.id ?? entity.id))!);
}
