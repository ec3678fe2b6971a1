/**
 * The whole resolution in one call: clean, train (unless a model is given), block and score, cluster, and
 * build a golden record per entity. The command line and the benchmarks run this; the registry module runs
 * the same stages one by one so it can store each.
 */
import { cleanRecords, type CleanOptions, type CleanRecord, type CleanSummary, type RawRecord } from './clean.ts';
import { clusterPairs, identitiesOf, type Clustering } from './cluster.ts';
import { goldenRecord, type GoldenRecord, type GoldenRules } from './golden.ts';
import { scorePairs, trainModel, type MatchModel, type ScoredPair, type TrainOptions } from './model.ts';
import type { LibrarySchema } from './schema.ts';

export type Stage = 'clean' | 'train' | 'score' | 'cluster' | 'golden';

export interface ResolveOptions {
  clean?: CleanOptions;
  train?: TrainOptions;
  /** A model trained before; without one, a model is trained on these records. */
  model?: MatchModel;
  /** Match probability for clustering (default: the model's). */
  threshold?: number;
  /** Survivorship rules; without them no golden records are built. With them, every entity gets one, single records too. */
  golden?: GoldenRules;
  /** Receives each golden record as it is built (to store it); they are then not kept in the result. */
  onGolden?: (golden: GoldenRecord) => void;
  /** Called at the end of each stage and now and then during the long ones. */
  onProgress?: (stage: Stage, done: number, total: number) => void;
}

export interface Resolution {
  records: CleanRecord[];
  cleaning: CleanSummary;
  model: MatchModel;
  /** Pairs at or above the threshold. */
  pairs: ScoredPair[];
  /** Pairs compared. */
  compared: number;
  clustering: Clustering;
  golden: GoldenRecord[];
  /** Entities resolved (golden records built). */
  entities: number;
  /** Milliseconds per stage. */
  timings: Partial<Record<Stage, number>>;
}

const PROGRESS_EVERY = 50_000;

export function resolveRecords(schema: LibrarySchema, raws: readonly RawRecord[], options: ResolveOptions = {}): Resolution {
  const progress = options.onProgress ?? (() => undefined);
  const timings: Partial<Record<Stage, number>> = {};
  const timed = <T>(stage: Stage, total: number, run: () => T): T => {
    const start = performance.now();
    const result = run();
    timings[stage] = Math.round(performance.now() - start);
    progress(stage, total, total);
    return result;
  };

  const { records, summary } = timed('clean', raws.length, () => cleanRecords(schema, raws, options.clean));
  const model = options.model ?? timed('train', records.length, () => trainModel(schema, records, options.train));
  const threshold = options.threshold ?? model.threshold;
  let compared = 0;
  const pairs = timed('score', records.length, () => {
    const kept: ScoredPair[] = [];
    for (const pair of scorePairs(model, records)) {
      if (++compared % PROGRESS_EVERY === 0) progress('score', compared, 0);
      if (pair.probability >= threshold) kept.push(pair);
    }
    return kept;
  });
  const clustering = timed('cluster', pairs.length, () => clusterPairs(pairs, { threshold, identities: identitiesOf(model, records) }));
  const golden = options.golden
    ? timed('golden', records.length, () => {
      const groups: CleanRecord[][] = clustering.entities.map(() => []);
      const out: GoldenRecord[] = [];
      const emit = options.onGolden ?? ((g: GoldenRecord) => out.push(g));
      for (const r of records) {
        const entity = clustering.entityOf.get(r.id);
        if (entity === undefined) emit(goldenRecord(schema, [r], options.golden!));
        else groups[entity].push(r);
      }
      for (const g of groups) emit(goldenRecord(schema, g, options.golden!));
      return out;
    })
    : [];
  const entities = options.golden ? records.length - clustering.entityOf.size + clustering.entities.length : 0;
  return { records, cleaning: summary, model, pairs, compared, clustering, golden, entities, timings };
}
