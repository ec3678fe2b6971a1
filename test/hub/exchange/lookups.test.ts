// 批量读取: concurrent gateway reads share one query per resource and row filter, each call getting its own rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Queryable } from '../../../src/kernel/db/index.ts';
import { readRows } from '../../../src/hub/rows.ts';
import { RowReader } from '../../../src/hub/exchange/lookups.ts';
import { createTestApp, type TestApp } from '../../helpers/factories.ts';
import { adult, makeExchange, minor, otherCounty, unknownPerson, type Exchange } from './factories.ts';

describe('the row reader', () => {
  let t: TestApp;
  let x: Exchange;
  let statements: string[];
  let counting: Queryable;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    counting = { query: ((config: { text: string }, values?: unknown[]) => {
      statements.push(config.text);
      return t.db.query(config as never, values as never);
    }) as Queryable['query'] };
  });
  after(() => t.close());

  it('reads the subjects of one turn in one query per row filter, each as readRows reads it alone', async () => {
    statements = [];
    const reader = new RowReader(counting);
    const county = [{ field: 'division_code', op: 'prefix' as const, value: '511602' }];
    const asks = [adult, minor, otherCounty, unknownPerson, adult].flatMap((subject) => [
      { subject, filter: undefined }, { subject, filter: county }]);
    const read = await Promise.all(asks.map((q) => reader.read(x.people, { subject: q.subject, filter: q.filter, limit: 10 })));
    assert.equal(statements.length, 2);
    for (const [i, q] of asks.entries())
      assert.deepEqual(read[i], await readRows(t.db, x.people, { subject: q.subject, filter: q.filter, limit: 10 }), `${q.subject} ${q.filter ? 'county' : 'all'}`);
    assert.deepEqual(read[5], []); // 李四 is outside the county filter
    assert.deepEqual(read[6], []); // nobody has that ID
    assert.deepEqual(read[0]?.map((r) => r.name), ['张三']);
  });

  it('keeps lookups by key apart from lookups by subject, and fails only the calls of a failed query', async () => {
    statements = [];
    const reader = new RowReader(counting);
    const [byKey, bySubject, badFilter] = await Promise.allSettled([
      reader.read(x.people, { key: minor, limit: 10 }),
      reader.read(x.people, { subject: adult, limit: 10 }),
      reader.read(x.people, { subject: adult, filter: [{ field: 'salary', op: 'eq', value: '1' }], limit: 10 }),
    ]);
    assert.equal(statements.length, 2); // the unknown field is refused before any query
    assert.deepEqual(byKey.status === 'fulfilled' && byKey.value.map((r) => r.name), ['张小明']);
    assert.deepEqual(bySubject.status === 'fulfilled' && bySubject.value.map((r) => r.name), ['张三']);
    assert.equal(badFilter.status === 'rejected' && (badFilter.reason as { code: string }).code, 'hub.unknown-field');
  });
});
