// Base libraries: person records of five departments resolved end to end (clean, block and score, cluster,
// golden records) at the size of a city, and incremental matching of new rows against the resolved ones.
// REGISTRY_BENCH_RECORDS sets the size (default 1,000,000). Progress goes to stderr, figures to stdout.
import { readFileSync } from 'node:fs';
import { report } from './_report.ts';
import {
  divisionIndex, entityPairs, generatePersonRecords, IncrementalMatcher, pairQuality, personSchema, resolveRecords, type RawRecord,
} from '../src/registry/match/index.ts';

const target = Number(process.env.REGISTRY_BENCH_RECORDS ?? 1_000_000);
const divisions = (JSON.parse(readFileSync(new URL('../src/kernel/demo/data/divisions-511600.json', import.meta.url), 'utf8')) as { code12: string; name: string }[])
  .map((d) => ({ code: d.code12, name: d.name }));

const records: RawRecord[] = [];
const truth = new Map<string, string>();
// About 3.5 records a person: enough people for the target, cut at the target.
for (const r of generatePersonRecords({ people: Math.ceil(target / 3.4), divisions, seed: 'bench' })) {
  if (records.length === target) break;
  const { person, ...record } = r;
  records.push(record);
  truth.set(r.id, String(person));
}
process.stderr.write(`generated ${records.length.toLocaleString('en')} records\n`);

const trust = { 公安局: 0.95, 民政局: 0.85, 人社局: 0.8, 税务局: 0.8, 卫健委: 0.7 };
let goldenCount = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = resolveRecords(personSchema, records, {
  clean: { divisions: divisionIndex(divisions) },
  golden: { trust, rules: { address: 'most-recent', phone: 'most-recent' } },
  // A store would write each golden record away; here they are counted.
  onGolden: () => goldenCount++,
  onProgress: (stage, done, total) => process.stderr.write(`${stage}: ${done.toLocaleString('en')}${total ? ` / ${total.toLocaleString('en')}` : ' pairs'}\n`),
});
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakMb = process.resourceUsage().maxRSS / 1024;
const quality = pairQuality(entityPairs(result.clustering.entities), truth);
report('registry.resolve.seconds', seconds, 's', {
  records: records.length, blocking: result.model.blocking.rules.map((r) => r.name), cpuSeconds: Math.round(cpuSeconds), stages: result.timings, compared: result.compared, entities: goldenCount,
});
report('registry.resolve.peak_memory', peakMb, 'MB');
report('registry.resolve.f1', quality.f1, 'ratio', { precision: quality.precision, recall: quality.recall });

// Incremental: the last rows arrive after the others were resolved.
const fresh = Math.min(20_000, Math.floor(result.records.length / 10));
const matcher = new IncrementalMatcher(result.model, result.records.slice(0, -fresh));
const t = performance.now();
const pairs = matcher.match(result.records.slice(-fresh));
report('registry.incremental.rows_per_second', fresh / ((performance.now() - t) / 1000), 'rows/s', { rows: fresh, pairs: pairs.length });
