import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coarse, maskPersonalNumbers } from '../../src/hotline/privacy.ts';
import { parseDateTime } from '../../src/hotline/dates.ts';

test('maskPersonalNumbers masks mobiles, landlines and resident IDs, and leaves other numbers', () => {
  const cases: [string, string][] = [
    ['电话13812345678', '电话138****5678'],
    ['电话 138-1234-5678 或 +86 139 1234 5678', '电话 138****5678 或 139****5678'],
    ['座机0826-2345678转123', '座机0826-*****78转123'],
    ['座机(028)87654321', '座机(028)*****21'],
    ['拨08262345678', '拨0826*****78'],
    ['本地号码2345678有人接', '本地号码*****78有人接'],
    ['身份证号511602199001011234', '身份证号5****************4'],
    ['证号51160219900101123x。', '证号5****************x。'],
    // A ticket number (14 digits), a year, a count and a 19-digit number are not personal numbers.
    ['工单20261124000042，2026年，3栋12号，1234567890123456789', '工单20261124000042，2026年，3栋12号，1234567890123456789'],
    ['没有号码', '没有号码'],
  ];
  for (const [text, masked] of cases) assert.equal(maskPersonalNumbers(text), masked, text);
});

test('coarse snaps a coordinate to the 0.002° public grid', () => {
  assert.deepEqual([coarse(30.4713), coarse(106.6327), coarse(30.47), coarse(30.4709)], [30.472, 106.632, 30.47, 30.47]);
});

test('parseDateTime reads real W3C dates and times only', () => {
  assert.equal(parseDateTime('2026-11-24T08:00:00+08:00')?.toISOString(), '2026-11-24T00:00:00.000Z');
  assert.equal(parseDateTime('2024-02-29')?.toISOString(), '2024-02-29T00:00:00.000Z');
  for (const bad of ['2026-02-30', '2026-02-29', '2026-04-31T00:00Z', '2026-13-01', '2026-11-24T24:00:00Z', '2026-11-24T23:60Z', 'yesterday', ''])
    assert.equal(parseDateTime(bad), null, bad);
  assert.equal(parseDateTime('2026-11-24T08:00:00', { requireZone: true }), null);
  assert.equal(parseDateTime('2026-11-24', { requireZone: true }), null);
  assert.ok(parseDateTime('2026-11-24T08:00:00Z', { requireZone: true }));
});
