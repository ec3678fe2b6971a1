/**
 * Lockouts per account AND address: failures from one address lock that address out of the account for a
 * while, never the owner elsewhere. Login and changing one's own password count against them.
 */
import net from 'node:net';
import type { Queryable } from '../db/index.ts';

/** Failures for one account from one address before that address is locked out of the account, and for how long. */
export const lockout = { failures: 5, minutes: 15 };

/**
 * The address a limit counts: IPv4 as is, IPv6 by its /64 (what one subscriber is usually given), so one
 * host cannot step through addresses to escape a limit.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(ip)) return ip;
  let text = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) text = `${text.slice(0, v4.index)}${((+v4[1]! << 8) | +v4[2]!).toString(16)}:${((+v4[3]! << 8) | +v4[4]!).toString(16)}`;
  const [left, right] = text.split('::') as [string, string | undefined];
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** Until when `address` is locked out of the account, or null. */
export async function lockedOutUntil(tx: Queryable, userId: number, address: string, now: Date): Promise<Date | null> {
  const { rows } = await tx.query<{ locked_until: Date }>(
    'SELECT locked_until FROM login_lockouts WHERE user_id = $1 AND address = $2 AND locked_until > $3', [userId, address, now]);
  return rows[0]?.locked_until ?? null;
}

/** Counts a failure for the account from the address; returns the end of the lockout it started, if it did. */
export async function countAccountFailure(tx: Queryable, userId: number, address: string, now: Date): Promise<Date | null> {
  // The user's row first, as unlocking and resetting take it before the lockouts: no deadlock between them.
  await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
  // Failures older than the lockout period, or from before a lockout ended, start the count again.
  const { rows } = await tx.query<{ failures: number }>(
    `INSERT INTO login_lockouts AS l (user_id, address, failures, last_failure_at) VALUES ($1, $2, 1, $3)
     ON CONFLICT (user_id, address) DO UPDATE SET last_failure_at = $3, locked_until = NULL,
       failures = CASE WHEN l.last_failure_at <= $3::timestamptz - make_interval(mins => $4) OR l.locked_until IS NOT NULL THEN 1 ELSE l.failures + 1 END
     RETURNING failures`, [userId, address, now, lockout.minutes]);
  if (rows[0]!.failures < lockout.failures) return null;
  const until = new Date(now.getTime() + lockout.minutes * 60_000);
  await tx.query('UPDATE login_lockouts SET failures = 0, locked_until = $3 WHERE user_id = $1 AND address = $2', [userId, address, until]);
  await tx.query('UPDATE users SET locked_until = greatest(locked_until, $2) WHERE id = $1', [userId, until]);
  return until;
}
