// 一网通办 on the real platform (demo city 广安市 with the hub's 100,000 people, sequencer running):
// (1) a citizen submits applications through the HTTP API in one request each: the form prefilled by a
//     hub read with its evidence, checked against the item's JSON Schema, receipt number, working-day
//     deadlines, history row and ledger entry, all in one transaction; besides the rate, the CPU the platform
//     and its PostgreSQL spent per submission;
// (2) a 不来即享 policy evaluated over every person of the hub's people register (年满80周岁).
import fs from 'node:fs';
import autocannon from 'autocannon';
import { report } from './_report.ts';
import { cpuSeconds, startPlatform } from './_platform.ts';

const connections = 16;
const seconds = 10;
const itemName = '困难残疾人生活补贴';

fs.rmSync(new URL('../data/bench-services', import.meta.url), { recursive: true, force: true });
const platform = await startPlatform('bench-services', 3992, 54352);
let failure: Error | null = null;
try {
  const cookie = await platform.login('citizen1');
  const found = await (await fetch(`${platform.base}/api/v1/services/items?q=${encodeURIComponent(itemName)}`)).json() as { items: { id: number }[] };
  const itemId = found.items[0]!.id;
  const form = { applicantName: '张小红', idNumber: '511602199001011234', phone: '13812345678', address: '广安区浓洄街道建设路1号', reason: '肢体残疾二级，无固定收入' };
  const body = JSON.stringify({ itemId, form, submit: true });
  const probe = await fetch(`${platform.base}/api/v1/services/applications`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  if (probe.status !== 201) throw new Error(`submit failed: ${probe.status} ${await probe.text()}`);
  let firstError: string | null = null;
  const run = (duration: number) => autocannon({
    url: platform.base, connections, duration, timeout: 5,
    headers: { cookie, 'content-type': 'application/json' },
    requests: [{ method: 'POST', path: '/api/v1/services/applications', body,
      onResponse: (status, text) => { if (status !== 201 && firstError === null) firstError = `${status} ${text}`; } }],
  });
  await run(2); // connections, plans, the compiled form schema
  const cpuBefore = cpuSeconds(platform);
  const result = await run(seconds);
  const cpuAfter = cpuSeconds(platform);
  const extra = { connections, seconds };
  report('services.submit.applications_per_second', result['2xx'] / seconds, 'applications/s', { ...extra, target: '>= 300' });
  report('services.submit.latency_p50', result.latency.p50, 'ms', extra);
  report('services.submit.latency_p99', result.latency.p99, 'ms', { ...extra, target: '< 100' });
  // On a shared machine the rate depends on what else runs, the CPU per submission much less.
  const perApplication = (seconds: number) => Math.round(seconds * 1000 / Math.max(1, result['2xx']) * 1000) / 1000;
  report('services.submit.server_cpu_per_application', perApplication(cpuAfter.server - cpuBefore.server), 'ms', extra);
  report('services.submit.database_cpu_per_application', perApplication(cpuAfter.database - cpuBefore.database), 'ms', extra);
  report('services.submit.non_2xx', result.non2xx + result.errors + result.timeouts, 'responses', { ...extra, target: '0', ...(firstError ? { first: firstError } : {}) });
  await evaluateOverAllPeople(platform.base, await platform.login('admin'), itemId);
} catch (error) {
  failure = error as Error;
} finally {
  await platform.stop();
}
/** (2) A policy with no row filter: every person of the register is read and answered. */
async function evaluateOverAllPeople(base: string, cookie: string, itemId: number): Promise<void> {
  const headers = { cookie, 'content-type': 'application/json' };
  const saved = await fetch(`${base}/api/v1/services/policies`, { method: 'POST', headers, body: JSON.stringify({
    code: 'bench-elderly', name: '全市高龄老人（基准测试）', description: '', itemId, automatic: false, active: true,
    rules: [{ predicate: 'age-over-80', expect: true }] }) });
  if (saved.status !== 201) throw new Error(`policy: ${saved.status} ${await saved.text()}`);
  const started = performance.now();
  const evaluated = await fetch(`${base}/api/v1/services/policies/${(await saved.json() as { id: number }).id}/evaluate`, { method: 'POST', headers: { cookie } });
  const seconds = (performance.now() - started) / 1000;
  if (evaluated.status !== 200) throw new Error(`evaluate: ${evaluated.status} ${await evaluated.text()}`);
  const result = await evaluated.json() as { qualified: number; offered: number };
  report('services.policy.evaluate_seconds', seconds, 's', { people: 100_000, qualified: result.qualified, target: '< 10' });
}

if (failure) {
  console.error(failure.message);
  process.exit(1);
}
