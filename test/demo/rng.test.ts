import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/kernel/demo/index.ts';

const draws = (seed: string, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

test('the same seed gives the same sequence, another seed a different one', () => {
  assert.deepEqual(draws('广安', 50), draws('广安', 50));
  assert.notDeepEqual(draws('广安', 50), draws('广安 ', 50));
  assert.notEqual(draws('a', 1)[0], draws('b', 1)[0]);
});

test('next() stays in [0, 1) and spreads over the range', () => {
  const values = draws('spread', 10_000);
  assert.ok(values.every((value) => value >= 0 && value < 1));
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  const deciles = new Array(10).fill(0);
  for (const value of values) deciles[Math.floor(value * 10)]++;
  assert.ok(deciles.every((count) => count > 850 && count < 1150), `deciles ${deciles}`);
});

for (const [min, max] of [[0, 0], [1, 6], [-3, 3], [200, 399], [0, 2 ** 31]] as const) {
  test(`int(${min}, ${max}) stays inside and reaches both ends when the range is small`, () => {
    const rng = createRng(`int ${min} ${max}`);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const value = rng.int(min, max);
      assert.ok(Number.isInteger(value) && value >= min && value <= max, `${value}`);
      seen.add(value);
    }
    if (max - min < 10) assert.equal(seen.size, max - min + 1);
  });
}

for (const [min, max] of [[2, 1], [0.5, 2], [0, Number.NaN]] as const) {
  test(`int(${min}, ${max}) is refused`, () => {
    assert.throws(() => createRng('bad').int(min, max), RangeError);
  });
}

test('pick returns members and refuses an empty list', () => {
  const rng = createRng('pick');
  const items = ['村', '社区', '街道'];
  const seen = new Set(Array.from({ length: 200 }, () => rng.pick(items)));
  assert.deepEqual([...seen].sort(), [...items].sort());
  assert.throws(() => rng.pick([]), RangeError);
});

test('weighted follows the weights and never picks a zero weight', () => {
  const rng = createRng('weighted');
  const items = [
    { name: '王', weight: 3 },
    { name: '李', weight: 1 },
    { name: '左丘', weight: 0 },
  ];
  const counts = new Map<string, number>();
  for (let i = 0; i < 8_000; i++) {
    const { name } = rng.weighted(items, (item) => item.weight);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  assert.equal(counts.get('左丘'), undefined);
  const share = counts.get('王')! / 8_000;
  assert.ok(Math.abs(share - 0.75) < 0.02, `share of 王 ${share}`);
});

for (const weights of [[], [0, 0], [1, -1], [1, Number.NaN]]) {
  test(`weighted refuses weights ${JSON.stringify(weights)}`, () => {
    assert.throws(() => createRng('w').weighted(weights, (weight) => weight), RangeError);
  });
}

test('shuffle returns a permutation and leaves its input alone', () => {
  const items = Array.from({ length: 30 }, (_, i) => i);
  const shuffled = createRng('shuffle').shuffle(items);
  assert.deepEqual(items, Array.from({ length: 30 }, (_, i) => i));
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual([...shuffled].sort((a, b) => a - b), items);
  assert.deepEqual(createRng('shuffle').shuffle(items), shuffled);
});
