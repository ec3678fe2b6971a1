/**
 * 人工复核: pairs the model is unsure of (the uncertain band) wait for a data officer, the two records side by
 * side with the weight of each field. A decision is kept on the pair (the next training holds it fixed), moves
 * the records together (match) or apart (non-match) as a reversible merge or split, and is on the ledger. Only
 * pairs whose two records both lie in the reviewer's jurisdiction may be decided.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { moveRecords, newEntity, pairColumns, type PairView } from './entities.ts';
import type { Library } from './libraries.ts';
import { assertCovers, registryActions, registryScope } from './policy.ts';

export interface SideRecord {
  id: number;
  entityId: number | null;
  sourceName: string;
  providerName: string;
  raw: Record<string, string | null>;
  findings: { field: string; code: string; message: string }[];
  divisionCode: string;
}

export interface ReviewPair extends PairView {
  left: SideRecord;
  right: SideRecord;
}

const sideSelect = `SELECT r.id::int, r.entity_id::int AS "entityId", s.resource_name AS "sourceName", d.name AS "providerName", r.raw, r.findings,
    r.division_code AS "divisionCode"
  FROM registry_records r JOIN registry_sources s ON s.id = r.source_id JOIN departments d ON d.id = s.provider_department_id`;

async function withSides(db: Queryable, pairs: PairView[]): Promise<ReviewPair[]> {
  const ids = pairs.flatMap((p) => [p.leftId, p.rightId]);
  const { rows } = await db.query<SideRecord>(`${sideSelect} WHERE r.id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return pairs.map((p) => ({ ...p, left: byId.get(p.leftId)!, right: byId.get(p.rightId)! }));
}

/** 复核队列: undecided pairs of the uncertain band whose two records are both in the jurisdiction, the closest calls first. */
export async function reviewQueue(db: Queryable, actor: Actor, query: { library: Library; limit?: number }): Promise<{ total: number; items: ReviewPair[] }> {
  assertCan(actor, registryActions.review);
  const params: unknown[] = [query.library];
  const where = [`p.library = $1`, `p.band = 'review'`, 'p.decision IS NULL', registryScope(actor, 'l.division_code', params), registryScope(actor, 'r.division_code', params)];
  const from = `registry_pairs p JOIN registry_records l ON l.id = p.left_id JOIN registry_records r ON r.id = p.right_id WHERE ${where.join(' AND ')}`;
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`, params)).rows[0]!.n;
  params.push(query.limit ?? 20);
  const pairs = (await db.query<PairView>(`SELECT ${pairColumns} FROM ${from} ORDER BY abs(p.probability - 0.5), p.id LIMIT $${params.length}`, params)).rows;
  return { total, items: await withSides(db, pairs) };
}

/** One pair with its two records, for the waterfall. */
export async function readPair(db: Queryable, actor: Actor, id: number): Promise<ReviewPair> {
  const pair = (await db.query<PairView>(`SELECT ${pairColumns} FROM registry_pairs p WHERE p.id = $1`, [id])).rows[0];
  if (!pair) throw notFound('registry.pair', id);
  const [full] = await withSides(db, [pair]);
  assertCovers(actor, registryActions.read, [full!.left.divisionCode, full!.right.divisionCode]);
  return full!;
}

/** 复核决定: same entity or not; the records move accordingly (reversibly) and the decision feeds the next training. */
export async function decidePair(ctx: Ctx, input: { pairId: number; decision: 'match' | 'non-match'; note?: string }): Promise<ReviewPair> {
  const { rows } = await ctx.tx.query<PairView & { library: Library }>(`SELECT ${pairColumns}, p.library FROM registry_pairs p WHERE p.id = $1 FOR UPDATE`, [input.pairId]);
  const pair = rows[0];
  if (!pair) throw notFound('registry.pair', input.pairId);
  const [sides] = await withSides(ctx.tx, [pair]);
  assertCovers(ctx.actor, registryActions.review, [sides!.left.divisionCode, sides!.right.divisionCode]);
  if (pair.decision !== null) throw new DomainError('registry.pair-decided', { status: 409, decision: pair.decision }, 'the pair is decided');
  await ctx.tx.query('UPDATE registry_pairs SET decision = $2, decided_by = $3, decided_at = $4 WHERE id = $1',
    [pair.id, input.decision, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.pair.decided', object: { type: 'registry-pair', id: pair.id },
    payload: { decision: input.decision, note: input.note ?? null, weight: pair.weight, probability: pair.probability } });
  const { left, right } = sides!;
  const reason = `复核：${input.decision === 'match' ? '同一' : '不同'}${input.note ? `（${input.note}）` : ''}`;
  if (input.decision === 'match' && left.entityId !== right.entityId) {
    const into = left.entityId ?? await newEntity(ctx.tx, pair.library, left.divisionCode, ctx.now);
    const moving = right.entityId === null ? [right.id]
      : (await ctx.tx.query<{ id: number }>('SELECT id::int FROM registry_records WHERE entity_id = $1', [right.entityId])).rows.map((r) => r.id);
    await moveRecords(ctx.tx, ctx.actor, { entityId: into, recordIds: left.entityId === null ? [left.id, ...moving] : moving, action: 'merged', reason }, ctx.now);
  }
  if (input.decision === 'non-match' && left.entityId !== null && left.entityId === right.entityId) {
    const apart = await newEntity(ctx.tx, pair.library, right.divisionCode, ctx.now);
    await moveRecords(ctx.tx, ctx.actor, { entityId: apart, recordIds: [right.id], action: 'split', reason }, ctx.now);
  }
  return (await withSides(ctx.tx, [(await ctx.tx.query<PairView>(`SELECT ${pairColumns} FROM registry_pairs p WHERE p.id = $1`, [pair.id])).rows[0]!]))[0]!;
}
