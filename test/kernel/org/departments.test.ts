import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDepartment, findDepartment, getDepartment, listDepartments, updateDepartment,
} from '../../../src/kernel/org/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeCast } from '../../helpers/factories.ts';
import { ledgerCount, refusal, run, staffActor } from './factories.ts';

let t: TestDb;
let cast: Awaited<ReturnType<typeof makeCast>>;
const cityAdmin = staffActor(['platform_admin'], '511600000000');
const gaAdmin = staffActor(['dept_admin'], '511602000000');
const gaOfficer = staffActor(['officer'], '511602000000');

before(async () => {
  t = await createTestDb();
  cast = await makeCast(t.db);
});
after(() => t.drop());

describe('createDepartment', () => {
  test('a county admin adds a department to their county; the ledger records it', async () => {
    const before = await ledgerCount(t.db, 'org.department.created');
    const created = await run(t.db, gaAdmin, createDepartment, {
      code: '511602-SJ', name: '广安区市场监督管理局', shortName: '区市场监管局', kind: 'market-regulation', divisionCode: '511602',
    });
    assert.deepEqual({ ...created, id: 0 }, {
      id: 0, code: '511602-SJ', name: '广安区市场监督管理局', shortName: '区市场监管局', kind: 'market-regulation',
      divisionCode: '511602000000', parentId: null,
    });
    assert.deepEqual(await findDepartment(t.db, created.id), created);
    assert.equal(await ledgerCount(t.db, 'org.department.created'), before + 1);
  });

  test('kind defaults to government, an empty short name is none', async () => {
    const created = await run(t.db, gaAdmin, createDepartment, { code: '511602-ZF', name: '广安区人民政府办公室', shortName: ' ', divisionCode: '511602000000' });
    assert.equal(created.kind, 'government');
    assert.equal(created.shortName, null);
  });

  test('creating a department in 511621 is 403 for the admin of 511602', async () => {
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { code: '511621-SJ', name: '岳池县市场监督管理局', divisionCode: '511621000000' }),
      refusal('forbidden', 403));
  });

  test('an unknown division is 400 naming divisionCode; a malformed one too', async () => {
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { code: 'X-1', name: '某局', divisionCode: '511602099000' }),
      refusal('org.division.unknown', 400, 'divisionCode'));
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { code: 'X-1', name: '某局', divisionCode: '51160' }),
      refusal('org.division.bad-code', 400, 'divisionCode'));
  });

  test('bad code, bad kind, empty name are 400 naming the field', async () => {
    const base = { code: 'X-2', name: '某局', divisionCode: '511602000000' };
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { ...base, code: '-x' }), refusal('org.department.bad-code', 400, 'code'));
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { ...base, code: '民政局' }), refusal('org.department.bad-code', 400, 'code'));
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { ...base, kind: 'Civil Affairs' }), refusal('org.department.bad-kind', 400, 'kind'));
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { ...base, name: '' }), refusal('org.required', 400, 'name'));
  });

  test('a taken code or a name taken in the same division is 409', async () => {
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { code: '511602-SJ', name: '另一个局', divisionCode: '511602000000' }),
      refusal('org.department.code-taken', 409, 'code'));
    await assert.rejects(run(t.db, gaAdmin, createDepartment, { code: 'X-3', name: '广安区市场监督管理局', divisionCode: '511602000000' }),
      refusal('org.department.name-taken', 409, 'name'));
  });

  test('a parent at the same division or above is accepted; at a sibling division or unknown it is 400', async () => {
    const branch = await run(t.db, cityAdmin, createDepartment, {
      code: '511602-HJ', name: '广安区生态环境分局', divisionCode: '511602000000', parentId: cast.cityDept,
    });
    assert.equal(branch.parentId, cast.cityDept);
    await assert.rejects(run(t.db, cityAdmin, createDepartment, { code: 'X-4', name: '某科', divisionCode: '511602000000', parentId: cast.ycDept }),
      refusal('org.department.parent-elsewhere', 400, 'parentId'));
    await assert.rejects(run(t.db, cityAdmin, createDepartment, { code: 'X-4', name: '某科', divisionCode: '511602000000', parentId: 999_999 }),
      refusal('org.department.unknown-parent', 400, 'parentId'));
  });
});

describe('updateDepartment', () => {
  test('changes names and parent, and records before and after', async () => {
    const before = await ledgerCount(t.db, 'org.department.updated');
    const office = await run(t.db, gaAdmin, createDepartment, { code: '511602-MZ-BGS', name: '区民政局办公室', divisionCode: '511602000000' });
    const moved = await run(t.db, gaAdmin, updateDepartment, { id: office.id, parentId: cast.gaDept, shortName: '办公室' });
    assert.deepEqual({ parentId: moved.parentId, shortName: moved.shortName, name: moved.name }, { parentId: cast.gaDept, shortName: '办公室', name: '区民政局办公室' });
    const cleared = await run(t.db, gaAdmin, updateDepartment, { id: office.id, shortName: null });
    assert.equal(cleared.shortName, null);
    assert.equal(await ledgerCount(t.db, 'org.department.updated'), before + 2);
  });

  test('a department cannot sit under itself or its own sub-unit', async () => {
    const office = (await findDepartmentByName('区民政局办公室'))!;
    await assert.rejects(run(t.db, gaAdmin, updateDepartment, { id: cast.gaDept, parentId: office }), refusal('org.department.cycle', 400, 'parentId'));
    await assert.rejects(run(t.db, gaAdmin, updateDepartment, { id: cast.gaDept, parentId: cast.gaDept }), refusal('org.department.cycle', 400, 'parentId'));
  });

  test('outside the jurisdiction is 403, unknown 404, a name taken 409', async () => {
    await assert.rejects(run(t.db, gaAdmin, updateDepartment, { id: cast.ycDept, name: '改名' }), refusal('forbidden', 403));
    await assert.rejects(run(t.db, gaAdmin, updateDepartment, { id: 999_999, name: '改名' }), refusal('org.department.not-found', 404));
    await assert.rejects(run(t.db, gaAdmin, updateDepartment, { id: cast.gaDept, name: '广安区市场监督管理局' }), refusal('org.department.name-taken', 409, 'name'));
  });

  async function findDepartmentByName(name: string): Promise<number | undefined> {
    return (await t.db.query<{ id: number }>('SELECT id FROM departments WHERE name = $1', [name])).rows[0]?.id;
  }
});

describe('listing departments', () => {
  test('a county admin of 511602 sees only 511602\'s departments, with staff counts', async () => {
    const page = await listDepartments(t.db, gaAdmin, {});
    assert.ok(page.total >= 4);
    assert.ok(page.items.every((d) => d.divisionCode === '511602000000'), 'nothing of the city or of 岳池县');
    const civil = page.items.find((d) => d.id === cast.gaDept)!;
    assert.deepEqual({ staff: civil.staffCount, division: civil.divisionName }, { staff: 2, division: '广安区' });
    const cityView = await listDepartments(t.db, gaAdmin, { divisionCode: '511600000000' });
    assert.deepEqual(cityView, { total: 0, items: [] }, 'asking for the city does not widen the scope');
  });

  test('the city admin filters by division, with or without the divisions below, and by text', async () => {
    const own = await listDepartments(t.db, cityAdmin, { divisionCode: '511600000000' });
    assert.deepEqual(own.items.map((d) => d.id), [cast.cityDept]);
    const all = await listDepartments(t.db, cityAdmin, { divisionCode: '511600000000', includeDescendants: true });
    assert.ok(all.items.some((d) => d.id === cast.ycDept) && all.items.some((d) => d.id === cast.gaDept));
    const found = await listDepartments(t.db, cityAdmin, { q: '监管' });
    assert.deepEqual(found.items.map((d) => d.code), ['511602-SJ']);
    const paged = await listDepartments(t.db, cityAdmin, { limit: 2, offset: 1 });
    assert.equal(paged.items.length, 2);
    assert.equal(paged.total, all.total);
    await assert.rejects(listDepartments(t.db, cityAdmin, { divisionCode: 'abc' }), refusal('org.division.bad-code', 400, 'divisionCode'));
  });

  test('one department: outside the jurisdiction is 403, unknown 404', async () => {
    assert.equal((await getDepartment(t.db, gaOfficer, cast.gaDept)).name, '广安区民政局');
    await assert.rejects(getDepartment(t.db, gaOfficer, cast.ycDept), refusal('forbidden', 403));
    await assert.rejects(getDepartment(t.db, gaOfficer, 999_999), refusal('org.department.not-found', 404));
  });
});
