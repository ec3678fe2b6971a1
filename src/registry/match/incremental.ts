/**
 * Incremental matching: an index of the records already resolved, by blocking key, so that new or changed
 * rows are compared only with the records they share a block with, then join the index themselves.
 */
import type { CleanRecord } from './clean.ts';
import { keyFunction, keyHash, recordsByKey, scorer, type MatchModel, type ScoredPair, type Scorer } from './model.ts';

/**
 * The records given at construction are indexed as scoring blocks them: per rule, each record's key as a number
 * (NaN: none) and the records ordered by it, in typed arrays; a block is a run of equal keys, found by binary
 * search. A Map of string keys to arrays per rule took about a gigabyte for a million records. The rows matched
 * later join a small Map per rule.
 */
export class IncrementalMatcher {
  private readonly records: CleanRecord[];
  private readonly keys: Float64Array[];
  private readonly order: Uint32Array[];
  private readonly added: Map<number, number[]>[];
  private readonly scorer: Scorer;
  private readonly keysOf: (record: CleanRecord) => (string | null)[];

  constructor(readonly model: MatchModel, existing: Iterable<CleanRecord> = []) {
    this.scorer = scorer(model);
    this.keysOf = keyFunction(model.schema, model.blocking.rules);
    this.records = [...existing];
    this.keys = model.blocking.rules.map(() => new Float64Array(this.records.length).fill(NaN));
    this.records.forEach((r, i) => this.keysOf(r).forEach((k, rule) => { if (k !== null) this.keys[rule]![i] = keyHash(k); }));
    this.order = this.keys.map(recordsByKey);
    this.added = model.blocking.rules.map(() => new Map());
  }

  get size(): number {
    return this.records.length;
  }

  /** The first place in the ordered base of `rule` whose key is above `key` (`strict`) or not below it. */
  private bound(rule: number, key: number, strict: boolean): number {
    const keys = this.keys[rule]!;
    const order = this.order[rule]!;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[order[mid]!]!;
      if (k < key || (strict && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The indexed records under `rule` whose key is `key` (the run of the ordered base, and those added since); null when the block is too large to compare. */
  private block(rule: number, key: number): number[] | null {
    const from = this.bound(rule, key, false);
    const to = this.bound(rule, key, true);
    const later = this.added[rule]!.get(key) ?? [];
    if (to - from + later.length >= this.model.blocking.maxBlockSize) return null;
    return [...this.order[rule]!.subarray(from, to), ...later];
  }

  /** Pairs of each new record with the indexed ones (and earlier new ones) at or above `minProbability`; the records are then indexed. */
  match(rows: Iterable<CleanRecord>, minProbability = this.model.threshold): ScoredPair[] {
    const { blocking } = this.model;
    const out: ScoredPair[] = [];
    for (const record of rows) {
      const keys = this.keysOf(record).map((k) => (k === null ? null : keyHash(k)));
      const seen = new Set<number>();
      keys.forEach((key, rule) => {
        if (key === null) return;
        const block = this.block(rule, key);
        if (!block) return;
        for (const other of block) {
          if (seen.has(other)) continue;
          seen.add(other);
          const existing = this.records[other]!;
          if (blocking.mode === 'link' && existing.source === record.source) continue;
          const pair = this.scorer.score(existing, record);
          if (pair.probability >= minProbability) out.push(pair);
        }
      });
      const at = this.records.push(record) - 1;
      keys.forEach((key, rule) => {
        if (key === null) return;
        const later = this.added[rule]!.get(key);
        if (later) later.push(at);
        else this.added[rule]!.set(key, [at]);
      });
    }
    return out;
  }
}
