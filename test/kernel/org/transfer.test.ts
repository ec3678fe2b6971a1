import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../../src/kernel/auth/actor.ts';
import { exportDepartments, exportDivisions, importDepartments, importDivisions } from '../../../src/kernel/org/index.ts';
import { departmentFields, divisionFields, parseCsv, toCsv } from '../../../src/kernel/org/transfer.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeCast } from '../../helpers/factories.ts';
import { ledgerCount, refusal, run, staffActor } from './factories.ts';

let t: TestDb;
let copy: TestDb;
let cast: Awaited<ReturnType<typeof makeCast>>;
const system = systemActor('test');
const countyAdmin = staffActor(['platform_admin'], '511602000000');
const gaDeptAdmin = staffActor(['dept_admin'], '511602000000');

before(async () => {
  [t, copy] = await Promise.all([createTestDb(), createTestDb()]);
  cast = await makeCast(t.db);
});
after(() => Promise.all([t.drop(), copy.drop()]));

describe('CSV', () => {
  test('parses a header line, drops the byte-order mark and spaces, keeps quoted commas', () => {
    assert.deepEqual(parseCsv('\uFEFFcode , name\n511602001000, "浓洄街道, 北"\n\n'), [{ code: '511602001000', name: '浓洄街道, 北' }]);
  });

  test('malformed CSV is 400 naming the body', () => {
    assert.throws(() => parseCsv('code,name\n"511602,浓洄'), refusal('org.import.malformed-csv', 400, 'body'));
    assert.throws(() => parseCsv('code,name\n511602001000,浓洄街道,extra'), refusal('org.import.malformed-csv', 400, 'body'));
  });

  test('writes a byte-order mark, a header and empty cells for null', () => {
    assert.equal(toCsv([{ code: '511600000000', name: '广安市', level: 'city', parentCode: null }], divisionFields),
      '\uFEFFcode,name,level,parentCode\n511600000000,广安市,city,\n');
  });
});

describe('importDivisions', () => {
  test('keeps the good rows and reports each bad one with its row and field', async () => {
    const created = await ledgerCount(t.db, 'org.division.created');
    const imports = await ledgerCount(t.db, 'org.divisions.imported');
    const rows = parseCsv([
      'code,name,parentCode',
      '511602003000,彭家乐镇,',
      '511602003001,彭家乐村,511602003000',
      '51160200300X,坏代码,',
      '511602099001,孤村,',
      '511602001000,浓洄街道,',
      '511621002000,岳池某镇,',
      '511602003000,重复,',
      ',无代码,',
      '511602004000,,',
    ].join('\n'));
    const report = await run(t.db, countyAdmin, importDivisions, rows);
    assert.deepEqual({ total: report.total, created: report.created, failed: report.failed }, { total: 9, created: 2, failed: 7 });
    assert.deepEqual(report.errors.map(({ row, field, code }) => ({ row, field, code })), [
      { row: 3, field: 'code', code: 'org.division.bad-code' },
      { row: 4, field: 'parentCode', code: 'org.division.unknown-parent' },
      { row: 5, field: 'code', code: 'org.division.exists' },
      { row: 6, field: 'code', code: 'forbidden' },
      { row: 7, field: 'code', code: 'org.division.exists' },
      { row: 8, field: 'code', code: 'org.required' },
      { row: 9, field: 'name', code: 'org.required' },
    ]);
    assert.ok(report.errors.every((e) => e.message.length > 0));
    const kept = await t.db.query<{ code: string }>(`SELECT code FROM divisions WHERE code LIKE '511602003%' ORDER BY code`);
    assert.deepEqual(kept.rows.map((r) => r.code), ['511602003000', '511602003001']);
    assert.equal(await ledgerCount(t.db, 'org.division.created'), created + 2, 'a refused row leaves no ledger entry');
    assert.equal(await ledgerCount(t.db, 'org.divisions.imported'), imports + 1);
  });

  test('JSON rows may carry numbers; other values are refused per row', async () => {
    const report = await run(t.db, countyAdmin, importDivisions, [{ code: 511602005000, name: '某镇' }, { code: ['x'], name: '某镇' }]);
    assert.deepEqual(report.errors.map(({ row, field, code }) => ({ row, field, code })), [{ row: 2, field: 'code', code: 'org.import.not-text' }]);
  });

  test('without the grant the whole import is refused', async () => {
    await assert.rejects(run(t.db, gaDeptAdmin, importDivisions, []), refusal('forbidden', 403));
  });
});

describe('importDepartments', () => {
  test('parents by code, errors on the file\'s columns', async () => {
    const ycCode = (await t.db.query<{ code: string }>('SELECT code FROM departments WHERE id = $1', [cast.ycDept])).rows[0]!.code;
    const rows = parseCsv([
      'code,name,shortName,kind,divisionCode,parentCode',
      '511602-WJ,广安区卫生健康局,区卫健局,health,511602000000,',
      '511602-WJ-BGS,广安区卫生健康局办公室,,,511602000000,511602-WJ',
      '511602-X1,某局,,,511602999000,',
      '511621-WJ,岳池县卫生健康局,,health,511621000000,',
      '511602-X2,某科,,,511602000000,NO-SUCH',
      `511602-X3,某科,,,511602000000,${ycCode}`,
      '511602-X4,某科,,Bad Kind,511602000000,',
    ].join('\n'));
    const report = await run(t.db, countyAdmin, importDepartments, rows);
    assert.equal(report.created, 2);
    assert.deepEqual(report.errors.map(({ row, field, code }) => ({ row, field, code })), [
      { row: 3, field: 'divisionCode', code: 'org.division.unknown' },
      { row: 4, field: 'divisionCode', code: 'forbidden' },
      { row: 5, field: 'parentCode', code: 'org.department.unknown-parent' },
      { row: 6, field: 'parentCode', code: 'org.department.parent-elsewhere' },
      { row: 7, field: 'kind', code: 'org.department.bad-kind' },
    ]);
    const office = await t.db.query<{ parent: string }>(
      `SELECT p.code AS parent FROM departments d JOIN departments p ON p.id = d.parent_id WHERE d.code = '511602-WJ-BGS'`);
    assert.equal(office.rows[0]?.parent, '511602-WJ');
  });
});

describe('export', () => {
  test('is limited to the jurisdiction, parents first', async () => {
    const divisions = await exportDivisions(t.db, countyAdmin);
    assert.ok(divisions.every((d) => String(d.code).startsWith('511602')));
    assert.deepEqual(divisions[0], { code: '511602000000', name: '广安区', level: 'county', parentCode: '511600000000' });
    const departments = await exportDepartments(t.db, countyAdmin);
    assert.ok(departments.every((d) => String(d.divisionCode) === '511602000000'));
    const codes = departments.map((d) => d.code);
    assert.ok(codes.indexOf('511602-WJ') < codes.indexOf('511602-WJ-BGS'));
  });

  test('round trip: what one installation exports, another imports to the same export, as CSV and as JSON', async () => {
    const divisions = await exportDivisions(t.db, system);
    const departments = await exportDepartments(t.db, system);
    const divisionReport = await run(copy.db, system, importDivisions, parseCsv(toCsv(divisions, divisionFields)));
    assert.deepEqual({ created: divisionReport.created, errors: divisionReport.errors }, { created: divisions.length, errors: [] });
    const departmentReport = await run(copy.db, system, importDepartments, JSON.parse(JSON.stringify(departments)));
    assert.deepEqual({ created: departmentReport.created, errors: departmentReport.errors }, { created: departments.length, errors: [] });
    assert.deepEqual(await exportDivisions(copy.db, system), divisions);
    assert.deepEqual(await exportDepartments(copy.db, system), departments);
    assert.equal(toCsv(await exportDepartments(copy.db, system), departmentFields), toCsv(departments, departmentFields));
  });
});
