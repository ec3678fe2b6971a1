/**
 * Pairs to entities: connected components of the pairs at or above the threshold, joined strongest pair first,
 * with two guards against chaining (A~B~C making one entity of A and C that have nothing in common): two groups
 * holding different valid identifying values are never joined, and no entity grows beyond a size limit.
 */
import type { CleanRecord } from './clean.ts';
import type { MatchModel, ScoredPair } from './model.ts';

export interface ClusterOptions {
  threshold: number;
  /** Largest entity (records); a pair that would make a larger one is left out. */
  maxSize?: number;
  /** The valid identifying values of a record (its ID number): groups with different ones stay apart. */
  identities?: (id: string) => readonly string[];
}

export interface Clustering {
  /** Record id → entity number (records of no pair are entities of their own and are not listed). */
  entityOf: Map<string, number>;
  /** Records of each entity with more than one record. */
  entities: string[][];
  /** Pairs above the threshold the guards kept apart. */
  refused: ScoredPair[];
}

export function clusterPairs(pairs: Iterable<ScoredPair>, options: ClusterOptions): Clustering {
  const maxSize = options.maxSize ?? 50;
  const strong: ScoredPair[] = [];
  for (const p of pairs) if (p.probability >= options.threshold) strong.push(p);
  strong.sort((x, y) => y.probability - x.probability || y.weight - x.weight);

  // Each record of a pair gets a number, in the order first met, and the union-find lives in typed arrays. A
  // group's identifying values need no set of their own: groups with different ones are never joined, so a
  // group has the values of its first member that had any, kept as one number per distinct set of values.
  // Maps of parents, sizes and sets per record made the process grow by 574 MB while clustering a million
  // records; with these arrays (and identitiesOf making values only when asked) by 359 MB.
  const numberOf = new Map<string, number>();
  const ids: string[] = [];
  for (const p of strong) {
    for (const x of [p.a, p.b]) {
      if (!numberOf.has(x)) numberOf.set(x, ids.push(x) - 1);
    }
  }
  const parent = Int32Array.from(ids, (_, i) => i);
  const size = new Int32Array(ids.length).fill(1);
  const identity = new Int32Array(ids.length).fill(-1);
  const identityNumbers = new Map<string, number>();
  ids.forEach((x, i) => {
    const own = [...new Set(options.identities?.(x))].sort();
    if (!own.length) return;
    const key = own.join('\u0001');
    let n = identityNumbers.get(key);
    if (n === undefined) identityNumbers.set(key, (n = identityNumbers.size));
    identity[i] = n;
  });
  const root = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (x !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const refused: ScoredPair[] = [];
  for (const p of strong) {
    const ra = root(numberOf.get(p.a)!);
    const rb = root(numberOf.get(p.b)!);
    if (ra === rb) continue;
    const conflict = identity[ra] !== -1 && identity[rb] !== -1 && identity[ra] !== identity[rb];
    if (conflict || size[ra]! + size[rb]! > maxSize) {
      refused.push(p);
      continue;
    }
    parent[rb] = ra;
    size[ra] += size[rb]!;
    if (identity[ra] === -1) identity[ra] = identity[rb]!;
  }
  // Groups in the order their first record was met, records in that order too.
  const groupOf = new Int32Array(ids.length).fill(-1);
  const groups: string[][] = [];
  ids.forEach((x, i) => {
    const r = root(i);
    if (groupOf[r] === -1) groupOf[r] = groups.push([]) - 1;
    groups[groupOf[r]!]!.push(x);
  });
  const entities = groups.filter((g) => g.length > 1);
  const entityOf = new Map<string, number>();
  entities.forEach((g, i) => g.forEach((x) => entityOf.set(x, i)));
  return { entityOf, entities, refused };
}

/** The identities function for clusterPairs: each record's valid values of the schema's identifying fields. */
export function identitiesOf(model: MatchModel, records: readonly CleanRecord[]): (id: string) => readonly string[] {
  const fields = model.schema.fields.flatMap((f, i) => (f.identifying ? [i] : []));
  // The values are made when asked for, once per clustered record, not up front for every record (see
  // clusterPairs for what that saved).
  const byId = new Map<string, CleanRecord>();
  for (const r of records) byId.set(r.id, r);
  return (id) => {
    const r = byId.get(id);
    return r ? fields.flatMap((f) => (r.features[f]?.valid ? [`${f}:${r.features[f]!.value}`] : [])) : [];
  };
}
