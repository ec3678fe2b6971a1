/**
 * Group commit for commands that write everything in one statement outside a transaction. The statements
 * of one shape submitted in the same turn of the event loop run as one statement over all their rows, on the
 * connection of the first (each submitter holds its own connection while it waits, so a group never waits
 * for the pool). One statement for many rows starts the executor, checks constraints and commits once.
 * Each row's command stays all or nothing: if a group's statement fails, every row is tried again alone,
 * so only the rows that fail by themselves fail.
 */
import type { Queryable } from './index.ts';

/** Runs one shape's statement for `rows`, returning one result per row, in order. */
export type GroupRun<S, R, T> = (db: Queryable, shape: S, rows: R[]) => Promise<T[]>;

interface Waiting<R, T> { db: Queryable; row: R; resolve: (result: T) => void; reject: (error: unknown) => void }

export class StatementGroups<S, R, T> {
  private groups = new Map<string, { shape: S; waiting: Waiting<R, T>[] }>();
  private scheduled = false;

  /** `run` also serves a command that writes alone (in a transaction); `maxRows` bounds one statement. */
  constructor(readonly run: GroupRun<S, R, T>, private readonly maxRows = 100) {}

  /** The result for `row`, written with the other rows of the same `key` (the shape's identity) in this turn. */
  submit(db: Queryable, key: string, shape: S, row: R): Promise<T> {
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, group = { shape, waiting: [] });
    const waiting = group.waiting;
    return new Promise<T>((resolve, reject) => {
      waiting.push({ db, row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const { shape, waiting } of groups)
      for (let start = 0; start < waiting.length; start += this.maxRows) void this.write(shape, waiting.slice(start, start + this.maxRows));
  }

  private async write(shape: S, batch: Waiting<R, T>[]): Promise<void> {
    try {
      const results = await this.run(batch[0]!.db, shape, batch.map((w) => w.row));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(batch.map((w) => this.write(shape, [w])));
    }
  }
}
