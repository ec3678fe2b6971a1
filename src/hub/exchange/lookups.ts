/**
 * 批量读取: the gateway's reads of concurrent calls, gathered each turn of the event loop into one query per
 * resource and grant terms (row filter), as the evidence is group-committed. A hundred lookups in flight
 * cost one statement instead of a hundred; each call still gets only the rows of its own subject or key,
 * within its own grant's filter and limit.
 */
import type { Queryable } from '../../kernel/db/index.ts';
import { readRows, readRowsOf, type ReadRows, type Resource } from './catalogue.ts';

type Rows = Record<string, unknown>[];

/** How the gateway reads a resource's rows for one call. */
export type RowRead = (resource: Resource, query: ReadRows) => Promise<Rows>;

interface Waiting { value: string; resolve: (rows: Rows) => void; reject: (error: unknown) => void }
interface Group { resource: Resource; by: 'subject' | 'key'; query: ReadRows; waiting: Waiting[] }

export class RowReader {
  private groups = new Map<string, Group>();
  private scheduled = false;

  constructor(private readonly db: Queryable, private readonly maxBatch = 500) {}

  /** The rows `readRows` would give for this one query, read together with the other calls of this turn. */
  read: RowRead = (resource, query) => {
    const by = query.subject !== undefined ? 'subject' : 'key';
    const value = query[by];
    // Only lookups by exactly one subject or key of a hub-held table are gathered.
    if (resource.kind !== 'table' || value === undefined || (query.subject !== undefined && query.key !== undefined))
      return readRows(this.db, resource, query);
    const id = JSON.stringify([resource.id, resource.version, by, query.limit, query.filter ?? []]);
    let group = this.groups.get(id);
    if (!group) this.groups.set(id, group = { resource, by, query, waiting: [] });
    return new Promise<Rows>((resolve, reject) => {
      group.waiting.push({ value, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  };

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const { resource, by, query, waiting } of groups) {
      for (let start = 0; start < waiting.length; start += this.maxBatch) {
        const batch = waiting.slice(start, start + this.maxBatch);
        readRowsOf(this.db, resource, { by, values: batch.map((w) => w.value), filter: query.filter, limit: query.limit }).then(
          (found) => batch.forEach((w) => w.resolve(found.get(w.value) ?? [])),
          (error: unknown) => batch.forEach((w) => w.reject(error)));
      }
    }
  }
}
