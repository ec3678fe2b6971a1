/**
 * SD-JWT (RFC 9901) plumbing: the @sd-jwt libraries do the format; Node's crypto does ES256 signatures,
 * SHA-256 digests and salts. What the libraries leave out of RFC 9901 §7.1 (a digest used twice, a
 * disclosure no digest refers to) is checked here, since a verifier MUST reject both.
 */
import crypto from 'node:crypto';
import { Jwt, SDJwt } from '@sd-jwt/core';
import type { Hasher, SaltGenerator, Signer, Verifier } from '@sd-jwt/types';
import { DomainError } from '../../kernel/errors.ts';

export const signAlg = 'ES256';

export const hasher: Hasher = (data, alg) => {
  if (alg.toLowerCase() !== 'sha-256') throw new DomainError('credentials.unsupported-hash', { status: 422, field: 'presentation', alg });
  return crypto.createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data)).digest();
};

/** 128-bit salts, as RFC 9901 §9.3 recommends. */
export const saltGenerator: SaltGenerator = (length) => crypto.randomBytes(length).toString('base64url');

/** ES256 signs as JOSE wants it: r‖s, not DER. */
export function es256Signer(privateKey: crypto.KeyObject): Signer {
  return (data) => crypto.sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

export function es256Verifier(publicKey: crypto.KeyObject): Verifier {
  return (data, signature) =>
    crypto.verify('sha256', Buffer.from(data), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
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
 * RFC 9901 §7.1 steps 3–5 over a payload whose signature was checked: every digest appears once, and
 * every disclosure is referenced by a digest in the payload or in another disclosure that is itself
 * referenced. Returns the processed payload (the library does the replacement). MUST be called with
 * the disclosures exactly as presented.
 */
export async function processDisclosures(issuerJwt: string, disclosures: string[]): Promise<Record<string, unknown>> {
  const decoded = disclosures.map((encoded) => ({ encoded, digest: disclosureDigest(encoded), value: decodeDisclosure(encoded) }));
  const byDigest = new Map(decoded.map((d) => [d.digest, d]));
  if (byDigest.size !== decoded.length) throw new DomainError('credentials.duplicate-disclosure', { status: 422, field: 'presentation' });
  const { payload } = Jwt.decodeJWT<Record<string, unknown>, Record<string, unknown>>(issuerJwt);
  const seen = new Set<string>();
  const referenced = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach((item) => walkArrayItem(item));
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj._sd !== undefined) {
      if (!Array.isArray(obj._sd)) throw malformed('_sd is not an array');
      for (const digest of obj._sd) use(String(digest), 'object');
    }
    for (const [key, value] of Object.entries(obj)) if (key !== '_sd') walk(value);
  };
  const walkArrayItem = (item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item) && '...' in item) {
      if (Object.keys(item).length !== 1) throw malformed('an array element digest has other keys');
      use(String((item as Record<string, unknown>)['...']), 'array');
    } else walk(item);
  };
  const use = (digest: string, where: 'object' | 'array') => {
    if (seen.has(digest)) throw new DomainError('credentials.duplicate-digest', { status: 422, field: 'presentation' }, `digest ${digest} appears twice`);
    seen.add(digest);
    const disclosure = byDigest.get(digest);
    if (!disclosure) return; // a decoy, or a claim the holder did not disclose
    const isArrayElement = disclosure.value.length === 2;
    if (isArrayElement !== (where === 'array'))
      throw new DomainError('credentials.foreign-disclosure', { status: 422, field: 'presentation' }, 'a disclosure of the wrong kind for its digest');
    referenced.add(digest);
    walk(disclosure.value.at(-1));
  };
  walk(payload);
  const foreign = decoded.filter((d) => !referenced.has(d.digest));
  if (foreign.length > 0)
    throw new DomainError('credentials.foreign-disclosure', { status: 422, field: 'presentation', count: foreign.length },
      'a disclosure does not belong to this credential');
  const sdjwt = await SDJwt.fromEncode(`${issuerJwt}~${disclosures.map((d) => `${d}~`).join('')}`, hasher);
  const claims = await sdjwt.getClaims<Record<string, unknown>>(hasher);
  delete claims._sd_alg;
  return claims;
}

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
