// The data hub's gateway on the real platform (demo city with its 100,000-person register, sequencer
// running), autocannon at 100 connections:
// (1) lookups by resident ID under a grant: projection, masking, row filter, quota and rate checks, one
//     evidence record per call on the ledger (group commit);
// (2) yes/no questions (over 18?) under a grant, with the anti-probing counters;
// (3) "who used my data" for a citizen with 10,000 calls on record.
// Besides throughput and latency it prints the CPU time per call of the server, of its database and of the
// load generator (all on the same cores), which depends much less on other work on a shared machine.
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { systemActor } from '../src/kernel/auth/index.ts';
import { runningEmbeddedUrl } from '../src/kernel/db/embedded.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { issueSystemToken } from '../src/hub/index.ts';
import { exchangeDemo } from '../src/hub/index.ts';
import { report } from './_report.ts';
import { cpuSeconds, startPlatform, withStatementProfile, type BenchPlatform } from './_platform.ts';

const connections = 100;
const seconds = 10;
const targets = { calls: 2000, callP99: 30, asks: 3000, usageP95: 100 };

async function loadRun(platform: BenchPlatform, token: string, paths: string[], measuring: () => Promise<void> = async () => undefined) {
  let firstError: string | null = null;
  const run = (duration: number) => autocannon({
    url: platform.base, connections, duration, timeout: 5,
    headers: { authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent('低保资格审核'), 'x-case-id': 'BENCH-1' },
    requests: [{
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }),
      onResponse: (status, body) => { if (status !== 200 && firstError === null) firstError = `${status} ${body}`; },
    }],
  });
  await run(2); // connections, plans, caches
  await measuring();
  const before = { ...cpuSeconds(platform), generator: process.cpuUsage() };
  const result = await run(seconds);
  const after = cpuSeconds(platform);
  const generator = process.cpuUsage(before.generator);
  const answered = Math.max(result['2xx'], 1);
  return {
    answered, perSecond: result['2xx'] / seconds, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts, firstError,
    serverCpuMs: (after.server - before.server) * 1000 / answered, databaseCpuMs: (after.database - before.database) * 1000 / answered,
    // autocannon runs in this process, on the same cores
    generatorCpuMs: (generator.user + generator.system) / 1000 / answered,
  };
}

async function main() {
  const platform = await startPlatform('bench-hub', 3993, 54353);
  const url = await runningEmbeddedUrl(platform.dataDir);
  if (!url) throw new Error(`no embedded database credentials in ${platform.dataDir}`);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const { rows: [grant] } = await db.query<{ system_id: number; code: string; resource_id: number }>(
      `SELECT g.consumer_system_id AS system_id, r.code, r.id AS resource_id FROM hub_grants g
         JOIN hub_systems s ON s.id = g.consumer_system_id JOIN hub_resources r ON r.id = g.resource_id
        WHERE s.code = $1 AND r.subject_kind = 'person' AND g.predicate_id IS NULL AND g.revoked_at IS NULL ORDER BY r.row_count DESC LIMIT 1`,
      [exchangeDemo.consumerSystem]);
    if (!grant) throw new Error('the exchange demo has no grant of the person register to the consumer system');
    const { token } = await withTransaction(db, (tx) => issueSystemToken({ tx, actor: systemActor('bench'), now: new Date() }, { systemId: grant.system_id, validDays: 1 }));
    const subjects = (await db.query<{ subject: string }>(
      `SELECT subject FROM hub_rows WHERE resource_id = $1 AND subject IS NOT NULL ORDER BY row_id LIMIT 20000`, [grant.resource_id])).rows.map((r) => r.subject);
    const population = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_rows WHERE resource_id = $1', [grant.resource_id])).rows[0]!.n;
    const extra = { connections, seconds, population };
    // One system makes every call here: its rate limit (systemCallsPerSecond, 5,000 by default) is raised above
    // the load, as an operator would for a busy system, so that the figures measure the gateway, not the limit.
    // The gateway reads its settings again after at most 10 s.
    await db.query(`UPDATE hub_exchange_settings SET value = '100000' WHERE name = 'systemCallsPerSecond'`);
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    // The machine's load when the runs begin (other work on a shared machine slows every figure below).
    report('machine.load_average_1m', os.loadavg()[0]!, 'processes', { cores: os.cpus().length });

    const calls = await withStatementProfile(platform, 'gateway calls',
      (measuring) => loadRun(platform, token, subjects.map((s) => `/hub/v1/call/${grant.code}?subject=${s}`), measuring), (r) => r.answered);
    report('hub.gateway.calls_per_second', calls.perSecond, 'calls/s', { ...extra, target: `>= ${targets.calls}`, ratio: Math.round(calls.perSecond / targets.calls * 100) / 100 });
    report('hub.gateway.latency_p50', calls.p50, 'ms', extra);
    report('hub.gateway.latency_p99', calls.p99, 'ms', { ...extra, target: `< ${targets.callP99}`, ratio: Math.round(calls.p99 / targets.callP99 * 100) / 100 });
    report('hub.gateway.non_200', calls.bad, 'responses', { ...extra, ...(calls.firstError ? { first: calls.firstError } : {}) });
    report('hub.gateway.server_cpu_per_call', calls.serverCpuMs, 'ms', extra);
    report('hub.gateway.database_cpu_per_call', calls.databaseCpuMs, 'ms', extra);
    report('hub.gateway.load_generator_cpu_per_call', calls.generatorCpuMs, 'ms', extra);

    // Each subject is asked a handful of times at most, below the per-subject daily limit.
    const asks = await loadRun(platform, token, subjects.map((s) => `/hub/v1/ask/${exchangeDemo.predicates.over18}?subject=${s}`));
    report('hub.ask.answers_per_second', asks.perSecond, 'answers/s', { ...extra, target: `>= ${targets.asks}`, ratio: Math.round(asks.perSecond / targets.asks * 100) / 100 });
    report('hub.ask.latency_p99', asks.p99, 'ms', extra);
    report('hub.ask.non_200', asks.bad, 'responses', { ...extra, ...(asks.firstError ? { first: asks.firstError } : {}) });
    report('hub.ask.server_cpu_per_answer', asks.serverCpuMs, 'ms', extra);
    report('hub.ask.database_cpu_per_answer', asks.databaseCpuMs, 'ms', extra);
    report('hub.ask.load_generator_cpu_per_answer', asks.generatorCpuMs, 'ms', extra);

    // 10,000 calls about citizen1 on record, written with SQL beside what the gateway made (those of an earlier
    // run on the same data directory are removed first, so every run measures the same history).
    const { rows: [citizen] } = await db.query<{ id_number: string }>(`SELECT id_number FROM users WHERE username = 'citizen1'`);
    await db.query(`DELETE FROM hub_evidence WHERE subject = $1 AND case_id LIKE 'BENCH-USAGE-%'`, [citizen!.id_number]);
    await db.query(
      `INSERT INTO hub_evidence (message_id, at, consumer_system_id, consumer_department_id, provider_department_id, resource_id, grant_id,
         subject, fields, purpose, case_id, legal_basis, request_hash, response_hash, status, code, duration_ms)
       SELECT gen_random_uuid(), now() - make_interval(mins => i * 13), g.consumer_system_id, g.consumer_department_id, g.provider_department_id,
              g.resource_id, g.id, $2, g.fields, g.purpose, 'BENCH-USAGE-' || i, g.legal_basis, md5(i::text), md5(i::text), 200, 'ok', 1
         FROM generate_series(1, 10000) AS i, (SELECT * FROM hub_grants WHERE consumer_system_id = $1 AND predicate_id IS NULL LIMIT 1) g`,
      [grant.system_id, citizen!.id_number]);
    await db.query('ANALYZE hub_evidence');
    const cookie = await platform.login('citizen1');
    const latencies: number[] = [];
    let total = 0;
    for (let i = 0; i < 220; i++) {
      const begun = performance.now();
      const res = await fetch(`${platform.base}/api/v1/hub/my/usage?limit=50`, { headers: { cookie } });
      const body = await res.json() as { total: number };
      if (res.status !== 200) throw new Error(`usage: ${res.status} ${JSON.stringify(body)}`);
      total = body.total;
      if (i >= 20) latencies.push(performance.now() - begun);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    report('hub.usage.latency_p95', p95, 'ms', { calls: total, page: 50, requests: latencies.length, target: `< ${targets.usageP95}`, ratio: Math.round(p95 / targets.usageP95 * 100) / 100 });
  } finally {
    await db.end();
    await platform.stop();
  }
}

await main();
