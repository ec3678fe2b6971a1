// 一张图's ticket counts kept ahead of time: a zoomed-out tile counts exactly the tickets it holds, before the
// roll-up, after it, and after old tickets are added, moved or deleted between two runs of the sweep.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { rollUpTicketCounts, ticketsInTile } from '../../src/hotline/index.ts';
import { keptTicketCounts } from '../../src/hotline/tile-counts.ts';
import type { Actor } from '../../src/kernel/auth/index.ts';
import type { TileAddress } from '../../src/kernel/tiles.ts';
import { makeHotlineCity, memberOf } from './factories.ts';

let t: TestDb;
let actors: Record<'city' | 'county' | 'street', Actor>;
const centre = { lon: 106.63, lat: 30.47 };
const dayMs = 86_400_000;
const now = Date.now();

before(async () => {
  t = await createTestDb();
  const city = await makeHotlineCity(t.db);
  actors = {
    city: city.actors.operator,
    county: memberOf(city.gaUrban, ['inspector'], '511602000000'),
    street: memberOf(city.gaUrban, ['inspector'], '511602001000'),
  };
  // 3,000 tickets over 40 days in two counties around the centre, and 5,100 within 200 m of it, so that its tile at
  // zoom 14 holds more than the 5,000 points a tile carries.
  await t.db.query(
    `INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, intake_actor, state,
       received_at, reply_due, resolve_due, updated_at)
     SELECT 'K' || i, 'phone', 'complaint', (SELECT id FROM hotline_categories WHERE code = 'CG-SRHW-LJQY'), 'normal', '垃圾',
            $1 + CASE WHEN i <= 3000 THEN 0.3 ELSE 0.004 END * (((i * 7919) % 1000) / 1000.0 - 0.5),
            $2 + CASE WHEN i <= 3000 THEN 0.3 ELSE 0.004 END * (((i * 104729) % 997) / 997.0 - 0.5),
            CASE WHEN i % 3 = 0 THEN '511621001000' WHEN i % 3 = 1 THEN '511602001000' ELSE '511602002000' END, 'staff:1', 'received',
            r, r, r, r
       FROM generate_series(1, 8100) i, LATERAL (SELECT now() - ((i * 37) % 40000) * interval '1 minute' * 1.44 AS r) at`, [centre.lon, centre.lat]);
});
after(() => t.drop());

/** The XYZ tile holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number): TileAddress {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

type Cells = Map<string, { n: number; lon: number; lat: number }>;
const cellKey = (lon: number, lat: number, z: number) => {
  const cell = tileOf(lon, lat, z + 4);
  return `${cell.x}/${cell.y}`;
};

/** The counts per cell a tile should carry, from the tickets themselves: cell → count and mean place. */
async function expected(actor: Actor, tile: TileAddress, window: { from?: Date; to?: Date } = {}): Promise<Cells> {
  const { rows } = await t.db.query<{ lon: number; lat: number; division_code: string; received_at: Date }>(
    'SELECT lon, lat, division_code, received_at FROM hotline_tickets');
  const sums = new Map<string, { n: number; lon: number; lat: number }>();
  for (const r of rows) {
    if (!actor.jurisdiction.covers(r.division_code)) continue;
    if ((window.from && r.received_at < window.from) || (window.to && r.received_at >= window.to)) continue;
    const here = tileOf(r.lon, r.lat, tile.z);
    if (here.x !== tile.x || here.y !== tile.y) continue;
    const key = cellKey(r.lon, r.lat, tile.z);
    const sum = sums.get(key) ?? { n: 0, lon: 0, lat: 0 };
    sums.set(key, { n: sum.n + 1, lon: sum.lon + r.lon, lat: sum.lat + r.lat });
  }
  return new Map([...sums].map(([key, c]) => [key, { n: c.n, lon: c.lon / c.n, lat: c.lat / c.n }]));
}

/** What the tile carries: cell (of the count's place, the mean of its tickets) → count and place. */
async function drawn(actor: Actor, tile: TileAddress, window: { from?: Date; to?: Date } = {}): Promise<Cells> {
  const points = await ticketsInTile(t.db, actor, tile, window);
  return new Map(points.map((p) => [cellKey(p.lon, p.lat, tile.z), { n: p.count, lon: p.lon, lat: p.lat }]));
}

function assertSame(actual: Cells, wanted: Cells, message: string): void {
  const counts = (cells: Cells) => Object.fromEntries([...cells].map(([key, c]) => [key, c.n]));
  assert.deepEqual(counts(actual), counts(wanted), message);
  for (const [key, c] of wanted) {
    const got = actual.get(key)!;
    assert.ok(Math.abs(got.lon - c.lon) < 1e-9 && Math.abs(got.lat - c.lat) < 1e-9, `${message}: cell ${key} drawn at ${got.lon},${got.lat}`);
  }
}

const windows = () => ({
  'all time': {},
  'the last 30 days': { from: new Date(now - 30 * dayMs), to: new Date(now) },
  'from 20 days ago on': { from: new Date(now - 20 * dayMs - 3_600_000) },
  'part of one day': { from: new Date(now - 10 * dayMs), to: new Date(now - 10 * dayMs + 7_200_000) },
});
const zooms = [8, 10, 12, 13];

/**
 * Every counting zoom, window and jurisdiction: the tile carries what the tickets give. So does the tile at zoom
 * 14 of all the city's tickets, more than the 5,000 points a tile carries (the others there are single points).
 */
async function assertExact(when: string): Promise<void> {
  for (const [name, window] of Object.entries(windows()))
    for (const z of zooms)
      for (const who of ['city', 'county', 'street'] as const) {
        const tile = tileOf(centre.lon, centre.lat, z);
        assertSame(await drawn(actors[who], tile, window), await expected(actors[who], tile, window), `${when}: ${name}, zoom ${z}, ${who}`);
      }
  const crowded = tileOf(centre.lon, centre.lat, 14);
  assertSame(await drawn(actors.city, crowded), await expected(actors.city, crowded), `${when}: all time, zoom 14, city`);
}

const kept = (actor: Actor, z: number, window: { from?: Date; to?: Date } = {}) => {
  const tile = tileOf(centre.lon, centre.lat, z);
  return keptTicketCounts(t.db, z + 4, tile, actor.jurisdiction, window);
};
const keptTotal = async (actor: Actor, z: number, window: { from?: Date; to?: Date } = {}) =>
  (await kept(actor, z, window))?.cells.reduce((sum, c) => sum + c.count, 0) ?? null;

test('before the first roll-up, counts come from the tickets; the tile at zoom 14 is counted, its 5,000-point limit passed', async () => {
  assert.equal(await keptTotal(actors.city, 10), null);
  await assertExact('before');
  const z14 = await ticketsInTile(t.db, actors.city, tileOf(centre.lon, centre.lat, 14), {});
  assert.ok(z14.every((p) => Object.keys(p.props).length === 0) && z14.reduce((s, p) => s + p.count, 0) > 5000);
});

test('rolled up: whole days come from the kept counts, the rest from the tickets, and every tile is as before', async () => {
  // A place on no tile (beyond Web Mercator's latitudes, as the intake allows up to 90°) does not stop the roll-up.
  await t.db.query(`INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, intake_actor, state,
      received_at, reply_due, resolve_due, updated_at)
    SELECT n, channel, kind, category_id, urgency, description, p.lon, p.lat, '511621001000', intake_actor, state, r, r, r, r
      FROM hotline_tickets, (VALUES ('POLE', 0, 90)) p (n, lon, lat),
           LATERAL (SELECT now() - interval '5 days' AS r) at WHERE number = 'K1'`);
  const days = await rollUpTicketCounts(t.db, new Date(now));
  assert.ok(days >= 39 && days <= 41, `rolled ${days} days`);
  const { rows: [state] } = await t.db.query(`SELECT rolled_until::text AS until FROM hotline_tile_rollup`);
  assert.equal(state.until, new Date(Math.floor((now - 3_600_000) / dayMs) * dayMs).toISOString().slice(0, 10));
  // The kept counts hold every ticket of the rolled days in the county's tile; a street's inspector gets none.
  const rolled = new Date(`${state.until}T00:00:00Z`);
  const { rows: [inGa] } = await t.db.query(
    `SELECT count(*)::int AS n FROM hotline_tickets WHERE division_code LIKE '511602%' AND received_at < $1`, [rolled]);
  const atZoom8 = await expected(actors.county, tileOf(centre.lon, centre.lat, 8), { to: rolled });
  assert.equal([...atZoom8.values()].reduce((sum, c) => sum + c.n, 0), inGa.n, 'the whole county is in the tile at zoom 8');
  assert.equal(await keptTotal(actors.county, 8), inGa.n);
  assert.equal(await keptTotal(actors.street, 8), null);
  assert.equal(await keptTotal(actors.city, 10, windows()['part of one day']), null, 'no whole day in the window');
  await assertExact('rolled up');
  assert.equal(await rollUpTicketCounts(t.db, new Date(now)), 0, 'nothing new to roll up');
});

test('old tickets added, moved or deleted after the roll-up are counted from the tickets until the next run, which takes them in', async () => {
  // A ticket received now, or a change of state, touches no rolled day: nothing is marked.
  await t.db.query(`INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, intake_actor, state,
      received_at, reply_due, resolve_due, updated_at)
    SELECT 'NEW', channel, kind, category_id, urgency, description, lon, lat, division_code, intake_actor, 'received', now(), now(), now(), now()
      FROM hotline_tickets WHERE number = 'K1'`);
  await t.db.query(`UPDATE hotline_tickets SET state = 'accepted' WHERE number = 'K2'`);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hotline_tile_dirty')).rows[0].n, 0);
  // K100, received 3.7 days ago, re-dated to now: its old day is marked.
  await t.db.query(`UPDATE hotline_tickets SET received_at = now() WHERE number = 'K100'`);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hotline_tile_dirty')).rows[0].n, 1);
  await t.db.query(`INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, intake_actor, state,
      received_at, reply_due, resolve_due, updated_at)
    SELECT 'OLD' || i, 'phone', 'complaint', category_id, 'normal', '旧件', $1, $2, '511602001000', 'staff:1', 'closed', r, r, r, r
      FROM hotline_tickets, generate_series(1, 3) i, LATERAL (SELECT now() - interval '25 days' - i * interval '1 day' AS r) at WHERE number = 'K3'`,
  [centre.lon + 0.01, centre.lat + 0.01]);
  await t.db.query(`UPDATE hotline_tickets SET lon = lon + 0.05 WHERE number IN ('K4', 'K5')`);
  await t.db.query(`DELETE FROM hotline_tickets WHERE number IN ('K6', 'K7', 'K8')`);
  const { rows: [marks] } = await t.db.query(
    `SELECT count(DISTINCT day)::int AS days, min(day)::text AS first, (SELECT rolled_until::text FROM hotline_tile_rollup) AS until FROM hotline_tile_dirty`);
  assert.ok(marks.days >= 4 && marks.first < marks.until, JSON.stringify(marks));
  await assertExact('changed, not yet rolled up');

  assert.ok(await rollUpTicketCounts(t.db, new Date(now)) >= 27, 'the run starts from the earliest changed day');
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hotline_tile_dirty')).rows[0].n, 0);
  await assertExact('rolled up again');
});
