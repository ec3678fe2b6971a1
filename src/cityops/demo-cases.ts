/**
 * The demo city's cases: six months of the loop over its grids, drawn from the demo seed, with the desks
 * that run it (监督中心, 指挥中心, a 信息采集中心 per county with its patrol workers), a dispatch catalogue
 * (each event kind to the county's department of the kind's usual department kind) and the logins
 * `jiandu`, `zhihui`, `caiji`, `ga_cg` and the unit's handling worker `ga_cgry`, each with work waiting. Most cases are closed, with their
 * history (on time or late, some reworked) for the evaluation; the last days' are at every step. Rows go
 * in with a few `INSERT … SELECT FROM unnest(…)` statements; one ledger entry records the load.
 */
import { createStaff, systemActor, type DemoLogin } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { createRng, personName, type Rng } from '../kernel/demo/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { createDepartment } from '../kernel/org/index.ts';
import { limitOf, listCaseKinds, prepareCaseKinds, type CaseKind, type Urgency } from './case-kinds.ts';
import { clockFor, stepHours, type CaseSource, type CaseState } from './cases.ts';
import { prepareHotlineCategories } from './hotline-link.ts';
import { deskKinds } from './policy.ts';

export const DEMO_CASES = 3_000;
const DAYS = 180;
const HOUR = 3_600_000;

export const caseLogins: readonly DemoLogin[] = [
  { username: 'jiandu', role: 'officer', description: '市城市管理监督中心 受理员: 立案, 不予立案 and 结案 across 广安市',
    tryFirst: '案件管理: 立案 a patrol report against its 立案条件; 结案 a case whose 核查 passed' },
  { username: 'zhihui', role: 'officer', description: '市城市管理指挥中心 派遣员: dispatch and the dispatch catalogue of 广安市',
    tryFirst: '案件管理: dispatch a filed case to the unit the route names; 管辖争议: decide a case on a county line and make it a rule; 案件考评: this month\'s units, areas and workers' },
  { username: 'caiji', role: 'officer', description: '广安区 信息采集员 (patrol worker): own reports and tasks, on a phone-sized page',
    tryFirst: '巡查上报 (phone page): report a problem with a photo and the position; 我的任务: 核实 and 核查 waiting' },
  { username: 'ga_cg', role: 'officer', description: '广安区城市管理综合执法局 officer: cases dispatched to the unit',
    tryFirst: '案件管理: 处置, a reply to a dispatched case with an after-photo' },
  { username: 'ga_cgry', role: 'officer', description: '广安区城市管理综合执法局 处置人员 (handling worker): own field tasks on a phone-sized page',
    tryFirst: '现场任务 (phone page): go on duty, 到场签到 at a task by the phone\'s position, then 处置反馈 with an after-photo' },
];

/** Relative frequency of kinds among cases; kinds not named count 1 (events) or 0.2 (components). */
const kindWeights: Record<string, number> = {
  E0102: 30, E0501: 22, E0504: 14, E0503: 10, E0201: 12, E0104: 8, E0103: 6, E0502: 8, E0302: 4, E0301: 4, E0107: 4,
  C0102: 4, C0103: 4, C0117: 8, C0303: 6, C0402: 3, C0208: 2, C0206: 2,
};
const sourceWeights: [CaseSource, number][] = [['patrol', 70], ['public', 14], ['sensor', 6], ['leader', 3], ['command', 7]];
const descriptions: Record<string, string[]> = {
  E0102: ['路边堆放生活垃圾约1平方米', '人行道上有多袋垃圾未清运'], E0501: ['流动摊贩占用人行道经营水果', '早餐摊占道经营'],
  E0504: ['共享单车堆放堵塞盲道', '电动车乱停影响通行'], E0503: ['机动车停放在人行道上'], E0201: ['墙面张贴小广告多处', '电线杆上小广告'],
};

interface Seq { action: string; from: CaseState | null; to: CaseState; hours: number; onTime: boolean | null; passed: boolean | null; by: 'reporter' | 'supervision' | 'command' | 'unit' | 'checker' }

/** The history of a case up to `final`, with each step's duration in hours (wall clock). */
function historyOf(rng: Rng, source: CaseSource, kind: CaseKind, urgency: Urgency, final: CaseState): Seq[] {
  const limit = limitOf(kind, urgency);
  const stretch = limit.roundClock ? 1 : 2.2; // working hours spread over nights and weekends
  const quick = (h: number) => {
    const hours = rng.float(0.1, 1.3) * h * stretch;
    return { hours, onTime: hours <= h * stretch };
  };
  const seq: Seq[] = [{ action: source === 'patrol' ? 'reported' : 'opened', from: null, to: source === 'public' ? 'verifying' : 'filing', hours: 0, onTime: null,
    passed: null, by: 'reporter' }];
  const push = (s: Seq) => seq.push(s);
  if (source === 'public') {
    if (final === 'verifying') return seq;
    const q = quick(stepHours.verifying);
    if (final === 'rejected' && rng.next() < 0.5) {
      push({ action: 'unfounded', from: 'verifying', to: 'rejected', ...q, passed: false, by: 'checker' });
      return seq;
    }
    push({ action: 'verified', from: 'verifying', to: 'filing', ...q, passed: true, by: 'checker' });
  }
  if (final === 'filing') return seq;
  if (final === 'rejected') {
    push({ action: 'refused', from: 'filing', to: 'rejected', ...quick(stepHours.filing), passed: null, by: 'supervision' });
    return seq;
  }
  push({ action: 'filed', from: 'filing', to: 'dispatching', ...quick(stepHours.filing), passed: null, by: 'supervision' });
  if (final === 'dispatching') return seq;
  push({ action: 'dispatched', from: 'dispatching', to: 'handling', ...quick(stepHours.dispatching), passed: null, by: 'command' });
  if (final === 'handling') return seq;
  for (let round = 0; ; round++) {
    const hours = rng.float(0.2, 1.35) * limit.hours * stretch;
    push({ action: 'handled', from: 'handling', to: 'checking', hours, onTime: hours <= limit.hours * stretch, passed: null, by: 'unit' });
    if (final === 'checking') return seq;
    const rework = round === 0 && rng.next() < 0.12;
    push({ action: rework ? 'check-failed' : 'check-passed', from: 'checking', to: rework ? 'handling' : 'closing', ...quick(stepHours.checking),
      passed: !rework, by: 'checker' });
    if (!rework) break;
  }
  if (final === 'closing') return seq;
  push({ action: 'closed', from: 'closing', to: 'closed', ...quick(stepHours.closing), passed: null, by: 'supervision' });
  return seq;
}

interface Worker { id: number; name: string; county: string }

export async function loadCasesDemo({ tx, seed, city, cityCode, password }: DemoContext) {
  const rng = createRng(`${seed}/cityops/cases`);
  const now = Date.now();
  const setup = { tx, actor: systemActor('demo'), now: new Date(now - (DAYS + 1) * 24 * HOUR) };
  await prepareCaseKinds(tx);
  await prepareHotlineCategories(tx);
  const city6 = cityCode.slice(0, 6);
  const counties = city.divisions.filter((d) => d.level === 'county');
  const supervision = await createDepartment(setup, { code: `${city6}-JD`, name: `${city.divisions.find((d) => d.code12 === cityCode)?.name ?? ''}城市管理监督中心`,
    shortName: '监督中心', kind: deskKinds.supervision, divisionCode: cityCode });
  const command = await createDepartment(setup, { code: `${city6}-ZH`, name: `${city.divisions.find((d) => d.code12 === cityCode)?.name ?? ''}城市管理指挥中心`,
    shortName: '指挥中心', kind: deskKinds.command, divisionCode: cityCode });
  const patrolDepts = new Map<string, number>();
  for (const county of counties) {
    const d = await createDepartment(setup, { code: `${county.code12.slice(0, 6)}-XC`, name: `${county.name}城市管理信息采集中心`, shortName: '信息采集中心',
      kind: deskKinds.patrol, divisionCode: county.code12 });
    patrolDepts.set(county.code12, d.id);
  }
  const { rows: departments } = await tx.query<{ id: number; kind: string; divisionCode: string; code: string; name: string }>(
    `SELECT id::int, kind, division_code AS "divisionCode", code, name FROM departments WHERE division_code LIKE $1`, [`${divisionPrefix(cityCode)}%`]);
  const deptOf = (kind: string | null, county: string) => (kind === null ? undefined
    : departments.find((d) => d.kind === kind && d.divisionCode === county) ?? departments.find((d) => d.kind === kind && d.divisionCode === cityCode));
  const gaCounty = `${city6.slice(0, 4)}02000000`;
  const gaUrban = deptOf('urban-management', gaCounty)!;
  const staff = async (username: string, displayName: string, departmentId: number) =>
    (await createStaff(setup, { username, displayName, password, departmentId, roles: ['officer'] })).id;
  const jiandu = { id: Number(await staff('jiandu', '赵明远', supervision.id)), name: '赵明远' };
  const zhihui = { id: Number(await staff('zhihui', '孙晓燕', command.id)), name: '孙晓燕' };
  const caiji = { id: Number(await staff('caiji', '刘建国', patrolDepts.get(gaCounty)!)), name: '刘建国', county: gaCounty };
  await staff('ga_cg', '王志强', gaUrban.id);
  const worker = Number(await staff('ga_cgry', '陈立新', gaUrban.id));

  // Two more patrol workers per county, without a password yet (as the other generated staff).
  const workers: Worker[] = [caiji];
  for (const county of counties) {
    for (let i = 1; i <= 2; i++) {
      const name = personName(rng, i % 2 === 0 ? 'female' : 'male');
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles)
         VALUES ($1, $2, 'staff', '!', $3, $4, '{officer}') RETURNING id::int`,
        [`xc_${county.code12.slice(0, 6)}_${i}`, name, patrolDepts.get(county.code12), county.code12]);
      workers.push({ id: rows[0]!.id, name, county: county.code12 });
    }
  }

  // 派遣目录: every event kind, in each county, to the county's department of its kind (else the city's).
  const kinds = (await listCaseKinds(tx)).filter((k) => k.active);
  const rules = counties.flatMap((county) => kinds.filter((k) => k.type === 'event').flatMap((k) => {
    const d = deptOf(k.departmentKind, county.code12);
    return d ? [{ division: county.code12, kind: k.code, department: d.id }] : [];
  }));
  await tx.query(`INSERT INTO cityops_dispatch_rules (division_code, kind_code, department_id) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
    [rules.map((r) => r.division), rules.map((r) => r.kind), rules.map((r) => r.department)]);

  const grids = city.grids.map((grid) => {
    const ring = grid.geometry.coordinates[0]!;
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    return { grid, county: `${grid.divisionCode12.slice(0, 6)}000000`, box: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as const };
  });
  const gaGrids = grids.filter((g) => g.county === gaCounty);
  const caseKinds = kinds.filter((k) => (kindWeights[k.code] ?? 0) > 0 || k.type === 'event');

  type Plan = { at: number; final: CaseState; grid: (typeof grids)[number]; kind?: CaseKind; source?: CaseSource; reporter?: Worker; checker?: Worker; unit?: number };
  const plans: Plan[] = [];
  for (let i = 0; i < DEMO_CASES; i++) {
    const at = now - rng.float(0, DAYS) * 24 * HOUR;
    const ageDays = (now - at) / (24 * HOUR);
    const final: CaseState = ageDays > 4
      ? rng.weighted<[CaseState, number]>([['closed', 90], ['rejected', 7], ['closing', 1], ['handling', 2]], ([, w]) => w)[0]
      : rng.weighted<[CaseState, number]>([['verifying', 1], ['filing', 2], ['dispatching', 2], ['handling', 4], ['checking', 2], ['closing', 1],
        ['closed', 6], ['rejected', 1]], ([, w]) => w)[0];
    plans.push({ at, final, grid: rng.pick(grids) });
  }
  // Work waiting for each demo login, in 广安区, in the last hours.
  const waiting: [CaseState, Partial<Plan>][] = [
    ['verifying', { source: 'public', checker: caiji }], ['verifying', { source: 'public', checker: caiji }],
    ['checking', { reporter: caiji, checker: caiji }], ['checking', { reporter: caiji, checker: caiji }],
    ['filing', { reporter: caiji }], ['filing', { source: 'patrol' }], ['filing', { source: 'sensor' }],
    ['dispatching', {}], ['dispatching', {}], ['dispatching', {}],
    ['handling', { unit: gaUrban.id }], ['handling', { unit: gaUrban.id }], ['handling', { unit: gaUrban.id }],
    ['closing', {}], ['closing', {}],
  ];
  const urbanEvents = kinds.filter((k) => k.type === 'event' && k.departmentKind === 'urban-management');
  for (const [n, [final, extra]] of waiting.entries())
    plans.push({ at: now - (n + 1) * 0.4 * HOUR, final, grid: rng.pick(gaGrids), kind: rng.pick(urbanEvents), ...extra });
  plans.sort((x, y) => x.at - y.at);

  const { rows: idRows } = await tx.query<{ id: number }>(`SELECT nextval('cityops_cases_id_seq')::int AS id FROM generate_series(1, $1)`, [plans.length]);
  const cols = { id: [] as number[], code: [] as string[], source: [] as string[], kind: [] as string[], urgency: [] as string[], state: [] as string[],
    outcome: [] as (string | null)[], reason: [] as (string | null)[], description: [] as string[], lon: [] as number[], lat: [] as number[],
    grid: [] as string[], division: [] as string[], reporter: [] as string[], reporterUser: [] as (number | null)[], assignee: [] as (number | null)[],
    department: [] as (number | null)[], reply: [] as (string | null)[], rework: [] as number[], stepStarted: [] as Date[], warnAt: [] as (Date | null)[],
    dueAt: [] as (Date | null)[], handleDue: [] as (Date | null)[], rating: [] as (number | null)[], createdAt: [] as Date[], updatedAt: [] as Date[],
    closedAt: [] as (Date | null)[] };
  const ev = { caseId: [] as number[], at: [] as Date[], action: [] as string[], actor: [] as string[], actorName: [] as string[], userId: [] as (number | null)[],
    from: [] as (string | null)[], to: [] as string[], department: [] as (number | null)[], division: [] as string[], onTime: [] as (boolean | null)[],
    passed: [] as (boolean | null)[] };
  const chinaDay = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');

  const calendar = await loadCalendar(tx);
  for (const [i, plan] of plans.entries()) {
    const id = idRows[i]!.id;
    const kind = plan.kind ?? rng.weighted(caseKinds, (k) => kindWeights[k.code] ?? (k.type === 'event' ? 1 : 0.2));
    let source = plan.source ?? rng.weighted(sourceWeights, ([, w]) => w)[0];
    if (plan.final === 'checking' && plan.reporter) source = 'patrol';
    const urgency: Urgency = rng.next() < 0.1 ? 'urgent' : 'normal';
    const { grid, box, county } = plan.grid;
    const localWorkers = workers.filter((w) => w.county === county);
    const reporter = source === 'patrol' ? plan.reporter ?? rng.pick(localWorkers) : undefined;
    const checker = plan.checker ?? reporter ?? rng.pick(localWorkers);
    const unit = plan.unit ?? deptOf(kind.departmentKind, county)?.id ?? gaUrban.id;
    const history = historyOf(rng, source, kind, urgency, plan.final);
    // Recent cases run quicker, so their history ends before now.
    const span = history.reduce((s, h) => s + h.hours, 0) * HOUR;
    const scale = plan.at + span > now - 60_000 ? Math.max(0, (now - 60_000 - plan.at) / Math.max(span, 1)) : 1;
    let t = plan.at;
    let department: number | null = null;
    let rework = 0;
    let handleDue: Date | null = null;
    for (const h of history) {
      t += h.hours * HOUR * scale;
      if (h.action === 'dispatched') department = unit;
      if (h.action === 'check-failed') rework++;
      const who = h.by === 'reporter' ? (reporter ? { ref: `staff:${reporter.id}`, name: reporter.name, user: reporter.id as number | null }
        : { ref: source === 'sensor' ? 'system:sensors' : `staff:${zhihui.id}`, name: source === 'sensor' ? '感知设备' : zhihui.name, user: source === 'sensor' ? null : zhihui.id })
        : h.by === 'supervision' ? { ref: `staff:${jiandu.id}`, name: jiandu.name, user: jiandu.id }
          : h.by === 'command' ? { ref: `staff:${zhihui.id}`, name: zhihui.name, user: zhihui.id }
            : h.by === 'checker' ? { ref: `staff:${checker.id}`, name: checker.name, user: checker.id }
              : { ref: `department:${unit}`, name: departments.find((d) => d.id === unit)?.name ?? '', user: null };
      ev.caseId.push(id); ev.at.push(new Date(t)); ev.action.push(h.action); ev.actor.push(who.ref); ev.actorName.push(who.name); ev.userId.push(who.user);
      ev.from.push(h.from); ev.to.push(h.to); ev.department.push(department); ev.division.push(grid.divisionCode12); ev.onTime.push(h.onTime); ev.passed.push(h.passed);
    }
    const last = history.at(-1)!;
    const state = plan.final;
    const clock = clockFor(calendar, state, kind, urgency, new Date(t));
    if (['handling', 'checking', 'closing', 'closed'].includes(state)) handleDue = clockFor(calendar, 'handling', kind, urgency, new Date(t)).dueAt;
    const ended = state === 'closed' || state === 'rejected';
    const texts = descriptions[kind.code];
    cols.id.push(id); cols.code.push(`${chinaDay(plan.at)}${String(id).padStart(6, '0')}`); cols.source.push(source); cols.kind.push(kind.code);
    cols.urgency.push(urgency); cols.state.push(state);
    cols.outcome.push(state === 'closed' ? 'closed' : state === 'rejected' ? (last.action === 'unfounded' ? 'unfounded' : 'not-filed') : null);
    cols.reason.push(state === 'rejected' ? (last.action === 'unfounded' ? '现场未发现所述问题' : '不符合立案条件') : null);
    cols.description.push(texts ? rng.pick(texts) : `${kind.nameZh}：${kind.filingCondition}`);
    cols.lon.push(Math.round(rng.float(box[0], box[2]) * 1e6) / 1e6); cols.lat.push(Math.round(rng.float(box[1], box[3]) * 1e6) / 1e6);
    cols.grid.push(grid.code); cols.division.push(grid.divisionCode12);
    cols.reporter.push(reporter ? `staff:${reporter.id}` : source === 'sensor' ? 'system:sensors' : `staff:${zhihui.id}`);
    cols.reporterUser.push(reporter?.id ?? null);
    cols.assignee.push(state === 'verifying' || state === 'checking' ? checker.id : null);
    cols.department.push(state === 'dispatching' || state === 'verifying' || state === 'filing' || (state === 'rejected') ? null : department);
    cols.reply.push(['checking', 'closing', 'closed'].includes(state) ? '已到现场处置完毕' : null);
    cols.rework.push(rework); cols.stepStarted.push(new Date(t)); cols.warnAt.push(ended ? null : clock.warnAt); cols.dueAt.push(ended ? null : clock.dueAt);
    cols.handleDue.push(handleDue); cols.rating.push(state === 'closed' && rng.next() < 0.6 ? rng.int(3, 5) : null);
    cols.createdAt.push(new Date(plan.at)); cols.updatedAt.push(new Date(t)); cols.closedAt.push(ended ? new Date(t) : null);
  }
  await tx.query(
    `INSERT INTO cityops_cases (id, code, source, kind_code, urgency, state, outcome, reason, description, lon, lat, grid_code, division_code, reporter,
       reporter_user_id, assignee_user_id, department_id, reply, rework_count, step_started_at, warning_due_at, due_at, handle_due_at, rating, created_at, updated_at,
       closed_at, demo)
     SELECT *, true FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[],
       $11::float8[], $12::text[], $13::text[], $14::text[], $15::bigint[], $16::bigint[], $17::bigint[], $18::text[], $19::int[], $20::timestamptz[],
       $21::timestamptz[], $22::timestamptz[], $23::timestamptz[], $24::int[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[])`,
    [cols.id, cols.code, cols.source, cols.kind, cols.urgency, cols.state, cols.outcome, cols.reason, cols.description, cols.lon, cols.lat, cols.grid,
      cols.division, cols.reporter, cols.reporterUser, cols.assignee, cols.department, cols.reply, cols.rework, cols.stepStarted, cols.warnAt, cols.dueAt,
      cols.handleDue, cols.rating, cols.createdAt, cols.updatedAt, cols.closedAt]);
  await tx.query(
    `INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, user_id, from_state, to_state, department_id, division_code, on_time, passed)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[],
       $11::boolean[], $12::boolean[])`,
    [ev.caseId, ev.at, ev.action, ev.actor, ev.actorName, ev.userId, ev.from, ev.to, ev.department, ev.division, ev.onTime, ev.passed]);
  // Field workers keep seeing the cases they verified or checked.
  await tx.query(
    `UPDATE cityops_cases c SET field_user_ids = ARRAY(SELECT DISTINCT u FROM unnest(array_append(coalesce((SELECT array_agg(e.user_id) FROM cityops_case_events e
         WHERE e.case_id = c.id AND e.action IN ('verified', 'unfounded', 'check-passed', 'check-failed')), '{}'), c.assignee_user_id)) AS u WHERE u IS NOT NULL)
      WHERE c.id = ANY($1::bigint[])`, [cols.id]);
  // The unit's handling worker holds two of the unit's waiting cases (the newest); the third is free to take.
  await tx.query(
    `UPDATE cityops_cases SET worker_user_id = $1 WHERE id IN (SELECT id FROM cityops_cases WHERE id = ANY($2::bigint[]) AND department_id = $3
       AND state = 'handling' ORDER BY created_at DESC LIMIT 2)`, [worker, cols.id, gaUrban.id]);
  const summary = { cases: plans.length, events: ev.caseId.length, dispatchRules: rules.length, patrolWorkers: workers.length };
  await appendToLedger(tx, { actor: systemActor('demo'), action: 'cityops.cases.demo-loaded', object: { type: 'demo', id: seed }, payload: summary, at: new Date(now) });
  return summary;
}

/** Removes the demo's cases, dispatch rules, patrol workers and desks of the city (the demo logins go with the kernel's staff). */
export async function removeCasesDemo({ tx, cityCode }: DemoContext) {
  const under = `${divisionPrefix(cityCode)}%`;
  const count = async (sql: string) => (await tx.query(sql, [under])).rowCount ?? 0;
  return {
    cases: await count('DELETE FROM cityops_cases WHERE division_code LIKE $1'),
    dispatchRules: await count('DELETE FROM cityops_dispatch_rules WHERE division_code LIKE $1'),
  };
}
