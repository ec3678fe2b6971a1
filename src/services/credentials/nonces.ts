/**
 * 核验挑战: nonces this platform's verifier hands out before it looks at a presentation, as OpenID4VP
 * verifiers do. The holder's Key Binding JWT MUST carry one, unused and unexpired, and the verifier's
 * own audience; a nonce backs one accepted verification only. Without this the holder (or whoever holds
 * the device key) picked the nonce, and a presentation could be shown again to anyone for ten minutes.
 */
import crypto from 'node:crypto';
import { countFromAddress, type AddressLimit, type Ctx } from '../../kernel/auth/index.ts';
import type { Db, Queryable } from '../../kernel/db/index.ts';
import { presentationAudience } from './credentials.ts';

/** How long a verifier's nonce waits for the holder's presentation. */
export const nonceTtlSeconds = 600;

export interface VerifierNonce {
  nonce: string;
  /** What the Key Binding JWT's `aud` must be. */
  audience: string;
  expiresAt: Date;
}

/**
 * Nonces one address may ask for: the endpoint is public and each nonce is a row until the sweep removes it.
 * A busy verification desk asks for one per citizen, far below this.
 */
export const nonceLimit: AddressLimit = { scope: 'verifier-nonce', count: 300, windowMinutes: 10, code: 'credentials.nonce-throttled' };

/** 发起核验: a fresh nonce (128 random bits) for one presentation to this platform's verifier. */
export async function issueVerifierNonce(ctx: Ctx, input: { ip: string }): Promise<VerifierNonce> {
  await countFromAddress(ctx, input.ip, nonceLimit);
  const nonce = crypto.randomBytes(16).toString('base64url');
  const audience = presentationAudience();
  const expiresAt = new Date(ctx.now.getTime() + nonceTtlSeconds * 1000);
  await ctx.tx.query('INSERT INTO credential_verifier_nonces (nonce, audience, issued_at, expires_at) VALUES ($1, $2, $3, $4)',
    [nonce, audience, ctx.now, expiresAt]);
  return { nonce, audience, expiresAt };
}

export type NonceUse = 'ok' | 'unknown' | 'used' | 'expired';

/**
 * Marks the nonce used, if this verifier issued it for `audience`, it has not expired and was never used.
 * One statement: of two verifications racing with one nonce, the second waits for the first's row lock
 * and then finds it used.
 */
export async function useVerifierNonce(db: Queryable, nonce: string, audience: string, now: Date): Promise<NonceUse> {
  const { rowCount } = await db.query(
    `UPDATE credential_verifier_nonces SET used_at = $3
      WHERE nonce = $1 AND audience = $2 AND used_at IS NULL AND expires_at > $3`, [nonce, audience, now]);
  if (rowCount === 1) return 'ok';
  const { rows: [row] } = await db.query<{ used: boolean }>(
    'SELECT used_at IS NOT NULL AS used FROM credential_verifier_nonces WHERE nonce = $1 AND audience = $2', [nonce, audience]);
  return !row ? 'unknown' : row.used ? 'used' : 'expired';
}

/** Forgets nonces a day after they expired: a forgotten nonce is unknown, which is refused just the same. */
export async function expireVerifierNonces(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM credential_verifier_nonces WHERE expires_at < $1::timestamptz - interval '1 day'`, [now]);
  return rowCount ?? 0;
}
