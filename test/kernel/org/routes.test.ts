import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, makeCast, type TestApp } from '../../helpers/factories.ts';
import { rectangle } from './factories.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCast>>;
const cookies: Record<string, string> = {};
const api = '/api/v1/org';

before(async () => {
  t = await createTestApp();
  cast = await makeCast(t.db);
  for (const username of ['admin', 'ga_admin', 'ga_officer']) cookies[username] = await t.login(username);
});
after(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH';
function call(method: Method, url: string, as?: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method, url: `${api}${url}`, payload: payload as string | object | undefined,
    headers: { ...(as ? { cookie: cookies[as]! } : {}), ...headers },
  });
}

function assertProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const problem = res.json();
  assert.equal(problem.code, code);
  assert.equal(problem.field, field);
  return problem;
}

describe('departments', () => {
  test('POST /departments: 401, 400 naming the field, 403 outside the jurisdiction, then 201', async () => {
    const body = { code: '511602-SJ', name: '广安区市场监督管理局', kind: 'market-regulation', divisionCode: '511602000000' };
    assertProblem(await call('POST', '/departments', undefined, body), 401, 'unauthenticated');
    assertProblem(await call('POST', '/departments', 'ga_admin', { ...body, divisionCode: undefined }), 400, 'validation', 'divisionCode');
    const bad = assertProblem(await call('POST', '/departments', 'ga_admin', { ...body, divisionCode: '5116X' }), 400, 'org.division.bad-code', 'divisionCode');
    assert.equal(bad.title, '行政区划代码不正确');
    assertProblem(await call('POST', '/departments', 'ga_admin', { ...body, divisionCode: '511621000000' }), 403, 'forbidden');
    assertProblem(await call('POST', '/departments', 'ga_officer', body), 403, 'forbidden');
    const res = await call('POST', '/departments', 'ga_admin', body);
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual({ ...res.json<object>(), id: 0 }, { id: 0, code: '511602-SJ', name: '广安区市场监督管理局', shortName: null,
      kind: 'market-regulation', divisionCode: '511602000000', parentId: null, abilities: { edit: true } });
  });

  test('GET /departments: scoped to the caller, with staff counts; a bad limit is 400', async () => {
    assertProblem(await call('GET', '/departments'), 401, 'unauthenticated');
    assertProblem(await call('GET', '/departments?limit=0', 'ga_officer'), 400, 'validation', 'limit');
    const res = await call('GET', '/departments?divisionCode=511600&includeDescendants=true', 'ga_officer');
    assert.equal(res.statusCode, 200);
    const { total, items } = res.json();
    assert.equal(total, 2);
    assert.deepEqual(items.map((d: { name: string; staffCount: number; abilities: { edit: boolean } }) => [d.name, d.staffCount, d.abilities.edit]),
      [['广安区市场监督管理局', 0, false], ['广安区民政局', 2, false]], 'by code: 511602-SJ before the factory\'s T-…');
    const found = await call('GET', `/departments?q=${encodeURIComponent('市场监督')}`, 'admin');
    assert.deepEqual(found.json().items.map((d: { code: string }) => d.code), ['511602-SJ']);
  });

  test('GET and PATCH /departments/:id: 403 outside the jurisdiction, 404 unknown, 200 within', async () => {
    assertProblem(await call('GET', `/departments/${cast.ycDept}`, 'ga_officer'), 403, 'forbidden');
    assertProblem(await call('GET', '/departments/999999', 'ga_officer'), 404, 'org.department.not-found');
    assertProblem(await call('GET', '/departments/abc', 'ga_officer'), 400, 'validation', 'id');
    assert.equal((await call('GET', `/departments/${cast.gaDept}`, 'ga_officer')).json().divisionName, '广安区');
    assertProblem(await call('PATCH', `/departments/${cast.ycDept}`, 'ga_admin', { name: '改名' }), 403, 'forbidden');
    assertProblem(await call('PATCH', `/departments/${cast.gaDept}`, 'ga_admin', { colour: 'red' }), 400, 'validation', 'colour');
    const res = await call('PATCH', `/departments/${cast.gaDept}`, 'ga_admin', { shortName: '区民政局' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().shortName, '区民政局');
  });
});

describe('divisions', () => {
  test('POST /divisions: 401, 400 naming the field (in English on request), 403 without the grant, then 201', async () => {
    const body = { code: '511602002000', name: '中和街道' };
    assertProblem(await call('POST', '/divisions', undefined, body), 401, 'unauthenticated');
    const bad = assertProblem(await call('POST', '/divisions', 'admin', { ...body, code: '5116020' }, { 'accept-language': 'en' }),
      400, 'org.division.bad-code', 'code');
    assert.equal(bad.title, 'Invalid division code');
    assertProblem(await call('POST', '/divisions', 'admin', { ...body, parentCode: '511621000000' }), 400, 'org.division.wrong-parent', 'parentCode');
    assertProblem(await call('POST', '/divisions', 'ga_admin', body), 403, 'forbidden');
    const res = await call('POST', '/divisions', 'admin', body);
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json(), { code: '511602002000', name: '中和街道', level: 'township', parentCode: '511602000000', generated: false,
      abilities: { rename: true, addChild: true, addDepartment: true, addGrid: true } });
    assertProblem(await call('POST', '/divisions', 'admin', body), 409, 'org.division.exists', 'code');
  });

  test('PATCH /divisions/:code renames', async () => {
    assertProblem(await call('PATCH', '/divisions/511602002000', 'ga_officer', { name: '中和街道办' }), 403, 'forbidden');
    assertProblem(await call('PATCH', '/divisions/511602002000', 'admin', {}), 400, 'validation', 'name');
    const res = await call('PATCH', '/divisions/511602002000', 'admin', { name: '中和街道办' });
    assert.equal(res.json().name, '中和街道办');
  });

  test('GET /divisions, /divisions/tree and /divisions/:code show the caller the path to their jurisdiction', async () => {
    assertProblem(await call('GET', '/divisions'), 401, 'unauthenticated');
    const top = (await call('GET', '/divisions', 'ga_officer')).json();
    assert.deepEqual(top.items.map((d: { code: string }) => d.code), ['510000000000']);
    const city = (await call('GET', '/divisions?parent=511600000000', 'ga_officer')).json();
    assert.deepEqual(city.items.map((d: { code: string; abilities: { rename: boolean } }) => [d.code, d.abilities.rename]), [['511602000000', false]]);
    assertProblem(await call('GET', '/divisions/tree?depth=9', 'ga_officer'), 400, 'validation', 'depth');
    const tree = (await call('GET', '/divisions/tree?depth=1', 'ga_officer')).json();
    const county = tree.items[0].children[0].children[0];
    assert.deepEqual([county.code, county.totalStaff, county.children.length], ['511602000000', 2, 2]);
    assertProblem(await call('GET', '/divisions/511621000000', 'ga_officer'), 404, 'org.division.not-found');
    const own = (await call('GET', '/divisions/511602', 'ga_officer')).json();
    assert.deepEqual([own.code, own.withinJurisdiction, own.departmentCount], ['511602000000', true, 2]);
  });
});

describe('import and export', () => {
  test('GET /divisions/export as CSV (with a byte-order mark) and JSON, limited to the jurisdiction', async () => {
    assertProblem(await call('GET', '/divisions/export'), 401, 'unauthenticated');
    assertProblem(await call('GET', '/divisions/export?format=xml', 'ga_officer'), 400, 'validation', 'format');
    const csv = await call('GET', '/divisions/export', 'ga_officer');
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="divisions.csv"');
    assert.ok(csv.body.startsWith('\uFEFFcode,name,level,parentCode\n511602000000,广安区,county,511600000000\n'));
    const json = (await call('GET', '/departments/export?format=json', 'ga_officer')).json();
    assert.deepEqual(json.map((d: { code: string }) => d.code).sort(), ['511602-SJ', (await codeOf(cast.gaDept))].sort());
  });

  test('POST /divisions/import takes text/csv: 401, 403, 400 for malformed CSV, then a report of good and bad rows', async () => {
    const csv = 'code,name,parentCode\n511602003000,彭家乐镇,\n511621003000,岳池某镇,\n5116X,坏,\n';
    const headers = { 'content-type': 'text/csv' };
    assertProblem(await call('POST', '/divisions/import', undefined, csv, headers), 401, 'unauthenticated');
    assertProblem(await call('POST', '/divisions/import', 'ga_admin', csv, headers), 403, 'forbidden');
    assertProblem(await call('POST', '/divisions/import', 'admin', 'code,name\n"511602', headers), 400, 'org.import.malformed-csv', 'body');
    assertProblem(await call('POST', '/divisions/import', 'admin', csv, { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
    const res = await call('POST', '/divisions/import', 'admin', csv, headers);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().errors.map((e: { row: number; field: string }) => [e.row, e.field]), [[3, 'code']]);
    assert.equal(res.json().created, 2);
  });

  test('imports may be up to 5 MiB', async () => {
    const headers = { 'content-type': 'text/csv' };
    const big = await call('POST', '/divisions/import', 'admin', `code,name\n511602005000,${'长'.repeat(1_000_000)}\n`, headers);
    assert.equal(big.statusCode, 200, 'a 3 MB file is read');
    assert.deepEqual(big.json().errors.map((e: { code: string; field: string }) => [e.code, e.field]), [['org.too-long', 'name']]);
    assertProblem(await call('POST', '/divisions/import', 'admin', `code,name\n511602005000,${'x'.repeat(6 * 1024 * 1024)}\n`, headers),
      413, 'body-too-large');
  });

  test('POST /departments/import takes a JSON array; anything else is 400', async () => {
    assertProblem(await call('POST', '/departments/import', 'ga_admin', { code: 'x' }), 400, 'validation', 'body');
    const res = await call('POST', '/departments/import', 'ga_admin', [
      { code: '511602-JY', name: '广安区教育和体育局', kind: 'education', divisionCode: '511602000000' },
      { code: '511621-JY', name: '岳池县教育和体育局', kind: 'education', divisionCode: '511621000000' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { total: 2, created: 1, failed: 1,
      errors: [{ row: 2, field: 'divisionCode', code: 'forbidden', message: 'not allowed: org.department.manage' }] });
  });

  async function codeOf(id: number): Promise<string> {
    return (await t.db.query<{ code: string }>('SELECT code FROM departments WHERE id = $1', [id])).rows[0]!.code;
  }
});

describe('grids', () => {
  test('POST /grids, GET /grids as GeoJSON, GET /grids/at within the jurisdiction', async () => {
    const body = { code: '511602001000-G01', name: '浓洄街道第1网格', divisionCode: '511602001000', geometry: rectangle(106.6, 30.4, 106.7, 30.5) };
    assertProblem(await call('POST', '/grids', undefined, body), 401, 'unauthenticated');
    assertProblem(await call('POST', '/grids', 'admin', { ...body, geometry: rectangle(106.6, 30.4, 186.7, 30.5) }),
      400, 'org.grid.bad-geometry', 'geometry.coordinates.0.1');
    assertProblem(await call('POST', '/grids', 'ga_admin', body), 403, 'forbidden');
    assert.equal((await call('POST', '/grids', 'admin', body)).statusCode, 201);

    assertProblem(await call('GET', '/grids', 'ga_officer'), 400, 'validation', 'divisionCode');
    const list = await call('GET', '/grids?divisionCode=511602', 'ga_officer');
    assert.equal(list.headers['content-type'], 'application/geo+json; charset=utf-8');
    assert.deepEqual(list.json().features.map((f: { id: string }) => f.id), ['511602001000-G01']);

    assertProblem(await call('GET', '/grids/at?lon=200&lat=30', 'ga_officer'), 400, 'validation', 'lon');
    const at = (await call('GET', '/grids/at?lon=106.65&lat=30.45', 'ga_officer')).json();
    assert.equal(at.grid.properties.code, '511602001000-G01');
    assert.deepEqual((await call('GET', '/grids/at?lon=100&lat=30', 'ga_officer')).json(), { grid: null });
  });
});
