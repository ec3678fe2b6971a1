// Chinese records from five departments with the errors real ones have: resolved with F1 ≥ 0.98 against the known truth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { divisionIndex, entityPairs, pairQuality, personSchema, resolveRecords } from '../../../src/registry/match/index.ts';
import { generatePersonRecords } from '../../../src/registry/match/synthetic.ts';

const divisions = (JSON.parse(readFileSync(new URL('../../../src/kernel/demo/data/divisions-511600.json', import.meta.url), 'utf8')) as { code12: string; name: string }[])
  .map((d) => ({ code: d.code12, name: d.name }));

describe('generated Chinese person records', () => {
  const records = [...generatePersonRecords({ people: 3000, divisions, seed: 'test' })];
  const truth = new Map(records.map((r) => [r.id, String(r.person)]));

  it('hold the hard cases: 繁体, other date formats, missing IDs, shared names', () => {
    const values = records.map((r) => r.values);
    assert.ok(values.some((v) => /[廣區鎮]/.test(v.address ?? '')));
    assert.ok(values.some((v) => /年.*月.*日/.test(v.birth_date ?? '')));
    assert.ok(values.filter((v) => !v.id_number).length > records.length * 0.05);
    const names = new Map<string, Set<number>>();
    for (const r of records) names.set(r.values.name!, (names.get(r.values.name!) ?? new Set()).add(r.person));
    assert.ok([...names.values()].some((people) => people.size >= 3));
  });

  it('are resolved with F1 ≥ 0.98', () => {
    const result = resolveRecords(personSchema, records, { clean: { divisions: divisionIndex(divisions) } });
    const q = pairQuality(entityPairs(result.clustering.entities), truth);
    assert.ok(q.f1 >= 0.98, JSON.stringify(q));
    assert.ok(result.cleaning.findings['id-number.check-digit']! > 0);
  });
});
