// 择优: each field of a golden record says which record and source gave it and why; conflicts are listed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanRecords, goldenRecord, personSchema } from '../../../src/registry/match/index.ts';

const { records } = cleanRecords(personSchema, [
  { id: 'p1', source: '公安局', updatedAt: '2020-01-01', values: { name: '张伟', id_number: '511602199001021231', address: '广安区建设路1号', phone: '13800000001' } },
  { id: 'h1', source: '卫健委', updatedAt: '2024-06-01', values: { name: '張偉', id_number: '511602199001021235', address: '广安区人民路9号', phone: '13800000002' } },
  { id: 's1', source: '人社局', updatedAt: '2023-03-01', values: { name: '张伟', address: '广安区人民路9号', phone: '13800000002' } },
]);
const rules = {
  trust: { 公安局: 0.95, 卫健委: { address: 0.9, id_number: 0.99 }, 人社局: 0.6 },
  rules: { address: 'most-recent', phone: 'most-frequent' } as const,
};

describe('goldenRecord', () => {
  const golden = goldenRecord(personSchema, records, rules);

  it('takes the most trusted source by default', () => {
    assert.deepEqual({ ...golden.fields.name, updatedAt: undefined }, {
      value: '张伟', original: '张伟', recordId: 'p1', source: '公安局', updatedAt: undefined, rule: 'most-trusted', reason: 'most trusted source (公安局 0.95)',
    });
  });

  it('an ID failing its check never wins over a valid one, however trusted its source', () => {
    assert.equal(golden.fields.id_number?.recordId, 'p1');
  });

  it('follows the rule set per field: most recent, most frequent', () => {
    assert.deepEqual([golden.fields.address?.recordId, golden.fields.address?.reason], ['h1', 'most recent record (2024-06-01)']);
    assert.deepEqual([golden.fields.phone?.value, golden.fields.phone?.reason], ['13800000002', 'most frequent value (2 of 3)']);
    assert.equal(golden.fields.employer, null);
  });

  it('lists the conflicts with the records and sources behind each value', () => {
    const address = golden.conflicts.find((c) => c.field === 'address')!;
    assert.deepEqual(address.values, [
      { value: '广安区建设路1号', recordIds: ['p1'], sources: ['公安局'] },
      { value: '广安区人民路9号', recordIds: ['h1', 's1'], sources: ['卫健委', '人社局'] },
    ]);
    assert.deepEqual(golden.conflicts.map((c) => c.field).sort(), ['address', 'id_number', 'phone']);
  });
});
