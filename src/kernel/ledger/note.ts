/**
 * Signed checkpoints in the C2SP formats, so that witnesses and verifiers written for Go's sumdb/note and
 * Tessera can check ours: https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint.
 */
import crypto from 'node:crypto';

/** Signature algorithm byte of Ed25519 keys in signed notes. */
const ed25519Type = 0x01;
// PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), the only way node:crypto takes one.
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
// SubjectPublicKeyInfo wrapping of a raw 32-byte Ed25519 public key (RFC 8410).
const spkiEd25519Prefix = Buffer.from('302a300506032b6570032100', 'hex');

export interface NoteSigner {
  /** Key name; for the ledger it is also the checkpoint origin. */
  name: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  sign(message: Uint8Array): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyHash: Buffer;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Key names are printed in signature lines: no whitespace, no '+', not empty. */
function assertKeyName(name: string): void {
  if (!name || /[\s+]/u.test(name)) throw new RangeError(`"${name}" is not a valid note key name`);
}

/** Key hash = first 4 bytes of SHA-256(key name || 0x0A || 0x01 || public key). */
export function keyHash(name: string, publicKey: Uint8Array): Buffer {
  return crypto.createHash('sha256')
    .update(name).update(Buffer.from([0x0a, ed25519Type])).update(publicKey)
    .digest().subarray(0, 4);
}

/** Ed25519 note signer from a 32-byte seed. */
export function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  assertKeyName(name);
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed has 32 bytes');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([pkcs8Ed25519Prefix, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  return { name, publicKey, sign: (message) => crypto.sign(null, message, privateKey) };
}

/** Verifier key text: `<name>+<key hash, 8 hex digits>+<base64(0x01 || public key)>`. */
export function verifierKeyText(name: string, publicKey: Uint8Array): string {
  return `${name}+${keyHash(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ed25519Type]), publicKey]).toString('base64')}`;
}

/** Parses a verifier key text; throws when it is malformed or its key hash does not match the key. */
export function parseVerifierKey(text: string): NoteVerifier {
  // The base64 key may itself contain '+', so only the first two split the fields.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  if (!match) throw new RangeError('malformed verifier key');
  const [, name, hashHex, keyB64] = match as unknown as [string, string, string, string];
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== ed25519Type || key.toString('base64') !== keyB64) throw new RangeError('verifier key is not a base64 Ed25519 key');
  const publicKey = key.subarray(1);
  const hash = keyHash(name, publicKey);
  if (hash.toString('hex') !== hashHex) throw new RangeError('verifier key hash does not match its key');
  const keyObject = crypto.createPublicKey({ key: Buffer.concat([spkiEd25519Prefix, publicKey]), format: 'der', type: 'spki' });
  return { name, keyHash: hash, verify: (message, signature) => crypto.verify(null, message, keyObject, signature) };
}

/**
 * Signs a note: the text (each line ending in a newline), a blank line, then
 * `— <key name> <base64(key hash || signature)>` (U+2014 EM DASH and a space).
 */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n')) throw new RangeError('note text must end with a newline');
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  const blob = Buffer.concat([keyHash(signer.name, signer.publicKey), signature]).toString('base64');
  return `${text}\n\u2014 ${signer.name} ${blob}\n`;
}

/**
 * Returns the text of `note` when one of its signatures is a valid signature by `verifier`, else null.
 * Signatures by other keys are ignored, as the signed-note format allows cosignatures.
 */
export function openNote(note: string, verifier: NoteVerifier): string | null {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const text = note.slice(0, split + 1);
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) return null;
    if (match[1] !== verifier.name) continue;
    const blob = Buffer.from(match[2]!, 'base64');
    if (blob.length !== 4 + 64 || !blob.subarray(0, 4).equals(verifier.keyHash)) continue;
    if (verifier.verify(Buffer.from(text, 'utf8'), blob.subarray(4))) return text;
  }
  return null;
}

export interface CheckpointBody {
  origin: string;
  size: number;
  rootHash: Buffer;
}

/** tlog-checkpoint body: origin line, decimal tree size line, base64 root hash line. */
export function checkpointText({ origin, size, rootHash }: CheckpointBody): string {
  return `${origin}\n${size}\n${rootHash.toString('base64')}\n`;
}

/** Reads a checkpoint body; extension lines after the root hash are allowed by the format and ignored. */
export function parseCheckpointText(text: string): CheckpointBody | null {
  const [origin, sizeLine, rootLine] = text.split('\n');
  if (!origin || !sizeLine || !rootLine || !/^(0|[1-9][0-9]*)$/.test(sizeLine)) return null;
  const size = Number(sizeLine);
  const rootHash = Buffer.from(rootLine, 'base64');
  if (!Number.isSafeInteger(size) || rootHash.length !== 32 || rootHash.toString('base64') !== rootLine) return null;
  return { origin, size, rootHash };
}
