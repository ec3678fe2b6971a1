// The functions hub-exchange builds on: findPublishedResource, readRows, readRowsOf, maskValue, systemOfActor.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resolveApiToken } from '../../src/kernel/auth/index.ts';
import { DomainError } from '../../src/kernel/errors.ts';
import { findPublishedResource, issueSystemToken, maskValue, systemOfActor } from '../../src/hub/index.ts';
import { readRows, readRowsOf } from '../../src/hub/rows.ts';
import { createSystem } from '../../src/hub/systems.ts';
import { createResource, updateResource } from '../../src/hub/entries.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { makeHubCast, personEntry, publishEntry, run, system } from './factories.ts';

describe('maskValue', () => {
  const cases: [unknown, string, unknown][] = [
    ['110101199003071234', 'partial', '110***********1234'],
    ['13812345678', 'partial', '138****5678'],
    ['张三', 'partial', '张*'],
    ['欧阳娜娜', 'partial', '欧***'],
    ['1990-03-07', 'partial', '1990-**-**'],
    [42, 'partial', '***'],
    ['x', 'none', 'x'],
    ['x', 'drop', undefined],
    [null, 'partial', null],
  ];
  for (const [value, rule, expected] of cases)
    it(`${String(value)} under ${rule} → ${String(expected)}`, () => assert.equal(maskValue(value, rule as never), expected));

  it('hashes to a stable pseudonym that depends on the key', () => {
    const plain = maskValue('110101199003071234', 'hash');
    assert.match(String(plain), /^[0-9a-f]{64}$/);
    assert.equal(maskValue('110101199003071234', 'hash'), plain);
    const keyed = maskValue('110101199003071234', 'hash', Buffer.from('k'));
    assert.notEqual(keyed, plain);
  });
});

describe('the catalogue functions the exchange uses', () => {
  let t: TestDb;
  let api: http.Server;
  let apiUrl: string;
  let cast: Awaited<ReturnType<typeof makeHubCast>>;
  before(async () => {
    t = await createTestDb();
    cast = await makeHubCast(t.db);
    api = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/slow') { setTimeout(() => res.end('{}'), 500); return; }
      if (url.pathname === '/broken') { res.statusCode = 500; res.end('oops'); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ code: 0, data: { records: [{ zzbh: url.searchParams.get('key'), mc: '民政婚姻登记', detail: { status: '已婚' } }] } }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  after(async () => { api.close(); await t.drop(); });

  it('serves the published version while the next one is a draft, and nothing before publication', async () => {
    const entry = personEntry(cast.police, { code: 'A01-0001-0001-0002' });
    await run(t.db, system, createResource, entry);
    assert.equal(await findPublishedResource(t.db, entry.code), null);
    const published = await publishEntry(t.db, { ...entry, code: 'A01-0001-0001-0003' });
    assert.equal(published.status, 'published');
    await run(t.db, system, updateResource, { ...entry, code: 'A01-0001-0001-0003', name: '人口基本信息（第二版）' });
    const served = await findPublishedResource(t.db, 'A01-0001-0001-0003');
    assert.equal(served?.name, '人口基本信息');
    assert.equal(served?.version, 1);
    assert.deepEqual(served?.fields.map((f) => [f.code, f.masking]), entry.fields.map((f) => [f.code, f.masking]));
  });

  it('reads rows of a table resource by subject, key and filter, taking filter values as data', async () => {
    const resource = (await findPublishedResource(t.db, 'A01-0001-0001-0003'))!;
    const rows = [
      { id_number: '511602199001011234', name: '张三', division_code: '511602001001' },
      { id_number: '511621198505052345', name: '李四', division_code: '511621100001' },
      { id_number: '511602200012123456', name: '王五', division_code: '511602002001' },
    ];
    for (const row of rows)
      await t.db.query('INSERT INTO hub_rows (resource_id, subject, key, data) VALUES ($1, $2, $2, $3)', [resource.id, row.id_number, row]);
    assert.deepEqual(await readRows(t.db, resource, { subject: rows[1]!.id_number, limit: 10 }), [rows[1]]);
    assert.deepEqual(await readRows(t.db, resource, { key: rows[0]!.id_number, limit: 10 }), [rows[0]]);
    const county = await readRows(t.db, resource, { filter: [{ field: 'division_code', op: 'prefix', value: '511602' }], limit: 10 });
    assert.deepEqual(county.map((r) => r.name), ['张三', '王五']);
    assert.equal((await readRows(t.db, resource, { filter: [{ field: 'name', op: 'in', value: ['李四', '王五'] }], limit: 1 })).length, 1);
    assert.deepEqual(await readRows(t.db, resource, { filter: [{ field: 'division_code', op: 'prefix', value: '%' }], limit: 10 }), []);
    assert.deepEqual(await readRows(t.db, resource, { subject: "' OR 1=1 --", limit: 10 }), []);
    await assert.rejects(readRows(t.db, resource, { filter: [{ field: 'salary', op: 'eq', value: '1' }], limit: 10 }),
      (e: DomainError) => e.code === 'hub.unknown-field' && e.details.field === 'filter.0.field');
  });

  it('reads the rows of many subjects or keys in one query, each value as readRows reads it alone', async () => {
    const resource = (await findPublishedResource(t.db, 'A01-0001-0001-0003'))!;
    const [zhang, li, wang] = ['511602199001011234', '511621198505052345', '511602200012123456'];
    const extra = { id_number: zhang, name: '张三', division_code: '511602009001' };
    await t.db.query('INSERT INTO hub_rows (resource_id, subject, key, data) VALUES ($1, $2, $3, $4)', [resource.id, zhang, 'second', extra]);
    const values = [zhang!, li!, wang!, zhang!, "' OR 1=1 --", '511602190001010000'];
    for (const filter of [undefined, [{ field: 'division_code', op: 'prefix' as const, value: '511602' }]])
      for (const limit of [1, 10]) {
        const found = await readRowsOf(t.db, resource, { by: 'subject', values, filter, limit });
        assert.deepEqual([...found.keys()].sort(), [...new Set(values)].sort());
        for (const value of values) assert.deepEqual(found.get(value), await readRows(t.db, resource, { subject: value, filter, limit }));
      }
    assert.deepEqual((await readRowsOf(t.db, resource, { by: 'subject', values: [zhang!], limit: 10 })).get(zhang!)?.map((r) => r.division_code),
      ['511602001001', '511602009001']);
    const byKey = await readRowsOf(t.db, resource, { by: 'key', values: [li!, 'second', 'none'], limit: 10 });
    assert.deepEqual([byKey.get(li!)?.map((r) => r.name), byKey.get('second'), byKey.get('none')], [['李四'], [extra], []]);
    await assert.rejects(readRowsOf(t.db, resource, { by: 'subject', values: [zhang!], filter: [{ field: 'salary', op: 'eq', value: '1' }], limit: 10 }),
      (e: DomainError) => e.code === 'hub.unknown-field');
    await t.db.query("DELETE FROM hub_rows WHERE resource_id = $1 AND key = 'second'", [resource.id]);
  });

  it('calls an api resource with its timeout and maps the answer to field codes', async () => {
    const entry = {
      ...personEntry(cast.police, { code: 'A02-0001-0001-0001', name: '婚姻登记信息', kind: 'api' as const, subjectKind: undefined, subjectField: undefined, keyField: 'cert_no' }),
      fields: [
        { code: 'cert_no', name: '结婚证字号', type: 'string' as const, sensitivity: 'general' as const, level: 'L2' as const, masking: 'none' as const },
        { code: 'office', name: '登记机关', type: 'string' as const, sensitivity: 'general' as const, level: 'L1' as const, masking: 'none' as const },
        { code: 'status', name: '婚姻状况', type: 'string' as const, sensitivity: 'important' as const, level: 'L3' as const, masking: 'none' as const },
      ],
      apiUrl: `${apiUrl}/marriage`, apiTimeoutMs: 200,
      apiMapping: { root: '$.data.records', fields: { cert_no: '$.zzbh', office: '$.mc', status: '$.detail.status' } },
    };
    const resource = await publishEntry(t.db, entry);
    assert.deepEqual(await readRows(t.db, resource, { key: 'J511600-2020-001', limit: 5 }),
      [{ cert_no: 'J511600-2020-001', office: '民政婚姻登记', status: '已婚' }]);
    assert.deepEqual(await readRows(t.db, resource, { key: 'J1', filter: [{ field: 'status', op: 'eq', value: '未婚' }], limit: 5 }), []);
    await assert.rejects(readRows(t.db, { ...resource, apiUrl: `${apiUrl}/slow` }, { key: 'x', limit: 1 }),
      (e: DomainError) => e.code === 'hub.upstream-timeout' && e.status === 504);
    await assert.rejects(readRows(t.db, { ...resource, apiUrl: `${apiUrl}/broken` }, { key: 'x', limit: 1 }),
      (e: DomainError) => e.code === 'hub.upstream-failed' && e.status === 502);
  });

  it('knows which system an API token speaks for', async () => {
    const sys = await run(t.db, system, createSystem, { code: 'GA-RKK', name: '人口库', departmentId: cast.police });
    const { token } = await run(t.db, system, issueSystemToken, { systemId: sys.id, validDays: 30 });
    const actor = await resolveApiToken(t.db, token);
    assert.equal((await systemOfActor(t.db, actor!))?.code, 'GA-RKK');
    assert.equal(await systemOfActor(t.db, system), null);
    assert.equal(await t.db.query(`SELECT 1 FROM ledger_queue WHERE action = 'hub.system.token-issued'`).then((r) => r.rowCount), 1);
  });
});

