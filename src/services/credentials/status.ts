/**
 * Token Status Lists (draft-ietf-oauth-status-list) for revocation: each credential owns one bit in a
 * list of its issuer; 1 means revoked. The list is served as a JWT signed by the issuer. A signed list
 * is kept in memory only while its row's `version` is unchanged, so a revocation shows at once here;
 * outside verifiers may cache it for `ttl` seconds.
 */
import { Jwt } from '@sd-jwt/core';
import { createHeaderAndPayload, getListFromStatusListJWT, StatusList, type StatusListJWTHeaderParameters } from '@sd-jwt/jwt-status-list';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { publicBaseUrl, signingKey } from './issuers.ts';
import { es256Signer, signAlg } from './sdjwt.ts';

/** 2^17 entries: 16 KiB of bits, compressed to a few hundred bytes while few are revoked. */
export const statusListSize = 131_072;
/** Seconds an outside verifier may cache a list; a signed list here is re-signed after this long. */
export const statusListTtl = 60;

export const statusListUri = (listId: number) => `${publicBaseUrl()}/credentials/status/${listId}`;

/** A free index in the issuer's newest list (a new list when that one is full). */
export async function allocateStatus(tx: Queryable, departmentId: number): Promise<{ listId: number; index: number; uri: string }> {
  const { rows } = await tx.query<{ id: string; index: number }>(
    `UPDATE credential_status_lists SET next_index = next_index + 1
      WHERE id = (SELECT id FROM credential_status_lists WHERE department_id = $1 AND next_index < size ORDER BY id DESC LIMIT 1)
        AND next_index < size
      RETURNING id, next_index - 1 AS index`, [departmentId]);
  let row = rows[0];
  if (!row) {
    row = (await tx.query<{ id: string; index: number }>(
      `INSERT INTO credential_status_lists (department_id, size, next_index) VALUES ($1, $2, 1) RETURNING id, 0 AS index`,
      [departmentId, statusListSize])).rows[0]!;
  }
  const listId = Number(row.id);
  return { listId, index: row.index, uri: statusListUri(listId) };
}

/** Marks the list changed, in the revoking transaction. */
export async function bumpStatusList(tx: Queryable, listId: number): Promise<void> {
  await tx.query('UPDATE credential_status_lists SET version = version + 1 WHERE id = $1', [listId]);
}

interface SignedList {
  departmentId: number;
  version: string;
  signedAt: number;
  token: string;
  list: StatusList;
}
const signedLists = new Map<string, SignedList>();

/**
 * The current signed status list token, or null for an unknown list. Cached per (database list id,
 * version); the cache key includes the issuer's list URI so that two databases in one process (tests)
 * never share an entry.
 */
export async function currentStatusList(db: Queryable, listId: number, now = new Date()): Promise<SignedList | null> {
  const { rows } = await db.query<{ department_id: string; size: number; version: string }>(
    'SELECT department_id, size, version FROM credential_status_lists WHERE id = $1', [listId]);
  const row = rows[0];
  if (!row) return null;
  const { kid, privateKey } = await signingKey(db, Number(row.department_id));
  const cacheKey = `${kid}/${listId}`;
  const seconds = Math.floor(now.getTime() / 1000);
  const cached = signedLists.get(cacheKey);
  if (cached && cached.version === row.version && seconds - cached.signedAt < statusListTtl) return cached;

  const revoked = await db.query<{ status_index: number }>(
    'SELECT status_index FROM credentials WHERE status_list_id = $1 AND revoked_at IS NOT NULL', [listId]);
  const bits = new Array<number>(row.size).fill(0);
  for (const r of revoked.rows) bits[r.status_index] = 1;
  const list = new StatusList(bits, 1);
  const { header, payload } = createHeaderAndPayload(list,
    { sub: statusListUri(listId), iat: seconds, exp: seconds + 10 * statusListTtl, ttl: statusListTtl },
    { alg: signAlg, typ: 'statuslist+jwt', kid } satisfies StatusListJWTHeaderParameters);
  const jwt = new Jwt({ header, payload });
  const token = await jwt.sign(es256Signer(privateKey));
  const signed = { departmentId: Number(row.department_id), version: row.version, signedAt: seconds, token, list: getListFromStatusListJWT(token) };
  signedLists.set(cacheKey, signed);
  return signed;
}

/**
 * The list id in a status list URI of this platform's shape, or null. The caller MUST still check that
 * the list belongs to the credential's issuer (`departmentId` of the signed list).
 */
export function statusListIdOf(uri: string): number | null {
  const match = /\/credentials\/status\/([1-9][0-9]{0,15})$/.exec(uri);
  return match ? Number(match[1]) : null;
}

export const unknownStatusList = () =>
  new DomainError('credentials.unknown-status-list', { status: 422, field: 'presentation' }, 'the status list is not one of this platform\'s');
