// 授权是否可用: masking that defeats the stated purpose, and the predicates that answer it instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fittingPredicates, maskingWarnings, needsOf } from '../../../src/hub/exchange/fitness.ts';
import type { Field } from '../../../src/hub/entries.ts';

const fields: Pick<Field, 'code' | 'name' | 'type' | 'masking' | 'rules'>[] = [
  { code: 'id_number', name: '公民身份号码', type: 'string', masking: 'partial', rules: { check: 'resident-id' } },
  { code: 'name', name: '姓名', type: 'string', masking: 'partial', rules: {} },
  { code: 'birth_date', name: '出生日期', type: 'date', masking: 'partial', rules: {} },
  { code: 'division_code', name: '户籍地区划', type: 'string', masking: 'none', rules: {} },
  { code: 'valid_until', name: '有效期至', type: 'date', masking: 'none', rules: {} },
];
const predicates = [
  { code: 'age-over-18', field: 'birth_date', operator: 'age_at_least' as const },
  { code: 'resident-guang-an', field: 'division_code', operator: 'equals_prefix' as const },
  { code: 'licence-valid', field: 'valid_until', operator: 'exists' as const },
];

describe('needsOf', () => {
  const cases: [string, string[]][] = [
    ['核验申请人年龄', ['age']], ['高龄津贴发放核对', ['age']], ['是否年满18周岁', ['age']],
    ['核验户籍地是否在本区', ['residence']], ['核验食品经营许可证是否有效', ['validity']], ['低保资格审核', []],
  ];
  for (const [purpose, expected] of cases) it(`${purpose} → ${expected.join(',') || 'nothing'}`, () => assert.deepEqual(needsOf(purpose), expected));
});

describe('maskingWarnings', () => {
  it('an age check under the catalogue\'s partial masking of the birth date and the ID: year only, with an example', () => {
    assert.deepEqual(maskingWarnings('核验申请人年龄', fields, ['birth_date', 'id_number', 'name'], {}), [
      { field: 'birth_date', rule: 'partial', reason: 'defeats-purpose', need: 'age', example: { value: '1994-05-12', masked: '1994-**-**' } },
      { field: 'id_number', rule: 'partial', reason: 'defeats-purpose', need: 'age', example: { value: '511602199405121239', masked: '511***********1239' } },
    ]);
  });

  it('unmasked, the same purpose is served: no warning', () => {
    assert.deepEqual(maskingWarnings('核验申请人年龄', fields, ['birth_date', 'id_number'], { birth_date: 'none', id_number: 'none' }), []);
  });

  it('a hashed birth date for an age check shows a cut pseudonym; a hashed name for another purpose is not flagged', () => {
    const [warning] = maskingWarnings('核验申请人年龄', fields, ['birth_date', 'name'], { birth_date: 'none', name: 'hash' });
    assert.equal(warning, undefined);
    const hashed = maskingWarnings('高龄津贴发放核对', fields, ['birth_date'], { birth_date: 'hash' });
    assert.deepEqual(hashed.map((w) => [w.field, w.rule, w.reason, w.need]), [['birth_date', 'hash', 'defeats-purpose', 'age']]);
    assert.match(hashed[0]!.example.masked!, /^[0-9a-f]{16}…$/);
  });

  it('a dropped field is said to carry nothing, whatever the purpose', () => {
    assert.deepEqual(maskingWarnings('低保资格审核', fields, ['name', 'division_code'], { division_code: 'drop' }), [
      { field: 'division_code', rule: 'drop', reason: 'dropped', need: null, example: { value: '511602001001', masked: null } },
    ]);
  });

  it('a purpose that needs nothing particular gets no warning for partial masking', () => {
    assert.deepEqual(maskingWarnings('低保资格审核', fields, ['id_number', 'name', 'birth_date'], {}), []);
  });
});

describe('fittingPredicates', () => {
  it('offers 年满18周岁 for an age check asked of the birth date or of the ID alone', () => {
    assert.deepEqual(fittingPredicates('核验申请人年龄', fields, ['name', 'birth_date'], predicates).map((p) => p.code), ['age-over-18']);
    assert.deepEqual(fittingPredicates('核验申请人年龄', fields, ['id_number'], predicates).map((p) => p.code), ['age-over-18']);
  });

  it('offers the residence and validity predicates for their purposes, and nothing when the fields do not carry the need', () => {
    assert.deepEqual(fittingPredicates('核验户籍地是否在本区', fields, ['division_code'], predicates).map((p) => p.code), ['resident-guang-an']);
    assert.deepEqual(fittingPredicates('核验许可证是否有效', fields, ['valid_until'], predicates).map((p) => p.code), ['licence-valid']);
    assert.deepEqual(fittingPredicates('核验申请人年龄', fields, ['name'], predicates), []);
    assert.deepEqual(fittingPredicates('低保资格审核', fields, ['birth_date'], predicates), []);
  });
});
