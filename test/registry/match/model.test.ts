// 融合: the model learns without labels, weighs rare names above common ones, explains every pair and keeps its rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanRecords, clusterPairs, explainPair, IncrementalMatcher, personSchema, scorePairs, trainModel, type MatchModel, type RawRecord,
} from '../../../src/registry/match/index.ts';
import { editDistance, jaroWinkler } from '../../../src/registry/match/text.ts';

describe('string metrics', () => {
  it('Jaro-Winkler gives the textbook values', () => {
    assert.equal(jaroWinkler('MARTHA', 'MARHTA').toFixed(4), '0.9611');
    assert.equal(jaroWinkler('DIXON', 'DICKSONX').toFixed(4), '0.8133');
    assert.equal(jaroWinkler('', 'A'), 0);
  });
  it('edit distance counts an adjacent swap as one edit', () => {
    assert.deepEqual([editDistance('abcd', 'acbd', 1), editDistance('张伟', '张玮', 1), editDistance('abc', 'xyz', 1), editDistance('kitten', 'sitting', 3)], [1, 1, 2, 3]);
  });
});

/** A small population: each person twice (once with an error), and a crowd sharing the name 王伟. */
function population(): RawRecord[] {
  const out: RawRecord[] = [];
  const surnames = [...'赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜'];
  const given = [...'子轩浩然雨涵欣怡梓萱一诺宇航思远佳琪明哲'];
  for (let i = 0; i < 400; i++) {
    const name = i < 40 ? '王伟' : i === 40 ? '欧阳翠花' : surnames[i % surnames.length] + given[Math.floor(i / surnames.length)] + given[i % given.length];
    const birth = new Date(Date.UTC(1950, 0, 1 + i * 37)).toISOString().slice(0, 10);
    const phone = `139${String(10_000_000 + i * 7919).slice(0, 8)}`;
    const base = { name, sex: i % 2 ? '男' : '女', birth_date: birth, phone, address: `广安区${['建设', '人民', '解放', '中山'][i % 4]}路${Math.floor(i / 4) + 1}号` };
    out.push({ id: `a${i}`, source: '公安局', values: base });
    out.push({ id: `b${i}`, source: '卫健委', values: { ...base, birth_date: birth.replace(/-/g, '.'), phone: i % 3 ? phone : null } });
  }
  return out;
}

describe('trainModel and scoring', () => {
  const { records } = cleanRecords(personSchema, population());
  const model = trainModel(personSchema, records);
  const byId = new Map(records.map((r) => [r.id, r]));

  it('learns m above u for exact agreement without labels', () => {
    const name = personSchema.fields.findIndex((f) => f.name === 'name');
    assert.ok(model.m[name][0] > 0.5, `m ${model.m[name][0]}`);
    assert.ok(model.u[name][0] < 0.05, `u ${model.u[name][0]}`);
  });

  it('a common name agreeing counts less than a rare one (term frequency)', () => {
    const common = explainPair(model, byId.get('a0')!, byId.get('b0')!).parts.find((p) => p.field === 'name')!;
    const rare = explainPair(model, byId.get('a40')!, byId.get('b40')!).parts.find((p) => p.field === 'name')!;
    assert.ok(rare.weight > common.weight + 3, `rare ${rare.weight} common ${common.weight}`);
    assert.ok(common.termFrequency! > rare.termFrequency!);
  });

  it('explains a pair: prior plus the parts is the weight', () => {
    const e = explainPair(model, byId.get('a5')!, byId.get('b5')!);
    assert.ok(Math.abs(e.prior + e.parts.reduce((s, p) => s + p.weight, 0) - e.weight) < 1e-9);
    assert.equal(e.parts.find((p) => p.field === 'id_number')?.level, null);
    assert.ok(e.probability > 0.99);
  });

  it('finds every pair and no other', () => {
    const pairs = [...scorePairs(model, records, model.threshold)];
    const { entities } = clusterPairs(pairs, { threshold: model.threshold });
    assert.equal(entities.length, 400);
    assert.ok(entities.every((e) => e.length === 2 && e[0].slice(1) === e[1].slice(1)));
  });

  it('is plain data: a model read back from JSON scores the same', () => {
    const copy = JSON.parse(JSON.stringify(model)) as MatchModel;
    assert.deepEqual(explainPair(copy, byId.get('a7')!, byId.get('b7')!), explainPair(model, byId.get('a7')!, byId.get('b7')!));
  });

  it('clerical labels take part in training', () => {
    const labelled = trainModel(personSchema, records, { labels: [{ a: 'a1', b: 'b1', match: true }, { a: 'a1', b: 'a2', match: false }] });
    assert.equal(labelled.training.labels, 2);
    assert.notDeepEqual(labelled.m, model.m);
  });

  it('the same valid ID decides a pair whatever else differs', () => {
    const { records: two } = cleanRecords(personSchema, [
      { id: 'x', values: { name: '张三', id_number: '511602199001021231' } },
      { id: 'y', values: { name: '李四', id_number: '511602199001021231' } },
    ]);
    const e = explainPair(model, two[0], two[1]);
    assert.equal(e.rule, 'same-valid-id');
    assert.equal(e.probability, 1);
  });
});

describe('clusterPairs', () => {
  it('never joins two groups holding different valid IDs (no chaining through a record without one)', () => {
    const ids: Record<string, string[]> = { a: ['id:1'], c: ['id:2'] };
    const { entities, refused } = clusterPairs([
      { a: 'a', b: 'b', weight: 20, probability: 0.999 },
      { a: 'b', b: 'c', weight: 10, probability: 0.99 },
    ], { threshold: 0.5, identities: (id) => ids[id] ?? [] });
    assert.deepEqual(entities, [['a', 'b']]);
    assert.deepEqual(refused.map((p) => p.b), ['c']);
  });
  it('leaves out pairs under the threshold', () => {
    assert.deepEqual(clusterPairs([{ a: 'a', b: 'b', weight: -1, probability: 0.3 }], { threshold: 0.5 }).entities, []);
  });
});

describe('IncrementalMatcher', () => {
  it('matches new rows against the indexed ones and then indexes them', () => {
    const { records } = cleanRecords(personSchema, population());
    const model = trainModel(personSchema, records);
    const existing = records.filter((r) => r.id.startsWith('a'));
    const fresh = records.filter((r) => r.id.startsWith('b'));
    const matcher = new IncrementalMatcher(model, existing);
    const pairs = matcher.match(fresh);
    assert.equal(matcher.size, records.length);
    assert.equal(new Set(pairs.filter((p) => p.a.slice(1) === p.b.slice(1)).map((p) => p.b)).size, 400);
  });
});
