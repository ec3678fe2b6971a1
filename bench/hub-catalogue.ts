// Catalogue search over 20,000 entries (Guiyang's catalogue has 17,595; target p95 < 50 ms): entries
// generated from real-looking names and fields across 20 departments, indexed as registration indexes them
// (jieba words in a tsvector), then searched as an officer of another department does: a Chinese word,
// facets, the first page; also with a facet filter, and the CKAN package_search path.
import { systemActor, jurisdictionOf, type Actor } from '../src/kernel/auth/index.ts';
import { searchCatalogue } from '../src/hub/index.ts';
import { packageSearch, searchDocument } from '../src/hub/index.ts';
import { report } from './_report.ts';
import { benchDatabase } from './_hub.ts';

const entries = 20_000;
const rounds = 300;
const { db, stop } = await benchDatabase('yiwang_bench_hub_catalogue');

const SUBJECTS = ['人口', '户籍', '企业', '社保', '医保', '婚姻', '低保', '不动产', '车辆', '驾驶证', '学籍', '教师', '食品', '药品', '排污', '建筑', '公积金',
  '养老', '就业', '残疾人', '退役军人', '殡葬', '出生', '疫苗', '道路运输', '特种设备', '安全生产', '林权', '水质', '空气质量'];
const KINDS = ['基本信息', '登记信息', '许可信息', '变更记录', '年报信息', '补贴发放信息', '资格认定信息', '监测数据', '检查结果', '证照信息'];
const FIELD_NAMES = ['公民身份号码', '姓名', '统一社会信用代码', '名称', '登记日期', '有效期至', '状态', '地址', '金额', '证书编号', '区划代码'];
const SHARE = ['unconditional', 'conditional', 'none'];
const GRADE = ['general', 'important', 'core'];

const { rows: departments } = await db.query<{ id: number }>(
  `INSERT INTO departments (code, name, division_code) SELECT '511600-D' || g, '广安市第' || g || '部门', '511600000000' FROM generate_series(1, 20) g RETURNING id`);
const generated = Array.from({ length: entries }, (_, i) => {
  const name = `${SUBJECTS[i % SUBJECTS.length]}${KINDS[Math.floor(i / SUBJECTS.length) % KINDS.length]}（${i}）`;
  const summary = `${SUBJECTS[(i * 7) % SUBJECTS.length]}相关的${KINDS[(i * 3) % KINDS.length]}，按日更新`;
  const fieldNames = [0, 1, 2, 3].map((k) => FIELD_NAMES[(i + k * 5) % FIELD_NAMES.length]!);
  return { code: `A${String(1 + (i % 99)).padStart(2, '0')}-${String(1 + Math.floor(i / 99)).padStart(4, '0')}-0001-0001`, name, summary,
    department: departments[i % departments.length]!.id, share: SHARE[i % 3]!, grade: GRADE[(i >> 2) % 3]!, status: i % 10 === 0 ? 'draft' : 'published',
    search: searchDocument([name, summary, ...fieldNames]) };
});
await db.query(
  `INSERT INTO hub_resources (code, name, summary, provider_department_id, kind, format, update_cycle, share_type, open_type, status, top_sensitivity,
     published_version, search)
   SELECT code, name, summary, dept, 'table', '库表', 'daily', share, 'closed', status, grade, CASE WHEN status = 'published' THEN 1 END, to_tsvector('simple', search)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS x (code, name, summary, dept, share, grade, status, search)`,
  [generated.map((g) => g.code), generated.map((g) => g.name), generated.map((g) => g.summary), generated.map((g) => g.department),
    generated.map((g) => g.share), generated.map((g) => g.grade), generated.map((g) => g.status), generated.map((g) => g.search)]);
await db.query('ANALYZE hub_resources');

// An officer of another department: sees published entries only.
const officer: Actor = { ...systemActor('bench'), kind: 'staff', id: '1', roles: ['officer'], grants: new Set(['hub.catalogue.read']),
  jurisdiction: jurisdictionOf('511600000000'), departmentId: departments[0]!.id };

async function measure(name: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  report(`${name}.p50`, at(0.5), 'ms', { entries, rounds });
  report(`${name}.p95`, at(0.95), 'ms', { entries, rounds, target: '< 50 ms' });
}

await measure('hub.catalogue.search', (i) => searchCatalogue(db, officer, { q: SUBJECTS[i % SUBJECTS.length], limit: 20, offset: 0 }));
await measure('hub.catalogue.search_faceted', (i) =>
  searchCatalogue(db, officer, { q: `${SUBJECTS[i % SUBJECTS.length]}${KINDS[i % KINDS.length]}`, shareType: 'conditional', limit: 20, offset: 20 }));
await measure('hub.catalogue.browse', () => searchCatalogue(db, officer, { limit: 20, offset: 0 }));
await measure('hub.ckan.package_search', (i) => packageSearch(db, officer, { q: SUBJECTS[i % SUBJECTS.length], rows: 10, start: 0, include_private: true }));
await stop();
