/**
 * Issuers (发证机关) and their signing keys. A department becomes an issuer the first time it issues;
 * its ES256 key pair is made then, the private half stored encrypted under the platform's key
 * encryption key, and never leaves this file. Rotation retires the current key but keeps its public
 * half in the JWKS, so that credentials it signed still verify.
 */
import crypto from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Ctx } from '../../kernel/auth/index.ts';
import { loadConfig } from '../../kernel/config/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { findDepartment } from '../../kernel/org/index.ts';
import { secret } from '../../kernel/secrets.ts';
import { assertIssuerStaff, credentialActions } from './policy.ts';
import { newP256KeyPair } from './sdjwt.ts';

/**
 * Base of issuer identifiers and status list URLs: where outside verifiers reach this platform
 * (`YIWANG_PUBLIC_URL`; by default the address the platform listens on).
 */
export function publicBaseUrl(): string {
  const { host, port } = loadConfig();
  return (process.env.YIWANG_PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, '');
}

export interface Issuer {
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  divisionCode: string;
  /** The `iss` of its credentials. */
  issuer: string;
}

export interface SigningKey {
  kid: string;
  privateKey: crypto.KeyObject;
}

export interface PublicKey {
  kid: string;
  publicKey: crypto.KeyObject;
  retired: boolean;
}

// Keys never change once made, so a decrypted key is kept per kid (a JWK thumbprint, unique per key).
const privateKeys = new Map<string, crypto.KeyObject>();
const publicKeys = new Map<string, crypto.KeyObject>();

const keyEncryptionKey = (db: Queryable) => secret(db, 'credentials.key-encryption-key', () => crypto.randomBytes(32));

/**
 * Seals a private key with AES-256-GCM under the key-encryption key; `owner` (a kid, a credential id) is
 * the associated data, so a stored key cannot be moved onto another row.
 */
export async function sealPrivateKey(db: Queryable, owner: string, key: crypto.KeyObject): Promise<Buffer> {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', await keyEncryptionKey(db), iv).setAAD(Buffer.from(owner));
  const sealed = Buffer.concat([cipher.update(key.export({ format: 'der', type: 'pkcs8' })), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

export async function openPrivateKey(db: Queryable, owner: string, stored: Buffer): Promise<crypto.KeyObject> {
  const decipher = crypto.createDecipheriv('aes-256-gcm', await keyEncryptionKey(db), stored.subarray(0, 12)).setAAD(Buffer.from(owner));
  decipher.setAuthTag(stored.subarray(12, 28));
  const der = Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

interface IssuerRow {
  department_id: string;
  issuer: string;
  code: string;
  name: string;
  division_code: string;
}

const issuerOf = (row: IssuerRow): Issuer => ({
  departmentId: Number(row.department_id), departmentCode: row.code, departmentName: row.name, divisionCode: row.division_code, issuer: row.issuer,
});

const issuerSelect = `SELECT i.department_id, i.issuer, d.code, d.name, d.division_code
  FROM credential_issuers i JOIN departments d ON d.id = i.department_id`;

/** The registered issuer whose `iss` this is, or null: the verifier trusts no other. */
export async function findIssuer(db: Queryable, iss: string): Promise<Issuer | null> {
  const { rows } = await db.query<IssuerRow>(`${issuerSelect} WHERE i.issuer = $1`, [iss]);
  return rows[0] ? issuerOf(rows[0]) : null;
}

/** The issuer of a department by its code (the last segment of its issuer URL), or null. */
export async function findIssuerByCode(db: Queryable, departmentCode: string): Promise<Issuer | null> {
  const { rows } = await db.query<IssuerRow>(`${issuerSelect} WHERE d.code = $1`, [departmentCode]);
  return rows[0] ? issuerOf(rows[0]) : null;
}

/** Registers the department as an issuer, with its first key, unless it is one already. */
export async function ensureIssuer(tx: Queryable, departmentId: number): Promise<Issuer> {
  const department = await findDepartment(tx, departmentId);
  if (!department) throw new DomainError('credentials.department-unknown', { field: 'issuerDepartmentId', departmentId });
  const issuer = `${publicBaseUrl()}/credentials/issuers/${encodeURIComponent(department.code)}`;
  const { rowCount } = await tx.query(
    'INSERT INTO credential_issuers (department_id, issuer) VALUES ($1, $2) ON CONFLICT (department_id) DO NOTHING', [departmentId, issuer]);
  if (rowCount === 1) await addKey(tx, departmentId);
  return (await findIssuerByCode(tx, department.code))!;
}

async function addKey(tx: Queryable, departmentId: number): Promise<string> {
  const { privateKey, publicJwk } = newP256KeyPair();
  const jwk = publicJwk as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  await tx.query('INSERT INTO credential_issuer_keys (kid, department_id, public_jwk, private_key) VALUES ($1, $2, $3, $4)',
    [kid, departmentId, { ...jwk, kid, alg: 'ES256', use: 'sig' }, await sealPrivateKey(tx, kid, privateKey)]);
  privateKeys.set(kid, privateKey);
  return kid;
}

/** The issuer's current signing key. */
export async function signingKey(db: Queryable, departmentId: number): Promise<SigningKey> {
  const { rows } = await db.query<{ kid: string; private_key: Buffer }>(
    'SELECT kid, private_key FROM credential_issuer_keys WHERE department_id = $1 AND retired_at IS NULL', [departmentId]);
  const row = rows[0];
  if (!row) throw new DomainError('credentials.issuer-without-key', { status: 409, departmentId });
  let key = privateKeys.get(row.kid);
  if (!key) privateKeys.set(row.kid, (key = await openPrivateKey(db, row.kid, row.private_key)));
  return { kid: row.kid, privateKey: key };
}

/** A key of the issuer by kid, current or retired, or null when the issuer never had it. */
export async function issuerPublicKey(db: Queryable, departmentId: number, kid: string): Promise<PublicKey | null> {
  const { rows } = await db.query<{ public_jwk: JWK; retired_at: Date | null }>(
    'SELECT public_jwk, retired_at FROM credential_issuer_keys WHERE department_id = $1 AND kid = $2', [departmentId, kid]);
  const row = rows[0];
  if (!row) return null;
  let key = publicKeys.get(kid);
  if (!key) publicKeys.set(kid, (key = crypto.createPublicKey({ key: row.public_jwk as crypto.JsonWebKey, format: 'jwk' })));
  return { kid, publicKey: key, retired: row.retired_at !== null };
}

/** The issuer's JWKS (RFC 7517): every key it has signed with, newest first. Public halves only. */
export async function issuerJwks(db: Queryable, departmentId: number): Promise<{ keys: JWK[] }> {
  const { rows } = await db.query<{ public_jwk: JWK }>(
    'SELECT public_jwk FROM credential_issuer_keys WHERE department_id = $1 ORDER BY created_at DESC, kid', [departmentId]);
  return { keys: rows.map((r) => r.public_jwk) };
}

/** 密钥轮换: a new signing key for the issuer; the old one verifies what it signed. Data officer or admin of the department. */
export async function rotateIssuerKey(ctx: Ctx, input: { departmentId: number }): Promise<{ kid: string; retired: string[] }> {
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('credentials.department-unknown', { status: 404, field: 'departmentId' });
  assertIssuerStaff(ctx.actor, credentialActions.manage, { departmentId: input.departmentId, divisionCode: department.divisionCode });
  await ensureIssuer(ctx.tx, input.departmentId);
  const { rows } = await ctx.tx.query<{ kid: string }>(
    'UPDATE credential_issuer_keys SET retired_at = $2 WHERE department_id = $1 AND retired_at IS NULL RETURNING kid', [input.departmentId, ctx.now]);
  const kid = await addKey(ctx.tx, input.departmentId);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'credentials.key.rotated', object: { type: 'department', id: input.departmentId },
    payload: { kid, retired: rows.map((r) => r.kid) }, at: ctx.now,
  });
  return { kid, retired: rows.map((r) => r.kid) };
}
