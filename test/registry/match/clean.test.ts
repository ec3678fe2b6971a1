// 清洗: every step counted with its before and after, raw values kept, failed checks reported and never corrected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cleanRecord, cleanRecords, companySchema, divisionIndex, parseAddress, personSchema } from '../../../src/registry/match/index.ts';

const divisions = divisionIndex((JSON.parse(readFileSync(new URL('../../../src/kernel/demo/data/divisions-511600.json', import.meta.url), 'utf8')) as { code12: string; name: string }[])
  .map((d) => ({ code: d.code12, name: d.name })));

const value = (values: Record<string, string | null>, field: string) =>
  cleanRecord(personSchema, { id: '1', values }, { divisions, pivotYear: 26 }).clean.features[personSchema.fields.findIndex((f) => f.name === field)];

describe('cleanRecord', () => {
  it('reads dates in the common Chinese formats', () => {
    for (const [raw, expected] of [
      ['1990年1月2日', '19900102'], ['1990.1.2', '19900102'], ['1990-01-02', '19900102'], ['1990/1/2', '19900102'],
      ['19900102', '19900102'], ['90-1-2', '19900102'], ['一九九〇年一月二日', '19900102'], ['二〇〇五年十二月三十一日', '20051231'],
      ['１９９０年１月２日', '19900102'], ['05-3-4', '20050304'],
    ] as const) assert.equal(value({ birth_date: raw }, 'birth_date')?.value, expected, raw);
  });

  it('keeps an impossible date as written, invalid, with a finding', () => {
    const { clean, findings } = cleanRecord(personSchema, { id: '1', values: { birth_date: '19901332' } });
    assert.deepEqual(clean.features[3], { value: '19901332', valid: false });
    assert.deepEqual(findings.map((f) => f.code), ['date.invalid']);
  });

  it('names: width, spaces, 繁体 each a step; pinyin for comparing; the raw value kept', () => {
    const { clean, steps } = cleanRecord(personSchema, { id: '1', values: { name: '歐陽　翠華' } });
    assert.equal(clean.features[0]?.value, '欧阳翠华');
    assert.equal(clean.features[0]?.sound, 'ouyangcuihua');
    assert.deepEqual(steps.map((s) => [s.step, s.before, s.after]), [['width', '歐陽　翠華', '歐陽 翠華'], ['space', '歐陽 翠華', '歐陽翠華'], ['traditional', '歐陽翠華', '欧阳翠华']]);
    assert.equal(clean.original.name, '歐陽　翠華');
    assert.equal(value({ name: '曾伟' }, 'name')?.sound, 'zengwei');
  });

  it('a wrong ID check digit is a finding and the ID stays as written', () => {
    const { clean, findings } = cleanRecord(personSchema, { id: '1', values: { id_number: '511602199001021235' } });
    assert.deepEqual(clean.features[4], { value: '511602199001021235', valid: false });
    assert.equal(findings[0].code, 'id-number.check-digit');
  });

  it('an old 15-digit ID becomes the 18-digit form, as a step', () => {
    const { clean, steps } = cleanRecord(personSchema, { id: '1', values: { id_number: '511602900102123' } });
    assert.deepEqual(clean.features[4], { value: '511602199001021231', valid: true });
    assert.ok(steps.some((s) => s.step === 'id-upgraded' && s.before === '511602900102123'));
  });

  it('cross-checks birth date and sex against the ID', () => {
    const { findings } = cleanRecord(personSchema, { id: '1', values: { id_number: '511602199001021231', birth_date: '1990-02-01', sex: '女' } });
    assert.deepEqual(findings.map((f) => f.code), ['birth-date.differs-from-id', 'sex.differs-from-id']);
    assert.deepEqual(cleanRecord(personSchema, { id: '1', values: { id_number: '511602199001021231', birth_date: '1990年1月2日', sex: '男' } }).findings, []);
  });

  it('phones: +86, separators and full-width digits go; fixed lines are kept', () => {
    assert.equal(value({ phone: '+86 138-1234-5678' }, 'phone')?.value, '13812345678');
    assert.equal(value({ phone: '１３８１２３４５６７８' }, 'phone')?.value, '13812345678');
    assert.equal(value({ phone: '(0826) 2345678' }, 'phone')?.value, '08262345678');
    assert.equal(value({ phone: '123' }, 'phone')?.valid, false);
  });

  it('USCC check digit', () => {
    const ok = cleanRecord(companySchema, { id: '1', values: { uscc: '91350100M000100Y43' } });
    assert.equal(ok.clean.features[1]?.valid, true);
    const bad = cleanRecord(companySchema, { id: '1', values: { uscc: '91350100M000100Y44' } });
    assert.deepEqual([bad.clean.features[1]?.valid, bad.findings[0].code], [false, 'uscc.check-digit']);
  });

  it('parses addresses into division, street and number, with or without province and city', () => {
    assert.deepEqual(parseAddress('四川省广安市广安区协兴镇建设路12号3单元', divisions), { division: '511602102000', street: '建设路', number: '12', rest: '3单元' });
    assert.equal(parseAddress('广安区协兴镇建设路12号', divisions).division, '511602102000');
    assert.equal(value({ address: '四川省廣安市廣安區協興鎮建設路12號' }, 'address')?.division, '511602102000');
  });

  it('counts steps and findings over many records', () => {
    const { summary } = cleanRecords(personSchema, [
      { id: '1', values: { name: '張偉', id_number: '511602199001021235' } },
      { id: '2', values: { name: '張 偉' } },
    ]);
    assert.deepEqual(summary.steps.name, { traditional: 2, space: 1 });
    assert.deepEqual(summary.findings, { 'id-number.check-digit': 1 });
  });
});
