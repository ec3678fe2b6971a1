import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, makeCast, type TestApp } from '../../helpers/factories.ts';
import { systemActor } from '../../../src/kernel/auth/index.ts';
import { createGrid, renameDivision, unionOfTiles, type BoundaryFeature as Feature } from '../../../src/kernel/org/index.ts';
import { rectangle, run } from './factories.ts';

test('union of tiles: edges split at T-junctions cancel, parts and holes come out as rings', () => {
  // One tall tile on the left, two stacked on the right: one rectangle.
  const joined = unionOfTiles([rectangle(0, 0, 2, 2), rectangle(2, 0, 3, 1), rectangle(2, 1, 3, 2)]);
  assert.equal(joined.type, 'Polygon');
  assert.deepEqual(new Set(joined.coordinates[0]!.map((p) => String(p))), new Set(['0,0', '3,0', '3,2', '0,2']));
  assert.equal(joined.coordinates[0]!.length, 5);
  // An L shape keeps its inner corner.
  const ell = unionOfTiles([rectangle(0, 0, 1, 1), rectangle(1, 0, 2, 1), rectangle(0, 1, 1, 2)]);
  assert.equal((ell.coordinates as number[][][])[0]!.length, 7);
  // Apart: two parts.
  const apart = unionOfTiles([rectangle(0, 0, 1, 1), rectangle(5, 5, 6, 6)]);
  assert.deepEqual([apart.type, apart.coordinates.length], ['MultiPolygon', 2]);
  // Eight tiles around an empty middle: an outer ring with a hole.
  const ring = [[0, 0], [1, 0], [2, 0], [0, 1], [2, 1], [0, 2], [1, 2], [2, 2]].map(([x, y]) => rectangle(x!, y!, x! + 1, y! + 1));
  const framed = unionOfTiles(ring);
  assert.deepEqual([framed.type, framed.coordinates.length], ['Polygon', 2]);
});

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await makeCast(t.db);
  await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('511602002000', '中桥街道', 'township', '511602000000')`);
  await t.db.query(`INSERT INTO grids (code, name, division_code, geometry) VALUES
    ('G1', '一号网格', '511602001000', $1), ('G2', '二号网格', '511602001000', $2), ('G3', '三号网格', '511602002000', $3)`,
  [JSON.stringify(rectangle(106.60, 30.40, 106.62, 30.42)), JSON.stringify(rectangle(106.62, 30.40, 106.64, 30.42)),
    JSON.stringify(rectangle(106.60, 30.42, 106.64, 30.44))]);
});
after(() => t.close());

const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/org/boundaries?${query}` });

test('GET /org/boundaries is public GeoJSON per level, rebuilt when the grids change', async () => {
  const bad = await get('level=province');
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'level']);
  const grids = await get('level=grid');
  assert.equal(grids.statusCode, 200, 'no login needed');
  assert.match(grids.headers['content-type'] as string, /application\/geo\+json/);
  assert.deepEqual(grids.json().features.map((f: Feature) => [f.properties.code, f.properties.level, f.properties.parentCode]),
    [['G1', 'grid', '511602001000'], ['G2', 'grid', '511602001000'], ['G3', 'grid', '511602002000']]);

  const townships = (await get('level=township')).json();
  assert.deepEqual(townships.features.map((f: Feature) => [f.properties.code, f.properties.name]), [['511602001000', '浓洄街道'], ['511602002000', '中桥街道']]);
  const nonghui = townships.features[0].geometry;
  assert.deepEqual([nonghui.type, nonghui.coordinates[0].length], ['Polygon', 5], 'two grids side by side make one rectangle');
  const county = (await get('level=county')).json().features;
  assert.deepEqual(county.map((f: Feature) => [f.properties.code, f.properties.name, f.geometry.coordinates[0].length]), [['511602000000', '广安区', 5]]);
  assert.equal((await get('level=township&within=511602002000')).json().features.length, 1);

  // A new grid to the east: the cached township shape is replaced by the next request.
  await run(t.db, systemActor('test'), createGrid, { code: 'G4', name: '四号网格', divisionCode: '511602001000', geometry: rectangle(106.64, 30.40, 106.66, 30.42) });
  const grown = (await get('level=township')).json().features[0].geometry.coordinates[0];
  assert.ok(grown.some((p: number[]) => p[0] === 106.66), 'the township now reaches the new grid');
  assert.equal((await get('level=grid')).json().features.length, 4);

  // A renamed township is shown by its new name at once.
  await run(t.db, systemActor('test'), renameDivision, { code: '511602002000', name: '中桥街道（新）' });
  assert.equal((await get('level=township')).json().features[1].properties.name, '中桥街道（新）');
});
