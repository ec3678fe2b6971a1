import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/kernel/ledger/index.ts';

/** The definition every stored payload hash was made with: JSON.stringify, each object rebuilt with its keys sorted. */
const byDefinition = (value: unknown) => JSON.stringify(value, (_key, v) =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v) ?? 'null';

test('canonical JSON is byte for byte the text stored hashes were made from', () => {
  const values: unknown[] = [
    undefined, null, 0, -1.5, NaN, Infinity, 'text', '引号"与\\反斜杠\n', true, [], {},
    { b: 1, a: 2, c: { z: [3, { y: 1, x: 2 }], 'é': 1, E: 2, '': 0 } },
    { 10: 'ten', 2: 'two', a: 'a', '01': 'not an index', '4294967295': 'not an index either', '4294967294': 'index' },
    { at: new Date('2026-11-24T08:00:00.123Z'), nested: [new Date(0), undefined, () => 1, { skip: undefined, keep: null }] },
    { buffer: Buffer.from('ab'), list: [[1, [2, { d: 4, c: 3 }]]], fn: () => 1, sym: Symbol('s') },
    // [1, , 3] has a hole, which JSON writes as null.
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
    { toJSON: () => ({ z: 1, a: 2 }) }, [undefined, null], [1, , 3],
    // toJSON gets the property name, or the index as a string inside an array.
    { named: { toJSON: (key: string) => `key ${key}` }, list: [{ toJSON: (key: string) => `index ${JSON.stringify(key)}` }] }, { 'key with "quotes"': '值', '𝌆': 'astral', 'ｚ': 'fullwidth' },
  ];
  for (const value of values) assert.equal(canonicalJson(value), byDefinition(value));
  assert.equal(canonicalJson({ b: { d: 1, c: 2 }, a: [{ f: 1, e: 2 }] }), '{"a":[{"e":2,"f":1}],"b":{"c":2,"d":1}}');
  assert.equal(canonicalJson({ 10: 1, 9: 2, b: 3, a: 4 }), '{"9":2,"10":1,"a":4,"b":3}');
});
