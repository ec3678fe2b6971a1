/**
 * Group commit: statements of one shape run as one statement over all their rows. Intake's commands, which
 * write everything in one statement outside a transaction, share a statement on the connection of the first
 * (each holds its own connection while it waits, so a group never waits for the pool); the hub's gateway
 * groups its evidence writes and row reads the same way on the pool. While `maxInFlight` statements of a
 * shape run, the rows that arrive meanwhile wait and form the next one, so the busier the platform, the more
 * rows share a statement: one executor start, one set of constraint checks and one commit for all of them.
 * Each row stays all or nothing: if a group's statement fails, every row is tried again alone, so only the
 * rows that fail by themselves fail; but when the database is away, every row fails at once, without a retry
 * that would only wait for it again.
 */
import type { Queryable } from './index.ts';
import { databaseUnavailable } from './statements.ts';

/** Runs one shape's statement for `rows`, returning one result per row, in order. */
export type GroupRun<S, R, T> = (db: Queryable, shape: S, rows: R[]) => Promise<T[]>;

interface Waiting<R, T> { db: Queryable; row: R; resolve: (result: T) => void; reject: (error: unknown) => void }
interface Group<S, R, T> { shape: S; waiting: Waiting<R, T>[]; inFlight: number; scheduled: boolean }

export class StatementGroups<S, R, T> {
  private readonly groups = new Map<string, Group<S, R, T>>();
  private pending = 0;
  private readonly idle = new Set<() => void>();

  /** `run` also serves a command that writes alone (in a transaction); `maxRows` bounds one statement. */
  constructor(readonly run: GroupRun<S, R, T>, private readonly opts = { maxRows: 100, maxInFlight: 1 }) {}

  /** The result for `row`, written with the other rows of the same `key` (the shape's identity) waiting with it. */
  submit(db: Queryable, key: string, shape: S, row: R): Promise<T> {
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, group = { shape, waiting: [], inFlight: 0, scheduled: false });
    const waiting = group.waiting;
    this.pending++;
    return new Promise<T>((resolve, reject) => {
      waiting.push({ db, row, resolve, reject });
      this.schedule(key, group);
    }).finally(() => {
      if (--this.pending > 0) return;
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    });
  }

  /** Resolves when every row submitted so far is written or failed (on shutdown). */
  drained(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.add(resolve));
  }

  // At the end of this turn of the event loop, so that the rows submitted in it go together.
  private schedule(key: string, group: Group<S, R, T>): void {
    if (group.scheduled || group.inFlight >= this.opts.maxInFlight) return;
    group.scheduled = true;
    setImmediate(() => {
      group.scheduled = false;
      while (group.waiting.length > 0 && group.inFlight < this.opts.maxInFlight) {
        group.inFlight++;
        void this.write(group.shape, group.waiting.splice(0, this.opts.maxRows)).finally(() => {
          group.inFlight--;
          if (group.waiting.length > 0) this.schedule(key, group);
          else if (group.inFlight === 0) this.groups.delete(key);
        });
      }
    });
  }

  private async write(shape: S, batch: Waiting<R, T>[]): Promise<void> {
    try {
      const results = await this.run(batch[0]!.db, shape, batch.map((w) => w.row));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || databaseUnavailable(error)) return batch.forEach((w) => w.reject(error));
      await Promise.all(batch.map((w) => this.write(shape, [w])));
    }
  }
}
