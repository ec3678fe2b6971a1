/** Precision, recall and F1 of found pairs against known entities, pair by pair. */

export interface PairQuality {
  truePairs: number;
  foundPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`);

/**
 * `truth` maps each record id to its entity; found pairs are counted once whatever their order. In a link,
 * `sideOf` names each record's file, and only pairs across files count, found or true.
 */
export function pairQuality(found: Iterable<readonly [string, string]>, truth: ReadonlyMap<string, string>, sideOf?: (id: string) => string): PairQuality {
  const sizes = new Map<string, Map<string, number>>();
  for (const [id, entity] of truth) {
    const perSide = sizes.get(entity) ?? new Map<string, number>();
    const side = sideOf?.(id) ?? '';
    perSide.set(side, (perSide.get(side) ?? 0) + 1);
    sizes.set(entity, perSide);
  }
  let truePairs = 0;
  for (const perSide of sizes.values()) {
    const counts = [...perSide.values()];
    const all = counts.reduce((x, y) => x + y, 0);
    truePairs += sideOf ? (all * all - counts.reduce((x, c) => x + c * c, 0)) / 2 : (all * (all - 1)) / 2;
  }
  const seen = new Set<string>();
  let correctPairs = 0;
  for (const [a, b] of found) {
    const key = pairKey(a, b);
    if (a === b || seen.has(key) || (sideOf && sideOf(a) === sideOf(b))) continue;
    seen.add(key);
    const ta = truth.get(a);
    if (ta !== undefined && ta === truth.get(b)) correctPairs++;
  }
  const foundPairs = seen.size;
  const precision = foundPairs ? correctPairs / foundPairs : 1;
  const recall = truePairs ? correctPairs / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePairs, foundPairs, correctPairs, precision, recall, f1 };
}

/** Every pair within each entity. */
export function* entityPairs(entities: Iterable<readonly string[]>): Generator<[string, string]> {
  for (const e of entities) for (let i = 0; i < e.length; i++) for (let j = i + 1; j < e.length; j++) yield [e[i], e[j]];
}
