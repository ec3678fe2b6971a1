// Case transitions (案件流转) of 一网统管: cases taken through the loop by its commands, as the desks call them:
// 上报 (patrol, with a photo and the phone's position) → 立案 → 派遣 (by the dispatch catalogue) → 处置 (reply and
// after-photo) → 核查 (on site) → 结案, each one transaction with its history row and ledger entry. Eight callers
// at once, each taking its own cases through the six steps, for 20 s after a 3 s warm-up; every step counts as
// one transition. The screen's relay runs meanwhile, as the platform runs it, publishing each step's screen message.
// Prints transitions per second and the p50/p99 of one transition.
import { checkCase, closeCase, dispatchCase, fileCase, handleCase, reportCase, setDispatchRule, startScreenRelay } from '../src/cityops/index.ts';
import { grantsOf, jurisdictionOf, systemActor, type Actor, type Ctx } from '../src/kernel/auth/index.ts';
import { withTransaction, type Db } from '../src/kernel/db/index.ts';
import { installModules } from '../src/kernel/module.ts';
import { modules } from '../src/modules.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

installModules(modules);
const { db, close } = await scratchDatabase('cityops_cases', { dataDir: 'bench-cityops-cases', port: Number(process.env.YIWANG_PG_PORT ?? 54347), poolSize: 8 });

const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<{ id: T }>(sql, params)).rows[0]!.id;
await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('510000000000', '四川省', 'province', NULL),
  ('511600000000', '广安市', 'city', '510000000000'), ('511602000000', '广安区', 'county', '511600000000'),
  ('511602001000', '浓洄街道', 'township', '511602000000')`);
await db.query(`INSERT INTO grids (code, name, division_code, geometry) VALUES ('G-1', '浓洄1网格', '511602001000',
  '{"type":"Polygon","coordinates":[[[106.6,30.45],[106.62,30.45],[106.62,30.47],[106.6,30.47],[106.6,30.45]]]}')`);
for (const m of modules) await m.prepare?.(db); // as `yiwang start` does: the catalogue and the case kinds among them
const department = (code: string, name: string, division: string, kind: string) =>
  one<number>('INSERT INTO departments (code, name, division_code, kind) VALUES ($1, $2, $3, $4) RETURNING id::int', [code, name, division, kind]);
const desks = { supervision: await department('JD', '监督中心', '511600000000', 'city-supervision'), command: await department('ZH', '指挥中心', '511600000000', 'city-command'),
  patrol: await department('XC', '信息采集中心', '511602000000', 'city-patrol'), unit: await department('CG', '综合执法局', '511602000000', 'urban-management') };
const staff = async (username: string, departmentId: number, division: string): Promise<Actor> => {
  const id = await one<number>(`INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles)
    VALUES ($1, $1, 'staff', '!', $2, $3, '{officer}') RETURNING id::int`, [username, departmentId, division]);
  return { kind: 'staff', id: String(id), name: username, roles: ['officer'], grants: grantsOf(['officer']), jurisdiction: jurisdictionOf(division), departmentId };
};
const CALLERS = 8;
const patrols = await Promise.all(Array.from({ length: CALLERS }, (_, i) => staff(`caiji${i}`, desks.patrol, '511602000000')));
const [jiandu, zhihui, unit] = [await staff('jiandu', desks.supervision, '511600000000'), await staff('zhihui', desks.command, '511600000000'),
  await staff('cg', desks.unit, '511602000000')];
await withTransaction(db, (tx) => setDispatchRule({ tx, actor: systemActor('bench'), now: new Date() },
  { divisionCode: '511602000000', kindCode: 'E0102', departmentId: desks.unit }));

const photos = [{ data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }];
const run = <T>(database: Db, actor: Actor, command: (ctx: Ctx) => Promise<T>) => withTransaction(database, (tx) => command({ tx, actor, now: new Date() }));

const times: number[] = [];
let measuring = false;
let stop = false;
const timed = async <T>(work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await work();
  if (measuring) times.push(performance.now() - t0);
  return result;
};

async function caller(i: number): Promise<void> {
  const patrol = patrols[i]!;
  const point = { lon: 106.601 + (i % 8) * 0.002, lat: 30.451 + Math.floor(i / 8) * 0.002 };
  while (!stop) {
    const c = await timed(() => run(db, patrol, (ctx) => reportCase(ctx, { kindCode: 'E0102', description: '暴露垃圾', ...point, accuracy: 10, photos })));
    await timed(() => run(db, jiandu, (ctx) => fileCase(ctx, { caseId: c.id })));
    await timed(() => run(db, zhihui, (ctx) => dispatchCase(ctx, { caseId: c.id })));
    await timed(() => run(db, unit, (ctx) => handleCase(ctx, { caseId: c.id, reply: '已清理', photos })));
    await timed(() => run(db, patrol, (ctx) => checkCase(ctx, { caseId: c.id, passed: true, ...point, photos })));
    await timed(() => run(db, jiandu, (ctx) => closeCase(ctx, { caseId: c.id })));
  }
}

const relay = startScreenRelay(db);
const callers = Array.from({ length: CALLERS }, (_, i) => caller(i));
await new Promise((resolve) => setTimeout(resolve, 3_000));
measuring = true;
const started = performance.now();
await new Promise((resolve) => setTimeout(resolve, 20_000));
measuring = false;
const seconds = (performance.now() - started) / 1000;
const counted = times.length;
stop = true;
await Promise.all(callers);
await relay.stop();
times.sort((a, b) => a - b);
const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cityops_case_events`);
report('cityops case transitions', counted / seconds, 'transitions/s', { callers: CALLERS, seconds: Math.round(seconds), historyRows: rows[0]!.n });
report('cityops case transition p50', times[Math.floor(counted * 0.5)]!, 'ms');
report('cityops case transition p99', times[Math.floor(counted * 0.99)]!, 'ms');
await close();
