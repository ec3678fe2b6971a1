// The hotline's back-office work, measured on a fresh database with the test city (one grid, the centre,
// two departments): (1) one pass of the deadline sweep over many open tickets, with nothing due and with
// an alert due on every ticket; (2) importing a historical file in the NYC 311 layout; (3) knowledge-base
// searches. Database: BENCH_DATABASE_URL's server, else the embedded PostgreSQL in data/bench-hotline-ops.
import { stringify } from 'csv-stringify/sync';
import { systemActor } from '../src/kernel/auth/index.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { importTickets, listKnowledge, loadDemoKnowledge, sweepDeadlines } from '../src/hotline/index.ts';
import { makeHotlineCity } from '../test/hotline/factories.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const openTickets = 20_000;
const dueTickets = 2_000;
const importRows = 2_000;
const searches = 2_000;

const { db, close } = await scratchDatabase('hotline_ops', { dataDir: 'bench-hotline-ops', port: 54346, poolSize: 8 });
const actor = systemActor('bench');

try {
  const city = await makeHotlineCity(db);
  await sweep(city.gaUrban);
  await importHistory();
  await searchKnowledge();
} finally {
  await close();
}

/** Open tickets written in bulk: received `ageDays` ago, dispatched, deadlines `dueInDays` from now. */
async function insertOpen(count: number, departmentId: number, ageDays: number, dueInDays: number): Promise<void> {
  await db.query(
    `INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, division_code, grid_code, intake_actor,
       state, department_id, received_at, dispatched_at, accept_due, reply_due, resolve_due, updated_at)
     SELECT 'B' || md5(random()::text), 'phone', 'complaint', (SELECT id FROM hotline_categories WHERE code = 'CG-SRHW-LJQY'), 'normal',
            '小区门口垃圾三天没人清运', 106.63, 30.47, '511602001000', 'G-NH-1', 'system:bench', 'accepted', $2,
            now() - make_interval(days => $3), now() - make_interval(days => $3), now() + make_interval(days => $4),
            now() + make_interval(days => $4), now() + make_interval(days => $4 + 10), now()
       FROM generate_series(1, $1)`, [count, departmentId, ageDays, dueInDays]);
}

async function sweep(departmentId: number): Promise<void> {
  // Received 2 days ago, due in 60: nothing is due yet.
  await insertOpen(openTickets, departmentId, 2, 60);
  let started = performance.now();
  const none = await sweepDeadlines(db, new Date());
  report('hotline.deadlines.sweep_nothing_due', performance.now() - started, 'ms', { openTickets, raised: none });
  // Received 40 days ago, reply due tomorrow: a reply warning is due on each of these.
  await insertOpen(dueTickets, departmentId, 40, 1);
  started = performance.now();
  const raised = await sweepDeadlines(db, new Date());
  const seconds = (performance.now() - started) / 1000;
  report('hotline.deadlines.alerts_raised', raised / seconds, 'alerts/s', { openTickets: openTickets + dueTickets, raised, seconds: Math.round(seconds * 100) / 100 });
}

async function importHistory(): Promise<void> {
  const header = ['Unique Key', 'Created Date', 'Closed Date', 'Agency', 'Complaint Type', 'Descriptor', 'Incident Address', 'Status',
    'Resolution Description', 'Open Data Channel Type', 'Latitude', 'Longitude'];
  const rows = Array.from({ length: importRows }, (_, i) => [String(80_000_000 + i), '11/02/2026 09:15:00 AM', i % 2 ? '11/03/2026 04:40:00 PM' : '',
    'DSNY', 'Dirty Conditions', 'Trash', `${i} JIANSHE ROAD`, i % 2 ? 'Closed' : 'Pending', i % 2 ? 'Cleaned.' : '', 'PHONE',
    String(30.44 + (i % 100) * 0.0005), String(106.60 + Math.floor(i / 100) * 0.002)]);
  const csv = stringify([header, ...rows]);
  const started = performance.now();
  const result = await withTransaction(db, (tx) => importTickets({ tx, actor, now: new Date() },
    { layout: 'nyc311', csv, categories: { 'Dirty Conditions': 'CG-SRHW-LJQY' } }));
  const seconds = (performance.now() - started) / 1000;
  report('hotline.import.nyc311', result.imported / seconds, 'rows/s', { rows: importRows, imported: result.imported, rejected: result.rejected.length });
}

async function searchKnowledge(): Promise<void> {
  await withTransaction(db, (tx) => loadDemoKnowledge({ tx, actor, now: new Date() }));
  const queries = ['社保卡丢了怎么补', '公积金怎么提取', '外地人办居住证', '孩子上学报名', '停水什么时候恢复', '结婚登记要带什么'];
  const times: number[] = [];
  for (let i = 0; i < searches; i++) {
    const started = performance.now();
    await listKnowledge(db, actor, { q: queries[i % queries.length] });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  report('hotline.knowledge.search_p95', times[Math.floor(times.length * 0.95)]!, 'ms', { searches, entries: 16 });
}
