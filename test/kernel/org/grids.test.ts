import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../../src/kernel/auth/actor.ts';
import { checkPolygon, createGrid, gridAt, listGrids } from '../../../src/kernel/org/index.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeCast } from '../../helpers/factories.ts';
import { ledgerCount, rectangle, refusal, run, staffActor } from './factories.ts';

let t: TestDb;
const cityAdmin = staffActor(['platform_admin'], '511600000000');
const countyAdmin = staffActor(['platform_admin'], '511602000000');
const ycOfficer = staffActor(['officer'], '511621000000');

before(async () => {
  t = await createTestDb();
  await makeCast(t.db);
  await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('511621001000', '九龙街道', 'township', '511621000000')`);
});
after(() => t.drop());

describe('checkPolygon', () => {
  const ring = [[106.6, 30.4], [106.7, 30.4], [106.7, 30.5], [106.6, 30.4]];
  const cases: [string, unknown, string, string][] = [
    ['not a polygon', { type: 'Point', coordinates: [106.6, 30.4] }, 'geometry.type', 'type'],
    ['no rings', { type: 'Polygon', coordinates: [] }, 'geometry.coordinates', 'rings'],
    ['three positions', { type: 'Polygon', coordinates: [ring.slice(0, 3)] }, 'geometry.coordinates.0', 'ring-length'],
    ['open ring', { type: 'Polygon', coordinates: [[...ring.slice(0, 3), [106.6, 30.5]]] }, 'geometry.coordinates.0', 'not-closed'],
    ['longitude out of range', { type: 'Polygon', coordinates: [[ring[0], [186.7, 30.4], ...ring.slice(2)]] }, 'geometry.coordinates.0.1', 'longitude'],
    ['latitude out of range', { type: 'Polygon', coordinates: [[ring[0], ring[1], [106.7, -95], ring[3]]] }, 'geometry.coordinates.0.2', 'latitude'],
    ['position not numbers', { type: 'Polygon', coordinates: [[ring[0], ['106.7', 30.4], ...ring.slice(2)]] }, 'geometry.coordinates.0.1', 'position'],
    ['no area', { type: 'Polygon', coordinates: [[[1, 1], [2, 2], [3, 3], [1, 1]]] }, 'geometry.coordinates.0', 'no-area'],
    ['bad hole', { type: 'Polygon', coordinates: [ring, [[1, 1], [1, 1]]] }, 'geometry.coordinates.1', 'ring-length'],
  ];
  for (const [what, value, field, reason] of cases) {
    test(`${what}: refused at ${field}`, () => {
      assert.throws(() => checkPolygon(value), (error: { code: string; details: { field: string; reason: string } }) => {
        assert.deepEqual({ code: error.code, field: error.details.field, reason: error.details.reason },
          { code: 'org.grid.bad-geometry', field, reason });
        return true;
      });
    });
  }

  test('a closed ring with a hole passes, altitude allowed', () => {
    const polygon = { type: 'Polygon', coordinates: [ring, [[106.65, 30.42, 300], [106.66, 30.42, 300], [106.66, 30.43, 300], [106.65, 30.42, 300]]] };
    assert.deepEqual(checkPolygon(polygon), polygon);
  });
});

describe('createGrid', () => {
  test('under a township, with a ledger entry', async () => {
    const before = await ledgerCount(t.db, 'org.grid.created');
    const grid = await run(t.db, countyAdmin, createGrid, {
      code: '511602001000-G01', name: '浓洄街道第1网格', divisionCode: '511602001000', geometry: rectangle(106.6, 30.4, 106.7, 30.5),
    });
    assert.deepEqual(grid, { code: '511602001000-G01', name: '浓洄街道第1网格', divisionCode: '511602001000', schematic: false,
      geometry: rectangle(106.6, 30.4, 106.7, 30.5) });
    assert.equal(await ledgerCount(t.db, 'org.grid.created'), before + 1);
  });

  test('not under a county, not outside the jurisdiction, not twice', async () => {
    const input = { code: 'G-X', name: '某网格', divisionCode: '511602000000', geometry: rectangle(106, 30, 107, 31) };
    await assert.rejects(run(t.db, countyAdmin, createGrid, input), refusal('org.grid.wrong-level', 400, 'divisionCode'));
    await assert.rejects(run(t.db, countyAdmin, createGrid, { ...input, divisionCode: '511621001000' }), refusal('forbidden', 403));
    await assert.rejects(run(t.db, countyAdmin, createGrid, { ...input, divisionCode: '511602007000' }), refusal('org.division.unknown', 400, 'divisionCode'));
    await assert.rejects(run(t.db, countyAdmin, createGrid, { ...input, code: '511602001000-G01', divisionCode: '511602001000' }),
      refusal('org.grid.code-taken', 409, 'code'));
    await assert.rejects(run(t.db, countyAdmin, createGrid, { ...input, divisionCode: '511602001000', geometry: { type: 'Polygon', coordinates: [[[1, 1]]] } }),
      refusal('org.grid.bad-geometry', 400, 'geometry.coordinates.0'));
  });
});

describe('finding grids', () => {
  test('listGrids is a FeatureCollection of the grids under a division within the jurisdiction', async () => {
    await run(t.db, cityAdmin, createGrid, { code: '511621001000-G01', name: '九龙街道第1网格', divisionCode: '511621001000', geometry: rectangle(106.4, 30.4, 106.5, 30.5) });
    const city = await listGrids(t.db, countyAdmin, { divisionCode: '511600000000' });
    assert.equal(city.type, 'FeatureCollection');
    assert.deepEqual(city.features.map((f) => f.id), ['511602001000-G01'], '岳池县\'s grid is outside 广安区');
    assert.deepEqual(city.features[0]!.properties, { code: '511602001000-G01', name: '浓洄街道第1网格', divisionCode: '511602001000', schematic: false });
    assert.deepEqual((await listGrids(t.db, ycOfficer, { divisionCode: '511621' })).features.map((f) => f.id), ['511621001000-G01']);
    await assert.rejects(listGrids(t.db, ycOfficer, { divisionCode: '5116' }), refusal('org.division.bad-code', 400, 'divisionCode'));
  });

  test('gridAt finds the grid around a point, and sees a new grid as soon as it is committed', async () => {
    assert.equal((await gridAt(t.db, 106.65, 30.45))?.code, '511602001000-G01');
    assert.equal((await gridAt(t.db, 106.45, 30.45))?.code, '511621001000-G01');
    assert.equal(await gridAt(t.db, 106.55, 30.45), null, 'between the two grids');
    assert.equal(await gridAt(t.db, 10, 10), null);

    // A grid created in an open transaction stays invisible until it commits.
    const client = await t.db.connect();
    await client.query('BEGIN');
    await createGrid({ tx: client, actor: systemActor('test'), now: new Date() },
      { code: '511602001000-G02', name: '浓洄街道第2网格', divisionCode: '511602001000', geometry: rectangle(106.5, 30.4, 106.6, 30.5) });
    assert.equal(await gridAt(t.db, 106.55, 30.45), null);
    // The transaction itself sees its new grid, through its own connection, and no one else is given that index.
    assert.equal((await gridAt(client, 106.55, 30.45))?.code, '511602001000-G02');
    assert.equal(await gridAt(t.db, 106.55, 30.45), null);
    await client.query('COMMIT');
    client.release();
    assert.equal((await gridAt(t.db, 106.55, 30.45))?.code, '511602001000-G02');
  });

  test('lookups inside transactions need no second connection, so a full pool cannot starve them', { timeout: 10_000 }, async () => {
    const { createPool } = await import('../../../src/kernel/db/index.ts');
    const small = createPool(t.url, 2);
    try {
      const found = await Promise.all([0, 1].map(async () => withTransaction(small, (tx) => gridAt(tx, 106.65, 30.45))));
      assert.deepEqual(found.map((g) => g?.code), ['511602001000-G01', '511602001000-G01']);
    } finally {
      await small.end();
    }
  });

  test('a point on a shared edge goes to the grid with the smaller code', async () => {
    assert.equal((await gridAt(t.db, 106.6, 30.45))?.code, '511602001000-G01');
  });
});
