/**
 * 加载: one incremental run of a source, in stages: read (new and changed rows from the hub gateway, batch by
 * batch, the cursor committed with each batch), clean, match, cluster, golden. Each stage commits before the
 * next starts and the load remembers the next stage, so a run that crashed is resumed where it stopped: a
 * finished stage is never redone. The load's counts are its progress line.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { withConnection, withTransaction, type Db, type Queryable, type Tx } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findSystem, readResourceChanges } from '../hub/index.ts';
import { registryActions, registryScope } from './policy.ts';
import { countLoad } from './progress.ts';
import { cleanLoad, clusterLoad, goldenLoad, matchLoad } from './resolve.ts';
import { findLibrary, findSource, type Source } from './sources.ts';

export const stages = ['read', 'clean', 'match', 'cluster', 'golden', 'done'] as const;
export type Stage = (typeof stages)[number];

export interface Load {
  id: number;
  sourceId: number;
  state: 'running' | 'done' | 'failed';
  stage: Stage;
  counts: Record<string, number>;
  cursorFrom: number;
  cursorTo: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const loadSelect = `SELECT id::int, source_id::int AS "sourceId", state, stage, counts, cursor_from::int AS "cursorFrom", cursor_to::int AS "cursorTo", error,
    to_json(started_at) #>> '{}' AS "startedAt", to_json(finished_at) #>> '{}' AS "finishedAt" FROM registry_loads`;

export async function findLoad(db: Queryable, id: number): Promise<Load | null> {
  return (await db.query<Load>(`${loadSelect} WHERE id = $1`, [id])).rows[0] ?? null;
}

/** A load as its source's jurisdiction allows the actor to see it. */
export async function readLoad(db: Queryable, actor: Actor, id: number): Promise<Load> {
  const load = await findLoad(db, id);
  const source = load && await findSource(db, load.sourceId);
  if (!load || !source) throw notFound('registry.load', id);
  assertCan(actor, registryActions.read, source);
  return load;
}

/** The last loads of a source, newest first (their counts are the trend per load). */
export async function listLoads(db: Queryable, actor: Actor, sourceId: number): Promise<Load[]> {
  const source = await findSource(db, sourceId);
  if (!source) throw notFound('registry.source', sourceId);
  assertCan(actor, registryActions.read, source);
  return (await db.query<Load>(`${loadSelect} WHERE source_id = $1 ORDER BY id DESC LIMIT 30`, [sourceId])).rows;
}

/** 启动加载: a data officer starts an incremental load of a source; one load of a source runs at a time. */
export async function startLoad(ctx: Ctx, input: { sourceId: number }): Promise<Load> {
  const { rows } = await ctx.tx.query<{ id: string }>('SELECT id FROM registry_sources WHERE id = $1 FOR UPDATE', [input.sourceId]);
  const source = rows[0] && await findSource(ctx.tx, input.sourceId);
  if (!source) throw notFound('registry.source', input.sourceId);
  assertCan(ctx.actor, registryActions.manageSources, source);
  const running = await ctx.tx.query(`SELECT 1 FROM registry_loads WHERE source_id = $1 AND state = 'running'`, [source.id]);
  if (running.rowCount) throw new DomainError('registry.load-running', { status: 409, field: 'sourceId' }, 'a load of this source is running');
  const { rows: created } = await ctx.tx.query<{ id: string }>(
    `INSERT INTO registry_loads (source_id, state, stage, cursor_from, started_by, started_at, heartbeat_at)
     VALUES ($1, 'running', 'read', $2, $3, $4, $4) RETURNING id`, [source.id, source.cursor, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  const id = Number(created[0]!.id);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.load.started', object: { type: 'registry-load', id },
    payload: { sourceId: source.id, resource: source.resourceCode, cursor: source.cursor } });
  return (await findLoad(ctx.tx, id))!;
}

const loader = systemActor('registry');
const readBatch = 1_000;

/** Library field values of a hub row, as text (a missing value is null). */
function mapRow(source: Source, data: Record<string, unknown>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(source.mapping).map(([target, from]) => {
    const value = data[from];
    return [target, value === null || value === undefined || value === '' ? null : String(value)];
  }));
}

/** Stage read: one batch of changed rows through the gateway (one evidence record), stored as raw records; true when more may follow. */
async function readStep(tx: Tx, load: Load, source: Source, now: Date): Promise<boolean> {
  const library = (await findLibrary(tx, source.library))!;
  const system = await findSystem(tx, library.systemId);
  const cursor = load.cursorTo ?? load.cursorFrom;
  const ctx: Ctx = { tx, actor: loader, now };
  const answer = await readResourceChanges(ctx, { resource: source.resourceCode, after: cursor, limit: readBatch,
    purpose: '基础库汇聚：读取新增和变更的记录', caseId: `registry-load:${load.id}` }, { system: system!, actor: loader });
  const rows = answer.rows;
  if (rows.length > 0) {
    const keyOf = (r: (typeof rows)[number]) => r.key ?? (source.keyField && r.data[source.keyField] != null ? String(r.data[source.keyField]) : `row-${r.rowId}`);
    // The same key twice in a batch: the later row is the current one.
    const latest = new Map(rows.map((r) => [keyOf(r), r]));
    await tx.query(
      `INSERT INTO registry_records (library, source_id, source_key, raw, division_code, load_id, changed_at)
       SELECT $1, $2, k, r, $5, $6, $7 FROM unnest($3::text[], $4::jsonb[]) AS u (k, r)
       ON CONFLICT (source_id, source_key) DO UPDATE SET raw = EXCLUDED.raw, clean = NULL, findings = '[]', load_id = EXCLUDED.load_id,
         changed_at = EXCLUDED.changed_at`,
      [source.library, source.id, [...latest.keys()], [...latest.values()].map((r) => JSON.stringify(mapRow(source, r.data))), source.divisionCode, load.id, now]);
    const last = rows.at(-1)!.rowId;
    await tx.query('UPDATE registry_loads SET cursor_to = $2 WHERE id = $1', [load.id, last]);
    await tx.query('UPDATE registry_sources SET cursor = $2 WHERE id = $1', [source.id, last]);
    await countLoad(tx, load.id, { read: rows.length }, now);
  }
  return rows.length === readBatch;
}

/** Runs one step of the load's current stage on `tx`; a stage that has nothing more to do moves the load to the next. */
async function step(tx: Tx, loadId: number, at: Date): Promise<Load> {
  const load = (await tx.query<Load>(`${loadSelect} WHERE id = $1 FOR UPDATE`, [loadId])).rows[0]!;
  const source = (await findSource(tx, load.sourceId))!;
  let more: boolean;
  switch (load.stage) {
    case 'read': more = await readStep(tx, load, source, at); break;
    case 'clean': more = await cleanLoad(tx, load.id, source, at); break;
    case 'match': more = await matchLoad(tx, load.id, source, at); break;
    case 'cluster': more = await clusterLoad(tx, load.id, source, at); break;
    case 'golden': more = await goldenLoad(tx, load.id, source, at); break;
    default: return load;
  }
  if (!more) {
    const next = stages[stages.indexOf(load.stage) + 1]!;
    await tx.query(`UPDATE registry_loads SET stage = $2, heartbeat_at = $3, state = CASE WHEN $2 = 'done' THEN 'done' ELSE state END,
      finished_at = CASE WHEN $2 = 'done' THEN $3 ELSE finished_at END WHERE id = $1`, [load.id, next, at]);
    if (next === 'done') await appendToLedger(tx, { actor: loader, action: 'registry.load.finished', object: { type: 'registry-load', id: load.id },
      payload: { sourceId: source.id, counts: (await findLoad(tx, load.id))!.counts } });
  }
  return (await findLoad(tx, load.id))!;
}

/** Runs a load to its end within one transaction (the demo, a command that wants all or nothing). */
export async function runLoadOn(tx: Tx, loadId: number, now: Date): Promise<Load> {
  let load = (await findLoad(tx, loadId))!;
  while (load.state === 'running') load = await step(tx, loadId, now);
  return load;
}

/**
 * Runs a load to its end, step by step, each step its own transaction. A session advisory lock per load keeps
 * two runners (a request's and the resume sweep's, or two processes) off the same load. A failure marks the
 * load failed with the error; what committed before stays.
 */
export async function runLoad(db: Db, loadId: number, now: () => Date = () => new Date()): Promise<Load | null> {
  return withConnection(db, async (lock) => {
    const { rows } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext('registry.load'), $1) AS locked`, [loadId]);
    if (!rows[0]!.locked) return null;
    try {
      let load = (await findLoad(db, loadId))!;
      while (load.state === 'running') {
        try {
          load = await withTransaction(db, (tx) => step(tx, loadId, now()));
        } catch (error) {
          await db.query(`UPDATE registry_loads SET state = 'failed', error = $2, finished_at = $3 WHERE id = $1`, [loadId, String(error), now()]);
          throw error;
        }
      }
      return load;
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext('registry.load'), $1)`, [loadId]);
    }
  });
}

/** The resume sweep: running loads with no sign of life for a minute (their process died) run on from their stage. */
export async function resumeLoads(db: Db, now: Date): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM registry_loads WHERE state = 'running' AND heartbeat_at < $1 ORDER BY id`, [new Date(now.getTime() - 60_000)]);
  let resumed = 0;
  // A load that fails again is marked failed with its error by runLoad; the sweep goes on with the others.
  for (const { id } of rows) if (await runLoad(db, Number(id)).catch(() => null)) resumed++;
  return resumed;
}

/** Loads of the sources in the actor's jurisdiction, newest first, for the sources page. */
export async function recentLoads(db: Queryable, actor: Actor): Promise<Load[]> {
  assertCan(actor, registryActions.read);
  const params: unknown[] = [];
  const within = registryScope(actor, 's.division_code', params);
  return (await db.query<Load>(`SELECT l.id::int, l.source_id::int AS "sourceId", l.state, l.stage, l.counts, l.cursor_from::int AS "cursorFrom",
      l.cursor_to::int AS "cursorTo", l.error, to_json(l.started_at) #>> '{}' AS "startedAt", to_json(l.finished_at) #>> '{}' AS "finishedAt"
    FROM registry_loads l JOIN registry_sources s ON s.id = l.source_id WHERE ${within} ORDER BY l.id DESC LIMIT 50`, params)).rows;
}
