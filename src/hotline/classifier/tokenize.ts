import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Loading the dictionary takes a few hundred milliseconds, so it happens once and only when Chinese text shows up.
let jieba: Jieba | undefined;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

const RUN = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;
const HAN = /^\p{Script=Han}/u;

/**
 * Turns a ticket text into classifier features.
 * Chinese runs give jieba words plus character bigrams (prefixed `~`), since short texts often hold
 * words that segmentation cuts differently from one ticket to the next (占道 / 占 道); other scripts
 * give lower-cased words. Full-width letters and digits are folded first (NFKC).
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    if (!HAN.test(run)) {
      tokens.push(run);
      continue;
    }
    for (const word of segmenter().cut(run, true)) tokens.push(word);
    for (let i = 0; i + 1 < run.length; i++) tokens.push(`~${run.slice(i, i + 2)}`);
  }
  return tokens;
}
