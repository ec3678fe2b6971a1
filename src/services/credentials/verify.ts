/**
 * 验证: what a verifier does with a presentation (RFC 9901 §7.1 and §7.3, SD-JWT VC): the issuer is
 * one registered here, the key is one of that issuer's, the signature holds, the credential is in its
 * validity period, every disclosure belongs to it, and its status list entry says valid. Each failure
 * is its own error code, so a verifier can tell a forgery from a revocation.
 */
import crypto from 'node:crypto';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { presentationAudience } from './credentials.ts';
import { findIssuer, issuerPublicKey } from './issuers.ts';
import { useVerifierNonce, type NonceUse } from './nonces.ts';
import { decodeJws, es256Valid, outsideValidity, processDisclosures, signAlg, splitSdJwt } from './sdjwt.ts';
import { currentStatusList, statusListIdOf, unknownStatusList } from './status.ts';
import { typeOfVct, type CredentialType } from './types.ts';

/** Claims that frame the credential rather than say something about the holder. */
const frameClaims = new Set(['iss', 'iat', 'nbf', 'exp', 'vct', 'vct#integrity', 'status', 'cnf', 'sub', '_sd_alg']);

export interface VerifiedIssuer {
  iss: string;
  departmentId: number;
  name: string;
}

export interface Verification {
  valid: true;
  type: CredentialType | null;
  vct: string;
  issuer: VerifiedIssuer;
  kid: string;
  issuedAt: Date | null;
  validUntil: Date | null;
  /** When the holder's wallet made the presentation (its Key Binding JWT). */
  presentedAt: Date | null;
  status: 'valid';
  /** Only what the holder disclosed. */
  claims: Record<string, unknown>;
}

/** How the verifier learns issuers, keys and statuses; the database supplies them, the benchmark a map. */
export interface TrustSource {
  /** The `aud` this verifier accepts in Key Binding JWTs. */
  audience: string;
  /** Uses up a nonce of a Key Binding JWT: 'ok' only for a nonce this verifier issued, unused and unexpired. */
  useNonce(nonce: string, now: Date): Promise<NonceUse>;
  issuer(iss: string): Promise<VerifiedIssuer | null>;
  key(issuer: VerifiedIssuer, kid: string): Promise<crypto.KeyObject | null>;
  /** The status at `idx` of the list at `uri`, which MUST belong to `issuer`; null when it is not a list of it. */
  status(issuer: VerifiedIssuer, uri: string, idx: number): Promise<number | null>;
}

const refuse = (code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new DomainError(`credentials.${code}`, { status: 422, field: 'presentation', ...extra }, detail);

/** How long after its Key Binding JWT was signed a presentation is accepted, and the clock skew allowed. */
export const presentationTtlSeconds = 600;
const skewSeconds = 60;

// Importing a JWK costs half a signature check, and a holder shows the same credential many times.
const holderKeys = new Map<string, crypto.KeyObject>();
/** The holder's public key, or null when the JWK is not one. */
function holderKeyOf(jwk: crypto.JsonWebKey): crypto.KeyObject | null {
  const id = `${jwk.crv}.${jwk.x}.${jwk.y}`;
  let key = holderKeys.get(id);
  if (!key) {
    try {
      key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      return null; // not a public key
    }
    if (holderKeys.size >= 10_000) holderKeys.clear();
    holderKeys.set(id, key);
  }
  return key;
}

/**
 * RFC 9901 §7.3 step 5: a credential with a `cnf` key is accepted only with a Key Binding JWT signed by
 * that key, for this verifier, over exactly the presented SD-JWT (`sd_hash`), and recent. Its nonce is
 * returned for the caller to use up once everything else holds.
 */
function checkKeyBinding(payload: Record<string, unknown>, compact: string, kbJwt: string | null, now: number, audience: string)
  : { presentedAt: Date; nonce: string } | null {
  const jwk = (payload.cnf as { jwk?: crypto.JsonWebKey } | undefined)?.jwk;
  if (!jwk) {
    if (kbJwt !== null) throw refuse('key-binding-invalid', 'a Key Binding JWT for a credential without a holder key');
    return null;
  }
  if (kbJwt === null) throw refuse('key-binding-missing', 'the credential is bound to a holder key; the presentation needs a Key Binding JWT');
  const kb = decodeJws(kbJwt);
  const holderKey = kb && holderKeyOf(jwk);
  if (!kb || !holderKey) throw refuse('key-binding-invalid', 'the Key Binding JWT or the holder key does not decode');
  if (kb.header.typ !== 'kb+jwt' || kb.header.alg !== signAlg) throw refuse('key-binding-invalid', 'not an ES256 kb+jwt');
  const sdHash = crypto.createHash('sha256').update(compact.slice(0, compact.length - kbJwt.length)).digest('base64url');
  if (kb.payload.sd_hash !== sdHash) throw refuse('key-binding-invalid', 'sd_hash does not match the presented SD-JWT');
  if (kb.payload.aud !== audience) throw refuse('key-binding-invalid', 'the presentation was made for another verifier', { aud: kb.payload.aud });
  const { iat } = kb.payload;
  if (typeof kb.payload.nonce !== 'string' || typeof iat !== 'number') throw refuse('key-binding-invalid', 'nonce and iat are required');
  if (!es256Valid(kb, holderKey) || outsideValidity(kb.payload, now, skewSeconds) !== null)
    throw refuse('key-binding-invalid', 'the Key Binding JWT is not signed by the holder key, or is dated in the future');
  if (iat + presentationTtlSeconds < now)
    throw refuse('presentation-expired', 'the presentation is too old: ask the holder for a new one', { madeAt: new Date(iat * 1000).toISOString() });
  return { presentedAt: new Date(iat * 1000), nonce: kb.payload.nonce };
}

const nonceRefusals: Record<Exclude<NonceUse, 'ok'>, [string, string]> = {
  unknown: ['nonce-unknown', 'the presentation does not answer a nonce this verifier issued: ask the verifier for one, then present'],
  used: ['nonce-used', 'this presentation, or another for the same nonce, was verified already: a presentation is shown once'],
  expired: ['nonce-expired', 'the verifier\'s nonce has expired: ask the verifier for a new one'],
};

/** Verifies a compact SD-JWT VC presentation (issuer JWT~disclosures~KB-JWT) against a trust source. */
export async function verifyWith(trust: TrustSource, presentation: string, now = new Date()): Promise<Verification> {
  const compact = presentation.trim();
  const { issuerJwt, disclosures, keyBindingJwt } = splitSdJwt(compact);
  const jwt = decodeJws(issuerJwt);
  if (!jwt) throw new DomainError('credentials.malformed', { field: 'presentation' }, 'the issuer-signed JWT does not decode');
  const { header, payload } = jwt;
  if (header.typ !== 'dc+sd-jwt' || header.alg !== signAlg || typeof header.kid !== 'string')
    throw new DomainError('credentials.malformed', { field: 'presentation' }, 'not an ES256 SD-JWT VC (typ dc+sd-jwt) with a kid');
  if (typeof payload.iss !== 'string' || typeof payload.vct !== 'string')
    throw new DomainError('credentials.malformed', { field: 'presentation' }, 'iss and vct are required');
  const issuer = await trust.issuer(payload.iss);
  if (!issuer) throw refuse('unknown-issuer', 'the issuer is not registered on this platform', { iss: payload.iss });
  const key = await trust.key(issuer, header.kid);
  if (!key) throw refuse('unknown-key', 'the issuer never had this key', { kid: header.kid });
  if (!es256Valid(jwt, key)) throw refuse('bad-signature', 'the issuer\'s signature does not match: the credential was altered');
  const seconds = Math.floor(now.getTime() / 1000);
  const outside = outsideValidity(payload, seconds);
  if (outside === 'expired') throw refuse('expired', 'the credential has expired', { validUntil: new Date(Number(payload.exp) * 1000).toISOString() });
  if (outside === 'not-yet-valid') throw refuse('not-yet-valid', 'the credential is not valid yet');
  const processed = processDisclosures(payload, disclosures);
  const binding = checkKeyBinding(payload, compact, keyBindingJwt, seconds, trust.audience);
  const reference = (payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
  if (!reference || !Number.isInteger(reference.idx) || typeof reference.uri !== 'string')
    throw refuse('no-status', 'the credential has no status list entry');
  const status = await trust.status(issuer, reference.uri, reference.idx as number);
  if (status === null) throw unknownStatusList();
  if (status !== 0) throw refuse('revoked', 'the issuer has revoked the credential');
  // Last, so that only an accepted presentation uses its nonce up (a refused one may be corrected and shown again).
  if (binding) {
    const use = await trust.useNonce(binding.nonce, now);
    if (use !== 'ok') throw refuse(...nonceRefusals[use]);
  }
  return {
    valid: true,
    type: typeOfVct(payload.vct) ?? null,
    vct: payload.vct,
    issuer,
    kid: header.kid,
    issuedAt: typeof payload.iat === 'number' ? new Date(payload.iat * 1000) : null,
    validUntil: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null,
    presentedAt: binding?.presentedAt ?? null,
    status: 'valid',
    claims: Object.fromEntries(Object.entries(processed).filter(([key]) => !frameClaims.has(key))),
  };
}

/** Issuers, keys and status lists from this platform's database; status lists read as they are now. */
export function databaseTrust(db: Queryable, now = new Date()): TrustSource {
  const audience = presentationAudience();
  return {
    audience,
    useNonce: (nonce, at) => useVerifierNonce(db, nonce, audience, at),
    async issuer(iss) {
      const found = await findIssuer(db, iss);
      return found && { iss: found.issuer, departmentId: found.departmentId, name: found.departmentName };
    },
    async key(issuer, kid) {
      return (await issuerPublicKey(db, issuer.departmentId, kid))?.publicKey ?? null;
    },
    async status(issuer, uri, idx) {
      const listId = statusListIdOf(uri);
      const list = listId === null ? null : await currentStatusList(db, listId, now);
      if (!list || list.departmentId !== issuer.departmentId) return null;
      try {
        return list.list.getStatus(idx);
      } catch {
        return null; // beyond the end of the list
      }
    },
  };
}

/** `POST /credentials/verify`: verifies a presentation against this platform's issuers. */
export const verifyPresentation = (db: Queryable, presentation: string, now = new Date()) => verifyWith(databaseTrust(db, now), presentation, now);
