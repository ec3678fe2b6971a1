/**
 * 脱敏: how a field's value leaves the hub under a masking rule. `partial` keeps what a reader needs to
 * recognise a value without revealing it: an ID or credit code its first 3 and last 4 characters
 * (110***********1234), a mobile number 138****5678, a Chinese name its surname (张**), a date its year.
 */
import crypto from 'node:crypto';
import type { Masking } from './entries.ts';

const CHINESE_NAME = /^\p{Script=Han}{2,4}$/u;
const MOBILE = /^1\d{10}$/;
const DAY = /^(\d{4})-\d{2}-\d{2}$/;

function maskPartially(text: string): string {
  const chars = [...text];
  if (MOBILE.test(text)) return `${text.slice(0, 3)}****${text.slice(-4)}`;
  if (CHINESE_NAME.test(text)) return chars[0] + '*'.repeat(chars.length - 1);
  const day = DAY.exec(text);
  if (day) return `${day[1]}-**-**`;
  if (chars.length > 8) return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * The value as a consumer may see it; `undefined` means the field is dropped from the answer. `hash`
 * gives a stable pseudonym (HMAC-SHA256 under `hashKey`, so that small value spaces such as ID numbers
 * cannot be reversed by hashing every candidate; plain SHA-256 without a key).
 */
export function maskValue(value: unknown, rule: Masking, hashKey?: Buffer): unknown {
  if (value === null || value === undefined) return rule === 'drop' ? undefined : value;
  switch (rule) {
    case 'none':
      return value;
    case 'drop':
      return undefined;
    case 'hash': {
      const text = String(value);
      return (hashKey ? crypto.createHmac('sha256', hashKey) : crypto.createHash('sha256')).update(text).digest('hex');
    }
    case 'partial':
      return typeof value === 'string' ? maskPartially(value) : typeof value === 'boolean' ? value : '***';
  }
}
