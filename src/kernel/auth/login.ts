import type { Ctx } from './actor.ts';
import { notFound } from '../errors.ts';
import { appendToLedger, type LedgerEntryInput } from '../ledger/index.ts';
import { addressWindow, addToWindow, closeAddressWindows, countedSoFar, lockWindow, secondsLeft } from './limits.ts';
import { countAccountFailure, lockedOutUntil, lockout } from './lockouts.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { assertCan } from './policy.ts';
import { actorOfUser, createSession, type UserRow } from './sessions.ts';
import { getUser, type User } from './users.ts';

/** Failures from one address (any usernames) within one window before the address is throttled until the window ends. */
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

type LoginUser = UserRow & { password_hash: string; disabled: boolean };

/**
 * 登录. Failed attempts are committed too (they are evidence), so this returns a refusal instead of
 * throwing: the transaction must not roll back. Every checked attempt is a ledger entry; attempts refused
 * because their address is past its limit are only counted, with one entry at the first and a summary once
 * the window has closed, so that anonymous callers cannot grow the ledger at will. A lockout holds for the
 * account and the address the failures came from, so guessing from one place never locks the owner out
 * from another.
 */
export async function login(ctx: Ctx, input: LoginInput): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase();
  const window = addressWindow('login', input.ip ?? 'unknown', ctx.now, addressThrottle.windowMinutes);
  const { address } = window;
  const anonymous = { kind: 'anonymous', id: address } as const;
  // Read without locks first, so that a throttled address or a locked-out account costs no password hash and
  // no lock is held while hashing.
  let user: LoginUser | undefined;
  let passwordOk = false;
  if (await countedSoFar(ctx.tx, window) < addressThrottle.failures) {
    const { rows } = await ctx.tx.query<LoginUser>(
      `SELECT id, username, display_name, kind, department_id, division_code, roles, password_hash, disabled FROM users WHERE username = $1`, [username]);
    user = rows[0];
    if (!user || !(await lockedOutUntil(ctx.tx, user.id, address, ctx.now))) passwordOk = await verifyPassword(input.password, user?.password_hash ?? decoyHash);
  }
  // Decided under the lock of the address's window: concurrent attempts are checked against the limit one at a time.
  const counts = await lockWindow(ctx.tx, window);
  if (counts.counted >= addressThrottle.failures) {
    await addToWindow(ctx.tx, window, { refused: 1 });
    if (counts.refused === 0)
      await appendToLedger(ctx.tx, { actor: anonymous, action: 'auth.login.throttled', object: { type: 'address', id: address },
        payload: { windowStart: window.start.toISOString(), failures: counts.counted } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: secondsLeft(window, ctx.now) };
  }
  const lockedUntil = user ? await lockedOutUntil(ctx.tx, user.id, address, ctx.now) : null;
  if (!user || lockedUntil || !passwordOk || user.disabled) {
    await addToWindow(ctx.tx, window, { counted: 1 });
    const locked = lockedUntil ?? (user ? await countAccountFailure(ctx.tx, user.id, address, ctx.now) : null);
    const entries: LedgerEntryInput[] = [{ actor: anonymous, action: 'auth.login.failed', object: { type: 'user', id: user?.id ?? username },
      payload: { reason: !user ? 'unknown-user' : lockedUntil ? 'locked' : 'password' } }];
    if (locked && !lockedUntil)
      entries.push({ actor: { kind: 'system', id: 'auth' }, action: 'auth.account.locked', object: { type: 'user', id: user!.id },
        payload: { address, minutes: lockout.minutes } });
    await appendToLedger(ctx.tx, entries);
    return locked ? { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((locked.getTime() - ctx.now.getTime()) / 1000) }
      : { ok: false, reason: 'bad-credentials' };
  }
  const session = await createSession(ctx.tx, user.id, ctx.now, { ip: input.ip, userAgent: input.userAgent });
  await ctx.tx.query('DELETE FROM login_lockouts WHERE user_id = $1 AND address = $2', [user.id, address]);
  const actor = actorOfUser(user);
  await appendToLedger(ctx.tx, { actor, action: user.roles.includes('platform_admin') ? 'auth.login.admin' : 'auth.login.succeeded',
    object: { type: 'user', id: user.id }, payload: { ip: input.ip ?? 'unknown' } });
  return { ok: true, user, token: session.token, expiresAt: session.expiresAt };
}

/** 解锁: an administrator over the account lifts every lockout of it at once, on the ledger. */
export async function unlockUser(ctx: Ctx, input: { id: number }): Promise<User> {
  const { rows: [target] } = await ctx.tx.query<{ division_code: string | null }>('SELECT division_code FROM users WHERE id = $1 FOR UPDATE', [input.id]);
  if (!target) throw notFound('user', input.id);
  assertCan(ctx.actor, 'auth.user.manage', { divisionCode: target.division_code ?? '' });
  const { rows: lifted } = await ctx.tx.query<{ locked: boolean }>(
    'DELETE FROM login_lockouts WHERE user_id = $1 RETURNING coalesce(locked_until > $2, false) AS locked', [input.id, ctx.now]);
  await ctx.tx.query('UPDATE users SET locked_until = NULL, updated_at = $2 WHERE id = $1', [input.id, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.account.unlocked', object: { type: 'user', id: input.id },
    payload: { lockouts: lifted.filter((l) => l.locked).length } });
  return (await getUser(ctx.tx, input.id))!;
}
