import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageOn,
  checkCreditCode,
  checkDivisionCode,
  checkMobile,
  checkResidentId,
  creditCodeCheckChar,
  divisionLevel,
  divisionPrefix,
  parentDivisionCode,
  residentIdCheckChar,
  residentIdFacts,
} from '../../../src/kernel/checks/index.ts';

const withResidentCheck = (first17: string) => first17 + residentIdCheckChar(first17);
const withCreditCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
const today = new Date('2026-03-01T04:00:00Z');

test('residentIdCheckChar computes ISO 7064 MOD 11-2', () => {
  const cases: [string, string][] = [
    ['11010519491231002', 'X'], // GB 11643-1999 example
    ['44052418800101001', '4'], // GB 11643-1999 example
    ['51160219900101001', '4'], // sum 173, 173 mod 11 = 8
    ['51160220010915004', '9'], // sum 223, 223 mod 11 = 3
  ];
  for (const [first17, expected] of cases) assert.equal(residentIdCheckChar(first17), expected, first17);
  assert.throws(() => residentIdCheckChar('1101051949123100'), RangeError);
});

test('checkResidentId accepts valid IDs and normalises x to X', () => {
  const cases: [string, string][] = [
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    [' 440524188001010014 ', '440524188001010014'],
    [withResidentCheck('51160220000229002'), withResidentCheck('51160220000229002')],
    [withResidentCheck('51160220260301001'), withResidentCheck('51160220260301001')], // born today
  ];
  for (const [input, value] of cases) assert.deepEqual(checkResidentId(input, today), { ok: true, value }, input);
});

test('checkResidentId names the reason for each kind of bad ID', () => {
  const cases: [string, string, RegExp][] = [
    ['11010519491231002', 'length', /18 characters; this one has 17/],
    ['11010519491231002XX', 'length', /this one has 19/],
    ['1101051949123100X2', 'charset', /17 digits followed by a digit or X/],
    ['11010519491231002Y', 'charset', /digit or X/],
    [withResidentCheck('51160219990229001'), 'birth-date', /1999-02-29 .* not a real date/],
    [withResidentCheck('51160219901301001'), 'birth-date', /1990-13-01 .* not a real date/],
    [withResidentCheck('51160220260302001'), 'birth-date', /2026-03-02 .* in the future/],
    ['110105194912310021', 'check-digit', /should be X, not 1/],
    ['440524188001010015', 'check-digit', /should be 4, not 5/],
  ];
  for (const [input, reason, message] of cases) {
    const result = checkResidentId(input, today);
    assert.equal(result.ok, false, input);
    if (!result.ok) {
      assert.equal(result.reason, reason, input);
      assert.match(result.message, message, input);
    }
  }
});

test('the future birth-date check uses the China-time day of today', () => {
  const bornOn0302 = withResidentCheck('51160220260302001');
  // 2026-03-01T16:30Z is already 2026-03-02 in China.
  assert.equal(checkResidentId(bornOn0302, new Date('2026-03-01T16:30:00Z')).ok, true);
  assert.equal(checkResidentId(bornOn0302, new Date('2026-03-01T15:30:00Z')).ok, false);
});

test('residentIdFacts reads division, birth date and sex', () => {
  assert.deepEqual(residentIdFacts('11010519491231002X'), { divisionCode6: '110105', birthDate: '1949-12-31', sex: 'female' });
  assert.deepEqual(residentIdFacts('440524188001010014'), { divisionCode6: '440524', birthDate: '1880-01-01', sex: 'male' });
  assert.throws(() => residentIdFacts('110105194912310021'), /should be X/);
});

test('ageOn counts whole years, birthdays included', () => {
  const leapling = withResidentCheck('51160220080229001');
  const cases: [string, string | Date, number][] = [
    ['11010519491231002X', '2026-12-30', 76],
    ['11010519491231002X', '2026-12-31', 77],
    [leapling, '2026-02-28', 17],
    [leapling, '2026-03-01', 18],
    [leapling, '2028-02-29', 20],
    // An instant counts as its China-time day: 2026-02-28T16:00Z is 2026-03-01 in China.
    [leapling, new Date('2026-02-28T16:00:00Z'), 18],
    [leapling, new Date('2026-02-28T15:59:59Z'), 17],
  ];
  for (const [id, on, age] of cases) assert.equal(ageOn(id, on), age, `${id} on ${String(on)}`);
});

test('creditCodeCheckChar computes MOD 31', () => {
  assert.equal(creditCodeCheckChar('91350100M000100Y4'), '3');
  assert.throws(() => creditCodeCheckChar('91350100M000100YO'), RangeError);
});

test('checkCreditCode accepts valid codes', () => {
  const cases: [string, string][] = [
    ['91350100M000100Y43', '91350100M000100Y43'], // published example
    ['91350100m000100y43', '91350100M000100Y43'],
    [withCreditCheck('12511602MB0123456'), withCreditCheck('12511602MB0123456')], // 事业单位 in 广安区
    [withCreditCheck('31110000E00012345'), withCreditCheck('31110000E00012345')], // law firm, Beijing
    [withCreditCheck('51100000500000123'), withCreditCheck('51100000500000123')], // national social group
    [withCreditCheck('N2511602MF0000001'), withCreditCheck('N2511602MF0000001')], // village collective
  ];
  for (const [input, value] of cases) assert.deepEqual(checkCreditCode(input), { ok: true, value }, input);
});

test('checkCreditCode names the reason for each kind of bad code', () => {
  const cases: [string, string, RegExp][] = [
    ['91350100M000100Y4', 'length', /this one has 17/],
    ['91350100M000100YO3', 'charset', /cannot contain "O"/],
    ['91350100M0001I0Y43', 'charset', /"I"/],
    [withCreditCheck('B1350100M000100Y4'), 'registration-department', /"B" is not a registration department/],
    [withCreditCheck('94350100M000100Y4'), 'organisation-type', /"4" .* department 9 \(工商\)/],
    [withCreditCheck('Y2350100M000100Y4'), 'organisation-type', /"2"/],
    [withCreditCheck('91990100M000100Y4'), 'division-code', /\(990100\)/],
    [withCreditCheck('91350001M000100Y4'), 'division-code', /\(350001\)/],
    ['91350100M000100Y44', 'check-digit', /should be 3, not 4/],
  ];
  for (const [input, reason, message] of cases) {
    const result = checkCreditCode(input);
    assert.equal(result.ok, false, input);
    if (!result.ok) {
      assert.equal(result.reason, reason, input);
      assert.match(result.message, message, input);
    }
  }
});

test('checkMobile strips separators and the country prefix', () => {
  const valid: [string, string][] = [
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['008619912345678', '19912345678'],
    ['8615912345678', '15912345678'],
  ];
  for (const [input, value] of valid) assert.deepEqual(checkMobile(input), { ok: true, value }, input);
  const invalid: [string, string][] = [
    ['1381234567a', 'charset'],
    ['(138)12345678', 'charset'],
    ['+1 202 555 0100', 'charset'],
    ['1381234567', 'length'],
    ['138123456789', 'length'],
    ['+86 1381234567', 'length'],
    ['12812345678', 'prefix'],
    ['02812345678', 'prefix'],
  ];
  for (const [input, reason] of invalid) {
    const result = checkMobile(input);
    assert.equal(result.ok ? 'ok' : result.reason, reason, input);
  }
});

test('checkDivisionCode pads to 12 digits and checks province and structure', () => {
  const valid: [string, string][] = [
    ['510000', '510000000000'],
    ['511600', '511600000000'],
    ['511602', '511602000000'],
    ['511602001', '511602001000'],
    ['511602001001', '511602001001'],
    ['429004', '429004000000'], // 仙桃市, a county-level city directly under the province
  ];
  for (const [input, value] of valid) assert.deepEqual(checkDivisionCode(input), { ok: true, value }, input);
  const invalid: [string, string][] = [
    ['51160a', 'charset'],
    ['', 'charset'],
    ['5116', 'length'],
    ['5116020010', 'length'],
    ['000000', 'province'],
    ['710000', 'province'], // outside the 31 mainland provinces
    ['660000', 'province'],
    ['510001', 'structure'], // county under an empty city part
    ['511600001', 'structure'], // township under an empty county part
    ['511602000001', 'structure'], // village under an empty township part
  ];
  for (const [input, reason] of invalid) {
    const result = checkDivisionCode(input);
    assert.equal(result.ok ? 'ok' : result.reason, reason, input);
  }
});

test('division level, prefix and parent follow the hierarchy', () => {
  const cases: [string, string, string, string | null][] = [
    ['510000000000', 'province', '51', null],
    ['511600000000', 'city', '5116', '510000000000'],
    ['511602000000', 'county', '511602', '511600000000'],
    ['511602001000', 'township', '511602001', '511602000000'],
    ['511602001001', 'village', '511602001001', '511602001000'],
  ];
  for (const [code, level, prefix, parent] of cases) {
    assert.equal(divisionLevel(code), level, code);
    assert.equal(divisionPrefix(code), prefix, code);
    assert.equal(parentDivisionCode(code), parent, code);
  }
});
