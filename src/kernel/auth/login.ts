import type { Ctx } from './actor.ts';
import { appendToLedger } from '../ledger/index.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { actorOfUser, createSession, type UserRow } from './sessions.ts';

/** Failures before an account is locked, and for how long. */
export const lockout = { failures: 5, minutes: 15 };
/** Failures from one address (any usernames) within the window before the address is throttled. */
export const addressThrottle = { failures: 20, windowMinutes: 10 };

export interface LoginInput {
  username: string;
  password: string;
  ip?: string;
  userAgent?: string;
}

export type LoginResult =
  | { ok: true; user: UserRow; token: string; expiresAt: Date }
  | { ok: false; reason: 'bad-credentials' | 'locked' | 'throttled'; retryAfterSeconds?: number };

/**
 * 登录. Failed attempts are committed too (they are evidence), so this returns a refusal instead of
 * throwing: the transaction must not roll back. Every outcome is a ledger entry.
 */
export async function login(ctx: Ctx, input: LoginInput): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase();
  const ip = input.ip ?? 'unknown';
  const recent = await ctx.tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_failures WHERE ip = $1 AND at > $2`,
    [ip, new Date(ctx.now.getTime() - addressThrottle.windowMinutes * 60_000)]);
  if (recent.rows[0]!.n >= addressThrottle.failures) {
    await appendToLedger(ctx.tx, { actor: { kind: 'anonymous', id: ip }, action: 'auth.login.throttled', object: { type: 'user', id: username }, payload: { ip } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: addressThrottle.windowMinutes * 60 };
  }
  const { rows } = await ctx.tx.query<UserRow & { password_hash: string; failed_logins: number; locked_until: Date | null; disabled: boolean }>(
    `SELECT id, username, display_name, kind, department_id, division_code, roles, password_hash, failed_logins, locked_until, disabled
       FROM users WHERE username = $1 FOR UPDATE`, [username]);
  const user = rows[0];
  if (user?.locked_until && user.locked_until > ctx.now) {
    await appendToLedger(ctx.tx, { actor: { kind: 'anonymous', id: ip }, action: 'auth.login.failed', object: { type: 'user', id: user.id }, payload: { reason: 'locked' } });
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((user.locked_until.getTime() - ctx.now.getTime()) / 1000) };
  }
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? decoyHash);
  if (!user || !passwordOk || user.disabled) {
    await ctx.tx.query('INSERT INTO login_failures (ip, at) VALUES ($1, $2)', [ip, ctx.now]);
    let locked = false;
    if (user) {
      const failures = user.failed_logins + 1;
      locked = failures >= lockout.failures;
      await ctx.tx.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1',
        [user.id, locked ? 0 : failures, locked ? new Date(ctx.now.getTime() + lockout.minutes * 60_000) : null]);
    }
    await appendToLedger(ctx.tx, { actor: { kind: 'anonymous', id: ip }, action: 'auth.login.failed',
      object: { type: 'user', id: user?.id ?? username }, payload: { reason: user ? 'password' : 'unknown-user' } });
    if (locked) {
      await appendToLedger(ctx.tx, { actor: { kind: 'system', id: 'auth' }, action: 'auth.account.locked', object: { type: 'user', id: user!.id }, payload: { minutes: lockout.minutes } });
      return { ok: false, reason: 'locked', retryAfterSeconds: lockout.minutes * 60 };
    }
    return { ok: false, reason: 'bad-credentials' };
  }
  await ctx.tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [user.id]);
  const session = await createSession(ctx.tx, user.id, ctx.now, { ip, userAgent: input.userAgent });
  const actor = actorOfUser(user);
  await appendToLedger(ctx.tx, { actor, action: user.roles.includes('platform_admin') ? 'auth.login.admin' : 'auth.login.succeeded',
    object: { type: 'user', id: user.id }, payload: { ip } });
  return { ok: true, user, token: session.token, expiresAt: session.expiresAt };
}
