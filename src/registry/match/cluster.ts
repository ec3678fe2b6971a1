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
  const strong = [...pairs].filter((p) => p.probability >= options.threshold).sort((x, y) => y.probability - x.probability || y.weight - x.weight);
  const parent = new Map<string, string>();
  const size = new Map<string, number>();
  const ids = new Map<string, Set<string>>();
  const root = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const add = (x: string) => {
    if (parent.has(x)) return;
    parent.set(x, x);
    size.set(x, 1);
    const own = options.identities?.(x) ?? [];
    if (own.length) ids.set(x, new Set(own));
  };
  const refused: ScoredPair[] = [];
  for (const p of strong) {
    add(p.a);
    add(p.b);
    const ra = root(p.a);
    const rb = root(p.b);
    if (ra === rb) continue;
    const ia = ids.get(ra);
    const ib = ids.get(rb);
    const conflict = ia && ib && ([...ia].some((v) => !ib.has(v)) || [...ib].some((v) => !ia.has(v)));
    if (conflict || size.get(ra)! + size.get(rb)! > maxSize) {
      refused.push(p);
      continue;
    }
    parent.set(rb, ra);
    size.set(ra, size.get(ra)! + size.get(rb)!);
    if (ib) ids.set(ra, new Set([...(ia ?? []), ...ib]));
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = root(x);
    const g = groups.get(r);
    if (g) g.push(x);
    else groups.set(r, [x]);
  }
  const entities = [...groups.values()].filter((g) => g.length > 1);
  const entityOf = new Map<string, number>();
  entities.forEach((g, i) => g.forEach((x) => entityOf.set(x, i)));
  return { entityOf, entities, refused };
}

/** The identities function for clusterPairs: each record's valid values of the schema's identifying fields. */
export function identitiesOf(model: MatchModel, records: readonly CleanRecord[]): (id: string) => readonly string[] {
  const fields = model.schema.fields.flatMap((f, i) => (f.identifying ? [i] : []));
  const byId = new Map<string, readonly string[]>();
  for (const r of records) {
    const values = fields.flatMap((f) => (r.features[f]?.valid ? [`${f}:${r.features[f]!.value}`] : []));
    if (values.length) byId.set(r.id, values);
  }
  return (id) => byId.get(id) ?? [];
}
