import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymous } from '../../../src/kernel/auth/actor.ts';
import { createDivision, divisionTree, getDivision, listDivisionChildren, renameDivision, type DivisionNode } from '../../../src/kernel/org/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeCast } from '../../helpers/factories.ts';
import { ledgerCount, refusal, run, staffActor } from './factories.ts';

let t: TestDb;
const cityAdmin = staffActor(['platform_admin'], '511600000000');
const countyAdmin = staffActor(['platform_admin'], '511602000000');
const gaDeptAdmin = staffActor(['dept_admin'], '511602000000');
const gaOfficer = staffActor(['officer'], '511602000000');

before(async () => {
  t = await createTestDb();
  await makeCast(t.db);
});
after(() => t.drop());

describe('createDivision', () => {
  test('derives level and parent from the code, pads short codes, and writes the ledger', async () => {
    const before = await ledgerCount(t.db, 'org.division.created');
    const created = await run(t.db, countyAdmin, createDivision, { code: '511602002', name: ' 中和街道 ' });
    assert.deepEqual(created, { code: '511602002000', name: '中和街道', level: 'township', parentCode: '511602000000', generated: false });
    const village = await run(t.db, countyAdmin, createDivision, { code: '511602002001', name: '石桥社区', parentCode: '511602002000' });
    assert.equal(village.level, 'village');
    assert.equal(await ledgerCount(t.db, 'org.division.created'), before + 2);
  });

  test('a malformed code is 400 naming code', async () => {
    for (const code of ['5116020', '51160A000000', '991602000000', '511600001000x'])
      await assert.rejects(run(t.db, cityAdmin, createDivision, { code, name: '某地' }), refusal('org.division.bad-code', 400, 'code'), code);
  });

  test('a parent other than the code\'s own is 400 naming parentCode', async () => {
    await assert.rejects(run(t.db, cityAdmin, createDivision, { code: '511602003000', name: '某镇', parentCode: '511621000000' }),
      refusal('org.division.wrong-parent', 400, 'parentCode'));
  });

  test('a missing parent is 400 naming parentCode', async () => {
    await assert.rejects(run(t.db, cityAdmin, createDivision, { code: '511602009001', name: '某村' }),
      refusal('org.division.unknown-parent', 400, 'parentCode'));
  });

  test('an existing code is 409 naming code', async () => {
    await assert.rejects(run(t.db, cityAdmin, createDivision, { code: '511602001000', name: '浓洄街道' }),
      refusal('org.division.exists', 409, 'code'));
  });

  test('outside the jurisdiction, or without the grant, is 403; anonymous is 401', async () => {
    await assert.rejects(run(t.db, countyAdmin, createDivision, { code: '511621001000', name: '九龙街道' }), refusal('forbidden', 403));
    await assert.rejects(run(t.db, gaDeptAdmin, createDivision, { code: '511602004000', name: '某镇' }), refusal('forbidden', 403));
    await assert.rejects(run(t.db, anonymous, createDivision, { code: '511602004000', name: '某镇' }), refusal('unauthenticated', 401));
  });
});

describe('renameDivision', () => {
  test('renames within the jurisdiction and records before and after', async () => {
    const before = await ledgerCount(t.db, 'org.division.renamed');
    const renamed = await run(t.db, countyAdmin, renameDivision, { code: '511602002000', name: '中和街道办事处' });
    assert.equal(renamed.name, '中和街道办事处');
    assert.equal(await ledgerCount(t.db, 'org.division.renamed'), before + 1);
  });

  test('an unknown division is 404, one outside the jurisdiction 403, an empty name 400', async () => {
    await assert.rejects(run(t.db, countyAdmin, renameDivision, { code: '511602008000', name: 'x' }), refusal('org.division.not-found', 404));
    await assert.rejects(run(t.db, countyAdmin, renameDivision, { code: '511621000000', name: 'x' }), refusal('forbidden', 403));
    await assert.rejects(run(t.db, countyAdmin, renameDivision, { code: '511602002000', name: '  ' }), refusal('org.required', 400, 'name'));
  });
});

describe('seeing divisions', () => {
  const codes = (items: { code: string }[]) => items.map((d) => d.code);

  test('a county officer walks from the top down the path to their county, and no further sideways', async () => {
    const top = await listDivisionChildren(t.db, gaOfficer, null);
    assert.deepEqual(codes(top), ['510000000000']);
    assert.equal(top[0]!.withinJurisdiction, false);
    assert.deepEqual(codes(await listDivisionChildren(t.db, gaOfficer, '510000000000')), ['511600000000']);
    const city = await listDivisionChildren(t.db, gaOfficer, '511600');
    assert.deepEqual(codes(city), ['511602000000'], '岳池县 is not shown to 广安区');
    assert.deepEqual(codes(await listDivisionChildren(t.db, gaOfficer, '511602000000')), ['511602001000', '511602002000']);
    await assert.rejects(listDivisionChildren(t.db, gaOfficer, '511621000000'), refusal('org.division.not-found', 404));
    await assert.rejects(listDivisionChildren(t.db, gaOfficer, '5116'), refusal('org.division.bad-code', 400, 'parent'));
  });

  test('the city admin sees both counties; a citizen or anonymous caller sees nothing', async () => {
    assert.deepEqual(codes(await listDivisionChildren(t.db, cityAdmin, '511600000000')), ['511602000000', '511621000000']);
    await assert.rejects(listDivisionChildren(t.db, anonymous, null), refusal('unauthenticated', 401));
    await assert.rejects(listDivisionChildren(t.db, staffActor(['citizen'], '511602000000'), null), refusal('forbidden', 403));
  });

  test('one division: ancestors by name only, siblings not at all', async () => {
    const city = await getDivision(t.db, gaOfficer, '511600000000');
    assert.equal(city.withinJurisdiction, false);
    assert.equal(city.departmentCount, 0, 'the city\'s own departments are outside 广安区');
    assert.equal(city.childCount, 1);
    assert.equal(city.totalDepartments, 1);
    await assert.rejects(getDivision(t.db, gaOfficer, '511621000000'), refusal('org.division.not-found', 404));
  });
});

describe('divisionTree', () => {
  const find = (nodes: DivisionNode[], code: string): DivisionNode | undefined => {
    for (const node of nodes) {
      if (node.code === code) return node;
      const below = find(node.children, code);
      if (below) return below;
    }
    return undefined;
  };

  test('the city admin gets province › city › counties › townships with counts of departments and staff', async () => {
    const tree = await divisionTree(t.db, cityAdmin, null, 2);
    assert.deepEqual(tree.map((n) => n.code), ['510000000000']);
    const city = find(tree, '511600000000')!;
    assert.deepEqual(city.children.map((n) => n.code), ['511602000000', '511621000000']);
    assert.deepEqual({ d: city.departmentCount, s: city.staffCount, td: city.totalDepartments, ts: city.totalStaff },
      { d: 1, s: 2, td: 3, ts: 5 });
    const county = find(tree, '511602000000')!;
    assert.deepEqual({ d: county.departmentCount, s: county.staffCount, children: county.children.length },
      { d: 1, s: 2, children: 2 });
    const township = find(tree, '511602002000')!;
    assert.deepEqual({ childCount: township.childCount, children: township.children.length }, { childCount: 1, children: 0 },
      'villages are beyond depth 2, and childCount says there are more');
  });

  test('depth counts from the jurisdiction: a county officer at depth 0 still gets the path down to the county', async () => {
    const tree = await divisionTree(t.db, gaOfficer, null, 0);
    const province = tree[0]!;
    assert.equal(province.code, '510000000000');
    assert.equal(province.withinJurisdiction, false);
    const city = province.children[0]!;
    assert.deepEqual(city.children.map((n) => n.code), ['511602000000']);
    assert.deepEqual({ d: city.departmentCount, td: city.totalDepartments, ts: city.totalStaff }, { d: 0, td: 1, ts: 2 });
    assert.deepEqual(city.children[0]!.children, []);
    assert.equal(city.children[0]!.childCount, 2);
  });

  test('from a given root, and 404 for one the actor cannot see', async () => {
    const tree = await divisionTree(t.db, cityAdmin, '511602', 1);
    assert.deepEqual(tree.map((n) => n.code), ['511602000000']);
    assert.deepEqual(tree[0]!.children.map((n) => n.code), ['511602001000', '511602002000']);
    await assert.rejects(divisionTree(t.db, gaOfficer, '511621000000', 1), refusal('org.division.not-found', 404));
  });
});
