import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';

/**
 * A periodic sweep: work that is due because time passed (a deadline warning, an escalation after a deadline,
 * a default rating after 7 days). `run` finds what is due at `now` and handles it in its own transactions;
 * it must be idempotent, since a sweep interrupted half-way runs again on the next tick. Tests call `run`
 * directly with the `now` they need.
 */
export interface Sweep {
  name: string;
  everyMs: number;
  /** Returns how many things it handled, for the log. */
  run(db: Db, now: Date): Promise<number>;
}

// One lock key per sweep name, so that with several processes on one database each sweep runs in one of them.
const lockKey = (name: string) => crypto.createHash('sha256').update(`yiwang.sweep.${name}`).digest().readBigInt64BE(0);

/** Runs one sweep now unless another process is running it; returns null when it was skipped. */
export async function runSweep(db: Db, sweep: Sweep, now = new Date()): Promise<number | null> {
  const client = await db.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockKey(sweep.name)]);
    if (!rows[0]!.locked) return null;
    try {
      return await sweep.run(db, now);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockKey(sweep.name)]);
    }
  } finally {
    client.release();
  }
}

export interface SweepRunner {
  stop(): Promise<void>;
}

/**
 * Sweeps running at once in one process. A running sweep holds a pooled connection for its lock and takes more
 * for its work: started all together (every sweep runs at start) they would hold every connection of the pool
 * and wait on each other until the pool's timeout, and the requests with them.
 */
const MAX_RUNNING_SWEEPS = 4;

/**
 * Starts each sweep (the modules' manifests list them) at once and then on its own interval, so that what fell
 * due while the platform was stopped (an overdue request to escalate) is handled at start, not a tick later.
 * At most MAX_RUNNING_SWEEPS run at a time, the others wait their turn; a tick that finds its sweep still running
 * or waiting is skipped. A failing sweep is logged and tried again next tick.
 */
export function startSweeps(db: Db, sweeps: readonly Sweep[], log: (message: string) => void = console.error): SweepRunner {
  const running = new Set<Promise<unknown>>();
  const pending = new Set<Sweep>();
  const waiting: Sweep[] = [];
  let active = 0;
  const next = () => {
    while (active < MAX_RUNNING_SWEEPS && waiting.length > 0) {
      const sweep = waiting.shift()!;
      active++;
      const job = runSweep(db, sweep).catch((error: unknown) => log(`sweep ${sweep.name} failed: ${String(error)}`));
      running.add(job);
      void job.finally(() => {
        running.delete(job);
        pending.delete(sweep);
        active--;
        next();
      });
    }
  };
  let stopped = false;
  const tick = (sweep: Sweep) => {
    if (stopped || pending.has(sweep)) return;
    pending.add(sweep);
    waiting.push(sweep);
    next();
  };
  for (const sweep of sweeps) tick(sweep);
  const timers = sweeps.map((sweep) => setInterval(() => tick(sweep), sweep.everyMs));
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      waiting.length = 0;
      while (running.size > 0) await Promise.all(running);
    },
  };
}
