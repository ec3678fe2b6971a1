import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { DomainError } from '../../src/kernel/errors.ts';
import { importRows, pushRows } from '../../src/hub/loads.ts';
import { scoreQuality } from '../../src/hub/quality.ts';
import { createResource, updateResource } from '../../src/hub/entries.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { makeHubCast, personEntry, run, system } from './factories.ts';

/** A valid resident ID from its first 17 digits. */
const rid = (first17: string) => first17 + residentIdCheckChar(first17);
const [A, B, C, D] = ['51160219900101123', '51160219900101124', '51162119850505234', '51162119850505235'].map(rid);
const csv = (text: string) => Readable.from([Buffer.from(text)]);
const stored = async (t: TestDb, code: string) => (await t.db.query<{ key: string; subject: string; data: Record<string, unknown> }>(
  'SELECT h.key, h.subject, h.data FROM hub_rows h JOIN hub_resources r ON r.id = h.resource_id WHERE r.code = $1 ORDER BY h.row_id', [code])).rows;

describe('loading rows into a table resource', () => {
  let t: TestDb;
  let cast: Awaited<ReturnType<typeof makeHubCast>>;
  const code = 'A01-0001-0001-0001';
  before(async () => {
    t = await createTestDb();
    cast = await makeHubCast(t.db);
    await run(t.db, system, createResource, personEntry(cast.police));
  });
  after(() => t.drop());

  it('imports a CSV named by field names, keeps the good rows and reports each bad one by row, field and reason', async () => {
    const report = await run(t.db, system, importRows, { code, format: 'csv', body: csv([
      '公民身份号码,姓名,出生日期,户籍地区划,户内人数',
      `${A},张三,1990-01-01,511602001001,3`,
      `${B},李四,1990-01-01,511602001001,2`,
      `${A.slice(0, 17)}0,坏号,1990-01-01,511602001001,2`,
      ',无名,1990-01-01,511602001001,1',
      `${C},王五,1985-02-30,5116,30`,
      `"${D}","赵六, 小",1985-05-05,511621100001,1`,
      `${A},张三又,1990-01-01,511602001001,3`,
    ].join('\n')) });
    assert.equal(report.total, 7);
    assert.equal(report.loaded, 3);
    assert.equal(report.failed, 4);
    const byRow = report.errors.map((e) => `${e.row}:${e.field}:${e.code}`);
    assert.ok(byRow.includes('4:id_number:check'), byRow.join(' '));
    assert.ok(byRow.includes('5:id_number:required'));
    assert.ok(byRow.includes('6:birth_date:type'));
    assert.ok(byRow.includes('6:division_code:pattern'));
    assert.ok(byRow.includes('6:household_size:range'));
    assert.ok(byRow.includes('8:id_number:duplicate-key'));
    assert.ok(!byRow.some((e) => e.startsWith('7:')), 'a quoted field with a comma is a good row');
    const rows = await stored(t, code);
    assert.deepEqual(rows.map((r) => r.data.name), ['张三', '李四', '赵六, 小']);
    assert.deepEqual(rows[0]!.data, { id_number: A, name: '张三', birth_date: '1990-01-01', division_code: '511602001001', household_size: 3 });
    assert.equal(rows[2]!.subject, D);
    assert.equal(report.qualityScore, 3 / 7);
    assert.equal(await ledgerCount(t.db, 'hub.rows.imported'), 1);
  });

  it('replaces the rows on the next import', async () => {
    const report = await run(t.db, system, importRows, { code, format: 'json', body: [
      { id_number: B, name: '李四', birth_date: '1990-01-01', household_size: '2' },
    ] });
    assert.equal(report.loaded, 1);
    assert.deepEqual((await stored(t, code)).map((r) => r.data.name), ['李四']);
  });

  it('refuses a GBK file, a file without a required column and an api resource, leaving the rows as they were', async () => {
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x0a]); // 姓名 in GBK
    await assert.rejects(run(t.db, system, importRows, { code, format: 'csv', body: Readable.from([gbk]) }),
      (e: DomainError) => e.code === 'hub.bad-encoding' && e.status === 415);
    await assert.rejects(run(t.db, system, importRows, { code, format: 'csv', body: csv('姓名,出生日期\n张三,1990-01-01\n') }),
      (e: DomainError) => e.code === 'hub.missing-columns' && (e.details.missing as string[]).join() === 'id_number');
    await assert.rejects(run(t.db, system, importRows, { code, format: 'csv', body: csv('') }), (e: DomainError) => e.code === 'hub.bad-file');
    assert.deepEqual((await stored(t, code)).map((r) => r.data.name), ['李四']);
  });

  it('keeps a failure in the middle of a large file from leaving any row behind', async () => {
    async function* body() {
      yield Buffer.from('id_number,name\n');
      for (let i = 0; i < 30; i++) yield Buffer.from(`${A},张三\n`.repeat(1000));
      yield Buffer.from([0xff, 0xfe]);
    }
    await assert.rejects(run(t.db, system, importRows, { code, format: 'csv', body: body() }), (e: DomainError) => e.code === 'hub.bad-encoding');
    assert.deepEqual((await stored(t, code)).map((r) => r.data.name), ['李四']);
  });

  it('pushes rows by key: a changed row replaces the stored one, a new one is added, a bad one is reported', async () => {
    const report = await run(t.db, system, pushRows, { code, rows: [
      { id_number: B, name: '李四（改）' },
      { id_number: A, name: '张三' },
      { id_number: '123', name: '坏' },
    ] });
    assert.deepEqual([report.loaded, report.failed, report.errors[0]?.row, report.errors[0]?.code], [2, 1, 3, 'check']);
    assert.deepEqual((await stored(t, code)).map((r) => r.data.name).sort(), ['张三', '李四（改）']);
    assert.equal(await ledgerCount(t.db, 'hub.rows.pushed'), 1);
  });

  it('scores quality against the current rules, including references to another resource', async () => {
    await run(t.db, system, createResource, {
      ...personEntry(cast.police, { code: 'A01-0002-0001-0001', name: '户籍地区划表', subjectKind: undefined, subjectField: undefined, keyField: 'code' }),
      fields: [{ code: 'code', name: '区划代码', type: 'string', sensitivity: 'general', level: 'L1', masking: 'none', rules: { required: true } }],
    });
    await run(t.db, system, importRows, { code: 'A01-0002-0001-0001', format: 'json', body: [{ code: '511602001001' }] });
    let score = await run(t.db, system, scoreQuality, { code });
    assert.equal(score.score, 1);
    const entry = personEntry(cast.police);
    entry.fields[3]!.rules = { reference: 'A01-0002-0001-0001' };
    await run(t.db, system, updateResource, entry);
    await t.db.query(`UPDATE hub_rows SET data = data || '{"division_code": "511699999999"}' WHERE data->>'name' = '张三'`);
    score = await run(t.db, system, scoreQuality, { code });
    // 李四 has no division code, which no rule requires; 张三's now points nowhere.
    assert.deepEqual([score.rowsChecked, score.rowsPassing, score.failures], [2, 1, { 'division_code/reference': 1 }]);
    assert.equal(score.score, 0.5);
    assert.equal(await ledgerCount(t.db, 'hub.quality.scored'), 2);
  });
});
