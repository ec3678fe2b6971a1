import { test } from 'node:test';
import assert from 'node:assert/strict';
import { payloadHash } from '../../src/kernel/ledger/index.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { cityopsAppPerFile, grids, inGa, inYc } from './factories.ts';

const t = cityopsAppPerFile();
const light = (serial: number, county = '511602') => `${county}0117${String(serial).padStart(6, '0')}`;

test('GET /catalogue: the six classes with the standard\'s kinds and their source', async () => {
  const { source, classes } = (await t.call('GET', '/catalogue', 'ga_officer')).json();
  assert.match(source, /CJ\/T 214-2007/);
  assert.deepEqual(classes.map((c: { nameZh: string }) => c.nameZh), ['公用设施', '道路交通', '市容环境', '园林绿化', '房屋土地', '其他设施']);
  const kinds = classes.flatMap((c: { kinds: { classCode: string; code: string; nameZh: string }[] }) => c.kinds);
  const named = (zh: string) => kinds.find((k: { nameZh: string }) => k.nameZh === zh);
  assert.deepEqual(['路灯', '污水井盖', '垃圾箱', '公共厕所', '行道树', '交通标志牌', '交通护栏', '公交站亭'].map((zh) => {
    const k = named(zh);
    return k && `${k.classCode}${k.code}`;
  }), ['0117', '0102', '0303', '0301', '0402', '0206', '0208', '0203']);
});

test('POST /components walks 401, 400 naming the field for a wrong division, class or kind, 403, then 201 with its grid and a ledger entry', async () => {
  const body = { code: light(1), ...inGa, competentDepartmentId: t.departments.gaUrban, installedOn: '2019-05-01' };
  assert.equal((await t.call('POST', '/components', undefined, body)).statusCode, 401);
  const refusals: [string, Record<string, unknown>, string, string][] = [
    ['short code', { code: '51160201170001' }, 'cityops.component.bad-code', 'code'],
    ['unknown county', { code: '5116990117000001' }, 'cityops.component.unknown-division', 'code'],
    ['unknown class', { code: '5116020917000001' }, 'cityops.component.unknown-class', 'code'],
    ['unknown kind', { code: '5116020199000001' }, 'cityops.component.unknown-kind', 'code'],
    ['point in another county', { ...inYc }, 'cityops.component.outside-division', 'code'],
    ['latitude', { lat: 95 }, 'cityops.component.bad-location', 'lat'],
    ['date', { installedOn: '2019-02-30' }, 'cityops.component.bad-date', 'installedOn'],
    ['department', { ownerDepartmentId: 999_999 }, 'cityops.component.unknown-department', 'ownerDepartmentId'],
  ];
  for (const [what, change, code, field] of refusals) {
    const res = await t.call('POST', '/components', 'ga_admin', { ...body, ...change });
    assert.deepEqual([res.statusCode, res.json().code, res.json().field], [400, code, field], what);
  }
  assert.equal((await t.call('POST', '/components', 'ga_officer', body)).statusCode, 403, 'an officer reads only');
  assert.equal((await t.call('POST', '/components', 'yc_admin', body)).statusCode, 403, 'outside the jurisdiction');
  const created = await t.call('POST', '/components', 'ga_admin', body);
  assert.equal(created.statusCode, 201);
  const c = created.json();
  assert.deepEqual([c.kindNameZh, c.classNameZh, c.gridCode, c.divisionCode, c.state, c.source, c.competentDepartmentName, c.installedOn],
    ['路灯', '公用设施', grids.ga.code, grids.ga.divisionCode, 'intact', 'registered', '广安区综合执法局', '2019-05-01']);
  assert.equal((await t.call('POST', '/components', 'ga_admin', body)).statusCode, 409);
  assert.equal(await ledgerCount(t.db, 'cityops.component.created'), 1, 'refusals wrote nothing');
  const { rows } = await t.db.query(`SELECT object_id FROM ledger_queue WHERE action = 'cityops.component.created'`);
  assert.deepEqual(rows, [{ object_id: light(1) }]);
});

test('listing is scoped by jurisdiction and filtered by class, kind, state, grid, department and box; others\' components are 404', async () => {
  await t.call('POST', '/components', 'ga_admin', { code: '5116020102000001', ...inGa, state: 'damaged', maintainerDepartmentId: t.departments.gaWater });
  await t.call('POST', '/components', 'ga_admin', { code: '5116020402000001', lon: 106.601, lat: 30.451 });
  const yc = await t.call('POST', '/components', 'yc_admin', { code: light(1, '511621'), ...inYc });
  assert.equal(yc.statusCode, 201);
  const codes = async (user: string, query = '') =>
    (await t.call('GET', `/components?${query}`, user)).json().items.map((c: { code: string }) => c.code);
  assert.deepEqual(await codes('ga_officer'), ['5116020102000001', light(1), '5116020402000001']);
  assert.deepEqual(await codes('yc_officer'), [light(1, '511621')]);
  assert.equal((await codes('admin')).length, 4);
  assert.deepEqual(await codes('admin', 'classCode=01&kindCode=17'), [light(1), light(1, '511621')]);
  assert.deepEqual(await codes('admin', 'state=damaged'), ['5116020102000001']);
  assert.deepEqual(await codes('admin', `gridCode=${grids.yc.code}`), [light(1, '511621')]);
  assert.deepEqual(await codes('admin', `departmentId=${t.departments.gaWater}`), ['5116020102000001']);
  assert.deepEqual(await codes('admin', 'bbox=106.6,30.45,106.605,30.455'), ['5116020402000001']);
  const badBox = await t.call('GET', '/components?bbox=106.7,30,106.6,31', 'admin');
  assert.deepEqual([badBox.statusCode, badBox.json().field], [400, 'bbox']);
  assert.equal((await t.call('GET', `/components/${light(1, '511621')}`, 'ga_officer')).statusCode, 404);
  assert.equal((await t.call('GET', `/components/${light(1)}`, 'ga_officer')).json().abilities.edit, false);
  assert.equal((await t.call('GET', `/components/${light(1)}`, 'ga_admin')).json().abilities.edit, true);
  const points = (await t.call('GET', '/components/points?bbox=106,30,107,31&limit=2', 'ga_officer')).json();
  assert.deepEqual([points.truncated, points.items.length], [true, 2]);
});

test('PATCH /components/:code records the change with what it was; another county\'s admin cannot see it', async () => {
  assert.equal((await t.call('PATCH', `/components/${light(1)}`, 'yc_admin', { state: 'missing' })).statusCode, 404);
  const res = await t.call('PATCH', `/components/${light(1)}`, 'ga_admin', { state: 'missing', address: '浓洄路 12 号' });
  assert.deepEqual([res.statusCode, res.json().state, res.json().address], [200, 'missing', '浓洄路 12 号']);
  const { rows } = await t.db.query(`SELECT object_id, payload_hash FROM ledger_queue WHERE action = 'cityops.component.updated'`);
  const payload = { changes: { state: 'missing', address: '浓洄路 12 号' }, before: { state: 'intact', address: '' } };
  assert.deepEqual(rows, [{ object_id: light(1), payload_hash: payloadHash(payload) }]);
});

test('extension kinds: the admin adds one under a class and it takes components; a retired kind takes none', async () => {
  const kind = { classCode: '03', code: '60', nameZh: '智能垃圾分类箱', nameEn: 'Smart sorting bin', departmentKind: 'urban-management' };
  assert.equal((await t.call('POST', '/catalogue/kinds', 'ga_admin', kind)).statusCode, 403);
  const added = await t.call('POST', '/catalogue/kinds', 'admin', kind);
  assert.deepEqual([added.statusCode, added.json().standard], [201, false]);
  assert.equal((await t.call('POST', '/catalogue/kinds', 'admin', kind)).statusCode, 409);
  assert.equal((await t.call('POST', '/components', 'ga_admin', { code: '5116020360000001', ...inGa })).json().kindNameZh, '智能垃圾分类箱');
  const rename = await t.call('PATCH', '/catalogue/kinds/01/17', 'admin', { nameZh: '灯' });
  assert.deepEqual([rename.statusCode, rename.json().field], [400, 'nameZh'], 'a standard kind keeps its name');
  assert.equal((await t.call('PATCH', '/catalogue/kinds/03/60', 'admin', { active: false })).json().active, false);
  const refused = await t.call('POST', '/components', 'ga_admin', { code: '5116020360000002', ...inGa });
  assert.deepEqual([refused.statusCode, refused.json().code], [400, 'cityops.component.unknown-kind']);
  assert.deepEqual([await ledgerCount(t.db, 'cityops.kind.added'), await ledgerCount(t.db, 'cityops.kind.updated')], [1, 1]);
});
