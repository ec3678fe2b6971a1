/**
 * 数据质量: each field's type and rules (required, pattern, range, resident-ID / credit-code check,
 * reference to another resource's keys) decide whether a value is acceptable. Imports and pushes keep
 * only rows that pass; the quality score of a resource is the share of the rows offered to it that pass
 * every rule now (rules and referenced data change after a load, so it is recomputed on demand).
 */
import type { Ctx } from '../kernel/auth/index.ts';
import { checkCreditCode, checkResidentId } from '../kernel/checks/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findResource, type Field, type Resource } from './entries.ts';
import { assertProvider } from './policy.ts';

export interface RowProblem {
  field: string;
  reason: 'required' | 'type' | 'length' | 'pattern' | 'range' | 'check' | 'reference' | 'duplicate-key';
  message: string;
}

export interface CheckedRow {
  data: Record<string, string | number | boolean | null>;
  problems: RowProblem[];
}

type Value = string | number | boolean | null;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** A real calendar day written YYYY-MM-DD (2023-02-29 is not). Arithmetic, since imports check millions. */
function isDay(text: string): boolean {
  if (text.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  return month !== 2 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, '是': true, '否': false, y: true, n: false };

/** A raw value (text from CSV, anything from JSON) as the field's type, or a problem. */
// No closures on the per-value path: the dev loader wraps each one created, which costs more than the checks.
function problemOf(field: Field, reason: RowProblem['reason'], message: string): { problem: RowProblem } {
  return { problem: { field: field.code, reason, message } };
}

function typed(field: Field, raw: unknown): { value: Value } | { problem: RowProblem } {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  if (typeof raw === 'object') return problemOf(field, 'type', `${field.code} must be a ${field.type}, not an object`);
  const text = String(raw).trim();
  switch (field.type) {
    case 'string':
      if (field.length !== null && [...text].length > field.length) return problemOf(field, 'length', `${field.code} is longer than ${field.length}`);
      return { value: text };
    case 'integer':
      return /^-?\d{1,15}$/.test(text) ? { value: Number(text) } : problemOf(field, 'type', `${field.code} must be a whole number, not "${text}"`);
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? { value: Number(text) } : problemOf(field, 'type', `${field.code} must be a number, not "${text}"`);
    case 'date':
      return isDay(text) ? { value: text } : problemOf(field, 'type', `${field.code} must be a date YYYY-MM-DD, not "${text}"`);
    case 'boolean': {
      const value = BOOLEANS[text.toLowerCase()];
      return value === undefined ? problemOf(field, 'type', `${field.code} must be true or false, not "${text}"`) : { value };
    }
  }
}

/** Checks rows of one resource; references are loaded once, so build one per load. */
export interface RowChecker {
  check(raw: Record<string, unknown>): CheckedRow;
}

/** Keys of another resource's rows, for `reference` rules (missing resource: nothing matches). */
async function referenceKeys(db: Queryable, code: string): Promise<Set<string>> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT DISTINCT h.key FROM hub_rows h JOIN hub_resources r ON r.id = h.resource_id WHERE r.code = $1 AND h.key IS NOT NULL`, [code]);
  return new Set(rows.map((r) => r.key));
}

export async function rowChecker(db: Queryable, resource: Pick<Resource, 'fields'>, now = new Date()): Promise<RowChecker> {
  const patterns = new Map(resource.fields.filter((f) => f.rules.pattern).map((f) => [f.code, new RegExp(f.rules.pattern!, 'u')]));
  const references = new Map<string, Set<string>>();
  for (const f of resource.fields) if (f.rules.reference) references.set(f.code, await referenceKeys(db, f.rules.reference));
  return {
    check(raw) {
      const data: CheckedRow['data'] = {};
      const problems: RowProblem[] = [];
      for (const field of resource.fields) {
        const result = typed(field, raw[field.code]);
        if ('problem' in result) { problems.push(result.problem); continue; }
        const value = result.value;
        data[field.code] = value;
        const rules = field.rules;
        if (value === null) {
          if (rules.required) problems.push(problemOf(field, 'required', `${field.code} is required`).problem);
          continue;
        }
        const text = String(value);
        if (patterns.has(field.code) && !patterns.get(field.code)!.test(text)) problems.push(problemOf(field, 'pattern', `${field.code} does not match ${rules.pattern}`).problem);
        if (typeof value === 'number' && ((rules.min !== undefined && value < rules.min) || (rules.max !== undefined && value > rules.max)))
          problems.push(problemOf(field, 'range', `${field.code} must be between ${rules.min ?? '-∞'} and ${rules.max ?? '∞'}`).problem);
        if (rules.check) {
          const checked = rules.check === 'resident-id' ? checkResidentId(text, now) : checkCreditCode(text);
          if (!checked.ok) problems.push(problemOf(field, 'check', checked.message).problem);
          else data[field.code] = checked.value;
        }
        if (references.has(field.code) && !references.get(field.code)!.has(text))
          problems.push(problemOf(field, 'reference', `${field.code} ${text} is not a key of ${rules.reference}`).problem);
      }
      return { data, problems };
    },
  };
}

export interface QualityScore {
  code: string;
  score: number | null;
  rowsChecked: number;
  rowsPassing: number;
  rowsRejected: number;
  /** Failing rows per field and reason, e.g. { "id_number/check": 3 }. */
  failures: Record<string, number>;
  checkedAt: string;
}

const BATCH = 10_000;

/**
 * 质量评分: re-checks every stored row against the current rules, in batches, and stores
 * passing / (stored + rejected by the last load).
 */
export async function scoreQuality(ctx: Ctx, input: { code: string }): Promise<QualityScore> {
  const resource = await findResource(ctx.tx, input.code, true);
  if (!resource) throw notFound('hub.resource', input.code);
  await assertProvider(ctx.tx, ctx.actor, resource.providerDepartmentId);
  const checker = await rowChecker(ctx.tx, resource, ctx.now);
  let after = 0;
  let checked = 0;
  let passing = 0;
  const failures: Record<string, number> = {};
  for (;;) {
    const { rows } = await ctx.tx.query<{ row_id: number; data: Record<string, unknown> }>(
      'SELECT row_id, data FROM hub_rows WHERE resource_id = $1 AND row_id > $2 ORDER BY row_id LIMIT $3', [resource.id, after, BATCH]);
    for (const row of rows) {
      const { problems } = checker.check(row.data);
      checked++;
      if (problems.length === 0) passing++;
      for (const p of problems) failures[`${p.field}/${p.reason}`] = (failures[`${p.field}/${p.reason}`] ?? 0) + 1;
    }
    if (rows.length < BATCH) break;
    after = rows.at(-1)!.row_id;
  }
  const rejected = await lastRejected(ctx.tx, resource.id);
  const offered = checked + rejected;
  const score = offered === 0 ? null : passing / offered;
  await ctx.tx.query('UPDATE hub_resources SET quality_score = $2, quality_checked_at = $3, row_count = $4 WHERE id = $1',
    [resource.id, score, ctx.now, checked]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.quality.scored', object: { type: 'hub-resource', id: resource.code },
    payload: { score, checked, passing, rejected } });
  return { code: resource.code, score, rowsChecked: checked, rowsPassing: passing, rowsRejected: rejected, failures, checkedAt: ctx.now.toISOString() };
}

/** Rows the last full load (import) rejected: they count against the score until the next load. */
export async function lastRejected(db: Queryable, resourceId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT rows_failed AS n FROM hub_imports WHERE resource_id = $1 AND source <> 'push' ORDER BY at DESC, id DESC LIMIT 1`, [resourceId]);
  return rows[0]?.n ?? 0;
}
