/**
 * 电子证照: issuing an e-certificate as an SD-JWT VC, the holder's wallet, presentations with only the
 * claims the holder picks, and revocation by the issuer.
 */
import crypto from 'node:crypto';
import { SDJwtVcInstance, type SdJwtVcPayload } from '@sd-jwt/sd-jwt-vc';
import type { DisclosureFrame, PresentationFrame } from '@sd-jwt/types';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { assertCan, getUser, systemActor, type Actor, type Ctx } from '../../kernel/auth/index.ts';
import { chinaDay } from '../../kernel/calendar/index.ts';
import { checkResidentId, residentIdFacts } from '../../kernel/checks/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { ensureIssuer, openPrivateKey, publicBaseUrl, sealPrivateKey, signingKey, type SigningKey } from './issuers.ts';
import { assertIssuerStaff, credentialActions, registerScope } from './policy.ts';
import { decodeJws, es256Signer, es256Valid, hasher, newP256KeyPair, saltGenerator, signAlg, splitSdJwt } from './sdjwt.ts';
import { allocateStatus, bumpStatusList, statusListUri } from './status.ts';
import { ageThresholds, credentialTypeOf, type CredentialType } from './types.ts';

export type ClaimValue = string | number | boolean;

/** The holder as the certificate names them; the birth date comes from the resident ID when not given. */
export interface CredentialSubject {
  name: string;
  idNumber?: string;
  birthDate?: string;
}

/**
 * What `issueCredential` needs. This is the contract other modules (办件 approval) call; keep it stable.
 * `actor` and `now` default to the system and the present time.
 */
export interface IssueCredential {
  type: CredentialType;
  issuerDepartmentId: number;
  holderUserId: number;
  subject: CredentialSubject;
  claims: Record<string, ClaimValue>;
  validUntil?: Date;
  applicationId?: string | number;
  actor?: Actor;
  now?: Date;
}

export interface Credential {
  id: string;
  type: CredentialType;
  vct: string;
  issuerDepartmentId: number;
  issuerName: string;
  divisionCode: string;
  holderUserId: number;
  holderName?: string;
  applicationId: string | null;
  claims: Record<string, unknown>;
  issuedAt: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  statusListId: number;
  statusIndex: number;
  /** When the holder bound it to a key on their device; null while the platform keeps its holder key. */
  deviceBoundAt: Date | null;
}

/** The claims of the credential, holder's first, all of them selectively disclosable. */
export function credentialClaims(type: CredentialType, subject: CredentialSubject, claims: Record<string, ClaimValue>, now: Date): Record<string, unknown> {
  const spec = credentialTypeOf(type);
  for (const key of Object.keys(claims))
    if (!(key in spec.claims)) throw new DomainError('credentials.unknown-claim', { field: `claims.${key}`, type });
  for (const [key, def] of Object.entries(spec.claims))
    if (def.required && (claims[key] === undefined || claims[key] === '')) throw new DomainError('credentials.claim-missing', { field: `claims.${key}`, type });
  if (!subject.name?.trim()) throw new DomainError('credentials.claim-missing', { field: 'subject.name' });
  let birthDate = subject.birthDate;
  if (subject.idNumber !== undefined) {
    const checked = checkResidentId(subject.idNumber);
    if (!checked.ok) throw new DomainError('credentials.bad-id-number', { field: 'subject.idNumber' }, checked.message);
    birthDate ??= residentIdFacts(checked.value).birthDate;
  }
  if (birthDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
    throw new DomainError('credentials.bad-birth-date', { field: 'subject.birthDate' });
  return {
    name: subject.name.trim(),
    ...(subject.idNumber !== undefined ? { id_number: subject.idNumber } : {}),
    ...(birthDate !== undefined ? { birthdate: birthDate, age_equal_or_over: agesReached(birthDate, chinaDay(now)) } : {}),
    ...Object.fromEntries(Object.entries(spec.claims).filter(([key]) => claims[key] !== undefined).map(([key]) => [key, claims[key]])),
  };
}

/** {"14": true, ..., "60": false}: whether the holder had reached each age on the day of issue. */
function agesReached(birthDate: string, today: string): Record<string, boolean> {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (today.slice(5) < birthDate.slice(5) ? 1 : 0);
  return Object.fromEntries(ageThresholds.map((age) => [String(age), years >= age]));
}

/** Every claim is disclosable alone; the ages inside age_equal_or_over one by one too. */
function disclosureFrameOf(claims: Record<string, unknown>): DisclosureFrame<SdJwtVcPayload> {
  const ages = claims.age_equal_or_over as Record<string, boolean> | undefined;
  return {
    _sd: Object.keys(claims),
    ...(ages ? { age_equal_or_over: { _sd: Object.keys(ages) } } : {}),
  } as unknown as DisclosureFrame<SdJwtVcPayload>;
}

export interface SignCredential {
  iss: string;
  vct: string;
  issuedAt: Date;
  validUntil?: Date;
  status: { idx: number; uri: string };
  /** The public holder key that Key Binding JWTs of its presentations must be signed with (`cnf`). */
  holderKey?: crypto.JsonWebKey;
  claims: Record<string, unknown>;
}

/** Signs one SD-JWT VC (typ dc+sd-jwt) with every claim as a disclosure. Pure: no database. */
export async function signCredential(key: SigningKey, input: SignCredential): Promise<string> {
  const sdjwt = new SDJwtVcInstance({ hasher, saltGenerator, signer: es256Signer(key.privateKey), signAlg });
  const payload = {
    iss: input.iss,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    ...(input.validUntil ? { exp: Math.floor(input.validUntil.getTime() / 1000) } : {}),
    vct: input.vct,
    status: { status_list: input.status },
    ...(input.holderKey ? { cnf: { jwk: input.holderKey } } : {}),
    ...input.claims,
  } as SdJwtVcPayload;
  return sdjwt.issue(payload, disclosureFrameOf(input.claims), { header: { kid: key.kid } });
}

/**
 * 发证: issues a credential to a holder, signed with the issuing department's key, on the caller's
 * transaction, with a status list entry and a ledger entry. Permission is the caller's business (an
 * approved application, the demo); MUST be called inside the transaction of the act that grants it.
 */
export async function issueCredential(tx: Queryable, input: IssueCredential): Promise<Credential> {
  const now = input.now ?? new Date();
  const actor = input.actor ?? systemActor('credentials');
  const spec = credentialTypeOf(input.type);
  if (input.validUntil && input.validUntil.getTime() <= now.getTime())
    throw new DomainError('credentials.valid-until-past', { field: 'validUntil' });
  if (!(await getUser(tx, input.holderUserId))) throw new DomainError('credentials.holder-unknown', { field: 'holderUserId', holderUserId: input.holderUserId });
  const claims = credentialClaims(input.type, input.subject, input.claims, now);
  const issuer = await ensureIssuer(tx, input.issuerDepartmentId);
  const key = await signingKey(tx, issuer.departmentId);
  const status = await allocateStatus(tx, issuer.departmentId);
  // One holder key per credential, so that presentations of two credentials share no key.
  const holder = newP256KeyPair();
  const sdJwt = await signCredential(key, {
    iss: issuer.issuer, vct: spec.vct, issuedAt: now, validUntil: input.validUntil, status: { idx: status.index, uri: status.uri },
    holderKey: holder.publicJwk, claims,
  });
  const id = crypto.randomUUID();
  await tx.query(
    `INSERT INTO credentials (id, type, vct, issuer_department_id, holder_user_id, application_id, claims, sd_jwt, kid, holder_key, status_list_id,
       status_index, issued_at, valid_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [id, input.type, spec.vct, issuer.departmentId, input.holderUserId, input.applicationId === undefined ? null : String(input.applicationId),
      claims, sdJwt, key.kid, await sealPrivateKey(tx, id, holder.privateKey), status.listId, status.index, now, input.validUntil ?? null]);
  await appendToLedger(tx, {
    actor, action: 'credentials.credential.issued', object: { type: 'credential', id },
    payload: { type: input.type, issuer: issuer.issuer, holderUserId: input.holderUserId, applicationId: input.applicationId ?? null, kid: key.kid },
    at: now,
  });
  return (await findCredential(tx, id))!;
}

interface CredentialRow {
  id: string;
  type: CredentialType;
  vct: string;
  issuer_department_id: string;
  issuer_name: string;
  division_code: string;
  holder_user_id: string;
  holder_name: string;
  application_id: string | null;
  claims: Record<string, unknown>;
  issued_at: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  status_list_id: string;
  status_index: number;
  device_bound_at: Date | null;
}

const credentialSelect = `SELECT c.id, c.type, c.vct, c.issuer_department_id, d.name AS issuer_name, d.division_code, c.holder_user_id,
    u.display_name AS holder_name, c.application_id, c.claims, c.issued_at, c.valid_until, c.revoked_at, c.revoke_reason, c.status_list_id,
    c.status_index, c.device_bound_at
  FROM credentials c JOIN departments d ON d.id = c.issuer_department_id JOIN users u ON u.id = c.holder_user_id`;

const credentialOf = (r: CredentialRow): Credential => ({
  id: r.id, type: r.type, vct: r.vct, issuerDepartmentId: Number(r.issuer_department_id), issuerName: r.issuer_name, divisionCode: r.division_code,
  holderUserId: Number(r.holder_user_id), holderName: r.holder_name, applicationId: r.application_id, claims: r.claims, issuedAt: r.issued_at,
  validUntil: r.valid_until, revokedAt: r.revoked_at, revokeReason: r.revoke_reason, statusListId: Number(r.status_list_id), statusIndex: r.status_index,
  deviceBoundAt: r.device_bound_at,
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findCredential(db: Queryable, id: string): Promise<Credential | null> {
  if (!uuidPattern.test(id)) return null;
  const { rows } = await db.query<CredentialRow>(`${credentialSelect} WHERE c.id = $1`, [id]);
  return rows[0] ? credentialOf(rows[0]) : null;
}

/** 我的证照: the holder's own credentials, newest first. */
export async function listMyCredentials(db: Queryable, actor: Actor): Promise<Credential[]> {
  assertCan(actor, credentialActions.hold);
  const { rows } = await db.query<CredentialRow>(`${credentialSelect} WHERE c.holder_user_id = $1 ORDER BY c.issued_at DESC, c.type, c.id`, [actor.id]);
  return rows.map(credentialOf);
}

/**
 * The holder's credentials that are in force at `now` (not revoked, not expired), optionally of one
 * type: for other modules asking "does the applicant hold a business licence?" so that the
 * certificate replaces a paper material. No permission check: the caller decides whose it asks about.
 */
export async function credentialsInForce(db: Queryable, holderUserId: number, type?: CredentialType, now = new Date()): Promise<Credential[]> {
  const { rows } = await db.query<CredentialRow>(
    `${credentialSelect} WHERE c.holder_user_id = $1 AND c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until > $2)
       AND ($3::text IS NULL OR c.type = $3) ORDER BY c.issued_at DESC, c.id`, [holderUserId, now, type ?? null]);
  return rows.map(credentialOf);
}

/** One entry of the 电子证照库: a certificate about a person or a company, as a base library lists it. */
export interface CertificateEntry {
  id: string;
  type: CredentialType;
  typeName: string;
  issuerName: string;
  /** the certificate's own number where its type has one (结婚证字号, the licence's credit code), else its id */
  number: string;
  issuedAt: Date;
  validUntil: Date | null;
  status: 'valid' | 'revoked' | 'expired';
}

/**
 * 电子证照库: the certificates issued about a subject, found by the holder's resident ID (a person) or the
 * company's credit code (a company) in their claims, newest first. Permission is the caller's: a base library
 * lists them on a golden record that its reader may already see.
 */
export async function certificatesOf(db: Queryable, subject: { kind: 'person' | 'company'; id: string }, now = new Date()): Promise<CertificateEntry[]> {
  const { rows } = await db.query<CredentialRow>(
    `${credentialSelect} WHERE c.claims ->> '${subject.kind === 'person' ? 'id_number' : 'uscc'}' = $1 ORDER BY c.issued_at DESC, c.id LIMIT 100`,
    [subject.id]);
  return rows.map(credentialOf).map((c) => ({
    id: c.id, type: c.type, typeName: credentialTypeOf(c.type).name.zh, issuerName: c.issuerName,
    number: String(c.claims.certificate_number ?? c.claims.uscc ?? c.id), issuedAt: c.issuedAt, validUntil: c.validUntil,
    status: c.revokedAt ? 'revoked' : c.validUntil && c.validUntil <= now ? 'expired' : 'valid',
  }));
}

export interface RegisterQuery {
  departmentId?: number;
  type?: CredentialType;
  limit: number;
  offset: number;
}

/** 发证登记: credentials issued by the actor's department (every issuer in jurisdiction for a platform admin). */
export async function listIssuedCredentials(db: Queryable, actor: Actor, query: RegisterQuery): Promise<{ total: number; items: Credential[] }> {
  assertCan(actor, credentialActions.read);
  const params: unknown[] = [];
  const where = [registerScope(actor, params)];
  if (query.departmentId !== undefined) where.push(`c.issuer_department_id = $${params.push(query.departmentId)}`);
  if (query.type !== undefined) where.push(`c.type = $${params.push(query.type)}`);
  const filter = where.join(' AND ');
  const total = (await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM credentials c JOIN departments d ON d.id = c.issuer_department_id WHERE ${filter}`, params)).rows[0]!.n;
  const { rows } = await db.query<CredentialRow>(
    `${credentialSelect} WHERE ${filter} ORDER BY c.issued_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset]);
  return { total, items: rows.map(credentialOf) };
}

/** 吊销: the issuing department revokes a credential; the status list says so from this commit on. */
export async function revokeCredential(ctx: Ctx, input: { id: string; reason: string }): Promise<Credential> {
  const credential = await findCredential(ctx.tx, input.id);
  if (!credential) throw notFound('credentials.credential', input.id);
  assertIssuerStaff(ctx.actor, credentialActions.revoke, { departmentId: credential.issuerDepartmentId, divisionCode: credential.divisionCode });
  const { rowCount } = await ctx.tx.query(
    'UPDATE credentials SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1 AND revoked_at IS NULL',
    [input.id, ctx.now, `${ctx.actor.kind}:${ctx.actor.id}`, input.reason]);
  if (rowCount !== 1) throw new DomainError('credentials.already-revoked', { status: 409, field: 'id' });
  await bumpStatusList(ctx.tx, credential.statusListId);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'credentials.credential.revoked', object: { type: 'credential', id: input.id },
    payload: { reason: input.reason, statusList: credential.statusListId, index: credential.statusIndex }, at: ctx.now,
  });
  return (await findCredential(ctx.tx, input.id))!;
}

/** The audience of Key Binding JWTs made for this platform's verifier. */
export const presentationAudience = () => `${publicBaseUrl()}/verify`;

/** What a Key Binding JWT must say, for the holder's device to sign when the platform holds no key. */
export interface KeyBindingRequest {
  iat: number;
  aud: string;
  nonce: string;
}

export interface Presentation {
  presentation: string;
  disclosed: string[];
  /** Null when the presentation is complete; otherwise the device appends a KB-JWT with these claims. */
  keyBinding: KeyBindingRequest | null;
}

export interface PresentCredential {
  id: string;
  disclose: string[];
  /** The verifier's nonce (its challenge): the presentation answers that verifier's request only. */
  nonce: string;
  /** The verifier's audience; this platform's verifier unless given. */
  audience?: string;
}

/**
 * 出示: the holder cuts a presentation from their credential holding only the chosen claims, given as
 * paths (`name`, `age_equal_or_over.18`), for one verifier's request (its nonce and audience). It is
 * closed by a Key Binding JWT (time, the verifier's nonce and audience, sd_hash):
 * signed here with the holder key the platform keeps, or, for a credential bound to the holder's
 * device, left for the device to sign (`keyBinding`). See docs/credentials.md §5.
 */
export async function presentCredential(ctx: Ctx, input: PresentCredential): Promise<Presentation> {
  assertCan(ctx.actor, credentialActions.hold);
  const { rows } = await ctx.tx.query<{ sd_jwt: string; holder_user_id: string; claims: Record<string, unknown>; holder_key: Buffer | null }>(
    'SELECT sd_jwt, holder_user_id, claims, holder_key FROM credentials WHERE id = $1', [uuidPattern.test(input.id) ? input.id : null]);
  const row = rows[0];
  if (!row || String(row.holder_user_id) !== ctx.actor.id) throw notFound('credentials.credential', input.id);
  const frame: Record<string, unknown> = {};
  for (const path of input.disclose) {
    const [head, sub, ...rest] = path.split('.');
    const value = row.claims[head!];
    const known = value !== undefined && rest.length === 0
      && (sub === undefined || (head === 'age_equal_or_over' && typeof value === 'object' && value !== null && sub in value));
    if (!known) throw new DomainError('credentials.unknown-claim', { field: 'disclose', claim: path });
    if (sub === undefined) frame[head!] = true;
    else if (frame[head!] !== true) frame[head!] = { ...(frame[head!] as object | undefined), [sub]: true };
  }
  const keyBinding = { iat: Math.floor(ctx.now.getTime() / 1000), aud: input.audience ?? presentationAudience(), nonce: input.nonce };
  const disclosed = [...input.disclose].sort();
  const presentationFrame = frame as PresentationFrame<SdJwtVcPayload>;
  if (row.holder_key === null)
    return { presentation: await new SDJwtVcInstance({ hasher }).present(row.sd_jwt, presentationFrame), disclosed, keyBinding };
  const holderKey = await openPrivateKey(ctx.tx, input.id, row.holder_key);
  const sdjwt = new SDJwtVcInstance({ hasher, kbSigner: es256Signer(holderKey), kbSignAlg: signAlg });
  return { presentation: await sdjwt.present(row.sd_jwt, presentationFrame, { kb: { payload: keyBinding } }), disclosed, keyBinding: null };
}

/** How recent a device's signature over its successor key must be. */
const rebindProofSeconds = 300;

/**
 * The credential's current device key (its `cnf`) signed, within the last five minutes, that `newKey`
 * takes over: a compact ES256 JWS whose payload is `{credential, jwk_thumbprint, iat}`, the thumbprint
 * being RFC 7638's of the new key. Shown again, it can only move the credential to that same new key.
 */
async function deviceProofHolds(sdJwt: string, credentialId: string, newKey: crypto.JsonWebKey, proof: string, now: Date): Promise<boolean> {
  const currentKey = (decodeJws(splitSdJwt(sdJwt).issuerJwt)?.payload.cnf as { jwk?: crypto.JsonWebKey } | undefined)?.jwk;
  const jws = decodeJws(proof);
  if (!currentKey || !jws || jws.header.alg !== signAlg) return false;
  let publicKey: crypto.KeyObject;
  try {
    publicKey = crypto.createPublicKey({ key: currentKey, format: 'jwk' });
  } catch {
    return false; // a key that does not import cannot have signed the proof
  }
  const { credential, jwk_thumbprint: thumbprint, iat } = jws.payload;
  const seconds = now.getTime() / 1000;
  return es256Valid(jws, publicKey) && credential === credentialId
    && thumbprint === await calculateJwkThumbprint(newKey as JWK, 'sha256')
    && typeof iat === 'number' && iat <= seconds + 60 && iat >= seconds - rebindProofSeconds;
}

/**
 * 绑定设备: re-signs the holder's credential with `cnf` set to a public key made on their device
 * (WebCrypto, non-extractable), and drops the platform's holder key: from then on only that device
 * can make presentations of it. Same claims, status entry and date of issue. A credential bound to a
 * device already moves to another key only with `proof`, a signature of the current device key over the
 * new one (see deviceProofHolds); a lost device means a re-issue by the issuer, never a login alone.
 */
export async function bindCredentialToDevice(ctx: Ctx, input: { id: string; jwk: crypto.JsonWebKey; proof?: string }): Promise<Credential> {
  assertCan(ctx.actor, credentialActions.hold);
  const { rows: [row] } = await ctx.tx.query<{ holder_user_id: string; sd_jwt: string }>(
    'SELECT holder_user_id, sd_jwt FROM credentials WHERE id = $1 FOR UPDATE', [uuidPattern.test(input.id) ? input.id : null]);
  const credential = row && String(row.holder_user_id) === ctx.actor.id ? await findCredential(ctx.tx, input.id) : null;
  if (!row || !credential) throw notFound('credentials.credential', input.id);
  if (credential.revokedAt) throw new DomainError('credentials.already-revoked', { status: 409, field: 'id' });
  const { kty, crv, x, y } = input.jwk;
  let deviceKey: crypto.JsonWebKey;
  try {
    if (kty !== 'EC' || crv !== 'P-256' || 'd' in input.jwk) throw new Error('not a P-256 public key');
    deviceKey = crypto.createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }).export({ format: 'jwk' });
  } catch {
    throw new DomainError('credentials.bad-device-key', { field: 'jwk' }, 'the device key must be a P-256 public JWK');
  }
  const rebound = credential.deviceBoundAt !== null;
  if (rebound && input.proof === undefined)
    throw new DomainError('credentials.device-proof-required', { status: 403, field: 'proof' },
      'the credential is bound to a device: sign the new key with that device, or ask the issuer to re-issue');
  if (rebound && !(await deviceProofHolds(row.sd_jwt, input.id, deviceKey, input.proof!, ctx.now)))
    throw new DomainError('credentials.device-proof-invalid', { status: 403, field: 'proof' },
      'the proof is not a recent signature of the current device key over the new key');
  const issuer = await ensureIssuer(ctx.tx, credential.issuerDepartmentId);
  const key = await signingKey(ctx.tx, issuer.departmentId);
  const sdJwt = await signCredential(key, {
    iss: issuer.issuer, vct: credential.vct, issuedAt: credential.issuedAt, validUntil: credential.validUntil ?? undefined,
    status: { idx: credential.statusIndex, uri: statusListUri(credential.statusListId) }, holderKey: deviceKey, claims: credential.claims,
  });
  await ctx.tx.query('UPDATE credentials SET sd_jwt = $2, kid = $3, holder_key = NULL, device_bound_at = $4 WHERE id = $1',
    [input.id, sdJwt, key.kid, ctx.now]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: rebound ? 'credentials.credential.rebound' : 'credentials.credential.bound', object: { type: 'credential', id: input.id },
    payload: { deviceKey, kid: key.kid, ...(rebound ? { provenBy: 'previous-device-key' } : {}) }, at: ctx.now,
  });
  return (await findCredential(ctx.tx, input.id))!;
}
