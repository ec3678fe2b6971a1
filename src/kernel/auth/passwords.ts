import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
// N=2^15 costs about 50 ms and 32 MiB per hash here: slow for guessing, fast enough for a login.
const params = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** scrypt$N$r$p$salt$hash, all parameters stored so they can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, 32, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: params.maxmem,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** Compared against when the username is unknown, so that a miss costs as long as a wrong password. */
export const decoyHash = await hashPassword(crypto.randomBytes(12).toString('base64'));

const common = new Set(['password', 'password1', '12345678', '123456789', '1234567890', 'qwertyuiop', 'admin123',
  'abc123456', 'iloveyou', 'woaini1314', 'a123456789', 'qq123456', '11111111', '88888888', '00000000']);

/** Why a password is too weak, or null. At least 10 characters, 3 of 4 character classes, not the username. */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < 10) return 'password must have at least 10 characters';
  if (password.length > 200) return 'password must have at most 200 characters';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'password must mix at least 3 of: lower case, upper case, digits, symbols';
  if (common.has(password.toLowerCase())) return 'password is too common';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'password must not contain the username';
  return null;
}
