import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ledgerCount } from '../helpers/factories.ts';
import { cityopsAppPerFile, inGa, inYc } from './factories.ts';

const t = cityopsAppPerFile();

const csv = (lines: string[]) => `${['code,state,lon,lat,address,competentDepartment,installedOn', ...lines].join('\n')}\n`;
const departmentCode = async (id: number) => (await t.db.query('SELECT code FROM departments WHERE id = $1', [id])).rows[0]!.code as string;

test('a CSV import keeps the good rows and names each bad one by row, column and reason', async () => {
  const urban = await departmentCode(t.departments.gaUrban);
  const file = csv([
    `5116020117000001,完好,${inGa.lon},${inGa.lat},浓洄路 1 号,${urban},2020-01-02`,
    `5116990117000001,完好,${inGa.lon},${inGa.lat},,,`,
    `5116020917000001,完好,${inGa.lon},${inGa.lat},,,`,
    `5116020303000001,damaged,${inGa.lon},${inGa.lat},,NO-SUCH-DEPT,`,
    `5116020303000002,broken,${inGa.lon},${inGa.lat},,,`,
    `5116020303000003,occupied,${inYc.lon},${inYc.lat},,,`,
    `5116020303000004,破损,abc,${inGa.lat},,,`,
    `5116020402000001,占用,${inGa.lon},${inGa.lat},,,2020-13-01`,
    `5116020402000002,占用,${inGa.lon},${inGa.lat},,,`,
  ]);
  const res = await t.call('POST', '/components/import', 'ga_admin', file, { 'content-type': 'text/csv' });
  assert.equal(res.statusCode, 200);
  const report = res.json();
  assert.deepEqual([report.total, report.created, report.failed], [9, 2, 7]);
  assert.deepEqual(report.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]), [
    [2, 'code', 'cityops.component.unknown-division'],
    [3, 'code', 'cityops.component.unknown-class'],
    [4, 'competentDepartment', 'cityops.component.unknown-department'],
    [5, 'state', 'cityops.component.bad-state'],
    [6, 'code', 'cityops.component.outside-division'],
    [7, 'lon', 'cityops.component.bad-location'],
    [8, 'installedOn', 'cityops.component.bad-date'],
  ]);
  const kept = (await t.db.query('SELECT code, state, source, address FROM cityops_components ORDER BY code')).rows;
  assert.deepEqual(kept, [
    { code: '5116020117000001', state: 'intact', source: 'import', address: '浓洄路 1 号' },
    { code: '5116020402000002', state: 'occupied', source: 'import', address: '' },
  ]);
  assert.deepEqual([await ledgerCount(t.db, 'cityops.components.imported'), await ledgerCount(t.db, 'cityops.component.created')], [1, 2]);
  const outside = await t.call('POST', '/components/import', 'yc_admin', csv([`5116020117000009,完好,${inGa.lon},${inGa.lat},,,`]),
    { 'content-type': 'text/csv' });
  assert.deepEqual(outside.json().errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['code', 'forbidden']]);
});

test('a GeoJSON import reports a feature that is not a point', async () => {
  const feature = (code: string, geometry: unknown) => ({ type: 'Feature', geometry, properties: { code, state: 'intact' } });
  const body = { type: 'FeatureCollection', features: [
    feature('5116020203000001', { type: 'Point', coordinates: [inGa.lon, inGa.lat] }),
    feature('5116020203000002', { type: 'LineString', coordinates: [[inGa.lon, inGa.lat], [inGa.lon, inGa.lat + 0.001]] }),
    feature('5116020203000003', null),
  ] };
  const report = (await t.call('POST', '/components/import', 'ga_admin', JSON.stringify(body), { 'content-type': 'application/geo+json' })).json();
  assert.deepEqual([report.created, report.errors.map((e: { row: number; field: string }) => [e.row, e.field])], [1, [[2, 'geometry'], [3, 'geometry']]]);
  const notGeojson = await t.call('POST', '/components/import', 'ga_admin', JSON.stringify({ type: 'Feature' }), { 'content-type': 'application/geo+json' });
  assert.equal(notGeojson.statusCode, 400);
});

test('an export imports back as it was, as CSV and as GeoJSON', async () => {
  const exported = async (format: string) => {
    const res = await t.call('GET', `/components/export?format=${format}`, 'ga_admin');
    assert.equal(res.statusCode, 200);
    return res.body;
  };
  const before = { csv: await exported('csv'), geojson: await exported('geojson') };
  assert.ok(before.csv.startsWith('\uFEFFcode,kindName,state,lon,lat,gridCode'), 'a CSV with a header that Excel reads as UTF-8');
  assert.equal(before.csv.trim().split('\n').length, 1 + 3);
  assert.deepEqual(JSON.parse(before.geojson).features[0].geometry, { type: 'Point', coordinates: [inGa.lon, inGa.lat] });
  for (const [format, type] of [['csv', 'text/csv'], ['geojson', 'application/geo+json']] as const) {
    await t.db.query('DELETE FROM cityops_components');
    const report = (await t.call('POST', '/components/import', 'ga_admin', before[format], { 'content-type': type })).json();
    assert.deepEqual([report.created, report.errors], [3, []], format);
    assert.equal(await exported(format), before[format], `${format} round trip`);
  }
  assert.equal((await t.call('GET', '/components/export?format=csv', 'yc_admin')).body.trim().split('\n').length, 1, 'scoped: the header only');
});
