/**
 * Reading a resource's rows: from the hub's own table for a table resource, from the provider's HTTP API
 * for an api resource (called with the resource's timeout, its JSON answer mapped to field codes).
 * The caller (the gateway) decides who may read; this only fetches.
 */
import { prepared, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { prefixPattern } from '../kernel/like.ts';
import type { ApiMapping, Resource } from './entries.ts';

export interface RowCondition {
  field: string;
  op: 'eq' | 'in' | 'prefix';
  value: string | string[];
}
/** Conditions that all hold (e.g. `division_code prefix 511602`: only rows of a county). */
export type RowFilter = RowCondition[];

export interface ReadRows {
  subject?: string;
  key?: string;
  filter?: RowFilter;
  limit: number;
}

const fieldOfFilter = (resource: Resource, condition: RowCondition, i: number) => {
  if (!resource.fields.some((f) => f.code === condition.field))
    throw new DomainError('hub.unknown-field', { field: `filter.${i}.field` }, `${condition.field} is not a field of ${resource.code}`);
  return condition.field;
};

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** A SQL condition over `data` for one filter condition; values go in as parameters. */
function sqlCondition(resource: Resource, condition: RowCondition, i: number, params: unknown[]): string {
  params.push(fieldOfFilter(resource, condition, i));
  const column = `data ->> $${params.length}`;
  switch (condition.op) {
    case 'eq':
      params.push(String(condition.value));
      return `${column} = $${params.length}`;
    case 'in':
      params.push(asList(condition.value));
      return `${column} = ANY($${params.length}::text[])`;
    case 'prefix':
      params.push(prefixPattern(String(condition.value)));
      return `${column} LIKE $${params.length}`;
  }
}

function matches(row: Record<string, unknown>, condition: RowCondition): boolean {
  const value = row[condition.field] === undefined || row[condition.field] === null ? null : String(row[condition.field]);
  if (value === null) return false;
  switch (condition.op) {
    case 'eq': return value === String(condition.value);
    case 'in': return asList(condition.value).includes(value);
    case 'prefix': return value.startsWith(String(condition.value));
  }
}

// Lookups run as prepared statements: their shapes are few (they differ only by the row filter's conditions).
/** Rows of a resource by subject and/or key, within the filter, at most `limit`, as field code → value. */
export async function readRows(db: Queryable, resource: Resource, query: ReadRows): Promise<Record<string, unknown>[]> {
  const filter = query.filter ?? [];
  if (resource.kind === 'api') {
    filter.forEach((c, i) => fieldOfFilter(resource, c, i));
    const rows = await callApi(resource, query);
    return rows.filter((row) => filter.every((c) => matches(row, c))).slice(0, query.limit);
  }
  const params: unknown[] = [resource.id];
  const where = ['resource_id = $1'];
  if (query.subject !== undefined) { params.push(query.subject); where.push(`subject = $${params.length}`); }
  if (query.key !== undefined) { params.push(query.key); where.push(`key = $${params.length}`); }
  filter.forEach((c, i) => where.push(sqlCondition(resource, c, i, params)));
  params.push(query.limit);
  const { rows } = await db.query<{ data: Record<string, unknown> }>(
    prepared(`SELECT data FROM hub_rows WHERE ${where.join(' AND ')} ORDER BY row_id LIMIT $${params.length}`, params));
  return rows.map((r) => r.data);
}

export interface ReadRowsOf {
  by: 'subject' | 'key';
  values: string[];
  filter?: RowFilter;
  /** At most this many rows per value. */
  limit: number;
}

/**
 * Rows of a resource for many subjects (or keys) at once, within one filter: the same rows, in the same
 * order, as `readRows` gives for each value alone, from one query for a table resource.
 */
export async function readRowsOf(db: Queryable, resource: Resource, query: ReadRowsOf): Promise<Map<string, Record<string, unknown>[]>> {
  const values = [...new Set(query.values)];
  if (resource.kind === 'api')
    return new Map(await Promise.all(values.map(async (value) => [value, await readRows(db, resource, { [query.by]: value, filter: query.filter, limit: query.limit })] as const)));
  const params: unknown[] = [resource.id, values, query.limit];
  const where = ['resource_id = $1', `${query.by === 'subject' ? 'subject' : 'key'} = v.value`];
  (query.filter ?? []).forEach((c, i) => where.push(sqlCondition(resource, c, i, params)));
  const { rows } = await db.query<{ value: string; data: Record<string, unknown> }>(prepared(
    `SELECT v.value, r.data FROM unnest($2::text[]) AS v (value)
       CROSS JOIN LATERAL (SELECT row_id, data FROM hub_rows WHERE ${where.join(' AND ')} ORDER BY row_id LIMIT $3) r
      ORDER BY v.value, r.row_id`, params));
  const found = new Map<string, Record<string, unknown>[]>(values.map((value) => [value, []]));
  for (const row of rows) found.get(row.value)!.push(row.data);
  return found;
}

/**
 * The value at a path like `$.data.items[0].name` (the dotted subset of JSONPath that response mappings
 * use); undefined when the path leads nowhere.
 */
export function valueAtPath(document: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  let node: unknown = document;
  for (const [, name, index] of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = name !== undefined ? (Object.hasOwn(node, name) ? (node as Record<string, unknown>)[name] : undefined) : (node as unknown[])[Number(index)];
  }
  return node;
}

/** Checks a mapping path when an entry is written: `$`, then `.name` or `[n]` steps. */
export const isMappingPath = (path: string) => /^\$(\.[^.[\]]+|\[\d+\])*$/.test(path);

function mapRecords(mapping: ApiMapping, body: unknown): Record<string, unknown>[] {
  const root = valueAtPath(body, mapping.root);
  const records = Array.isArray(root) ? root : root === undefined || root === null ? [] : [root];
  return records.map((record) => Object.fromEntries(Object.entries(mapping.fields).map(([code, path]) => [code, valueAtPath(record, path) ?? null])));
}

/** GETs the provider's API with `subject` and `key` as query parameters; 504 on timeout, 502 on any other failure. */
async function callApi(resource: Resource, query: ReadRows): Promise<Record<string, unknown>[]> {
  const url = new URL(resource.apiUrl!);
  if (query.subject !== undefined) url.searchParams.set('subject', query.subject);
  if (query.key !== undefined) url.searchParams.set('key', query.key);
  const timeout = resource.apiTimeoutMs ?? 3000;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json' }, redirect: 'error' });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      throw new DomainError('hub.upstream-timeout', { status: 504, resource: resource.code }, `${resource.code} did not answer within ${timeout} ms`);
    throw new DomainError('hub.upstream-failed', { status: 502, resource: resource.code }, `${resource.code} could not be reached`);
  }
  if (response.status === 404) return [];
  if (!response.ok) throw new DomainError('hub.upstream-failed', { status: 502, resource: resource.code, upstreamStatus: response.status },
    `${resource.code} answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new DomainError('hub.upstream-failed', { status: 502, resource: resource.code }, `${resource.code} answered with something other than JSON`);
  }
  return mapRecords(resource.apiMapping!, body);
}

/**
 * Rows of a table resource added or replaced after `after` (a row id: a push replaces a row with a new one),
 * within the filter, oldest first, at most `limit`: what an incremental reader has not seen yet.
 */
export async function readRowsAfter(db: Queryable, resource: Resource, query: { after: number; filter?: RowFilter; limit: number }) {
  if (resource.kind !== 'table')
    throw new DomainError('hub.bulk.not-supported', { status: 409, field: 'resource' }, `${resource.code} is not held by the hub`);
  const params: unknown[] = [resource.id, query.after];
  const where = ['resource_id = $1', 'row_id > $2'];
  (query.filter ?? []).forEach((c, i) => where.push(sqlCondition(resource, c, i, params)));
  params.push(query.limit);
  const { rows } = await db.query<{ rowId: string; key: string | null; data: Record<string, unknown> }>(
    `SELECT row_id AS "rowId", key, data FROM hub_rows WHERE ${where.join(' AND ')} ORDER BY row_id LIMIT $${params.length}`, params);
  return rows.map((r) => ({ rowId: Number(r.rowId), key: r.key, data: r.data }));
}
