/**
 * Per-address limits on what callers without staff accounts may do (reports, photo uploads), counted in
 * the database so that every platform process shares them.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import type { Db } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

/**
 * Counts one act of `kind` from `address`, or refuses with 429 when `limit` acts were counted within the
 * last hour. Concurrent acts of one key MUST be counted one after the other, or each would see the same
 * count and all pass: a transaction-scoped advisory lock on the key orders them (acts of other keys do
 * not wait), and the count and the insert are one statement that sees every act committed before it.
 */
export async function limitPerHour(ctx: Ctx, kind: string, address: string, limit: number): Promise<void> {
  const key = `${kind}:${address}`;
  await ctx.tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO hotline_report_hits (address, at) SELECT $1, $2
      WHERE (SELECT count(*) FROM hotline_report_hits WHERE address = $1 AND at > $2::timestamptz - interval '1 hour') < $3`,
    [key, ctx.now, limit]);
  if (rowCount !== 1)
    throw new DomainError('hotline.rate-limited', { status: 429, limit, kind }, `at most ${limit} an hour from one address`);
}

/** Forgets counted acts older than the hour the limits look at. */
export async function expireRateCounts(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM hotline_report_hits WHERE at < $1::timestamptz - interval '1 hour'`, [now]);
  return rowCount ?? 0;
}
