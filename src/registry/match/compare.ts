/**
 * Comparison levels: for each field of a pair, the most agreeing level of its type that holds. A missing value
 * on either side gives no level (MISSING) and counts neither for nor against the match.
 */
import type { CleanRecord, Feature } from './clean.ts';
import { comparisonLevels, type FieldSpec, type LibrarySchema } from './schema.ts';
import { editDistance, jaroWinkler } from './text.ts';

export const MISSING = 255;

/** A schema's fields with the positions of their alternates, ready for comparing many pairs. */
export interface Comparator {
  schema: LibrarySchema;
  levels: readonly (readonly string[])[];
  compare(a: CleanRecord, b: CleanRecord, field: number): number;
}

const valuesOf = (f: Feature) => f.list ?? [f.value];

function alternateMatch(a: CleanRecord, b: CleanRecord, field: number, alternates: readonly number[]): boolean {
  const fa = a.features[field];
  const fb = b.features[field];
  for (const alt of alternates) {
    const xa = a.features[alt];
    const xb = b.features[alt];
    if (fa && xb && valuesOf(fa).some((v) => valuesOf(xb).includes(v))) return true;
    if (fb && xa && valuesOf(fb).some((v) => valuesOf(xa).includes(v))) return true;
  }
  return false;
}

function compareName(a: Feature, b: Feature): number {
  // Levels: exact, alternate (handled by the caller), pinyin, one-edit, similar, different.
  if (a.list || b.list) return valuesOf(a).some((v) => valuesOf(b).includes(v)) ? 0 : 5;
  if (a.value === b.value) return 0;
  if (a.sound && a.sound === b.sound) return 2;
  if (editDistance(a.value, b.value, 1) <= 1 && Math.min(a.value.length, b.value.length) >= 2) return 3;
  if (jaroWinkler(a.sound || a.value, b.sound || b.value) >= 0.88) return 4;
  return 5;
}

function compareText(a: Feature, b: Feature): number {
  if (a.value === b.value) return 0;
  const jw = jaroWinkler(a.value, b.value);
  return jw >= 0.94 ? 1 : jw >= 0.8 ? 2 : 3;
}

function compareDate(a: Feature, b: Feature): number {
  if (a.value === b.value) return 0;
  const [x, y] = [a.value, b.value];
  if (x.length === 8 && y.length === 8 && x.slice(0, 4) === y.slice(0, 4) && x.slice(4, 6) === y.slice(6, 8) && x.slice(6, 8) === y.slice(4, 6)) return 1;
  if (editDistance(x, y, 1) <= 1) return 2;
  if (a.day !== undefined && b.day !== undefined && Math.abs(a.day - b.day) <= 366) return 3;
  return 4;
}

function compareIdentifier(a: Feature, b: Feature): number {
  if (a.value === b.value) return 0;
  return editDistance(a.value, b.value, 1) <= 1 ? 1 : 2;
}

function compareAddress(a: Feature, b: Feature): number {
  // Levels: exact, same-street, close, same-county, different.
  if (a.value === b.value) return 0;
  if (a.division && a.division === b.division && a.street && a.street === b.street) return 1;
  if (jaroWinkler(a.value, b.value) >= 0.9) return 2;
  if (a.division && b.division && a.division.slice(0, 6) === b.division.slice(0, 6)) return 3;
  return 4;
}

const compareCategory = (a: Feature, b: Feature) => (a.value === b.value ? 0 : 1);

const byType = {
  name: compareName, text: compareText, date: compareDate, id_number: compareIdentifier, uscc: compareIdentifier,
  phone: compareIdentifier, address: compareAddress, code: compareIdentifier, category: compareCategory,
} as const;

export function comparator(schema: LibrarySchema): Comparator {
  const position = (name: string) => schema.fields.findIndex((f) => f.name === name);
  const specs = schema.fields.map((f: FieldSpec) => ({
    fn: byType[f.type],
    alternates: (f.alternates ?? []).map(position).filter((i) => i >= 0),
  }));
  return {
    schema,
    levels: schema.fields.map((f) => comparisonLevels[f.type]),
    compare(a, b, field) {
      const fa = a.features[field];
      const fb = b.features[field];
      const spec = specs[field];
      if (!fa || !fb) return spec.alternates.length && alternateMatch(a, b, field, spec.alternates) ? 1 : MISSING;
      const level = spec.fn(fa, fb);
      if (level > 0 && spec.alternates.length && alternateMatch(a, b, field, spec.alternates)) return 1;
      return level;
    },
  };
}
