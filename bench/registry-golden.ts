// The base library on a scratch database: a person register of 5,000 people (and a second source holding a
// third of them again) loaded through the whole pipeline (gateway read, clean, match, cluster, golden), then
// 1,000 staff reads of golden records as the console makes them: jurisdiction check, a gateway call with its
// evidence, the record with its sources, pairs and history, one transaction each.
import { performance } from 'node:perf_hooks';
import { jurisdictionOf, systemActor, type Actor, type Ctx } from '../src/kernel/auth/index.ts';
import { residentIdCheckChar } from '../src/kernel/checks/index.ts';
import { withTransaction, type Db } from '../src/kernel/db/index.ts';
import { createResource, findPublishedResource, importRows, issueGrant, reviewResource, submitResource } from '../src/hub/index.ts';
import { addSource, readGoldenRecord, runLoadOn, setUpLibrary, startLoad } from '../src/registry/index.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const people = 5_000;
const reads = 1_000;
const surnames = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'];
const given = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华'];

async function world(db: Db) {
  await db.query(`INSERT INTO divisions (code, name, level) VALUES ('510000000000', '四川省', 'province')`);
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('511600000000', '广安市', 'city', '510000000000')`);
  const department = async (code: string, name: string, kind: string) => (await db.query<{ id: number }>(
    `INSERT INTO departments (code, name, division_code, kind) VALUES ($1, $2, '511600000000', $3) RETURNING id::int`, [code, name, kind])).rows[0]!.id;
  const bureau = await department('B-ZS', '市政务服务和数据管理局', 'government-services');
  const police = await department('B-GA', '市公安局', 'public-security');
  const health = await department('B-WJ', '市卫生健康委员会', 'health');
  return { bureau, police, health };
}

function person(i: number) {
  const birth = `19${String(50 + (i % 50)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  const first17 = `511602${birth}${String(i % 1000).padStart(3, '0')}`;
  return { id_number: first17 + residentIdCheckChar(first17), name: `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${given[(i * 13) % given.length]}`,
    birth_date: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` };
}

const field = (code: string) => ({ code, name: code, type: 'string' as const, sensitivity: 'general' as const, level: 'L1' as const, masking: 'none' as const });

async function main() {
  const scratch = await scratchDatabase('registry', { dataDir: 'bench-registry', port: 54_367, poolSize: 4 });
  const { db } = scratch;
  try {
    const { bureau, police, health } = await world(db);
    const rows = Array.from({ length: people }, (_, i) => person(i));
    const loaded = await withTransaction(db, async (tx) => {
      // A load of thousands of records is an admin path: no per-statement limit, as for imports.
      await tx.query('SET LOCAL statement_timeout = 0');
      const ctx: Ctx = { tx, actor: { ...systemActor('bench'), departmentId: bureau }, now: new Date() };
      for (const [code, provider, body] of [['A01-0001-0001-0001', police, rows], ['A05-0001-0001-0001', health, rows.filter((_, i) => i % 3 === 0)]] as const) {
        await createResource(ctx, { code, name: code, kind: 'table', format: '库表', updateCycle: 'daily', shareType: 'conditional', openType: 'closed',
          providerDepartmentId: provider, subjectKind: 'person', subjectField: 'id_number', keyField: 'id_number', fields: ['id_number', 'name', 'birth_date'].map(field) });
        await importRows(ctx, { code, format: 'json', body: [...body] });
        await submitResource(ctx, { code });
        await reviewResource(ctx, { code, approve: true });
      }
      const started = performance.now();
      let count = 0;
      const library = await setUpLibrary(ctx, 'people', bureau);
      for (const code of ['A01-0001-0001-0001', 'A05-0001-0001-0001']) {
        const resource = (await findPublishedResource(tx, code))!;
        await issueGrant(ctx, { requestId: null, consumerSystemId: library.systemId, consumerDepartmentId: bureau, resourceId: resource.id, predicateId: null,
          providerDepartmentId: resource.providerDepartmentId, fields: ['id_number', 'name', 'birth_date'], purpose: '人口库汇聚', legalBasis: '基础库建设' });
        const source = await addSource(ctx, { library: 'people', resource: code, mapping: { id_number: 'id_number', name: 'name', birth_date: 'birth_date' } });
        const load = await startLoad(ctx, { sourceId: source.id });
        count += (await runLoadOn(tx, load.id, ctx.now)).counts.read ?? 0;
      }
      return { count, seconds: (performance.now() - started) / 1000 };
    });
    report('registry.load.records_per_second', loaded.count / loaded.seconds, 'records/s', { records: loaded.count });

    const { rows: entities } = await db.query<{ id: number }>(`SELECT id::int FROM registry_entities WHERE golden <> '{}' ORDER BY id`);
    const officer: Actor = { kind: 'staff', id: '1', name: 'bench', roles: ['data_officer'], grants: new Set(['registry.record.read']),
      jurisdiction: jurisdictionOf('511600000000'), departmentId: bureau };
    const times: number[] = [];
    for (let i = 0; i < reads; i++) {
      const id = entities[(i * 7919) % entities.length]!.id;
      const started = performance.now();
      await withTransaction(db, (tx) => readGoldenRecord({ tx, actor: officer, now: new Date() }, { id, purpose: '基础库数据质量核查' }));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    report('registry.golden_read.p50', times[Math.floor(reads * 0.5)]!, 'ms');
    report('registry.golden_read.p95', times[Math.floor(reads * 0.95)]!, 'ms', { reads, target: 10 });
  } finally {
    await scratch.close();
  }
}

await main();
