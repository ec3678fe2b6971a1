import crypto from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import { jurisdictionOf, type Actor } from './actor.ts';
import type { User } from './users.ts';
import { grantsOf } from './policy.ts';

export const sessionCookie = 'yw_session';
export const sessionLifetimeMs = 12 * 3600_000;
/** A session unused this long ends (sliding), whatever its lifetime left; the platform's setting may change it. */
export const defaultSessionIdleMinutes = 30;
// Use moves a session's last-seen time at most this often, so the cheap cached resolve stays cheap.
const touchEveryMs = 60_000;
// A resolved session is reused for a few seconds: every authenticated request would otherwise cost a query.
const cacheMs = 5_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

/** What a session needs of its user to act: the columns that decide who acts and over which rows. */
export type UserRow = Pick<User, 'id' | 'username' | 'display_name' | 'kind' | 'department_id' | 'division_code' | 'roles'>;

export function actorOfUser(user: UserRow, sessionId?: string): Actor {
  return {
    kind: user.kind,
    id: String(user.id),
    name: user.display_name,
    roles: user.roles,
    grants: grantsOf(user.roles),
    jurisdiction: jurisdictionOf(user.kind === 'staff' ? user.division_code : null),
    departmentId: user.department_id,
    sessionId,
  };
}

/** Opens a session; the returned token goes into the cookie and is stored only as its hash. */
export async function createSession(tx: Queryable, userId: number, now: Date, meta: { ip?: string; userAgent?: string }) {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await tx.query('INSERT INTO sessions (id_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)',
    [sha256(token), userId, expiresAt, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null]);
  return { token, expiresAt };
}

const cache = new Map<string, { actor: Actor; userId: number; until: number; expiresAt: number }>();

/**
 * The actor behind a session cookie, or null when the session is unknown, expired, idle longer than
 * `idleMinutes` or its user disabled.
 */
export async function resolveSession(db: Db, token: string, idleMinutes = defaultSessionIdleMinutes): Promise<Actor | null> {
  const now = Date.now();
  const hit = cache.get(token);
  if (hit && hit.until > now && hit.expiresAt > now) return hit.actor;
  const hash = sha256(token);
  const { rows } = await db.query<UserRow & { expires_at: Date; stale: boolean }>(
    `SELECT u.id, u.username, u.display_name, u.kind, u.department_id, u.division_code, u.roles, s.expires_at,
            s.last_seen_at < now() - make_interval(secs => $3) AS stale
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2) AND NOT u.disabled`,
    [hash, idleMinutes, touchEveryMs / 1000]);
  const row = rows[0];
  if (!row) {
    cache.delete(token);
    return null;
  }
  if (row.stale) await db.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [hash]);
  const actor = actorOfUser(row, hash.toString('hex').slice(0, 16));
  if (cache.size > 50_000) cache.clear();
  cache.set(token, { actor, userId: row.id, until: now + cacheMs, expiresAt: row.expires_at.getTime() });
  return actor;
}

export async function endSession(tx: Queryable, token: string): Promise<void> {
  cache.delete(token);
  await tx.query('DELETE FROM sessions WHERE id_hash = $1', [sha256(token)]);
}

/** Drops cached sessions of a user whose roles or status changed, so the change takes effect at once. */
export function forgetUserSessions(userId: number): void {
  for (const [token, entry] of cache) if (entry.userId === userId) cache.delete(token);
}
