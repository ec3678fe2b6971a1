/**
 * Checks the ledger's evidence in the browser, trusting nothing but the verifier key: the checkpoint's
 * Ed25519 signature (C2SP signed-note) and inclusion proofs (RFC 9162 §2.1.3.2). WebCrypto only.
 */
import type { ApiResponse } from '../api/types.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** The signed text: every line up to and including the newline before the blank line. */
  body: string;
  signatures: { keyName: string; keyHash: Uint8Array; signature: Uint8Array }[];
}

export interface VerifierKey {
  name: string;
  keyHash: Uint8Array;
  publicKey: Uint8Array;
}

const encoder = new TextEncoder();

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** Parses a signed checkpoint note; throws on anything that is not one. */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('checkpoint has no signature block');
  const body = note.slice(0, split + 1);
  const [origin, sizeLine, rootLine] = body.split('\n');
  if (!origin || !sizeLine || !/^(0|[1-9][0-9]*)$/.test(sizeLine) || !rootLine) throw new Error('malformed checkpoint body');
  const rootHash = fromBase64(rootLine);
  if (rootHash.length !== 32) throw new Error('checkpoint root hash is not 32 bytes');
  const signatures = note.slice(split + 2).split('\n').filter(Boolean).map((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new Error('malformed signature line');
    const blob = fromBase64(match[2]!);
    return { keyName: match[1]!, keyHash: blob.slice(0, 4), signature: blob.slice(4) };
  });
  return { origin, size: Number(sizeLine), rootHash, body, signatures };
}

/** Key hash of a note key: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export async function noteKeyHash(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(encoder.encode(name), new Uint8Array([0x0a, 0x01]), publicKey)).slice(0, 4);
}

/** Parses `<name>+<key hash hex>+<base64(0x01 ‖ public key)>`. */
export function parseVerifierKey(text: string): VerifierKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!match) throw new Error('malformed verifier key');
  const key = fromBase64(match[3]!);
  if (key.length !== 33 || key[0] !== 0x01) throw new Error('verifier key is not an Ed25519 key');
  const keyHash = Uint8Array.from(match[2]!.match(/../g)!, (h) => parseInt(h, 16));
  return { name: match[1]!, keyHash, publicKey: key.slice(1) };
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'no-signature' | 'key-hash-mismatch' | 'bad-signature' | 'unsupported' };

/** Is the checkpoint signed by the key? Only the signature line naming the key counts (others may be cosigners). */
export async function verifyCheckpointSignature(checkpoint: Checkpoint, key: VerifierKey): Promise<SignatureCheck> {
  if (!sameBytes(await noteKeyHash(key.name, key.publicKey), key.keyHash)) return { ok: false, reason: 'key-hash-mismatch' };
  const line = checkpoint.signatures.find((s) => s.keyName === key.name && sameBytes(s.keyHash, key.keyHash));
  if (!line || line.signature.length !== 64) return { ok: false, reason: 'no-signature' };
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey('raw', key.publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return { ok: false, reason: 'unsupported' }; // a browser without Ed25519 in WebCrypto
  }
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, line.signature as BufferSource, encoder.encode(checkpoint.body));
  return valid ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

/** RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 ‖ leaf bytes). */
export const hashLeaf = (data: Uint8Array) => sha256(new Uint8Array([0x00]), data);

const hashChildren = (left: Uint8Array, right: Uint8Array) => sha256(new Uint8Array([0x01]), left, right);

/**
 * RFC 9162 §2.1.3.2: the root that an inclusion proof for leaf `index` in a tree of `size` leaves leads
 * to, or null when the proof cannot belong to such a tree (wrong length, index out of range, a hash
 * that is not 32 bytes).
 * Indexes are plain numbers, so halving uses Math.floor rather than 32-bit shifts.
 */
export async function rootFromInclusionProof(index: number, size: number, leafHash: Uint8Array, proof: Uint8Array[]): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leafHash.length !== 32 || proof.some((p) => p.length !== 32)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  const odd = (n: number) => n % 2 === 1;
  for (const p of proof) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = await hashChildren(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** A ledger entry as the API lists it. */
export type LedgerEntry = ApiResponse<'/ledger/entries/{index}'>;

/**
 * The bytes the ledger hashes into a leaf, rebuilt from an entry's fields: a JSON array without
 * whitespace of index, actor kind, actor id, action, object type, object id, purpose, payload hash (hex)
 * and the time as ISO 8601 UTC with milliseconds.
 */
export function entryLeafData(entry: LedgerEntry): Uint8Array {
  return encoder.encode(JSON.stringify([
    entry.index, entry.actor.kind, entry.actor.id, entry.action, entry.object?.type ?? null, entry.object?.id ?? null,
    entry.purpose, entry.payloadHash, new Date(entry.recordedAt).toISOString(),
  ]));
}
