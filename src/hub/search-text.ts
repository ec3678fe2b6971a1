/**
 * Chinese full text for the catalogue: jieba segments names, summaries and field names into words that
 * PostgreSQL indexes with its 'simple' configuration (no stemming, no stop words), so 人口 finds
 * 人口基本信息 and 户籍人口. Queries are segmented the same way and every word must match.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// The dictionary takes a few hundred milliseconds to load: once, on first use.
let jieba: Jieba | undefined;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

const WORD = /[\p{L}\p{N}]/u;

/** Words of a text for indexing: the search-engine cut also gives the shorter words inside long ones. */
export function indexWords(text: string): string[] {
  return segmenter().cutForSearch(text.normalize('NFKC').toLowerCase(), true).filter((w) => WORD.test(w));
}

/** The text to feed `to_tsvector('simple', …)`: the words of all parts, space-separated. */
export function searchDocument(parts: readonly string[]): string {
  return parts.flatMap(indexWords).join(' ');
}

/**
 * A tsquery text (`w1 & w2 …`) for what a user typed, or null when it has no words. Each word is quoted
 * so that tsquery operators typed by the user are taken as text.
 */
export function searchQuery(q: string): string | null {
  const words = [...new Set(segmenter().cut(q.normalize('NFKC').toLowerCase(), true).filter((w) => WORD.test(w)))];
  if (words.length === 0) return null;
  return words.map((w) => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`).join(' & ');
}
