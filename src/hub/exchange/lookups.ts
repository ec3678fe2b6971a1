/**
 * 批量读取: the gateway's reads of concurrent calls, gathered into one query per resource and grant terms
 * (row filter) by the same group commit as the evidence (src/kernel/db/group.ts). A hundred lookups in flight
 * cost one statement instead of a hundred; each call still gets only the rows of its own subject or key,
 * within its own grant's filter and limit.
 */
import { StatementGroups, type Queryable } from '../../kernel/db/index.ts';
import { readRows, readRowsOf, type ReadRows, type Resource } from './catalogue.ts';

type Rows = Record<string, unknown>[];

/** How the gateway reads a resource's rows for one call. */
export type RowRead = (resource: Resource, query: ReadRows) => Promise<Rows>;

type Shape = { resource: Resource; by: 'subject' | 'key'; query: ReadRows };

export class RowReader {
  // One read of a resource and filter at a time: the lookups that arrive while it runs go in the next.
  private readonly groups = new StatementGroups<Shape, string, Rows>(async (db, { resource, by, query }, values) => {
    const found = await readRowsOf(db, resource, { by, values, filter: query.filter, limit: query.limit });
    return values.map((value) => found.get(value) ?? []);
  }, { maxRows: 500, maxInFlight: 1 });

  constructor(private readonly db: Queryable) {}

  /** The rows `readRows` would give for this one query, read together with the other calls' lookups waiting with it. */
  read: RowRead = (resource, query) => {
    const by = query.subject !== undefined ? 'subject' : 'key';
    const value = query[by];
    // Only lookups by exactly one subject or key of a hub-held table are gathered.
    if (resource.kind !== 'table' || value === undefined || (query.subject !== undefined && query.key !== undefined))
      return readRows(this.db, resource, query);
    const key = JSON.stringify([resource.id, resource.version, by, query.limit, query.filter ?? []]);
    return this.groups.submit(this.db, key, { resource, by, query }, value);
  };
}
