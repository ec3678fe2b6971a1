/**
 * Text normalisation and string similarity for matching. Traditional characters go to simplified with OpenCC
 * and names get pinyin from pinyin-pro; both are cached per character or per name, because a million records
 * repeat the same few hundred thousand names.
 */
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const simplifiedChar = new Map<string, string>();

const HAN = /[\u3400-\u9fff]/;

/** 繁体→简体 character by character (names and addresses have no phrases that convert differently). */
export function simplify(text: string): string {
  let out = '';
  for (const ch of text) {
    const known = simplifiedChar.get(ch);
    if (known !== undefined) {
      out += known;
      continue;
    }
    const converted: string = HAN.test(ch) ? toSimplified(ch) : ch;
    simplifiedChar.set(ch, converted);
    out += converted;
  }
  return out;
}

/** Full-width letters, digits, punctuation and the ideographic space to their half-width forms. */
export const halfWidth = (text: string) =>
  text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** Spaces trimmed, runs collapsed, and removed between Han characters (张 三 → 张三). */
export const tidySpaces = (text: string) =>
  text.trim().replace(/\s+/g, ' ').replace(/(?<=[\u3400-\u9fff·]) (?=[\u3400-\u9fff·])/g, '');

export const hasHan = (text: string) => HAN.test(text);

/**
 * One string object for each distinct short value that many records repeat (a street, a date), instead of a
 * copy per record: 40 bytes a record (live heap, measured on 100,000 records). Bounded like the pinyin cache.
 */
const interned = new Map<string, string>();
const INTERN_LIMIT = 500_000;

export function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= INTERN_LIMIT) interned.clear();
  interned.set(value, value);
  return value;
}

const pinyinCache = new Map<string, string>();
const PINYIN_CACHE_LIMIT = 500_000;

/** Toneless pinyin of a Chinese name (surname readings for the first character: 曾 → zeng); a phonetic key for Latin names. */
export function nameSound(name: string): string {
  let sound = pinyinCache.get(name);
  if (sound === undefined) {
    sound = hasHan(name) ? pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).join('') : soundex(name);
    if (pinyinCache.size >= PINYIN_CACHE_LIMIT) pinyinCache.clear();
    pinyinCache.set(name, sound);
  }
  return sound;
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1', c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/** American Soundex (first letter + three digits), for names written in Latin letters. */
export function soundex(name: string): string {
  const letters = name.toLowerCase().replace(/[^a-z]/g, '');
  if (!letters) return '';
  let code = letters[0];
  let last = SOUNDEX_CODES[letters[0]] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const c = letters[i];
    const digit = SOUNDEX_CODES[c] ?? '';
    if (digit && digit !== last) code += digit;
    // h and w do not separate letters with the same code; vowels do.
    if (c !== 'h' && c !== 'w') last = digit;
  }
  return code.padEnd(4, '0');
}

// Both metrics index UTF-16 units: names and addresses are in the Basic Multilingual Plane, and indexing
// avoids splitting every string into an array on the hot path.
let sMatched = new Uint8Array(64);
let tMatched = new Uint8Array(64);

/** Jaro-Winkler similarity in [0, 1]. */
export function jaroWinkler(s: string, t: string): number {
  if (s === t) return 1;
  if (s.length === 0 || t.length === 0) return 0;
  if (s.length > sMatched.length || t.length > tMatched.length) {
    sMatched = new Uint8Array(Math.max(s.length, t.length) * 2);
    tMatched = new Uint8Array(sMatched.length);
  }
  sMatched.fill(0, 0, s.length);
  tMatched.fill(0, 0, t.length);
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(t.length - 1, i + window);
    const c = s.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (!tMatched[j] && c === t.charCodeAt(j)) {
        sMatched[i] = 1;
        tMatched[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (s.charCodeAt(i) !== t.charCodeAt(k)) transpositions++;
    k++;
  }
  const jaro = (matches / s.length + matches / t.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < s.length && prefix < t.length && s.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), or `limit + 1` as soon as it is
 * certain to exceed `limit`.
 */
export function editDistance(s: string, t: string, limit = 2): number {
  if (s === t) return 0;
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  if (limit === 1) return withinOneEdit(s, t) ? 1 : 2;
  let prev2 = new Array<number>(t.length + 1).fill(0);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s.charCodeAt(i - 1) === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === t.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[t.length], limit + 1);
}

/** Whether two different strings are one substitution, insertion, deletion or adjacent transposition apart. */
function withinOneEdit(s: string, t: string): boolean {
  let i = 0;
  while (i < s.length && i < t.length && s.charCodeAt(i) === t.charCodeAt(i)) i++;
  let j = 0;
  while (j < s.length - i && j < t.length - i && s.charCodeAt(s.length - 1 - j) === t.charCodeAt(t.length - 1 - j)) j++;
  const restS = s.length - i - j;
  const restT = t.length - i - j;
  if (restS <= 1 && restT <= 1) return true;
  return restS === 2 && restT === 2 && s.charCodeAt(i) === t.charCodeAt(i + 1) && s.charCodeAt(i + 1) === t.charCodeAt(i);
}
