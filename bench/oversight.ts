// 数据铁笼 at scale: a generated history (OVERSIGHT_BENCH_ENTRIES acts, default 1,000,000) with 200 planted
// cases of every planted kind, sequenced into the ledger; then (a) streaming all library rules over it from the cursor,
// with the process's memory sampled along the way and the CPU used per 1,000 entries (this process's and, with the
// embedded PostgreSQL, the database's), (b) precision and recall per kind, (c) backfill and a 30-day dry
// run, (d) the time from an act's commit to its alert with the sequencer and the stream running as in the platform.
// Database: BENCH_DATABASE_URL's server, else the embedded PostgreSQL in data/bench; a fresh database either way.
// OVERSIGHT_BENCH_DAYS spreads the history over that many days (by default 40,000 acts a day, at least 75): over
// more than the rules' longest window (90 days), the stream's memory must stop growing once the windows are full.
import os from 'node:os';
import { systemActor } from '../src/kernel/auth/index.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { appendToLedger, integrateBatch, startSequencer } from '../src/kernel/ledger/index.ts';
import {
  activeVersions, evaluateRange, generateHistory, installLibrary, queueHistory, scoreAlerts, streamLedger,
} from '../src/oversight/index.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const entries = Number(process.env.OVERSIGHT_BENCH_ENTRIES ?? 1_000_000);
const days = process.env.OVERSIGHT_BENCH_DAYS ? Number(process.env.OVERSIGHT_BENCH_DAYS) : undefined;
const planted = 200;
const { db, databaseCpu, close } = await scratchDatabase('oversight', { dataDir: 'bench', port: 54372, poolSize: 8 });
const system = systemActor('bench');

try {
  const now = new Date();
  await withTransaction(db, (tx) => installLibrary({ tx, actor: system, now }));
  const base = await integrateAll();
  // Only the planted cases are kept once the acts are queued, so that the memory measured below is the stream's.
  const { cases, generated, sequencing } = await (async () => {
    const history = generateHistory({ seed: 'bench', entries, planted, end: now, days, staff: Array.from({ length: 400 }, (_, i) => String(700_000 + i)) });
    const started = performance.now();
    await queueHistory(db, history.acts);
    return { cases: history.planted, generated: history.acts.length, sequencing: started };
  })();
  const size = await integrateAll();
  report('oversight.history.sequenced', generated / ((performance.now() - sequencing) / 1000), 'entries/s',
    { entries: generated, planted, note: 'queued and signed into the Merkle log (setup, not the rules)' });
  // With `node --expose-gc`, the heap is also read after a full collection: what the rules' windows hold.
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();

  // (a) Streaming from the cursor, a slice of 100,000 entries at a time, as the timer would after a long pause; then
  // the last 20,000 entries in slices of 250, as the platform's timer follows the ledger (every 250 ms) during
  // intake at 1,000 entries/s.
  const followed = 20_000;
  const heap: number[] = [];
  const rss: number[] = [];
  const live: number[] = [];
  const stream = await measured(size - followed, async () => {
    for (let cursor = 0; cursor < size - followed; cursor += 100_000) {
      await streamLedger(db, now, Math.min(100_000, size - followed - cursor));
      heap.push(process.memoryUsage().heapUsed / 2 ** 20);
      rss.push(process.memoryUsage.rss() / 2 ** 20);
      if (collect) {
        collect();
        live.push(process.memoryUsage().heapUsed / 2 ** 20);
      }
    }
  });
  const rules = (await activeVersions(db)).length;
  report('oversight.stream.throughput', (size - followed) / stream.seconds, 'entries/s',
    { entries: size - followed, rules, loadAverage: stream.loadAverage, note: 'all active rules; alerts stored with their ledger entries' });
  report('oversight.stream.cpu', stream.cpuMsPer1000.node, 'ms per 1,000 entries', { database: stream.cpuMsPer1000.database, note: 'CPU of this process; database: of the embedded PostgreSQL' });
  report('oversight.stream.rss', stream.maxRss, 'MiB', { afterEachSlice: rss.map(Math.round), note: 'RSS sampled every 100 ms; afterEachSlice: after each 100,000 entries' });
  report('oversight.stream.heap', Math.max(...heap), 'MiB', { min: Math.round(Math.min(...heap)), samples: heap.map(Math.round), note: 'heap after each 100,000 entries' });
  if (collect) report('oversight.stream.live_heap', Math.max(...live), 'MiB', { samples: live.map(Math.round), note: 'heap after a full collection after each 100,000 entries (collections inside the timed stream)' });
  const follow = await measured(followed, async () => {
    for (let cursor = size - followed; cursor < size; cursor += 250) await streamLedger(db, now, 250);
  });
  report('oversight.follow.cpu', follow.cpuMsPer1000.node, 'ms per 1,000 entries', {
    database: follow.cpuMsPer1000.database, entries: followed, perTickMs: Math.round((follow.seconds / (followed / 250)) * 10_000) / 10,
    note: 'slices of 250 entries, as the timer every 250 ms at 1,000 entries/s; database: the embedded PostgreSQL\'s CPU' });

  // (b) Precision and recall per planted kind.
  const { rows } = await db.query<{ code: string; entries: number[] }>(
    `SELECT r.code, al.entries FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id JOIN oversight_rules r ON r.id = v.rule_id`);
  for (const score of scoreAlerts({ acts: [], planted: cases }, rows.map((r) => ({ rule: r.code, acts: r.entries.map((e) => e - base) })))) {
    report(`oversight.kind.${score.kind}`, score.recall, 'recall', {
      precision: Math.round(score.precision * 1000) / 1000, planted: score.planted, found: score.found, alerts: score.alerts, falseAlerts: score.falseAlerts,
      missed: score.missed.slice(0, 5),
    });
  }

  // (c) Backfill of the whole history and a dry run of one rule over 30 days (nothing stored).
  const backfill = await measured(size, async () => (await evaluateRange(db, await activeVersions(db), 0, size)).length);
  report('oversight.backfill.throughput', size / backfill.seconds, 'entries/s',
    { entries: size, alerts: backfill.result, storedByStream: rows.length, loadAverage: backfill.loadAverage });
  report('oversight.backfill.cpu', backfill.cpuMsPer1000.node, 'ms per 1,000 entries', { database: backfill.cpuMsPer1000.database });
  const version = (await activeVersions(db))[1]!;
  // From the history's first entry on: the rules installed before it were recorded now.
  const { rows: [since] } = await db.query<{ i: number }>(
    `SELECT min(leaf_index) AS i FROM ledger_entries WHERE leaf_index >= $1 AND recorded_at >= now() - interval '30 days'`, [base]);
  const started = performance.now();
  await evaluateRange(db, [version], since!.i, size);
  report('oversight.dry_run_30_days', (performance.now() - started) / 1000, 's', { entries: size - since!.i });

  // (d) Act to alert with the sequencer (every 200 ms) and the stream (every 500 ms) running as in the platform.
  const sequencer = startSequencer(db, { intervalMs: 200 });
  let stop = false;
  const following = (async () => {
    while (!stop) {
      await streamLedger(db, new Date());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const object = `bench-latency-${i}`;
    const committed = performance.now();
    await withTransaction(db, (tx) => appendToLedger(tx, { actor: { kind: 'staff', id: '700001' }, action: 'hub.call.answered', object: { type: 'hub-message', id: object } }));
    for (;;) {
      const { rows: found } = await db.query(
        `SELECT 1 FROM oversight_alerts al JOIN ledger_entries e ON e.leaf_index = al.entries[1] WHERE e.object_id = $1`, [object]);
      if (found.length) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    latencies.push(performance.now() - committed);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  stop = true;
  await following;
  await sequencer.stop();
  latencies.sort((a, b) => a - b);
  report('oversight.act_to_alert', latencies[latencies.length - 1]!, 'ms', { median: Math.round(latencies[2]!), samples: latencies.map(Math.round) });
} finally {
  await close();
}

/**
 * Runs `work` over `entries` entries: wall seconds, CPU milliseconds per 1,000 entries (this process's, and the
 * embedded database's when there is one), the highest RSS sampled every 100 ms (MiB) and the load average after.
 */
async function measured<T>(entries: number, work: () => Promise<T>) {
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 100);
  const [cpu, databaseBefore, started] = [process.cpuUsage(), databaseCpu?.() ?? null, performance.now()];
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const per1000 = (cpuSeconds: number) => Math.round((cpuSeconds * 1000 / (entries / 1000)) * 100) / 100;
    return {
      result, seconds, maxRss: Math.max(maxRss, process.memoryUsage.rss()) / 2 ** 20, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      cpuMsPer1000: { node: per1000((user + system) / 1e6), database: databaseBefore === null ? null : per1000(databaseCpu!() - databaseBefore) },
    };
  } finally {
    clearInterval(sampler);
  }
}

async function integrateAll(): Promise<number> {
  for (;;) {
    const { integrated, size } = await integrateBatch(db);
    if (integrated === 0) return size;
  }
}
