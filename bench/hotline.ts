// The 12345 hotline under load, on the real platform (demo city 广安市, sequencer running):
// (1) intake through the HTTP API, as the centre's operators type calls in: grid lookup, deadlines,
//     routing, duplicate check, history event and ledger entry in one transaction per ticket;
// (2) a department's queue of 50,000 open tickets, filtered and sorted by deadline, a page of 50.
import fs from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import autocannon from 'autocannon';
import pg from 'pg';
import { inJurisdiction, jurisdictionOf } from '../src/kernel/auth/index.ts';
import { runningEmbeddedUrl } from '../src/kernel/db/embedded.ts';
import { createRng } from '../src/kernel/demo/index.ts';
import { queueCountCap } from '../src/hotline/index.ts';
import { atFixedRate } from './_fixed-rate.ts';
import { cpuSeconds, root, startPlatform, withStatementProfile } from './_platform.ts';
import { report } from './_report.ts';

const intakeConnections = 50;
const intakeRate = 1000;
const belowPool = 16;
const intakeSeconds = 10;
const preparedBodies = 400;
const queueSize = 50_000;
const queueSeconds = 5;
const queueClients = 8;

async function getJson<T>(cookie: string, url: string): Promise<T> {
  const res = await fetch(`${base}${url}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

interface Me { user: { id: string; departmentId: number | null; jurisdiction: string } }
interface Category { id: number; code: string; name: string; parentId: number | null }
interface GridFeature {
  properties: { code: string; divisionCode: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

// ---------------------------------------------------------------------------------------------------
// Realistic intake bodies, deterministic

const rng = createRng('bench/hotline');

/** Texts by the demo's leaf category codes, written apart from the classifier's own examples. */
const texts: Record<string, string[]> = {
  'CG-SRHW-LJQY': ['小区门口垃圾堆放多日无人清运，气味很大', '垃圾桶已满溢出，请尽快清运'],
  'CG-SRHW-ZDJY': ['商贩占用人行道摆摊，行人只能走机动车道', '夜市摊位占道经营到凌晨'],
  'CG-WZJS': ['楼顶有人私自加盖彩钢房', '一楼住户把阳台外扩搭了个棚子'],
  'CG-YLLH': ['行道树枝叶遮挡路灯，需要修剪', '小区绿化带被人毁坏种菜'],
  'JT-DLPS': ['路面坑洼严重，下雨后积水', '桥面伸缩缝破损，车辆颠簸'],
  'JT-XHD': ['十字路口红绿灯不亮，车辆乱行', '信号灯时间太短，行人过不去马路'],
  'JT-TC': ['车辆长期占用消防通道停放', '小区门口乱停车堵住出口'],
  'JT-GJ': ['公交车到站不停，司机态度差', '希望增开早高峰公交班次'],
  'HB-ZYRM': ['工地夜间施工噪音很大，影响休息', '广场舞音响声音过大，晚上十点后仍未停止'],
  'HB-YY': ['餐馆油烟直排，楼上住户无法开窗', '烧烤店油烟熏得整栋楼都是味道'],
  'HB-WSPF': ['有企业向河里排放污水', '河道里的水发黑发臭'],
  'ZF-WYJF': ['物业不作为，小区门禁坏了一个月没修', '物业费上涨未经业主同意'],
  'ZF-GSTS': ['小区突然停水，没有提前通知', '水压太低，高层用不上水'],
  'ZF-DTGZ': ['电梯经常停运，老人上下楼困难', '电梯运行时异响，担心安全'],
  'SB-SBJF': ['单位不给缴纳社保', '咨询灵活就业人员社保如何缴纳'],
  'SB-YLJ': ['养老金这个月没有按时到账', '退休后养老金待遇核定有误'],
  'SJ-SPAQ': ['在超市买到过期食品', '餐馆后厨卫生很差'],
  'SJ-JGQZ': ['商家明码标价与实际收费不符', '停车场乱收费'],
  'GA-XFYH': ['楼道里堆满杂物，堵塞安全出口', '电动车在楼道里充电，存在隐患'],
  'ZX-ZCZX': ['咨询新生儿落户需要什么材料', '咨询公积金提取的条件'],
};
const generalTexts = ['反映的问题已经持续一段时间，希望有关部门尽快处理', '多次反映未得到解决，请求督办'];
const times = ['今天上午', '昨天晚上', '最近一周', '这几天', '今天凌晨', '本月以来'];
const asks = ['请相关部门尽快处理。', '希望尽快解决。', '请派人到现场查看。', '希望给个答复。', ''];
const streets = ['建设路', '人民路', '解放路', '滨河路', '中心街', '育才路', '长乐街', '金安大道', '城南大道', '兴平路'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '平', '刚'];
const mobilePrefixes = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '166', '177', '180', '181', '186', '187', '188', '189', '199'];
const kinds = ['complaint', 'complaint', 'complaint', 'help', 'help', 'report', 'consultation', 'suggestion'] as const;
const channels = ['phone', 'phone', 'phone', 'phone', 'mayor-mailbox', 'wechat'] as const;

/** A point inside the polygon, drawn uniformly from its bounding box until one falls inside. */
function pointIn(grid: GridFeature): [number, number] {
  const outer = grid.geometry.coordinates[0]!;
  const lons = outer.map((p) => p[0]!);
  const lats = outer.map((p) => p[1]!);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  for (let i = 0; i < 1000; i++) {
    const point: [number, number] = [w + rng.next() * (e - w), s + rng.next() * (n - s)];
    if (booleanPointInPolygon(point, grid.geometry)) return [Math.round(point[0] * 1e6) / 1e6, Math.round(point[1] * 1e6) / 1e6];
  }
  throw new Error(`no point found inside grid ${grid.properties.code}`);
}

function intakeBodies(categories: Category[], grids: GridFeature[]): string[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const topOf = (c: Category): Category => (c.parentId === null ? c : topOf(byId.get(c.parentId)!));
  const leaves = categories.filter((c) => !categories.some((k) => k.parentId === c.id));
  return Array.from({ length: preparedBodies }, () => {
    const category = rng.pick(leaves);
    const grid = rng.pick(grids);
    const [lon, lat] = pointIn(grid);
    const anonymous = rng.next() < 0.1;
    const description = `${rng.pick(times)}${rng.pick(texts[category.code] ?? texts[topOf(category).code] ?? generalTexts)}。${rng.pick(asks)}`;
    return JSON.stringify({
      channel: rng.pick(channels), kind: rng.pick(kinds), categoryCode: category.code,
      urgency: rng.next() < 0.1 ? 'urgent' : 'normal', description, lon, lat,
      address: `${rng.pick(streets)}${rng.int(1, 300)}号附近`,
      ...(anonymous ? { anonymous: true } : {
        callerName: `${rng.pick(surnames)}${rng.pick(givenNames)}`,
        callerPhone: `${rng.pick(mobilePrefixes)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      }),
    });
  });
}

// ---------------------------------------------------------------------------------------------------

// BENCH_KEEP_DATA=1 starts on the last run's data: no demo load in the way of a server profile (BENCH_SERVER_ARGS=--cpu-prof).
if (process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(path.join(root, 'data', 'bench-hotline'), { recursive: true, force: true });
const platform = await startPlatform('bench-hotline', 3991, 54351);
const { base, dataDir, login } = platform;
let failure: Error | null = null;
try {
  const bodies = await prepareBodies();
  // As many as the server takes (autocannon's closed loop), below its pool of 20 connections and at 50,
  // where intakes also wait for a connection; and at the target's fixed rate (an open loop).
  const below = await intakeUnderLoad(bodies, belowPool);
  reportIntake(`hotline.intake.c${belowPool}`, below, {});
  // The target: 1,000 tickets a second sustained, each answered within 50 ms at p99.
  const sustained = await withStatementProfile(platform, 'intake at a fixed rate', (measuring) => intakeAtRate(bodies, measuring), (r) => r.created);
  reportIntake(`hotline.intake.rate${intakeRate}`, sustained, { tickets: '>= 1000', p99: '< 50', non2xx: '0' });
  if (sustained.failed) throw new Error(`intake at ${intakeRate}/s: ${sustained.failed}`);
  const most = await intakeUnderLoad(bodies, intakeConnections);
  reportIntake('hotline.intake', most, { non2xx: '0' });
  if (most.failed) throw new Error(`intake at ${intakeConnections} connections: ${most.failed}`);
  // Last: its 50,000 tickets have deadlines already past, which the deadline sweep then works through.
  await withStatementProfile(platform, 'the department queue', () => departmentQueue(), () => 1);
} catch (error) {
  failure = error as Error;
} finally {
  await releaseStuckConnections();
  await platform.stop();
}
if (failure) {
  console.error(failure.message);
  process.exit(1);
}

interface IntakeRun {
  /** How the load was made: autocannon's closed loop, or requests at a fixed rate over up to `connections` sockets. */
  load: string; connections: number; created: number; p50: number; p99: number; bad: number; failed: string | null;
  /** CPU milliseconds per ticket made: the platform's process, and its database's processes. */
  serverCpuMs: number; databaseCpuMs: number;
}

async function prepareBodies(): Promise<string[]> {
  const cookie = await login('hotline');
  const me = await getJson<Me>(cookie, '/api/v1/auth/me');
  const categories = (await getJson<{ items: Category[] }>(cookie, '/api/v1/hotline/categories')).items;
  const grids = (await getJson<{ features: GridFeature[] }>(cookie, `/api/v1/org/grids?divisionCode=${me.user.jurisdiction}`)).features
    .filter((g) => g.geometry.type === 'Polygon');
  if (grids.length === 0) throw new Error(`no grids under ${me.user.jurisdiction}`);
  const bodies = intakeBodies(categories, grids);
  // One ticket first, so a rejected body shows its reason before any load.
  const probe = await fetch(`${base}/api/v1/hotline/tickets`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: bodies[0] });
  if (probe.status !== 201) throw new Error(`intake failed: ${probe.status} ${await probe.text()}`);
  return bodies;
}

/** (1) 受理 through the API as the centre's operator, bodies drawn from a few hundred prepared ones. */
async function intakeUnderLoad(bodies: string[], connections: number): Promise<IntakeRun> {
  const cookie = await login('hotline');
  let firstError: string | null = null;
  const run = (duration: number) => autocannon({
    url: base, connections, duration, timeout: 5,
    headers: { cookie, 'content-type': 'application/json' },
    requests: [{
      method: 'POST', path: '/api/v1/hotline/tickets',
      setupRequest: (req) => ({ ...req, body: bodies[Math.floor(Math.random() * bodies.length)] }),
      onResponse: (status, body) => { if ((status < 200 || status >= 300) && firstError === null) firstError = `${status} ${body}`; },
    }],
  });
  const warm = await run(2); // connections, plans, the grid index
  const before = cpuSeconds(platform);
  const result = warm.timeouts > 0 ? warm : await run(intakeSeconds);
  const after = cpuSeconds(platform);
  const bad = result.non2xx + result.errors + result.timeouts;
  const failed = bad === 0 ? null : result.timeouts > 0 && firstError === null
    ? `${result.timeouts} requests got no answer within 5 s (${result['2xx']} tickets made, ${result.non2xx} non-2xx)`
    : `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; first error: ${firstError}`;
  return { load: 'closed loop', connections, created: result['2xx'], p50: result.latency.p50, p99: result.latency.p99, bad, failed,
    ...cpuPerTicket(before, after, result['2xx']) };
}

/** CPU milliseconds per ticket made between two readings, of the platform and of its database. */
function cpuPerTicket(before: ReturnType<typeof cpuSeconds>, after: ReturnType<typeof cpuSeconds>, created: number) {
  const perTicket = (seconds: number) => Math.round((seconds * 1000 / Math.max(1, created)) * 1000) / 1000;
  return { serverCpuMs: perTicket(after.server - before.server), databaseCpuMs: perTicket(after.database - before.database) };
}

/** (1) 受理 at a fixed rate: each ticket due at its time whether or not the ones before it were answered. */
async function intakeAtRate(bodies: string[], measuring: () => Promise<void>): Promise<IntakeRun> {
  const cookie = await login('hotline');
  const request = () => ({ method: 'POST', path: '/api/v1/hotline/tickets', headers: { cookie, 'content-type': 'application/json' },
    body: bodies[Math.floor(Math.random() * bodies.length)] });
  await atFixedRate({ base, rate: intakeRate, seconds: 2, sockets: intakeConnections, request });
  await measuring();
  const before = cpuSeconds(platform);
  const result = await atFixedRate({ base, rate: intakeRate, seconds: intakeSeconds, sockets: intakeConnections, request });
  const after = cpuSeconds(platform);
  // Tickets per second as the platform answered them: over the time until the last answer, not the 10 s of load.
  const created = Math.round(result.okPerSecond * intakeSeconds);
  return { load: `${intakeRate}/s fixed`, connections: intakeConnections, created, p50: result.p50, p99: result.p99, bad: result.bad,
    failed: result.bad === 0 ? null : `${result.bad} failed; first error: ${result.firstError}`, ...cpuPerTicket(before, after, result.ok) };
}

function reportIntake(name: string, r: IntakeRun, target: Record<string, string>): void {
  const extra = { load: r.load, connections: r.connections, bodies: preparedBodies };
  report(`${name}.tickets_per_second`, r.created / intakeSeconds, 'tickets/s', { ...extra, ...(target.tickets ? { target: target.tickets } : {}) });
  report(`${name}.latency_p50`, r.p50, 'ms', extra);
  report(`${name}.latency_p99`, r.p99, 'ms', { ...extra, ...(target.p99 ? { target: target.p99 } : {}) });
  // CPU per ticket depends far less than the rates above on what else the machine runs at the same time.
  report(`${name}.server_cpu_per_ticket`, r.serverCpuMs, 'ms', extra);
  report(`${name}.database_cpu_per_ticket`, r.databaseCpuMs, 'ms', extra);
  report(`${name}.non_2xx`, r.bad, 'responses', { ...extra, ...(target.non2xx ? { target: target.non2xx } : {}), ...(r.failed ? { first: r.failed } : {}) });
}

/**
 * After a run that left the server's requests waiting on each other, ends the platform's database
 * connections so its pool hands out fresh connections and it can stop cleanly.
 */
async function releaseStuckConnections(): Promise<void> {
  const url = await runningEmbeddedUrl(dataDir, 'postgres');
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  admin.on('error', () => undefined);
  await admin.connect().catch(() => undefined); // a database that is gone fails the query below, which says so
  try {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'yiwang' AND state = 'idle in transaction'`);
    if (rows[0]!.n > 0) {
      console.error(`${rows[0]!.n} of the platform's database connections sat idle in a transaction; ending them`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'yiwang' AND pid <> pg_backend_pid()`);
    }
  } catch { /* the database is gone already */ } finally {
    await admin.end().catch(() => undefined); // never connected, or gone
  }
}

/**
 * (2) 50,000 open tickets dispatched to one department (written with SQL beside what intake made), and
 * its officer's queue: open states of the department, by deadline, a page of 50 at varying offsets.
 */
async function departmentQueue(): Promise<void> {
  const cookie = await login('ga_officer');
  const me = (await getJson<Me>(cookie, '/api/v1/auth/me')).user;
  if (me.departmentId === null) throw new Error('ga_officer has no department');
  const url = await runningEmbeddedUrl(dataDir);
  if (!url) throw new Error(`no embedded database credentials in ${dataDir}`);
  const db = new pg.Client({ connectionString: url });
  db.on('error', () => undefined);
  await db.connect();
  try {
    const inserted = performance.now();
    await fillQueue(db, me.departmentId, me.jurisdiction);
    await db.query('ANALYZE hotline_tickets'); // as autovacuum would after a load this size
    report('hotline.queue.insert_50000', performance.now() - inserted, 'ms', { note: 'one INSERT … SELECT, then ANALYZE' });

    const department = me.departmentId;
    const query = `state=dispatched&state=accepted&state=returned&departmentId=${department}&sort=deadline&limit=50`;
    const check = await getJson<{ total: number; totalCapped: boolean; items: unknown[] }>(cookie, `/api/v1/hotline/tickets?${query}`);
    // The count stops at its cap: a capped count is the queue's "at least".
    if ((!check.totalCapped && check.total < queueSize) || check.items.length !== 50)
      throw new Error(`queue shows ${check.total} tickets, ${check.items.length} on the page`);

    // Mostly the first pages, as officers work from the top; now and then deep in the queue.
    const offsets = [0, 0, 0, 0, 50, 50, 100, 150, 500, 5000];
    let worst = 0;
    for (const clients of [1, queueClients]) {
      const warmUntil = performance.now() + 2000;
      const latencies: number[] = [];
      const until = warmUntil + queueSeconds * 1000;
      await Promise.all(Array.from({ length: clients }, async (_, c) => {
        for (let i = c; performance.now() < until; i++) {
          const begun = performance.now();
          const res = await fetch(`${base}/api/v1/hotline/tickets?${query}&offset=${offsets[i % offsets.length]}`, { headers: { cookie } });
          const body = await res.text();
          if (res.status !== 200) throw new Error(`queue: ${res.status} ${body}`);
          if (begun >= warmUntil) latencies.push(performance.now() - begun);
        }
      }));
      latencies.sort((x, y) => x - y);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
      const name = `hotline.queue.c${clients}`;
      report(`${name}.requests_per_second`, latencies.length / queueSeconds, 'req/s', { clients, tickets: queueSize });
      report(`${name}.latency_p50`, at(0.5), 'ms', { clients });
      report(`${name}.latency_p95`, at(0.95), 'ms', { target: '< 50', clients, page: 50 });
      worst = Math.max(worst, at(0.95));
    }
    if (worst >= 50) await explainQueue(db, department, me.jurisdiction);
  } finally {
    await db.end();
  }
}

async function fillQueue(db: pg.Client, departmentId: number, jurisdiction: string): Promise<void> {
  const prefix = jurisdiction.replace(/(000)+$/, '');
  // Categories the department's kind is routed, else every leaf; grids within the officer's jurisdiction.
  const { rows: [shape] } = await db.query<{ categories: string[]; grids: string[]; divisions: string[] }>(
    `SELECT (SELECT array_agg(c.id) FROM hotline_categories c WHERE NOT EXISTS (SELECT 1 FROM hotline_categories k WHERE k.parent_id = c.id)) AS categories,
            (SELECT array_agg(g.code ORDER BY g.code) FROM grids g WHERE g.division_code LIKE $1) AS grids,
            (SELECT array_agg(g.division_code ORDER BY g.code) FROM grids g WHERE g.division_code LIKE $1) AS divisions`, [`${prefix}%`]);
  if (!shape?.grids?.length) throw new Error(`no grids under ${jurisdiction}`);
  // Received over the last 30 days, deadlines from two weeks overdue to three weeks ahead; most accepted.
  await db.query(
    `WITH s AS (
       SELECT nextval(pg_get_serial_sequence('hotline_tickets', 'id')) AS id, i,
              now() - (random() * interval '30 days') AS received, (random() * array_length($2::text[], 1))::int % array_length($2::text[], 1) + 1 AS g
         FROM generate_series(1, $4::int) AS i)
     INSERT INTO hotline_tickets (id, number, channel, kind, category_id, urgency, emergency, description, lon, lat, address,
       division_code, grid_code, anonymous, caller_name, caller_phone, intake_actor, state, department_id, received_at, dispatched_at,
       accepted_at, accept_due, reply_due, resolve_due, updated_at)
     SELECT s.id, to_char(s.received, 'YYYYMMDD') || lpad(s.id::text, 7, '0'), (ARRAY['phone','phone','phone','web','app','wechat'])[1 + s.i % 6],
       (ARRAY['complaint','help','report','consultation','suggestion'])[1 + s.i % 5], ($1::bigint[])[1 + s.i % array_length($1::bigint[], 1)],
       CASE WHEN s.i % 10 = 0 THEN 'urgent' ELSE 'normal' END, false, '小区门口垃圾堆放多日无人清运，气味很大，请相关部门尽快处理。',
       NULL, NULL, '建设路' || (s.i % 300) || '号附近', ($3::text[])[s.g], ($2::text[])[s.g], false, '张伟',
       '138' || lpad((s.i * 7919 % 100000000)::text, 8, '0'), 'staff:1',
       CASE WHEN s.i % 10 < 3 THEN 'dispatched' WHEN s.i % 10 < 9 THEN 'accepted' ELSE 'returned' END, $5,
       s.received, s.received + interval '1 hour', CASE WHEN s.i % 10 BETWEEN 3 AND 8 THEN s.received + interval '5 hours' END,
       s.received + interval '1 day', s.received + interval '7 days', now() - interval '14 days' + random() * interval '35 days', s.received + interval '5 hours'
       FROM s`,
    [shape.categories, shape.grids, shape.divisions, queueSize, departmentId]);
}

/** The parts of listTickets' statement that read the queue's index (the capped count, the page of ids), with their plans. */
async function explainQueue(db: pg.Client, departmentId: number, jurisdiction: string): Promise<void> {
  const params: unknown[] = [];
  const scope = inJurisdiction('t.division_code', jurisdictionOf(jurisdiction), params);
  params.push(departmentId, ['dispatched', 'accepted', 'returned'], departmentId);
  const condition = `${scope} AND t.department_id = $2 AND t.state = ANY($3) AND t.state NOT IN ('closed', 'merged') AND t.department_id = $4`;
  const statements = {
    count: [`SELECT count(*)::int AS n FROM (SELECT 1 FROM hotline_tickets t WHERE ${condition} ORDER BY t.resolve_due, t.id LIMIT ${queueCountCap + 1}) q`, params],
    page: [`SELECT t.id::int FROM hotline_tickets t WHERE ${condition} ORDER BY t.resolve_due, t.id LIMIT $5 OFFSET $6`, [...params, 50, 0]],
  } as const;
  for (const [name, [sql, values]] of Object.entries(statements)) {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values as unknown[]);
    console.error(`-- hotline queue, ${name} statement:\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}
