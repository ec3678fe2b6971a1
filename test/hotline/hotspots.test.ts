import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { createTicket, dispatchTicket, findHotspots, trendOf } from '../../src/hotline/index.ts';
import { makeHotlineCity, ticketInput } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeHotlineCity>>;

/** Tickets of a category received on a China-time day, dispatched to the catalogue's department. */
async function receive(n: number, day: string, categoryCode: string) {
  for (let i = 0; i < n; i++) {
    const now = new Date(`${day}T10:00:00+08:00`);
    await withTransaction(t.db, async (tx) => {
      const ctx = { tx, actor: city.actors.operator, now };
      const ticket = await createTicket(ctx, ticketInput({ categoryCode }));
      if (categoryCode.startsWith('CG')) await dispatchTicket(ctx, { ticketId: ticket.id });
    });
  }
}

before(async () => {
  t = await createTestApp();
  city = await makeHotlineCity(t.db);
  // The week of 2026-11-14..20: 4 garbage reports against 2 in the 4 weeks before; noise steady at 1 a week.
  await receive(4, '2026-11-18', 'CG-SRHW-LJQY');
  await receive(2, '2026-10-27', 'CG-SRHW-LJQY');
  await receive(1, '2026-11-16', 'HB-ZYRM');
  for (const day of ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']) await receive(1, day, 'HB-ZYRM');
  // Before the baseline: not counted.
  await receive(3, '2026-10-01', 'CG-SRHW-LJQY');
});
after(() => t.close());

test('rising: at least 3 this week and at least 1.5 times the weekly average of the 4 weeks before', () => {
  assert.deepEqual(trendOf(3, 0), { thisWeek: 3, weeklyAverage: 0, rise: null, rising: true });
  assert.deepEqual(trendOf(2, 0).rising, false);
  assert.deepEqual(trendOf(6, 16), { thisWeek: 6, weeklyAverage: 4, rise: 1.5, rising: true });
  assert.equal(trendOf(5, 16).rising, false);
});

test('hotspots per township and grid, with the categories behind them, scoped to the caller', async () => {
  const spots = await findHotspots(t.db, city.actors.operator, { asOf: '2026-11-20', level: 'township' });
  assert.equal(spots.features.length, 1);
  const nonghui = spots.features[0]!;
  assert.deepEqual(nonghui.properties.code, '511602001000');
  assert.deepEqual([nonghui.properties.thisWeek, nonghui.properties.weeklyAverage, nonghui.properties.rise, nonghui.properties.rising], [5, 1.5, 3.33, true]);
  assert.equal(nonghui.geometry.type, 'Polygon');
  assert.deepEqual(nonghui.properties.topCategories.map((c) => [c.code, c.thisWeek, c.weeklyAverage, c.rising]),
    [['CG-SRHW-LJQY', 4, 0.5, true], ['HB-ZYRM', 1, 1, false]]);
  assert.deepEqual(spots.categories.map((c) => c.code), ['CG-SRHW-LJQY']);

  const grids = await findHotspots(t.db, city.actors.operator, { asOf: '2026-11-20', level: 'grid' });
  assert.deepEqual(grids.features.map((f) => [f.properties.code, f.properties.thisWeek]), [['G-NH-1', 5]]);

  // The 城管局 sees its own (dispatched) tickets only; 岳池县's sees no area of 广安区 at all.
  const own = await findHotspots(t.db, city.actors.handler, { asOf: '2026-11-20', level: 'township' });
  assert.deepEqual([own.features[0]!.properties.thisWeek, own.features[0]!.properties.weeklyAverage], [4, 0.5]);
  assert.deepEqual((await findHotspots(t.db, city.actors.ycHandler, { asOf: '2026-11-20', level: 'township' })).features, []);
});

test('GET /hotspots: 401 without login, 400 naming a bad date, GeoJSON otherwise', async () => {
  const url = '/api/v1/hotline/hotspots?asOf=2026-11-20&level=township';
  assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 401);
  const cookie = await t.login('operator');
  const bad = await t.app.inject({ method: 'GET', url: '/api/v1/hotline/hotspots?asOf=2026-13-01&level=township', headers: { cookie } });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'asOf']);
  const ok = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual([ok.json().type, ok.json().features[0].properties.rising, ok.json().rule], ['FeatureCollection', true, { factor: 1.5, minTickets: 3, baselineWeeks: 4 }]);
});
