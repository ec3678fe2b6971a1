// 接诉即办考评 over a month (October 2026, every ticket closed before today) of 2,000,000 tickets: the metrics
// by department, category, area and month, as the centre asks for them (target < 5 s each), and the week's hotspots per township.
// Database: BENCH_DATABASE_URL's server, else the embedded PostgreSQL in data/bench-metrics; a fresh database either way.
import { systemActor } from '../src/kernel/auth/index.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { computeMetrics, findHotspots, loadDemoCategories, metricGroupings } from '../src/hotline/index.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const tickets = Number(process.env.BENCH_TICKETS ?? 2_000_000);
const counties = 6;
const townshipsPerCounty = 20;
const gridsPerTownship = 4;
const departments = 40;
const month = { from: '2026-10-01', to: '2026-10-31' };

const { db, close } = await scratchDatabase('metrics', { dataDir: 'bench-metrics', port: 54353, poolSize: 4 });

try {
  await seedCity();
  const filled = performance.now();
  await fillMonth();
  await db.query('ANALYZE hotline_tickets');
  report('hotline.metrics.insert_tickets', performance.now() - filled, 'ms', { tickets, note: 'one INSERT … SELECT generate_series, then ANALYZE' });

  const centre = systemActor('bench');
  for (const by of metricGroupings) {
    await computeMetrics(db, centre, { ...month, by }); // plans, cache
    const begun = performance.now();
    const result = await computeMetrics(db, centre, { ...month, by });
    if (result.total.received !== tickets) throw new Error(`metrics by ${by} counted ${result.total.received} tickets, not ${tickets}`);
    report(`hotline.metrics.by_${by}`, performance.now() - begun, 'ms', { tickets, rows: result.rows.length, target: '< 5000' });
  }
  const begun = performance.now();
  const spots = await findHotspots(db, centre, { asOf: '2026-10-31', level: 'township' });
  report('hotline.hotspots.township', performance.now() - begun, 'ms', { tickets, areas: spots.features.length });
} finally {
  await close();
}

/** A city of 6 counties, 120 townships and 480 grids (rectangles), 40 departments and the demo's categories. */
async function seedCity(): Promise<void> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('510000000000', '四川省', 'province', NULL), ('511600000000', '广安市', 'city', '510000000000')`);
  await db.query(
    `INSERT INTO divisions (code, name, level, parent_code)
     SELECT '5116' || lpad(c::text, 2, '0') || '000000', '县' || c, 'county', '511600000000' FROM generate_series(1, $1::int) c
     UNION ALL
     SELECT '5116' || lpad(c::text, 2, '0') || lpad(t::text, 3, '0') || '000', '县' || c || '乡' || t, 'township', '5116' || lpad(c::text, 2, '0') || '000000'
       FROM generate_series(1, $1::int) c, generate_series(1, $2::int) t`, [counties, townshipsPerCounty]);
  await db.query(
    `INSERT INTO grids (code, name, division_code, geometry)
     SELECT 'G' || c || '-' || t || '-' || g, '网格' || g, '5116' || lpad(c::text, 2, '0') || lpad(t::text, 3, '0') || '000',
       json_build_object('type', 'Polygon', 'coordinates', json_build_array(json_build_array(
         json_build_array(x, y), json_build_array(x + 0.01, y), json_build_array(x + 0.01, y + 0.01), json_build_array(x, y + 0.01), json_build_array(x, y))))
       FROM generate_series(1, $1::int) c, generate_series(1, $2::int) t, generate_series(1, $3::int) g,
            LATERAL (SELECT 106.3 + c * 0.1 + (g % 2) * 0.01 AS x, 30.0 + t * 0.03 + (g / 2) * 0.01 AS y) p`,
    [counties, townshipsPerCounty, gridsPerTownship]);
  await db.query(`INSERT INTO departments (code, name, division_code) SELECT 'D' || d, '部门' || d, '511600000000' FROM generate_series(1, $1::int) d`, [departments]);
  await withTransaction(db, (tx) => loadDemoCategories({ tx, actor: systemActor('bench'), now: new Date() }));
}

/**
 * A month of tickets, spread over the townships, leaf categories and departments: 85 % closed (most after
 * a callback, a few unresolved or dissatisfied), the rest open in every state, some accepted or closed late.
 */
async function fillMonth(): Promise<void> {
  await db.query(
    `WITH shape AS (
       SELECT (SELECT array_agg(c.id) FROM hotline_categories c WHERE NOT EXISTS (SELECT 1 FROM hotline_categories k WHERE k.parent_id = c.id)) AS categories,
              (SELECT array_agg(code ORDER BY code) FROM grids) AS grids, (SELECT array_agg(division_code ORDER BY code) FROM grids) AS divisions,
              (SELECT array_agg(id) FROM departments) AS departments),
     s AS (
       SELECT i, timestamptz '2026-09-30 16:00:00+00' + ((i - 1)::float8 / $1) * interval '31 days' AS received, i % array_length(shape.grids, 1) + 1 AS g, shape.*
         FROM generate_series(1, $1::int) i, shape)
     INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, division_code, grid_code, intake_actor, state,
       department_id, received_at, dispatched_at, accept_due, accepted_at, reply_due, replied_at, resolve_due, closed_at, called_back_at,
       resolved, satisfaction, updated_at)
     SELECT 'B' || s.i, 'phone', 'complaint', s.categories[1 + s.i % array_length(s.categories, 1)], 'normal', '小区门口垃圾堆放多日无人清运',
       s.divisions[s.g], s.grids[s.g], 'staff:1', o.state,
       CASE WHEN s.i % 50 = 0 THEN NULL ELSE s.departments[1 + (s.i / 7) % array_length(s.departments, 1)] END,
       s.received, s.received + interval '10 minutes', s.received + interval '3 days',
       CASE WHEN o.state <> 'dispatched' THEN s.received + (CASE WHEN s.i % 17 = 0 THEN interval '4 days' ELSE interval '5 hours' END) END,
       s.received + interval '7 days', CASE WHEN o.state IN ('replied', 'closed') THEN s.received + interval '2 days' END,
       s.received + interval '21 days', CASE WHEN o.state = 'closed' THEN s.received + (s.i % 23) * interval '1 day' + interval '3 hours' END,
       CASE WHEN o.state = 'closed' AND s.i % 5 <> 0 THEN s.received + interval '25 days' END,
       CASE WHEN o.state = 'closed' AND s.i % 5 <> 0 THEN s.i % 11 <> 0 END,
       CASE WHEN o.state = 'closed' AND s.i % 5 <> 0 THEN (ARRAY['satisfied', 'satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied'])[1 + s.i % 5] END,
       s.received
       FROM s, LATERAL (SELECT CASE WHEN s.i % 20 < 17 THEN 'closed' ELSE (ARRAY['dispatched', 'accepted', 'replied'])[1 + s.i % 3] END AS state) o`,
    [tickets]);
}
