/**
 * Incremental matching: an index of the records already resolved, by blocking key, so that new or changed
 * rows are compared only with the records they share a block with, then join the index themselves.
 */
import type { CleanRecord } from './clean.ts';
import { keyFunction, scorer, type MatchModel, type ScoredPair, type Scorer } from './model.ts';

export class IncrementalMatcher {
  private readonly records: CleanRecord[] = [];
  private readonly blocks: Map<string, number[]>[];
  private readonly scorer: Scorer;
  private readonly keysOf: (record: CleanRecord) => (string | null)[];

  constructor(readonly model: MatchModel, existing: Iterable<CleanRecord> = []) {
    this.scorer = scorer(model);
    this.blocks = model.blocking.rules.map(() => new Map());
    this.keysOf = keyFunction(model.schema, model.blocking.rules);
    for (const r of existing) this.add(r, this.keysOf(r));
  }

  get size(): number {
    return this.records.length;
  }

  private add(record: CleanRecord, keys: readonly (string | null)[]): void {
    const at = this.records.push(record) - 1;
    keys.forEach((key, rule) => {
      if (key === null) return;
      const block = this.blocks[rule].get(key);
      if (block) block.push(at);
      else this.blocks[rule].set(key, [at]);
    });
  }

  /** Pairs of each new record with the indexed ones (and earlier new ones) at or above `minProbability`; the records are then indexed. */
  match(rows: Iterable<CleanRecord>, minProbability = this.model.threshold): ScoredPair[] {
    const { blocking } = this.model;
    const out: ScoredPair[] = [];
    for (const record of rows) {
      const keys = this.keysOf(record);
      const seen = new Set<number>();
      keys.forEach((key, rule) => {
        const block = key === null ? undefined : this.blocks[rule].get(key);
        if (!block || block.length >= blocking.maxBlockSize) return;
        for (const other of block) {
          if (seen.has(other)) continue;
          seen.add(other);
          const existing = this.records[other];
          if (blocking.mode === 'link' && existing.source === record.source) continue;
          const pair = this.scorer.score(existing, record);
          if (pair.probability >= minProbability) out.push(pair);
        }
      });
      this.add(record, keys);
    }
    return out;
  }
}
