// Import of 1,000,000 rows into a hub-held resource (target: < 60 s, memory < 500 MB): a generated CSV of
// people streamed through the import command (parse, per-field type and quality checks incl. the resident
// ID check digit, COPY in 256 KB chunks), one row in 1,000 deliberately bad. Prints rows/s, the seconds for
// the whole file, and the process's peak resident memory.
import { Readable } from 'node:stream';
import { systemActor } from '../src/kernel/auth/index.ts';
import { residentIdCheckChar } from '../src/kernel/checks/index.ts';
import { withTransaction } from '../src/kernel/db/index.ts';
import { createResource, importRows } from '../src/hub/index.ts';
import { report } from './_report.ts';
import { benchDatabase } from './_hub.ts';

const rows = Number(process.env.HUB_IMPORT_ROWS ?? 1_000_000);
const { db, departmentId, stop } = await benchDatabase('yiwang_bench_hub_import');
const actor = systemActor('bench');
const code = 'A01-0001-0001-0001';
await withTransaction(db, (tx) => createResource({ tx, actor, now: new Date() }, {
  code, name: '人口基本信息', kind: 'table', format: 'CSV', updateCycle: 'daily', shareType: 'conditional', openType: 'closed', providerDepartmentId: departmentId,
  subjectKind: 'person', subjectField: 'id_number', keyField: 'id_number',
  fields: [
    { code: 'id_number', name: '公民身份号码', type: 'string', length: 18, sensitivity: 'important', level: 'L3', masking: 'partial', rules: { required: true, check: 'resident-id' } },
    { code: 'name', name: '姓名', type: 'string', length: 40, sensitivity: 'important', level: 'L3', masking: 'partial', rules: { required: true } },
    { code: 'birth_date', name: '出生日期', type: 'date', sensitivity: 'general', level: 'L2', masking: 'none' },
    { code: 'division_code', name: '户籍地区划', type: 'string', sensitivity: 'general', level: 'L1', masking: 'none', rules: { pattern: '^[0-9]{12}$' } },
    { code: 'household_size', name: '户内人数', type: 'integer', sensitivity: 'general', level: 'L1', masking: 'none', rules: { min: 1, max: 20 } },
  ],
}));

/** The CSV, made as it is read: 1,000 lines per chunk. */
function* csv(): Generator<Buffer> {
  yield Buffer.from('id_number,name,birth_date,division_code,household_size\n');
  for (let start = 0; start < rows; start += 1000) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + 1000); i++) {
      const birth = `${1940 + (i % 80)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
      // 1,680 birth dates (the period of i mod 80, 12 and 28) times a sequence number: unique up to 1,680,000 rows.
      const first17 = `511602${birth}${String(Math.floor(i / 1680)).padStart(3, '0')}`;
      const id = i % 1000 === 999 ? `${first17}Z` : first17 + residentIdCheckChar(first17);
      chunk += `${id},居民${i},${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)},511602${String(1 + (i % 12)).padStart(3, '0')}001,${1 + (i % 6)}\n`;
    }
    yield Buffer.from(chunk);
  }
}

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const started = performance.now();
const result = await withTransaction(db, (tx) => importRows({ tx, actor, now: new Date() }, { code, format: 'csv', body: Readable.from(csv()) }));
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
report('hub.import.rows_per_second', result.total / seconds, 'rows/s', { rows: result.total, loaded: result.loaded, failed: result.failed });
report('hub.import.seconds', seconds, 's', { rows: result.total, target: '< 60 s for 1,000,000' });
report('hub.import.peak_rss', peak / 1024 / 1024, 'MB', { target: '< 500 MB' });
await stop();
