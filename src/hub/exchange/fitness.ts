/**
 * 授权是否可用: whether the terms of an approval still serve the stated purpose. A purpose that names an
 * age check ("核验申请人年龄") needs the day of birth, which partial masking of a birth date (1994-**-**)
 * or of a resident ID hides; a dropped field carries nothing at all. Where a published predicate answers
 * what the purpose needs ("年满18周岁"), the approver is offered it instead of the field. Pure, so the
 * approval dialog and the approval itself judge alike.
 */
import { residentIdCheckChar } from '../../kernel/checks/index.ts';
import type { Field, Masking } from '../entries.ts';
import { maskValue } from '../masking.ts';
import type { PredicateOperator } from './predicates.ts';

export const purposeNeeds = ['age', 'residence', 'validity'] as const;
export type PurposeNeed = (typeof purposeNeeds)[number];

type FieldFacts = Pick<Field, 'code' | 'name' | 'type' | 'masking' | 'rules'>;

/** What a purpose may need, the words that say so, the fields that carry it, and the predicate operator that answers it. */
const needs: Record<PurposeNeed, { words: RegExp; carries: (f: FieldFacts) => boolean; operator: PredicateOperator }> = {
  age: {
    words: /年龄|年满|成年|周岁|高龄|老年|\bage\b|adult/i,
    carries: (f) => f.rules.check === 'resident-id' || (f.type === 'date' && /birth|出生/i.test(`${f.code} ${f.name}`)),
    operator: 'age_at_least',
  },
  residence: {
    words: /户籍地|居住地|常住地|本地户籍|辖区居民|residen/i,
    carries: (f) => /division|户籍地|住址|address/i.test(`${f.code} ${f.name}`),
    operator: 'equals_prefix',
  },
  validity: {
    words: /有效期|是否有效|持有有效|valid/i,
    carries: (f) => /valid|expir|有效期/i.test(`${f.code} ${f.name}`),
    operator: 'exists',
  },
};

/** The needs a purpose (with its scenario) names. */
export function needsOf(text: string): PurposeNeed[] {
  return purposeNeeds.filter((need) => needs[need].words.test(text));
}

const sampleId = (() => {
  const first17 = '51160219940512123';
  return first17 + residentIdCheckChar(first17);
})();

/** An illustrative value of a field, to show what masking leaves of it (never a real person's). */
export function sampleValue(field: FieldFacts): unknown {
  if (field.rules.check === 'resident-id') return sampleId;
  if (field.rules.check === 'credit-code') return '91511602MA62XXXX0K';
  switch (field.type) {
    case 'date': return '1994-05-12';
    case 'integer': case 'number': return 3;
    case 'boolean': return true;
    case 'string': return /name|姓名/i.test(`${field.code} ${field.name}`) ? '王小梅' : /division|区划/i.test(`${field.code} ${field.name}`) ? '511602001001' : '示例值';
  }
}

export interface MaskingWarning {
  field: string;
  rule: Masking;
  /** dropped: the consumer gets nothing; defeats-purpose: what is left cannot serve `need`. */
  reason: 'dropped' | 'defeats-purpose';
  need: PurposeNeed | null;
  example: { value: string; masked: string | null };
}

const shown = (value: unknown) => (value === undefined ? null : String(value).length > 24 ? `${String(value).slice(0, 16)}…` : String(value));

/**
 * Warnings for granting `fields` under `masking` (the catalogue's rule where none is set) for `purpose`:
 * a dropped field, or a field the purpose needs whole that masking hides. Each names the rule and shows an
 * example of what the consumer would receive.
 */
export function maskingWarnings(purpose: string, resourceFields: readonly FieldFacts[], fields: readonly string[],
  masking: Readonly<Record<string, Masking>>): MaskingWarning[] {
  const wanted = needsOf(purpose);
  const warnings: MaskingWarning[] = [];
  for (const code of fields) {
    const field = resourceFields.find((f) => f.code === code);
    if (!field) continue;
    const rule = masking[code] ?? field.masking;
    if (rule === 'none') continue;
    const value = sampleValue(field);
    const example = { value: String(value), masked: shown(maskValue(value, rule)) };
    const need = wanted.find((n) => needs[n].carries(field)) ?? null;
    if (rule === 'drop') warnings.push({ field: code, rule, reason: 'dropped', need, example });
    else if (need) warnings.push({ field: code, rule, reason: 'defeats-purpose', need, example });
  }
  return warnings;
}

/**
 * The predicates that answer what the purpose needs of the requested fields (an age check asked of the
 * birth date or the resident ID, answered by 年满18周岁): offered to the approver as 用谓词代替字段.
 */
export function fittingPredicates<P extends { field: string; operator: PredicateOperator }>(purpose: string, resourceFields: readonly FieldFacts[],
  requestedFields: readonly string[], predicates: readonly P[]): P[] {
  const fieldOf = (code: string) => resourceFields.find((f) => f.code === code);
  const wanted = needsOf(purpose).filter((need) => requestedFields.some((code) => {
    const field = fieldOf(code);
    return field !== undefined && needs[need].carries(field);
  }));
  return predicates.filter((p) => wanted.some((need) => {
    const field = fieldOf(p.field);
    return needs[need].operator === p.operator && field !== undefined && needs[need].carries(field);
  }));
}
