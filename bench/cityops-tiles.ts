// 一张图 vector tiles at city scale: the demo city's 200,000 components and 1,000,000 12345 tickets (each near a
// component, received over the last 365 days), then 50 tiles per zoom from 10 to 16 around random components,
// each cut once (no tile cache), as a city-wide 12345 inspector asks them: components unfiltered, tickets of the
// slider's default window (the last 30 days) and of all time. Prints p50/p95 per layer and zoom (target p95 < 30 ms).
// The tickets' counts per cell and day are rolled up first, as the platform's sweep does (its time is printed);
// BENCH_TILE_COUNTS=0 leaves them out, to cut the tickets' tiles from the tickets alone.
// Database: BENCH_DATABASE_URL's server, else an embedded PostgreSQL in data/bench-tiles; a fresh database either way.
import { mapTile, type MapFilter, type MapLayer } from '../src/cityops/index.ts';
import { loadDemoCity } from '../src/demo.ts';
import { loadDemoCategories, rollUpTicketCounts } from '../src/hotline/index.ts';
import { jurisdictionOf, systemActor, type Actor } from '../src/kernel/auth/index.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { createRng } from '../src/kernel/demo/index.ts';
import { modules } from '../src/modules.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const tickets = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const tilesPerZoom = 50;
const seed = 'bench-tiles';
/** Tickets near the components (within about 100 m), over the last 365 days, most of them closed: rows $2 to $3 of $1. */
const insertTickets = `WITH shape AS (
       SELECT (SELECT array_agg(c.id) FROM hotline_categories c WHERE NOT EXISTS (SELECT 1 FROM hotline_categories k WHERE k.parent_id = c.id)) AS categories,
              (SELECT count(*) FROM cityops_components) AS places),
     place AS (SELECT row_number() OVER (ORDER BY code) AS n, lon, lat, division_code, grid_code FROM cityops_components),
     s AS (
       SELECT i, now() - (i::float8 / $1) * interval '365 days' AS received, shape.categories, 1 + (i::bigint * 7919) % shape.places AS n
         FROM generate_series($2::int, $3::int) i, shape)
     INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, grid_code, intake_actor, state,
       received_at, reply_due, resolve_due, closed_at, updated_at)
     SELECT 'M' || s.i, 'phone', (ARRAY['complaint', 'help', 'consultation', 'report', 'suggestion'])[1 + s.i % 5],
       s.categories[1 + s.i % array_length(s.categories, 1)], 'normal', '路灯不亮', p.lon + ((s.i % 201) - 100) * 0.00001,
       p.lat + (((s.i / 201) % 201) - 100) * 0.00001, p.division_code, p.grid_code, 'staff:1', CASE WHEN s.i % 10 < 8 THEN 'closed' ELSE 'dispatched' END,
       s.received, s.received + interval '7 days', s.received + interval '21 days', CASE WHEN s.i % 10 < 8 THEN s.received + interval '5 days' END, s.received
       FROM s JOIN place p ON p.n = s.n`;

const { db, close } = await scratchDatabase('tiles', { dataDir: 'bench-tiles', port: Number(process.env.YIWANG_PG_PORT ?? 54348), poolSize: 4 });

try {
  const needed = new Set(['platform', 'ledger', 'demo', 'org', 'auth', 'calendar', 'cityops']);
  let started = performance.now();
  await loadDemoCity(db, { seed }, modules.filter((m) => needed.has(m.name)));
  const components = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cityops_components')).rows[0]!.n;
  report('cityops.tiles.seed_components', (performance.now() - started) / 1000, 's', { components, note: 'the demo city' });

  started = performance.now();
  await withTransaction(db, (tx) => loadDemoCategories({ tx, actor: systemActor('bench'), now: new Date() }));
  await fillTickets();
  await db.query('ANALYZE hotline_tickets');
  await db.query('ANALYZE cityops_components');
  report('cityops.tiles.seed_tickets', (performance.now() - started) / 1000, 's', { tickets, note: 'one INSERT … SELECT generate_series, then ANALYZE' });
  if (process.env.BENCH_TILE_COUNTS !== '0') {
    started = performance.now();
    const days = await rollUpTicketCounts(db, new Date());
    const { rows: [kept] } = await db.query<{ cells: number; rows: number; bytes: string }>(
      `SELECT (SELECT count(*)::int FROM hotline_tile_cells) AS cells, (SELECT count(*)::int FROM hotline_tile_counts) AS rows,
              pg_size_pretty(pg_total_relation_size('hotline_tile_counts') + pg_total_relation_size('hotline_tile_cells')) AS bytes`);
    report('cityops.tiles.roll_up_tickets', (performance.now() - started) / 1000, 's', { days, ...kept, note: 'the first run of the sweep over the whole history' });
    await db.query('ANALYZE hotline_tile_counts');
    await db.query('ANALYZE hotline_tile_cells');
  }

  const inspector: Actor = { ...systemActor('bench'), kind: 'staff', roles: ['inspector'], jurisdiction: jurisdictionOf('511600000000'),
    grants: new Set(['cityops.component.read', 'cityops.case.read', 'hotline.ticket.read', 'cityops.sensor.read']) };
  const places = (await db.query<{ lon: number; lat: number }>('SELECT lon, lat FROM cityops_components ORDER BY code')).rows;
  const rng = createRng(`${seed}/tiles`);
  const now = Date.now();
  const runs: { name: string; layer: MapLayer; filter: MapFilter }[] = [
    { name: 'components', layer: 'components', filter: {} },
    { name: 'tickets_30_days', layer: 'tickets', filter: { from: new Date(now - 30 * 86_400_000), to: new Date(now) } },
    { name: 'tickets_all', layer: 'tickets', filter: {} },
  ];
  for (const run of runs) {
    const all: number[] = [];
    for (let z = 10; z <= 16; z++) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < tilesPerZoom; i++) {
        const { lon, lat } = places[Math.floor(rng.float(0, places.length))]!;
        const tile = tileOf(lon, lat, z);
        const t0 = performance.now();
        const encoded = await mapTile(db, inspector, run.layer, tile, run.filter);
        times.push(performance.now() - t0);
        bytes += encoded.byteLength;
      }
      all.push(...times);
      times.sort((a, b) => a - b);
      report(`cityops.tiles.${run.name}.z${z}.p50`, percentile(times, 0.5), 'ms');
      report(`cityops.tiles.${run.name}.z${z}.p95`, percentile(times, 0.95), 'ms', { tiles: tilesPerZoom, meanBytes: Math.round(bytes / tilesPerZoom), target: '< 30' });
    }
    all.sort((a, b) => a - b);
    report(`cityops.tiles.${run.name}.p50`, percentile(all, 0.5), 'ms', { zooms: '10-16' });
    report(`cityops.tiles.${run.name}.p95`, percentile(all, 0.95), 'ms', { zooms: '10-16', tiles: all.length, components, tickets, target: '< 30' });
  }
} finally {
  await close();
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

/** The tickets, 200,000 per statement. */
async function fillTickets(): Promise<void> {
  const chunk = 200_000;
  for (let first = 1; first <= tickets; first += chunk) {
    await withTransaction(db, async (tx) => {
      // Loading the city is not a request: no statement time limit.
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query(insertTickets, [tickets, first, Math.min(tickets, first + chunk - 1)]);
    });
  }
}
