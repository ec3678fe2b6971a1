/**
 * Limits per client address in fixed windows, shared by every platform process through the database. A
 * window's row is locked while a request decides, so concurrent requests are counted one by one; refusals past
 * the limit are only counted, and summed up on the ledger once the window has closed.
 */
import { withTransaction, type Db, type Queryable } from '../db/index.ts';
import { appendToLedger } from '../ledger/index.ts';
import { DomainError } from '../errors.ts';
import { systemActor, type Ctx } from './actor.ts';
import { addressKey } from './lockouts.ts';
import { registerCitizen, type RegisterCitizen, type User } from './users.ts';

export interface AddressWindow {
  scope: string;
  address: string;
  start: Date;
  end: Date;
}

/** The fixed window of `minutes` that `now` falls in, for `scope` (login, register) and the client's address. */
export function addressWindow(scope: string, ip: string, now: Date, minutes: number): AddressWindow {
  const ms = minutes * 60_000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { scope, address: addressKey(ip), start: new Date(start), end: new Date(start + ms) };
}

export const secondsLeft = (window: AddressWindow, now: Date) => Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000));

/** Acts counted so far, read without a lock: lets a caller skip costly work (a password hash) when already past the limit. */
export async function countedSoFar(tx: Queryable, w: AddressWindow): Promise<number> {
  const { rows } = await tx.query<{ counted: number }>(
    'SELECT counted FROM address_limits WHERE scope = $1 AND address = $2 AND window_start = $3', [w.scope, w.address, w.start]);
  return rows[0]?.counted ?? 0;
}

/** Locks the window's row (creating it) until the transaction ends, and returns its counts before this request. */
export async function lockWindow(tx: Queryable, w: AddressWindow): Promise<{ counted: number; refused: number }> {
  const { rows } = await tx.query<{ counted: number; refused: number }>(
    `INSERT INTO address_limits AS l (scope, address, window_start, window_end) VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope, address, window_start) DO UPDATE SET counted = l.counted RETURNING counted, refused`,
    [w.scope, w.address, w.start, w.end]);
  return rows[0]!;
}

/** Adds to the counts of a window locked by `lockWindow`. */
export async function addToWindow(tx: Queryable, w: AddressWindow, add: { counted?: number; refused?: number }): Promise<void> {
  await tx.query('UPDATE address_limits SET counted = counted + $4, refused = refused + $5 WHERE scope = $1 AND address = $2 AND window_start = $3',
    [w.scope, w.address, w.start, add.counted ?? 0, add.refused ?? 0]);
}

/**
 * Closes the windows that have ended: one ledger entry per address and window that refused anything, with
 * the counts, then the rows go. Lockouts that have run out are forgotten too.
 */
export async function closeAddressWindows(db: Db, now: Date, lockoutMinutes: number): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ scope: string; address: string; from: Date; to: Date; counted: number; refused: number }>(
      `DELETE FROM address_limits WHERE window_end <= $1
       RETURNING scope, address, window_start AS "from", window_end AS "to", counted, refused`, [now]);
    const summaries = rows.filter((r) => r.refused > 0);
    if (summaries.length > 0) await appendToLedger(tx, summaries.map((r) => ({
      actor: systemActor('auth'), action: 'auth.limit.summary', object: { type: 'address', id: r.address }, at: now,
      payload: { scope: r.scope, from: r.from.toISOString(), to: r.to.toISOString(), counted: r.counted, refused: r.refused },
    })));
    await tx.query(`DELETE FROM login_lockouts WHERE (locked_until IS NULL OR locked_until <= $1)
      AND last_failure_at <= $1::timestamptz - make_interval(mins => $2)`, [now, lockoutMinutes]);
    return summaries.length;
  });
}

export interface AddressLimit {
  scope: string;
  /** acts one address may do in a window */
  count: number;
  windowMinutes: number;
  /** the 429's code, with a message in the module's messages */
  code: string;
}

const refusal = (limit: AddressLimit, window: AddressWindow, now: Date) => new DomainError(limit.code,
  { status: 429, retryAfterSeconds: secondsLeft(window, now) }, `at most ${limit.count} per address within ${limit.windowMinutes} minutes`);

/**
 * Counts one act of `limit.scope` from `ip` under its window's lock, or throws 429 when the address has done
 * `limit.count` already. Call it after any costly work (a password hash): the lock is held to the commit.
 */
export async function countFromAddress(ctx: Ctx, ip: string, limit: AddressLimit): Promise<void> {
  const window = addressWindow(limit.scope, ip, ctx.now, limit.windowMinutes);
  if ((await lockWindow(ctx.tx, window)).counted >= limit.count) throw refusal(limit, window, ctx.now);
  await addToWindow(ctx.tx, window, { counted: 1 });
}

/** Citizen accounts one address may open per window: enough for a family or a service hall, not for a flood. */
export const registerLimit: AddressLimit = { scope: 'register', count: 10, windowMinutes: 60, code: 'auth.register-throttled' };

/** 注册 through the public API, limited per address. A refusal rolls back, so refused attempts write nothing. */
export async function registerFromAddress(ctx: Ctx, input: RegisterCitizen & { ip: string }): Promise<User> {
  const { ip, ...account } = input;
  const window = addressWindow(registerLimit.scope, ip, ctx.now, registerLimit.windowMinutes);
  // An address already past the limit is refused before its password is hashed.
  if (await countedSoFar(ctx.tx, window) >= registerLimit.count) throw refusal(registerLimit, window, ctx.now);
  const user = await registerCitizen(ctx, account);
  await countFromAddress(ctx, ip, registerLimit);
  return user;
}
