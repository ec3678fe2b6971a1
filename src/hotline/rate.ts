/**
 * Per-address limits on what callers without staff accounts may do (reports, photo uploads), counted in
 * the database so that every platform process shares them.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import type { Db } from '../kernel/db/index.ts';
import { registerSweep } from '../kernel/jobs/index.ts';
import { DomainError } from '../kernel/errors.ts';

/** Counts one act of `kind` from `address`, or refuses with 429 when `limit` acts were counted within the last hour. */
export async function limitPerHour(ctx: Ctx, kind: string, address: string, limit: number): Promise<void> {
  const key = `${kind}:${address}`;
  const { rows } = await ctx.tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM hotline_report_hits WHERE address = $1 AND at > $2::timestamptz - interval '1 hour'`, [key, ctx.now]);
  if (rows[0]!.n >= limit)
    throw new DomainError('hotline.rate-limited', { status: 429, limit, kind }, `at most ${limit} an hour from one address`);
  await ctx.tx.query('INSERT INTO hotline_report_hits (address, at) VALUES ($1, $2)', [key, ctx.now]);
}

/** Forgets counted acts older than the hour the limits look at. */
export async function expireRateCounts(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM hotline_report_hits WHERE at < $1::timestamptz - interval '1 hour'`, [now]);
  return rowCount ?? 0;
}

registerSweep({ name: 'hotline.rate.expire', everyMs: 3_600_000, run: expireRateCounts });
