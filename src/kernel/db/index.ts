import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export type Db = pg.Pool;
/** A client inside an open transaction. Commands take it so that everything they write commits together. */
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool or a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

// int8 and numeric come back as strings by default; our counts and indexes fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// dates (not timestamps) stay as 'YYYY-MM-DD' strings: they are calendar days, not instants.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * How long one statement may run and wait for a lock, per connection (set when it connects, so no round
 * trip per request). A statement waiting on a locked table fails after the lock timeout with 503 and frees
 * its connection, so one slow area cannot hold the whole pool; the statement timeout bounds a runaway query.
 * A long admin path (migrations, imports) raises them for its own transaction with SET LOCAL.
 */
export interface DbTimeouts {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

function msFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return value;
}

/** YIWANG_DB_STATEMENT_TIMEOUT_MS (default 30 s) and YIWANG_DB_LOCK_TIMEOUT_MS (default 2 s); 0 turns one off. */
export const dbTimeouts = (): DbTimeouts => ({
  statementTimeoutMs: msFromEnv('YIWANG_DB_STATEMENT_TIMEOUT_MS', 30_000),
  lockTimeoutMs: msFromEnv('YIWANG_DB_LOCK_TIMEOUT_MS', 2_000),
});

export function createPool(connectionString: string, max = 20, timeouts: DbTimeouts = dbTimeouts(),
  connectionTimeoutMillis = 10_000): Db {
  // A request that waits this long for a connection fails with 503 instead of queueing without end.
  // Prepared statements (`prepared`) keep the plan made for their first call: they are the hot, simple ones.
  const options = `-c plan_cache_mode=force_generic_plan -c statement_timeout=${timeouts.statementTimeoutMs} -c lock_timeout=${timeouts.lockTimeoutMs}`;
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis, options });
  // A client losing its server must not crash the process, idle or checked out (the pool only listens on
  // idle ones): the query in flight fails by itself, and the pool drops the broken client on release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}


/**
 * Runs `fn` on a pooled connection outside a transaction, each statement committing by itself: for a
 * command whose writes are all in one statement (atomic on its own), which then saves BEGIN and COMMIT.
 */
export async function withConnection<T>(db: Db, fn: (client: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/**
 * Runs `fn` on one connection whose statements are planned for their values (PostgreSQL's default plan choice),
 * not with the generic plans the pool forces (createPool). For a list whose best plan depends on what it is
 * asked: a department holding most of the tickets wants its deadline index walked for the first page, a small
 * one wants its rows fetched and sorted. Costs two round trips (SET, RESET). On a client already checked out
 * (a transaction), the setting lasts until `fn` returns, or until that transaction rolls back.
 */
export async function withValuePlans<T>(db: Queryable, fn: (client: Queryable) => Promise<T>): Promise<T> {
  const owned = db instanceof pg.Pool ? await db.connect() : null;
  const client = owned ?? db;
  try {
    await client.query('SET plan_cache_mode = auto');
    return await fn(client);
  } finally {
    // Fails only in a transaction that has failed, whose rollback undoes the SET; a pooled connection that
    // cannot be reset is dropped rather than handed on with the wrong plans.
    const reset = await client.query('RESET plan_cache_mode').then(() => true, () => false);
    owned?.release(!reset);
  }
}

/** Runs `fn` in one transaction: commit on return, roll back on throw. */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined); // the client may be broken; the first error is the one to report
    throw error;
  } finally {
    client.release();
  }
}

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Applies migrations/*.sql in name order, each once, each in its own transaction. An advisory lock
 * keeps two processes starting at once from applying the same file twice.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  return withTransaction(db, async (tx) => {
    // A migration may rewrite a large table or wait for a running platform's statements: no timeouts here.
    await tx.query('SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0');
    await tx.query('SELECT pg_advisory_xact_lock(7101)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.query(await fs.readFile(path.join(migrationsDir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

export { databaseUnavailable, prepared } from './statements.ts';
export { readStamps, stampedCache, stampsColumn, stampsFrom } from './stamps.ts';
export { StatementGroups } from './group.ts';
