/**
 * Loading data into a hub-held (table) resource: a full import from CSV or JSON (全量, replaces the rows)
 * and a push of changed rows by key (增量). Every row is checked against the fields' types and quality
 * rules; bad rows are reported with row number, field and reason, good rows are kept. Imports stream:
 * the CSV is parsed as it arrives and good rows go to PostgreSQL by COPY, so a million rows never sit
 * in memory. One transaction: a file that turns out unreadable half-way leaves nothing behind.
 */
import { parse } from 'csv-parse';
import type { Ctx } from '../kernel/auth/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import type { Queryable, Tx } from '../kernel/db/index.ts';
import { copyFromStdin, copyText } from './copy-in.ts';
import { findResource, type Resource } from './entries.ts';
import { assertProvider } from './policy.ts';
import { rowChecker, type CheckedRow } from './quality.ts';
import { systemOfActor } from './systems.ts';

export interface RowError {
  /** 1-based: the line in a CSV file (the header is row 1), the position in a JSON array. */
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface LoadReport {
  importId: number;
  code: string;
  source: 'csv' | 'json' | 'push';
  total: number;
  loaded: number;
  failed: number;
  /** The first errors (at most `maxReportedErrors`). */
  errors: RowError[];
  durationMs: number;
  qualityScore: number | null;
}

export const maxReportedErrors = 1000;
const CHUNK_BYTES = 256 * 1024;

async function lockTable(ctx: Ctx, code: string): Promise<Resource> {
  const resource = await findResource(ctx.tx, code, true);
  if (!resource) throw notFound('hub.resource', code);
  if (resource.kind !== 'table') throw new DomainError('hub.not-table', { field: 'code', status: 409 }, `${code} is an api resource`);
  return resource;
}

/** Checks rows one at a time and remembers what was wrong, with duplicate keys caught within the load. */
function rowSink(resource: Resource, checker: Awaited<ReturnType<typeof rowChecker>>) {
  const errors: RowError[] = [];
  const keys = new Set<string>();
  let total = 0;
  let failed = 0;
  return {
    errors, keys,
    get total() { return total; },
    get failed() { return failed; },
    /** The checked row with its subject and key when it is good; null (and reported) when not. */
    take(row: number, raw: Record<string, unknown>): { checked: CheckedRow; subject: string | null; key: string | null } | null {
      total++;
      const checked = checker.check(raw);
      const key = resource.keyField ? (checked.data[resource.keyField] ?? null) : null;
      if (key !== null && keys.has(String(key)))
        checked.problems.push({ field: resource.keyField!, reason: 'duplicate-key', message: `${resource.keyField} ${key} appears more than once` });
      if (checked.problems.length > 0) {
        failed++;
        for (const p of checked.problems) if (errors.length < maxReportedErrors) errors.push({ row, field: p.field, code: p.reason, message: p.message });
        return null;
      }
      if (key !== null) keys.add(String(key));
      const subject = resource.subjectField ? checked.data[resource.subjectField] ?? null : null;
      return { checked, subject: subject === null ? null : String(subject), key: key === null ? null : String(key) };
    },
  };
}

/** A CSV byte stream as records; refuses bytes that are not UTF-8 (a GBK export, typically). */
async function* csvRecords(body: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  const feed = (async () => {
    try {
      for await (const chunk of body) {
        let text: string;
        try {
          text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        } catch {
          throw new DomainError('hub.bad-encoding', { field: 'file', status: 415 }, 'the file is not UTF-8');
        }
        // A browser that read GBK bytes as UTF-8 sends replacement characters instead.
        if (text.includes('\uFFFD')) throw new DomainError('hub.bad-encoding', { field: 'file', status: 415 }, 'the file is not UTF-8');
        // PostgreSQL stores no U+0000, in text or in jsonb (a strict UTF-8 decoder lets no lone surrogate through).
        if (text.includes('\u0000')) throw new DomainError('invalid-text', { field: 'file' }, 'the file holds a NUL character');
        if (parser.destroyed) return;
        // Wait for the parser to catch up, or to be closed by a reader that stopped early.
        if (!parser.write(text)) await new Promise((resolve) => { parser.once('drain', resolve); parser.once('close', resolve); });
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('hub.bad-file', { field: 'file' }, (error as Error).message);
  } finally {
    parser.destroy();
  }
  await feed;
}

/** Column index of each field, from a header naming fields by code or by name; required columns must be there. */
function columnsOf(resource: Resource, header: string[]): Map<string, number> {
  const byLabel = new Map(resource.fields.flatMap((f) => [[f.code, f.code], [f.name, f.code]] as const));
  const columns = new Map<string, number>();
  header.forEach((label, i) => {
    const code = byLabel.get(label);
    if (code !== undefined && !columns.has(code)) columns.set(code, i);
  });
  const needed = resource.fields.filter((f) => f.rules.required || f.code === resource.keyField || f.code === resource.subjectField);
  const missing = needed.filter((f) => !columns.has(f.code)).map((f) => f.code);
  if (missing.length > 0) throw new DomainError('hub.missing-columns', { field: 'file', missing }, `missing columns: ${missing.join(', ')}`);
  return columns;
}

export interface ImportRows {
  code: string;
  format: 'csv' | 'json';
  /** CSV bytes (streamed) or, for JSON, the array of records. */
  body: AsyncIterable<Buffer | string> | Record<string, unknown>[];
}

/** Rows of the input as (row number, record) pairs. */
async function* recordsOf(resource: Resource, input: ImportRows): AsyncGenerator<[number, Record<string, unknown>]> {
  if (Array.isArray(input.body)) {
    for (const [i, record] of input.body.entries()) yield [i + 1, record];
    return;
  }
  let columns: Map<string, number> | null = null;
  let row = 0;
  for await (const record of csvRecords(input.body)) {
    row++;
    if (columns === null) { columns = columnsOf(resource, record); continue; }
    const raw: Record<string, unknown> = {};
    for (const [code, i] of columns) raw[code] = record[i];
    yield [row, raw];
  }
  if (columns === null) throw new DomainError('hub.bad-file', { field: 'file' }, 'the file is empty');
}

async function recordLoad(ctx: Ctx, resource: Resource, source: LoadReport['source'], sink: ReturnType<typeof rowSink>, started: number,
  rowCount: number, qualityScore: number | null): Promise<LoadReport> {
  const durationMs = Math.round(performance.now() - started);
  const loaded = sink.total - sink.failed;
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_imports (resource_id, source, actor, at, rows_total, rows_loaded, rows_failed, errors, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [resource.id, source, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now, sink.total, loaded, sink.failed, JSON.stringify(sink.errors), durationMs]);
  await ctx.tx.query(`UPDATE hub_resources SET row_count = $2, quality_score = coalesce($3, quality_score),
      quality_checked_at = CASE WHEN $3::numeric IS NULL THEN quality_checked_at ELSE $4 END WHERE id = $1`,
    [resource.id, rowCount, qualityScore, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: source === 'push' ? 'hub.rows.pushed' : 'hub.rows.imported',
    object: { type: 'hub-resource', id: resource.code }, payload: { importId: rows[0]!.id, total: sink.total, loaded, failed: sink.failed } });
  return { importId: rows[0]!.id, code: resource.code, source, total: sink.total, loaded, failed: sink.failed, errors: sink.errors, durationMs,
    qualityScore };
}

/**
 * 数据导入 (全量): replaces the rows of a table resource with the good rows of the file. Its quality score
 * becomes loaded / total, since every stored row passed the rules a moment ago.
 */
export async function importRows(ctx: Ctx, input: ImportRows): Promise<LoadReport> {
  const started = performance.now();
  const resource = await lockTable(ctx, input.code);
  await assertProvider(ctx.tx, ctx.actor, resource.providerDepartmentId);
  const sink = rowSink(resource, await rowChecker(ctx.tx, resource, ctx.now));
  await ctx.tx.query('DELETE FROM hub_rows WHERE resource_id = $1', [resource.id]);
  const copy = await copyFromStdin(ctx.tx, 'COPY hub_rows (resource_id, subject, key, data, loaded_at) FROM STDIN');
  const prefix = `${resource.id}\t`;
  const suffix = `\t${copyText(ctx.now.toISOString())}\n`;
  let buffer = '';
  try {
    for await (const [row, raw] of recordsOf(resource, input)) {
      const good = sink.take(row, raw);
      if (!good) continue;
      buffer += prefix + copyText(good.subject) + '\t' + copyText(good.key) + '\t' + copyText(JSON.stringify(good.checked.data)) + suffix;
      if (buffer.length >= CHUNK_BYTES) { await copy.write(Buffer.from(buffer)); buffer = ''; }
    }
  } catch (error) {
    await copy.abort('import failed');
    throw error;
  }
  if (buffer) await copy.write(Buffer.from(buffer));
  const loaded = await copy.end();
  return recordLoad(ctx, resource, input.format, sink, started, loaded, sink.total === 0 ? null : loaded / sink.total);
}

/** A push comes from the provider's own system (its API token) or from a registering officer of the provider. */
async function assertPusher(tx: Tx, ctx: Ctx, resource: Resource): Promise<void> {
  const system = await systemOfActor(tx, ctx.actor);
  if (system?.departmentId === resource.providerDepartmentId) return;
  await assertProvider(tx, ctx.actor, resource.providerDepartmentId);
}

/** 数据推送 (增量): rows replace the stored rows of the same key (or are added, for a resource without key). */
export async function pushRows(ctx: Ctx, input: { code: string; rows: Record<string, unknown>[] }): Promise<LoadReport> {
  const started = performance.now();
  const resource = await lockTable(ctx, input.code);
  await assertPusher(ctx.tx, ctx, resource);
  const sink = rowSink(resource, await rowChecker(ctx.tx, resource, ctx.now));
  const good = input.rows.map((raw, i) => sink.take(i + 1, raw)).filter((x) => x !== null);
  const keys = good.map((g) => g.key).filter((k) => k !== null);
  if (keys.length > 0) await ctx.tx.query('DELETE FROM hub_rows WHERE resource_id = $1 AND key = ANY($2::text[])', [resource.id, keys]);
  await ctx.tx.query(
    `INSERT INTO hub_rows (resource_id, subject, key, data, loaded_at) SELECT $1, * , $5 FROM unnest($2::text[], $3::text[], $4::jsonb[])`,
    [resource.id, good.map((g) => g.subject), good.map((g) => g.key), good.map((g) => JSON.stringify(g.checked.data)), ctx.now]);
  const { rows } = await ctx.tx.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_rows WHERE resource_id = $1', [resource.id]);
  return recordLoad(ctx, resource, 'push', sink, started, rows[0]!.n, null);
}

/** The last loads of a resource, newest first, with their reports. */
export async function listLoads(db: Queryable, resourceId: number, limit = 20) {
  const { rows } = await db.query<{ id: number; source: string; actor: string; at: string; total: number; loaded: number; failed: number;
    errors: RowError[]; durationMs: number }>(
    `SELECT id, source, actor, to_json(at) #>> '{}' AS at, rows_total AS total, rows_loaded AS loaded, rows_failed AS failed, errors,
            duration_ms AS "durationMs" FROM hub_imports WHERE resource_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, [resourceId, limit]);
  return rows;
}
