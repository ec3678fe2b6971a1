/**
 * 择优 (survivorship): one value per field for an entity, from the records of its cluster. Each field follows
 * a rule: the most trusted source, the most recent record or the most frequent value; ties fall to the next
 * rule in that order. A value that failed its check (an ID with a wrong check digit) only wins when there is
 * no valid one. Every field says which record and source gave it and why, and lists the other values seen.
 */
import type { CleanRecord } from './clean.ts';
import type { LibrarySchema } from './schema.ts';

export type SurvivorshipRule = 'most-trusted' | 'most-recent' | 'most-frequent';

export interface GoldenRules {
  /** Trust per source (0–1), per field or for every field of the source. */
  trust: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  /** Rule per field; fields not named use `defaultRule`. */
  rules?: Readonly<Record<string, SurvivorshipRule>>;
  defaultRule?: SurvivorshipRule;
}

export interface GoldenValue {
  /** Cleaned value (standard form). */
  value: string;
  /** The value as the winning record had it. */
  original: string;
  recordId: string;
  source: string | null;
  updatedAt: string | null;
  rule: SurvivorshipRule;
  /** Why it won, in words: "most trusted source (公安 0.95)". */
  reason: string;
}

export interface Conflict {
  field: string;
  values: { value: string; recordIds: string[]; sources: string[] }[];
}

export interface GoldenRecord {
  fields: Record<string, GoldenValue | null>;
  conflicts: Conflict[];
  recordIds: string[];
}

interface Candidate {
  value: string;
  original: string;
  record: CleanRecord;
  trust: number;
  valid: boolean;
}

function trustOf(rules: GoldenRules, source: string | undefined, field: string): number {
  const t = source === undefined ? undefined : rules.trust[source];
  if (typeof t === 'number') return t;
  return t?.[field] ?? 0;
}

const ORDER: readonly SurvivorshipRule[] = ['most-trusted', 'most-recent', 'most-frequent'];

function ruleKey(rule: SurvivorshipRule, c: Candidate, frequency: ReadonlyMap<string, number>): number | string {
  if (rule === 'most-trusted') return c.trust;
  if (rule === 'most-recent') return c.record.updatedAt ?? '';
  return frequency.get(c.value)!;
}

function reasonFor(rule: SurvivorshipRule, winner: Candidate, frequency: ReadonlyMap<string, number>, count: number): string {
  if (rule === 'most-trusted') return `most trusted source (${winner.record.source ?? '—'} ${winner.trust})`;
  if (rule === 'most-recent') return `most recent record (${winner.record.updatedAt ?? '—'})`;
  return `most frequent value (${frequency.get(winner.value)} of ${count})`;
}

export function goldenRecord(schema: LibrarySchema, records: readonly CleanRecord[], rules: GoldenRules): GoldenRecord {
  const fields: Record<string, GoldenValue | null> = {};
  const conflicts: Conflict[] = [];
  for (let f = 0; f < schema.fields.length; f++) {
    const field = schema.fields[f];
    const candidates: Candidate[] = [];
    for (const record of records) {
      const feature = record.features[f];
      if (feature) {
        candidates.push({
          value: feature.value, original: record.original[field.name] ?? feature.value, record,
          trust: trustOf(rules, record.source, field.name), valid: feature.valid !== false,
        });
      }
    }
    if (!candidates.length) {
      fields[field.name] = null;
      continue;
    }
    const frequency = new Map<string, number>();
    for (const c of candidates) frequency.set(c.value, (frequency.get(c.value) ?? 0) + 1);
    const rule = rules.rules?.[field.name] ?? rules.defaultRule ?? 'most-trusted';
    const order = [rule, ...ORDER.filter((r) => r !== rule)];
    let winner = candidates[0];
    for (const c of candidates.slice(1)) if (better(c, winner, order, frequency)) winner = c;
    const reason = reasonFor(rule, winner, frequency, candidates.length);
    fields[field.name] = {
      value: winner.value, original: winner.original, recordId: winner.record.id, source: winner.record.source ?? null,
      updatedAt: winner.record.updatedAt ?? null, rule, reason: winner.valid ? reason : `${reason}; no value passed its check`,
    };
    if (frequency.size > 1) {
      conflicts.push({
        field: field.name,
        values: [...frequency.keys()].map((value) => {
          const holders = candidates.filter((c) => c.value === value);
          return { value, recordIds: holders.map((c) => c.record.id), sources: [...new Set(holders.map((c) => c.record.source ?? ''))] };
        }),
      });
    }
  }
  return { fields, conflicts, recordIds: records.map((r) => r.id) };
}

/** Whether x beats y: a valid value first, then the rules in order, then the smaller record id (stable). */
function better(x: Candidate, y: Candidate, order: readonly SurvivorshipRule[], frequency: ReadonlyMap<string, number>): boolean {
  if (x.valid !== y.valid) return x.valid;
  for (const r of order) {
    const a = ruleKey(r, x, frequency);
    const b = ruleKey(r, y, frequency);
    if (a !== b) return a > b;
  }
  return x.record.id < y.record.id;
}
