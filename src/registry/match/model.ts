/**
 * 融合: a Fellegi–Sunter model. u (how often two different entities agree at a level) is measured on random
 * pairs, m (how often one entity's records do) is found by expectation–maximisation over the blocked pairs,
 * without labels; clerical decisions, when given, are held fixed during EM. An exact agreement on a field
 * with term frequencies uses the value's own frequency as u, so 王伟 counts for little and 欧阳翠花 for much.
 * A valid identifying value (ID number, USCC) equal on both sides decides the pair outright.
 */
import type { CleanRecord, Feature } from './clean.ts';
import { comparator, MISSING, type Comparator } from './compare.ts';
import type { LibrarySchema } from './schema.ts';

/** How a blocking key is taken from a field. */
export type KeyPart = 'value' | 'sound' | 'year' | 'division' | `prefix${number}`;

/** Pairs of records that share every part of the key are compared. */
export interface BlockingRule {
  name: string;
  on: readonly { field: string; part: KeyPart }[];
}

export interface BlockingOptions {
  rules: readonly BlockingRule[];
  /** Blocks larger than this are skipped for the rule (the other rules still reach their pairs). */
  maxBlockSize: number;
  /** 'dedupe': every pair; 'link': only pairs whose records come from different sources. */
  mode: 'dedupe' | 'link';
}

/** A serialisable trained model. */
export interface MatchModel {
  version: 1;
  schema: LibrarySchema;
  blocking: BlockingOptions;
  /** Probability that two random records are one entity. */
  prior: number;
  /** m and u per field and level. */
  m: number[][];
  u: number[][];
  /** Per field with term frequencies: value → share of records with it (values seen once are left out). */
  termFrequencies: Record<string, Record<string, number>>;
  /** Share of records that one value seen once stands for (1 / records). */
  singletonFrequency: number;
  /** Probability at or above which a pair is a match. */
  threshold: number;
  /** Figures of the training run. */
  training: { records: number; blockedPairs: number; randomPairs: number; iterations: number; labels: number };
}

export interface Label {
  a: string;
  b: string;
  match: boolean;
}

export interface TrainOptions {
  blocking?: Partial<BlockingOptions>;
  labels?: readonly Label[];
  threshold?: number;
  /** Random pairs used to estimate u. */
  randomPairs?: number;
  /** Records at most used for EM (a sample of a larger set gives the same parameters, faster). */
  maxTrainingRecords?: number;
}

/**
 * Rules that suit a schema: each identifier, date, name, text and address alone, each name by sound with the
 * birth year and with the whole date, each name and each date with the place of each address (its division), and
 * each date with each category (sex). The narrow ones carry a city-sized file, where the broad ones no longer fit
 * the budget: a typo in the ID number still meets its pair by name and birth date, a new name by birth date and
 * place. Given records, a rule is kept only when its blocks stay
 * small enough to compare about `maxPairsPerRecord` pairs per record, so a street number or a postcode blocks
 * a file of a thousand rows but not one of a million.
 */
export function defaultBlockingRules(
  schema: LibrarySchema, records?: readonly CleanRecord[],
  { maxPairsPerRecord = 5, maxBlockSize = DEFAULT_MAX_BLOCK, population = records?.length ?? 0 } = {},
): BlockingRule[] {
  const candidates: BlockingRule[] = [];
  const dates = schema.fields.filter((f) => f.type === 'date' && !f.multi);
  const categories = schema.fields.filter((f) => f.type === 'category');
  const places = schema.fields.filter((f) => f.type === 'address');
  for (const f of schema.fields) {
    if (f.multi || f.type === 'category') continue;
    candidates.push({ name: f.name, on: [{ field: f.name, part: 'value' }] });
    if (f.type === 'name') {
      for (const d of dates) {
        candidates.push({ name: `${f.name}-sound+${d.name}-year`, on: [{ field: f.name, part: 'sound' }, { field: d.name, part: 'year' }] });
        candidates.push({ name: `${f.name}-sound+${d.name}`, on: [{ field: f.name, part: 'sound' }, { field: d.name, part: 'value' }] });
      }
      for (const a of places) candidates.push({ name: `${f.name}+${a.name}-division`, on: [{ field: f.name, part: 'value' }, { field: a.name, part: 'division' }] });
    }
    if (f.type === 'date') {
      for (const c of categories) candidates.push({ name: `${f.name}+${c.name}`, on: [{ field: f.name, part: 'value' }, { field: c.name, part: 'value' }] });
      for (const a of places) candidates.push({ name: `${f.name}+${a.name}-division`, on: [{ field: f.name, part: 'value' }, { field: a.name, part: 'division' }] });
    }
  }
  if (!records) return candidates;
  // `records` may be a sample of `population`, each record kept with chance 1/scale: a pair survives with chance
  // 1/scale², so the population holds about scale² times the sample's pairs. A key seen once in the sample adds
  // none: its block may be one person's few records (an ID number) as well as a large one.
  const scale = population / records.length;
  return candidates.filter((rule) => {
    const sizes = new Map<string, number>();
    const keyOf = keyFunction(schema, [rule]);
    for (const r of records) {
      const [key] = keyOf(r);
      if (key !== null) sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    let pairs = 0;
    for (const n of sizes.values()) if (n * scale <= maxBlockSize) pairs += ((n * (n - 1)) / 2) * scale * scale;
    return pairs <= maxPairsPerRecord * population;
  });
}

const DEFAULT_MAX_BLOCK = 200;

function keyPart(feature: Feature | null, part: KeyPart): string | null {
  if (!feature) return null;
  switch (part) {
    case 'value': return feature.value;
    case 'sound': return feature.sound || null;
    case 'year': return feature.value.length === 8 ? feature.value.slice(0, 4) : null;
    case 'division': return feature.division ?? null;
    default: return feature.value.slice(0, Number(part.slice(6)));
  }
}

/** The rules compiled once into a function from a record to its key per rule (null when a part is missing). */
export function keyFunction(schema: LibrarySchema, rules: readonly BlockingRule[]): (record: CleanRecord) => (string | null)[] {
  const compiled = rules.map((rule) => rule.on.map(({ field, part }) => ({ at: schema.fields.findIndex((f) => f.name === field), part })));
  return (record) => compiled.map((parts) => {
    let key = '';
    for (const { at, part } of parts) {
      const k = keyPart(record.features[at], part);
      if (k === null || k === '') return null;
      key += parts.length === 1 ? k : `${k}\u0001`;
    }
    return key;
  });
}

/**
 * Candidate pairs (indices a < b) of the records under the blocking rules, each pair once: a pair found by a
 * rule is skipped when an earlier rule already yields it.
 */
export function* blockedPairs(schema: LibrarySchema, blocking: BlockingOptions, records: readonly CleanRecord[]): Generator<[number, number]> {
  const keysOf = keyFunction(schema, blocking.rules);
  // Every record's key under every rule, as a number (NaN: none), in one typed array per rule: a million
  // records' keys as strings took about half a gigabyte.
  const keys = blocking.rules.map(() => new Float64Array(records.length).fill(NaN));
  records.forEach((r, i) => keysOf(r).forEach((k, rule) => { if (k !== null) keys[rule]![i] = keyHash(k); }));
  for (let rule = 0; rule < blocking.rules.length; rule++) {
    const mine = keys[rule]!;
    // The records with a key, ordered by it (then by index): each run of equal keys is a block. A Map from key
    // to an array of records per rule held a million entries and arrays that the next rule left as garbage: at
    // a million records the process reached 2,364 MB by the end of scoring, with the sort 1,686 MB. The sort of
    // a million indices also takes about half the time of filling the Map.
    const order = recordsByKey(mine);
    for (let start = 0; start < order.length;) {
      const key = mine[order[start]!]!;
      let end = start + 1;
      while (end < order.length && mine[order[end]!] === key) end++;
      const size = end - start;
      // An oversized block yields nothing, so a later rule must not count its pairs as yielded.
      if (size > blocking.maxBlockSize) for (let i = start; i < end; i++) mine[order[i]!] = NaN;
      else {
        for (let x = start; x < end; x++) {
          for (let y = x + 1; y < end; y++) {
            const a = order[x]!;
            const b = order[y]!;
            if (blocking.mode === 'link' && records[a].source === records[b].source) continue;
            if (earlierRuleYields(keys, a, b, rule)) continue;
            yield [a, b];
          }
        }
      }
      start = end;
    }
  }
}

/** Indices of the records that have a key under a rule, by key and then by index. */
export function recordsByKey(keys: Float64Array): Uint32Array {
  const order = new Uint32Array(keys.length);
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (!Number.isNaN(keys[i])) order[n++] = i;
  return order.subarray(0, n).sort((x, y) => keys[x]! - keys[y]! || x - y);
}

function earlierRuleYields(keys: readonly Float64Array[], a: number, b: number, rule: number): boolean {
  for (let r = 0; r < rule; r++) if (keys[r]![a] === keys[r]![b]) return true; // NaN (no key) equals nothing
  return false;
}

/**
 * A blocking key as a number: two 32-bit FNV-1a hashes of it, 53 bits together. Two keys sharing a number only
 * put their records in one block, where the comparison tells them apart; at a million keys that is a few pairs.
 */
export function keyHash(key: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) & 0x1fffff);
}

/** A deterministic, seedable stream of numbers in [0, 1) (mulberry32), so training is repeatable. */
function randomStream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `size` distinct records drawn at random (partial Fisher–Yates over the indices). */
function randomSample<T>(items: readonly T[], size: number, random: () => number): T[] {
  const index = Uint32Array.from({ length: items.length }, (_, i) => i);
  const out: T[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    [index[i], index[j]] = [index[j], index[i]];
    out.push(items[index[i]]);
  }
  return out;
}

function levelsOf(cmp: Comparator, a: CleanRecord, b: CleanRecord): Uint8Array {
  const out = new Uint8Array(cmp.levels.length);
  for (let f = 0; f < out.length; f++) out[f] = cmp.compare(a, b, f);
  return out;
}

const normalise = (counts: number[], smoothing: number) => {
  const total = counts.reduce((s, c) => s + c, 0) + smoothing * counts.length;
  return counts.map((c) => (c + smoothing) / total);
};

interface Pattern {
  levels: Uint8Array;
  count: number;
  /** Set for clerical labels: the posterior is held at 1 or 0. */
  fixed?: number;
}

function patternsOf(vectors: Iterable<Uint8Array>): Pattern[] {
  const map = new Map<number, Pattern>();
  for (const v of vectors) {
    // Levels are below 8 and MISSING becomes 7, so a vector of up to 17 fields is one safe integer.
    let key = 0;
    for (let f = 0; f < v.length; f++) key = key * 8 + (v[f] === MISSING ? 7 : v[f]);
    const p = map.get(key);
    if (p) p.count++;
    else map.set(key, { levels: v, count: 1 });
  }
  return [...map.values()];
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-6;

/** EM over comparison patterns with u held fixed; returns m, the share of matches among the pairs and the rounds run. */
function expectationMaximisation(patterns: readonly Pattern[], levelCounts: readonly number[], u: readonly number[][]) {
  // Start: a match agrees at the top level nine times in ten.
  let m = levelCounts.map((n) => Array.from({ length: n }, (_, l) => (l === 0 ? 0.9 : 0.1 / (n - 1))));
  let lambda = 0.1;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const counts = levelCounts.map((n) => new Array<number>(n).fill(0));
    let matches = 0;
    let total = 0;
    for (const p of patterns) {
      let posterior = p.fixed;
      if (posterior === undefined) {
        let logOdds = Math.log(lambda / (1 - lambda));
        for (let f = 0; f < p.levels.length; f++) {
          const l = p.levels[f];
          if (l !== MISSING) logOdds += Math.log(m[f][l] / u[f][l]);
        }
        posterior = 1 / (1 + Math.exp(-logOdds));
      }
      matches += posterior * p.count;
      total += p.count;
      for (let f = 0; f < p.levels.length; f++) if (p.levels[f] !== MISSING) counts[f][p.levels[f]] += posterior * p.count;
    }
    const next = counts.map((c) => normalise(c, 0.01));
    const nextLambda = Math.min(Math.max(matches / total, 1e-9), 1 - 1e-9);
    const change = Math.max(Math.abs(nextLambda - lambda), ...next.flatMap((row, f) => row.map((v, l) => Math.abs(v - m[f][l]))));
    m = next;
    lambda = nextLambda;
    if (change < TOLERANCE) break;
  }
  return { m, lambda, iterations };
}

export function trainModel(schema: LibrarySchema, records: readonly CleanRecord[], options: TrainOptions = {}): MatchModel {
  const n = records.length;
  if (n < 2) throw new RangeError('training needs at least two records');
  const sampleSize = Math.min(n, options.maxTrainingRecords ?? 100_000);
  const random = randomStream(n);
  // A random sample, not every k-th record: sources list one person's records next to each other.
  const sample = sampleSize === n ? records : randomSample(records, sampleSize, random);
  const blocking: BlockingOptions = {
    rules: options.blocking?.rules ?? defaultBlockingRules(schema, sample, { maxBlockSize: options.blocking?.maxBlockSize, population: n }),
    maxBlockSize: options.blocking?.maxBlockSize ?? DEFAULT_MAX_BLOCK,
    mode: options.blocking?.mode ?? 'dedupe',
  };
  const cmp = comparator(schema);
  const levelCounts = cmp.levels.map((l) => l.length);

  // u from random pairs: almost all of them are two different entities.
  const randomCount = Math.min(options.randomPairs ?? 100_000, (n * (n - 1)) / 2);
  const uCounts = levelCounts.map((k) => new Array<number>(k).fill(0));
  for (let i = 0; i < randomCount; i++) {
    const a = Math.floor(random() * n);
    let b = Math.floor(random() * (n - 1));
    if (b >= a) b++;
    if (blocking.mode === 'link' && records[a].source === records[b].source) continue;
    for (let f = 0; f < levelCounts.length; f++) {
      const l = cmp.compare(records[a], records[b], f);
      if (l !== MISSING) uCounts[f][l]++;
    }
  }
  const u = uCounts.map((c) => normalise(c, 1));

  // m by EM over the blocked pairs of the sample.
  let blockedCount = 0;
  const vectors = (function* () {
    for (const [a, b] of blockedPairs(schema, blocking, sample)) {
      blockedCount++;
      yield levelsOf(cmp, sample[a], sample[b]);
    }
  })();
  const patterns = patternsOf(vectors);
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const label of options.labels ?? []) {
    const a = byId.get(label.a);
    const b = byId.get(label.b);
    if (a && b) patterns.push({ levels: levelsOf(cmp, a, b), count: 1, fixed: label.match ? 1 : 0 });
  }
  const { m, lambda, iterations } = expectationMaximisation(patterns, levelCounts, u);

  // The share of matches among blocked pairs, spread over all pairs of the sample, is the prior of any pair.
  const samplePairs = (sampleSize * (sampleSize - 1)) / 2;
  const prior = Math.min(0.5, Math.max((lambda * blockedCount) / samplePairs, 1 / samplePairs));

  const termFrequencies: Record<string, Record<string, number>> = {};
  schema.fields.forEach((f, i) => {
    if (!f.termFrequency) return;
    const counts = new Map<string, number>();
    for (const r of records) {
      const v = r.features[i]?.value;
      if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const shares: Record<string, number> = {};
    for (const [v, c] of counts) if (c > 1) shares[v] = c / n;
    termFrequencies[f.name] = shares;
  });

  return {
    version: 1, schema, blocking, prior, m, u, termFrequencies, singletonFrequency: 1 / n,
    threshold: options.threshold ?? 0.5,
    training: { records: n, blockedPairs: blockedCount, randomPairs: randomCount, iterations, labels: options.labels?.length ?? 0 },
  };
}

/** One field's part of a pair's match weight. */
export interface FieldPart {
  field: string;
  level: string | null;
  /** log2 Bayes factor; 0 when a value is missing. */
  weight: number;
  m: number | null;
  u: number | null;
  /** Set when the value's own frequency replaced u. */
  termFrequency?: number;
}

export interface PairExplanation {
  /** log2 odds of the prior (the start of the waterfall). */
  prior: number;
  parts: FieldPart[];
  weight: number;
  probability: number;
  /** Set when a deterministic rule decided the pair. */
  rule?: 'same-valid-id';
}

export interface ScoredPair {
  a: string;
  b: string;
  weight: number;
  probability: number;
  rule?: 'same-valid-id';
}

/** A trained model made ready for scoring many pairs. */
export interface Scorer {
  model: MatchModel;
  comparator: Comparator;
  explain(a: CleanRecord, b: CleanRecord): PairExplanation;
  score(a: CleanRecord, b: CleanRecord): ScoredPair;
}

export function scorer(model: MatchModel): Scorer {
  const cmp = comparator(model.schema);
  const { schema } = model;
  const priorWeight = Math.log2(model.prior / (1 - model.prior));
  const weights = model.m.map((row, f) => row.map((m, l) => Math.log2(m / model.u[f][l])));
  const tfFields = schema.fields.map((f) => (f.termFrequency ? new Map(Object.entries(model.termFrequencies[f.name] ?? {})) : undefined));
  const identifying = schema.fields.flatMap((f, i) => (f.identifying ? [i] : []));
  const toProbability = (w: number) => 1 / (1 + 2 ** -w);

  const sameValidId = (a: CleanRecord, b: CleanRecord) => {
    for (const f of identifying) {
      const x = a.features[f];
      const y = b.features[f];
      if (x?.valid === true && y?.valid === true && x.value === y.value) return true;
    }
    return false;
  };

  /** The exact-level weight of a field with term frequencies: the value's own share replaces u. */
  const tfShare = (a: CleanRecord, f: number) => tfFields[f]!.get(a.features[f]!.value) ?? model.singletonFrequency;
  const partWeight = (a: CleanRecord, f: number, level: number) => {
    if (level === 0 && tfFields[f]) {
      const share = tfShare(a, f);
      return { weight: Math.log2(model.m[f][0] / share), termFrequency: share };
    }
    return { weight: weights[f][level] };
  };

  return {
    model,
    comparator: cmp,
    explain(a, b) {
      let weight = priorWeight;
      const parts = schema.fields.map((field, f): FieldPart => {
        const level = cmp.compare(a, b, f);
        if (level === MISSING) return { field: field.name, level: null, weight: 0, m: null, u: null };
        const part = partWeight(a, f, level);
        weight += part.weight;
        return { field: field.name, level: cmp.levels[f][level], m: model.m[f][level], u: model.u[f][level], ...part };
      });
      const rule = sameValidId(a, b) ? 'same-valid-id' as const : undefined;
      return { prior: priorWeight, parts, weight, probability: rule ? 1 : toProbability(weight), ...(rule ? { rule } : {}) };
    },
    score(a, b) {
      let weight = priorWeight;
      for (let f = 0; f < weights.length; f++) {
        const level = cmp.compare(a, b, f);
        if (level !== MISSING) weight += level === 0 && tfFields[f] ? Math.log2(model.m[f][0] / tfShare(a, f)) : weights[f][level];
      }
      if (sameValidId(a, b)) return { a: a.id, b: b.id, weight, probability: 1, rule: 'same-valid-id' };
      return { a: a.id, b: b.id, weight, probability: toProbability(weight) };
    },
  };
}

/** The weight of a pair and its part per field, for a waterfall chart. */
export const explainPair = (model: MatchModel, a: CleanRecord, b: CleanRecord) => scorer(model).explain(a, b);

/** Every blocked pair scored; with `minProbability`, only those at or above it. */
export function* scorePairs(model: MatchModel, records: readonly CleanRecord[], minProbability = 0): Generator<ScoredPair> {
  const s = scorer(model);
  for (const [a, b] of blockedPairs(model.schema, model.blocking, records)) {
    const pair = s.score(records[a], records[b]);
    if (pair.probability >= minProbability) yield pair;
  }
}
