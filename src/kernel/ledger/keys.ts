import crypto from 'node:crypto';
import { loadConfig } from '../config/index.ts';
import type { Queryable } from '../db/index.ts';
import { ed25519Signer, verifierKeyText, type NoteSigner } from './note.ts';

const signingKeySecret = 'ledger.signing-key';

/**
 * The checkpoint signer: the installation's Ed25519 key (a 32-byte seed in kernel_secrets, made at first
 * use) named by the ledger origin. Two processes starting at once keep whichever key was stored first.
 */
export async function ledgerSigner(db: Queryable, origin = loadConfig().ledgerOrigin): Promise<NoteSigner> {
  await db.query('INSERT INTO kernel_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [signingKeySecret, crypto.randomBytes(32)]);
  const { rows } = await db.query<{ value: Buffer }>('SELECT value FROM kernel_secrets WHERE name = $1', [signingKeySecret]);
  return ed25519Signer(origin, rows[0]!.value);
}

/** Verifier key text for the ledger's checkpoints (`<origin>+<key hash>+<base64 key>`), to publish. */
export async function ledgerVerifierKey(db: Queryable, origin = loadConfig().ledgerOrigin): Promise<string> {
  const signer = await ledgerSigner(db, origin);
  return verifierKeyText(signer.name, signer.publicKey);
}
