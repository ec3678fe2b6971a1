/**
 * SD-JWT (RFC 9901) plumbing: the @sd-jwt libraries do the format of what is issued; Node's crypto does
 * ES256 signatures, SHA-256 digests and salts. A verifier decodes JWTs here, with Node's base64url, since
 * that is most of its work besides the two signature checks. What the libraries leave out of RFC 9901 §7.1 (a digest used twice, a
 * disclosure no digest refers to) is checked here, since a verifier MUST reject both.
 */
import crypto from 'node:crypto';
import type { Hasher, SaltGenerator, Signer } from '@sd-jwt/types';
import { DomainError } from '../../kernel/errors.ts';

export const signAlg = 'ES256';

export const hasher: Hasher = (data, alg) => {
  if (alg.toLowerCase() !== 'sha-256') throw new DomainError('credentials.unsupported-hash', { status: 422, field: 'presentation', alg });
  return crypto.createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data)).digest();
};

// Salts come from the CSPRNG in 4 KiB draws: one call per salt costs more than the salt's hashing.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** 128-bit salts (length 16), as RFC 9901 §9.3 recommends; each byte is used once. */
export const saltGenerator: SaltGenerator = (length) => {
  if (length > pool.length) return crypto.randomBytes(length).toString('base64url');
  if (poolOffset + length > pool.length) {
    crypto.randomFillSync(pool);
    poolOffset = 0;
  }
  const salt = pool.toString('base64url', poolOffset, poolOffset + length);
  poolOffset += length;
  return salt;
};

/**
 * A new P-256 key pair: the public key as a JWK, the private key as a KeyObject. Both leave the generation
 * encoded and are read back: exporting a KeyObject just generated can deadlock Node 20, when garbage
 * collection finalises the generating job in the middle of the export (seen in the credentials benchmark).
 */
export function newP256KeyPair(): { publicJwk: crypto.JsonWebKey; privateKey: crypto.KeyObject } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return {
    publicJwk: crypto.createPublicKey({ key: publicKey, format: 'der', type: 'spki' }).export({ format: 'jwk' }),
    privateKey: crypto.createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' }),
  };
}

/** ES256 signs as JOSE wants it: r‖s, not DER. */
export function es256Signer(privateKey: crypto.KeyObject): Signer {
  return (data) => crypto.sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** A compact JWS as sent: its decoded header and payload, and the signing input and signature to check. */
export interface Jws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/**
 * Decodes a compact JWS (RFC 7515 §7.2.1: three base64url parts, header and payload JSON objects), or null
 * when it is not one. The signature is checked over the signing input exactly as sent, never re-encoded.
 */
export function decodeJws(compact: string): Jws | null {
  const first = compact.indexOf('.');
  const second = compact.indexOf('.', first + 1);
  if (first < 0 || second < 0 || compact.includes('.', second + 1)) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(compact.slice(0, first), 'base64url').toString('utf8'));
    const payload: unknown = JSON.parse(Buffer.from(compact.slice(first + 1, second), 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return null;
    return { header, payload, signingInput: compact.slice(0, second), signature: Buffer.from(compact.slice(second + 1), 'base64url') };
  } catch {
    return null; // not base64url JSON: not a JWS
  }
}

/** Whether the ES256 signature (r‖s) of a decoded JWS is by `publicKey`. */
export const es256Valid = (jws: Jws, publicKey: crypto.KeyObject) =>
  crypto.verify('sha256', Buffer.from(jws.signingInput, 'latin1'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jws.signature);

/** Why a JWT is outside its validity at `now` (seconds), allowing `skew`: its iat or nbf is ahead, or its exp passed. */
export function outsideValidity(payload: Record<string, unknown>, now: number, skew = 0): 'not-yet-valid' | 'expired' | null {
  const { iat, nbf, exp } = payload;
  if ((typeof iat === 'number' && iat - skew > now) || (typeof nbf === 'number' && nbf - skew > now)) return 'not-yet-valid';
  if (typeof exp === 'number' && exp + skew < now) return 'expired';
  return null;
}

/** The digest of a disclosure as it appears in the payload: SHA-256 over its base64url text. */
export const disclosureDigest = (encoded: string) => crypto.createHash('sha256').update(encoded).digest('base64url');

/** The parts of a compact SD-JWT or SD-JWT+KB. */
export interface SdJwtParts {
  issuerJwt: string;
  disclosures: string[];
  /** The Key Binding JWT, when the presentation ends with one instead of `~`. */
  keyBindingJwt: string | null;
}

export function splitSdJwt(compact: string): SdJwtParts {
  const parts = compact.split('~');
  if (parts.length < 2 || parts.some((p, i) => p === '' && i !== parts.length - 1))
    throw new DomainError('credentials.malformed', { field: 'presentation' }, 'not a compact SD-JWT (issuer JWT~disclosures~)');
  const last = parts.pop()!;
  return { issuerJwt: parts[0]!, disclosures: parts.slice(1), keyBindingJwt: last === '' ? null : last };
}

/**
 * RFC 9901 §7.1 steps 3–5 over the payload of an issuer JWT whose signature was checked: replaces each
 * digest with its disclosure, refuses a digest that appears twice and a disclosure that no digest in
 * the payload (or in another disclosure used) refers to, and returns the processed payload. One pass
 * does the checks and the replacement, since the library's getClaims skips both checks.
 * MUST be called with the disclosures exactly as presented.
 */
export function processDisclosures(payload: Record<string, unknown>, disclosures: string[]): Record<string, unknown> {
  const byDigest = new Map<string, unknown[]>();
  for (const encoded of disclosures) byDigest.set(disclosureDigest(encoded), decodeDisclosure(encoded));
  if (byDigest.size !== disclosures.length) throw new DomainError('credentials.duplicate-disclosure', { status: 422, field: 'presentation' });
  const seen = new Set<string>();
  const take = (digest: unknown, kind: 'object' | 'array'): unknown[] | undefined => {
    const key = String(digest);
    if (seen.has(key)) throw new DomainError('credentials.duplicate-digest', { status: 422, field: 'presentation' }, `digest ${key} appears twice`);
    seen.add(key);
    const disclosure = byDigest.get(key);
    if (!disclosure) return undefined; // a decoy, or a claim the holder did not disclose
    if ((disclosure.length === 2) !== (kind === 'array'))
      throw new DomainError('credentials.foreign-disclosure', { status: 422, field: 'presentation' }, 'a disclosure of the wrong kind for its digest');
    byDigest.delete(key);
    return disclosure;
  };
  const processArray = (items: unknown[]): unknown[] => items.flatMap((item) => {
    if (!isObject(item) || !('...' in item)) return [process(item)];
    if (Object.keys(item).length !== 1) throw malformed('an array element digest has other keys');
    const disclosure = take(item['...'], 'array');
    return disclosure ? [process(disclosure[1])] : [];
  });
  const process = (node: unknown): unknown => {
    if (Array.isArray(node)) return processArray(node);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) if (key !== '_sd' && key !== '_sd_alg') out[key] = process(value);
    if (node._sd === undefined) return out;
    if (!Array.isArray(node._sd)) throw malformed('_sd is not an array');
    for (const digest of node._sd) {
      const disclosure = take(digest, 'object');
      if (!disclosure) continue;
      const name = disclosure[1] as string;
      if (name in out) throw malformed(`claim ${name} is both disclosed and in the clear`);
      out[name] = process(disclosure[2]);
    }
    return out;
  };
  const processed = process(payload) as Record<string, unknown>;
  if (byDigest.size > 0)
    throw new DomainError('credentials.foreign-disclosure', { status: 422, field: 'presentation', count: byDigest.size },
      'a disclosure does not belong to this credential');
  return processed;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const malformed = (detail: string) => new DomainError('credentials.malformed', { field: 'presentation' }, detail);

/** A disclosure is base64url JSON: [salt, name, value] for a property, [salt, value] for an array element. */
function decodeDisclosure(encoded: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw malformed('a disclosure is not base64url JSON');
  }
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3) || typeof value[0] !== 'string')
    throw malformed('a disclosure is not [salt, name, value] or [salt, value]');
  if (value.length === 3 && (typeof value[1] !== 'string' || ['_sd', '...'].includes(value[1])))
    throw malformed('a disclosure names a reserved or non-string claim');
  return value;
}
