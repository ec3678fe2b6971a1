import crypto from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { Db, Queryable } from '../db/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { findDepartment } from '../org/index.ts';
import { appendToLedger } from '../ledger/index.ts';
import { secret } from '../secrets.ts';
import { jurisdictionOf, roles as allRoles, type Actor, type Ctx, type Role } from './actor.ts';
import { assertCan, grantsOf, hasGrant, inJurisdiction } from './policy.ts';

const issuer = 'yiwang';
const tokenKey = (db: Queryable) => secret(db, 'api-token-hmac', () => crypto.randomBytes(32));

export interface IssueToken {
  name: string;
  roles: Role[];
  divisionCode: string;
  departmentId?: number;
  validDays: number;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  roles: Role[];
  division_code: string;
  department_id: number | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** What a person who issued a token is now: their token keeps working only while they could still issue it. */
export interface Issuer {
  kind: 'staff' | 'citizen';
  roles: readonly Role[];
  departmentId: number | null;
  divisionCode: string | null;
  disabled: boolean;
}

type TokenScope = Pick<ApiTokenRow, 'roles' | 'division_code' | 'department_id'>;

/**
 * Could `issuer` issue a token of this scope? Enabled staff who may manage tokens, over a division in
 * their jurisdiction, giving only roles they hold and their own department (a platform admin: any role,
 * any department). Checked when a token is used and when its issuer's permissions change.
 */
export function mayIssue(issuer: Issuer, token: TokenScope): boolean {
  if (issuer.disabled || issuer.kind !== 'staff') return false;
  const grants = grantsOf(issuer.roles);
  if (!grants.has('auth.token.manage') || !jurisdictionOf(issuer.divisionCode).covers(token.division_code)) return false;
  if (grants.has('auth.role.grant-any')) return true;
  return token.roles.every((role) => issuer.roles.includes(role)) && token.department_id === issuer.departmentId;
}

/** Actions a token never carries, whatever its roles: tokens do not mint tokens nor change who may do what. */
const personalActions = ['auth.token.manage', 'auth.user.manage', 'auth.role.grant-any'];

/** The department a token acts for: the issuer's own, or for a platform admin one inside the token's division. */
async function tokenDepartment(ctx: Ctx, input: IssueToken): Promise<number | null> {
  if (!hasGrant(ctx.actor, 'auth.role.grant-any')) {
    if (input.departmentId !== undefined && input.departmentId !== ctx.actor.departmentId)
      throw new DomainError('auth.token.department-not-own', { status: 403, field: 'departmentId' }, 'a token acts for your own department');
    return ctx.actor.departmentId;
  }
  if (input.departmentId === undefined) return null;
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('org.department.not-found', { field: 'departmentId' }, `no department ${input.departmentId}`);
  if (!jurisdictionOf(input.divisionCode).covers(department.divisionCode))
    throw new DomainError('auth.token.department-outside', { status: 403, field: 'departmentId' }, 'the department lies outside the token\'s division');
  return department.id;
}

/**
 * Issues an API token for a system (a signed JWT naming a row, so revoking the row kills it). The caller
 * may only give roles it holds and its own department, within its jurisdiction (`mayIssue`); a token
 * cannot issue tokens. The token text is returned once and never stored.
 */
export async function issueApiToken(ctx: Ctx, input: IssueToken): Promise<{ token: string; row: ApiTokenRow }> {
  assertCan(ctx.actor, 'auth.token.manage', { divisionCode: input.divisionCode });
  for (const role of input.roles)
    if (!allRoles.includes(role) || role === 'citizen' || (!ctx.actor.roles.includes(role) && !hasGrant(ctx.actor, 'auth.role.grant-any')))
      throw new DomainError('auth.role-not-grantable', { status: 403, field: 'roles', role }, `cannot give role ${role}`);
  const departmentId = await tokenDepartment(ctx, input);
  const id = crypto.randomUUID();
  const expiresAt = new Date(ctx.now.getTime() + input.validDays * 86_400_000);
  const { rows } = await ctx.tx.query<ApiTokenRow>(
    `INSERT INTO api_tokens (id, name, roles, division_code, department_id, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [id, input.name, input.roles, input.divisionCode, departmentId,
      ctx.actor.kind === 'staff' ? Number(ctx.actor.id) : null, expiresAt]);
  const token = await new SignJWT({ typ: 'api' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(id).setIssuer(issuer).setIssuedAt(Math.floor(ctx.now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await tokenKey(ctx.tx));
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.token.issued', object: { type: 'api-token', id },
    payload: { name: input.name, roles: input.roles, divisionCode: input.divisionCode, departmentId, expiresAt } });
  return { token, row: rows[0]! };
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<ApiTokenRow> {
  const { rows } = await ctx.tx.query<ApiTokenRow>('SELECT * FROM api_tokens WHERE id = $1 FOR UPDATE', [id]);
  const row = rows[0];
  if (!row) throw notFound('api-token', id);
  assertCan(ctx.actor, 'auth.token.manage', { divisionCode: row.division_code });
  const revoked = await ctx.tx.query<ApiTokenRow>('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING *', [id, ctx.now]);
  revokedCache.delete(id);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.token.revoked', object: { type: 'api-token', id }, payload: { reason: 'revoked' } });
  return revoked.rows[0]!;
}

/**
 * Revokes the live tokens `userId` issued that they could no longer issue as they now are (disabled,
 * a role or their department gone), on the caller's transaction, each with its ledger entry.
 */
export async function revokeTokensBeyond(ctx: Ctx, userId: number, issuer: Issuer, reason: string): Promise<string[]> {
  const { rows } = await ctx.tx.query<ApiTokenRow>(
    'SELECT * FROM api_tokens WHERE created_by = $1 AND revoked_at IS NULL AND expires_at > $2 FOR UPDATE', [userId, ctx.now]);
  const lapsed = rows.filter((row) => !mayIssue(issuer, row)).map((row) => row.id);
  if (lapsed.length === 0) return lapsed;
  await ctx.tx.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = ANY($1::uuid[])', [lapsed, ctx.now]);
  for (const id of lapsed) revokedCache.delete(id);
  await appendToLedger(ctx.tx, lapsed.map((id) => ({ actor: ctx.actor, action: 'auth.token.revoked', object: { type: 'api-token', id },
    payload: { reason, issuer: userId } })));
  return lapsed;
}

const revokedCache = new Map<string, { actor: Actor | null; until: number }>();

// The signing key never changes once made, so each pool reads it once (not two queries per request).
const verifyKeys = new WeakMap<Db, Promise<Buffer>>();
function verifyKey(db: Db): Promise<Buffer> {
  let key = verifyKeys.get(db);
  if (!key) {
    key = tokenKey(db);
    verifyKeys.set(db, key);
    key.catch(() => verifyKeys.delete(db)); // the caller gets the failure; forgetting it lets the next call read again
  }
  return key;
}

// Token texts whose signature verified, with their expiry: a system calls with the same token many times.
const verified = new Map<string, { id: string; expiresAt: number }>();

/** The token row id a correctly signed, unexpired API token names, or null. */
async function verifiedTokenId(db: Db, token: string, now: number): Promise<string | null> {
  const hit = verified.get(token);
  if (hit && hit.expiresAt > now) return hit.id;
  // Outside the try: a database that cannot give the key is a 500, not a refused token.
  const key = await verifyKey(db);
  try {
    const { payload } = await jwtVerify(token, key, { issuer, algorithms: ['HS256'] });
    if (payload.typ !== 'api' || !payload.sub) return null;
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { id: payload.sub, expiresAt: payload.exp === undefined ? Infinity : payload.exp * 1000 });
    return payload.sub;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null; // malformed, forged or expired
    throw error;
  }
}

/**
 * The system actor behind a bearer token, or null for a forged, expired or revoked one, or one whose
 * issuer could no longer issue it (`mayIssue`): the same read, cached for a few seconds like revocation.
 */
export async function resolveApiToken(db: Db, token: string): Promise<Actor | null> {
  const now = Date.now();
  const id = await verifiedTokenId(db, token, now);
  if (id === null) return null;
  const hit = revokedCache.get(id);
  if (hit && hit.until > now) return hit.actor;
  const { rows } = await db.query<ApiTokenRow & { issuer: Issuer | null }>(
    `SELECT t.*, CASE WHEN u.id IS NOT NULL THEN json_build_object('kind', u.kind, 'roles', u.roles, 'departmentId', u.department_id,
              'divisionCode', u.division_code, 'disabled', u.disabled) END AS issuer
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
      WHERE t.id = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`, [id]);
  const row = rows[0];
  const valid = row !== undefined && (row.created_by === null || (row.issuer !== null && mayIssue(row.issuer, row)));
  const actor: Actor | null = valid ? {
    kind: 'system', id: `token:${row.id}`, name: row.name, roles: row.roles,
    grants: new Set([...grantsOf(row.roles)].filter((action) => !personalActions.includes(action))),
    jurisdiction: jurisdictionOf(row.division_code), departmentId: row.department_id,
  } : null;
  revokedCache.set(id, { actor, until: now + 5_000 });
  return actor;
}

export async function listApiTokens(db: Queryable, actor: Actor): Promise<ApiTokenRow[]> {
  assertCan(actor, 'auth.token.manage');
  const params: unknown[] = [];
  const { rows } = await db.query<ApiTokenRow>(
    `SELECT * FROM api_tokens WHERE ${inJurisdiction('division_code', actor.jurisdiction, params)} ORDER BY created_at DESC LIMIT 500`, params);
  return rows;
}
