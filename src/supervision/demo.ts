/**
 * A month of 七张问题清单 and 督考 in the demo city, made by the module's own commands with their times set
 * back over the last 30 days: problems at every stage of the loop (some overdue, one recurring), tasks
 * closed on time and late, reports with evidence. The 督查室 (市政府督查室, login `duchashi`) has a
 * rectification to accept and a task to close; 广安区民政局 (login `ga_officer`) has a problem to analyse,
 * one to take further and a task to report on.
 */
import { createStaff, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { createRng, type Rng } from '../kernel/demo/index.ts';
import { createDepartment } from '../kernel/org/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { officeKind } from './policy.ts';
import { addStep, analyseProblem, causeCategories, preventProblem, registerProblem, reviewProblem, submitProblem, type ProblemSource } from './problems.ts';
import { assignTask, closeTask, reportTask } from './tasks.ts';

export const leaderLogin = { username: 'duchashi', displayName: '陈立群' };

const DAY = 86_400_000;
// A 1×1 PNG: the evidence files of the demo are pictures of nothing.
const evidence = { name: '整改现场照片.png', contentType: 'image/png' as const,
  data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' };

const problemSeeds: { title: string; description: string; list: string; source: ProblemSource; kind: string; deptKind: string }[] = [
  { title: '老旧小区加装电梯审批慢', description: '群众反映加装电梯审批环节多、周期长，多次来电催办。', list: 'petition', source: 'hotline-category', kind: 'housing-elevator', deptKind: 'housing' },
  { title: '低保资格复核超期', description: '部分低保对象年度复核未在规定时限内完成。', list: 'supervision-check', source: 'inspection', kind: 'civil-aid-review', deptKind: 'civil-affairs' },
  { title: '临时救助资金发放不及时', description: '审计发现临时救助资金拨付平均滞后12个工作日。', list: 'audit', source: 'audit', kind: 'civil-aid-payment', deptKind: 'civil-affairs' },
  { title: '占道经营反复投诉', description: '12345热线显示某街道占道经营诉求本周明显上升。', list: 'petition', source: 'hotline-hotspot', kind: 'street-vendors', deptKind: 'urban-management' },
  { title: '餐饮油烟扰民', description: '居民反映餐饮店油烟直排，夜间噪声扰民。', list: 'eco-environment', source: 'hotline-category', kind: 'restaurant-fumes', deptKind: 'ecology-environment' },
  { title: '建筑工地夜间施工', description: '工地夜间违规施工，周边居民多次投诉。', list: 'eco-environment', source: 'manual', kind: 'night-construction', deptKind: 'housing' },
  { title: '营业执照办理差评', description: '企业开办一件事办理中材料反复补正，收到差评。', list: 'petition', source: 'rating', kind: 'item:business-licence', deptKind: 'market-regulation' },
  { title: '社保卡补换领等候时间长', description: '窗口排队时间超过1小时，群众满意度低。', list: 'petition', source: 'rating', kind: 'item:social-card', deptKind: 'human-resources' },
  { title: '农村公路安全隐患', description: '安全生产检查发现部分农村公路临水临崖路段缺少护栏。', list: 'work-safety', source: 'inspection', kind: 'road-safety', deptKind: 'transport' },
  { title: '供水管网漏损率偏高', description: '审计发现城区供水管网漏损率高于国家标准。', list: 'audit', source: 'audit', kind: 'water-loss', deptKind: 'water' },
  { title: '巡察反馈：惠民资金公示不全', description: '巡察发现部分惠民惠农资金未按要求公示。', list: 'inspection-tour', source: 'inspection', kind: 'subsidy-publicity', deptKind: 'civil-affairs' },
  { title: '网络舆情：学校周边交通拥堵', description: '网民反映上下学时段学校周边交通拥堵。', list: 'public-opinion', source: 'manual', kind: 'school-traffic', deptKind: 'transport' },
  { title: '燃气安全检查不到位', description: '安全生产专项检查发现部分餐饮场所燃气报警器缺失。', list: 'work-safety', source: 'inspection', kind: 'gas-safety', deptKind: 'emergency-management' },
  { title: '医保报销材料要求不一', description: '群众反映同一事项不同窗口要求的材料不一致。', list: 'supervision-check', source: 'manual', kind: 'medical-claim-materials', deptKind: 'medical-security' },
];

/** Where each problem ends: how far the loop has gone (0 registered … 6 closed) and how many working days it had. */
const stages = [6, 6, 5, 4, 3, 3, 2, 1, 0, 6, 1, 3, 2, 1];

const taskSeeds: { title: string; detail: string; deptKind: string; dueDays: number; milestones: string[] }[] = [
  { title: '城市内涝点整治', detail: '完成城区12处易涝点改造，汛前全部完工。', deptKind: 'housing', dueDays: 20, milestones: ['完成排查建档', '完成工程招标'] },
  { title: '养老服务设施建设', detail: '新建社区养老服务站5个。', deptKind: 'civil-affairs', dueDays: 25, milestones: ['选址确定'] },
  { title: '营商环境问题整改', detail: '对企业反映的审批难点逐项销号。', deptKind: 'market-regulation', dueDays: 15, milestones: [] },
  { title: '农村饮水安全巩固提升', detail: '完成3个乡镇供水管网改造。', deptKind: 'water', dueDays: 22, milestones: ['管材采购完成'] },
  { title: '背街小巷环境整治', detail: '整治背街小巷20条，建立长效管护机制。', deptKind: 'urban-management', dueDays: 12, milestones: [] },
  { title: '就业困难人员帮扶', detail: '帮扶就业困难人员300人实现就业。', deptKind: 'human-resources', dueDays: 18, milestones: ['摸底建立台账'] },
  { title: '道路交通安全隐患排查', detail: '排查整治国省道交通安全隐患点位。', deptKind: 'transport', dueDays: 10, milestones: [] },
  { title: '困难群众冬季救助', detail: '做好困难群众冬季取暖和基本生活保障。', deptKind: 'civil-affairs', dueDays: 8, milestones: ['发放方案印发'] },
];

/** Where each task ends: 0 assigned, 1 progress reported, 2 reported done, 3 closed. */
const taskStages = [3, 2, 3, 1, 3, 0, 3, 1, 1, 0];

/** Tasks for the departments of demo logins outside 广安区, so that each finds one waiting (by login). */
const loginTaskSeeds: (Omit<(typeof taskSeeds)[number], 'deptKind'> & { login: string })[] = [
  { title: '特困供养人员冬季走访', detail: '对全县特困供养人员逐户走访，核实生活保障和取暖情况，建立问题台账。', login: 'yc_officer', dueDays: 14,
    milestones: ['完成走访名单'] },
  { title: '12345热线高峰时段接通率提升', detail: '优化早晚高峰排班和智能分流，工作日高峰时段接通率达到90%以上。', login: 'hotline', dueDays: 10, milestones: [] },
];

interface Dept { id: number; kind: string; divisionCode: string; staffName: string }

const as = (name: string, departmentId: number | null = null): Actor => ({ ...systemActor('demo'), name, departmentId });

export async function loadSupervisionDemo({ tx, seed, cityCode, password }: DemoContext) {
  const rng = createRng(`${seed}/supervision`);
  const now = Date.now();
  const setup: Ctx = { tx, actor: systemActor('demo'), now: new Date(now - 31 * DAY) };
  const office = await createDepartment(setup, { code: `${cityCode.slice(0, 6)}-DC`, name: '市政府督查室', shortName: '督查室', kind: officeKind, divisionCode: cityCode });
  await createStaff(setup, { username: leaderLogin.username, displayName: leaderLogin.displayName, password, departmentId: office.id, roles: ['inspector'] });
  const leader = as(leaderLogin.displayName, office.id);

  // The departments of 广安区 (the demo officer's county), each with a member of staff to act for it.
  const { rows: depts } = await tx.query<Dept>(
    `SELECT DISTINCT ON (d.kind) d.id::int, d.kind, d.division_code AS "divisionCode", u.display_name AS "staffName"
       FROM departments d JOIN users u ON u.department_id = d.id AND u.kind = 'staff'
      WHERE d.division_code LIKE $1 ORDER BY d.kind, (u.username = 'ga_officer') DESC, u.id`, ['511602%']);
  const deptOf = new Map(depts.map((d) => [d.kind, d]));
  const { rows: lists } = await tx.query<{ id: number; code: string }>('SELECT id, code FROM supervision_lists WHERE builtin');
  const listOf = new Map(lists.map((l) => [l.code, l.id]));

  let problems = 0;
  for (const [i, p] of problemSeeds.entries()) {
    const dept = deptOf.get(p.deptKind);
    if (!dept) continue;
    const stage = stages[i]!;
    let t = now - rng.int(12, 30) * DAY;
    const step = (min: number, max: number) => (t = Math.min(now - DAY / 2, t + rng.int(min, max) * DAY));
    const officer = as(dept.staffName, dept.id);
    const created = await registerProblem({ tx, actor: leader, now: new Date(t) }, {
      source: p.source, sourceRef: p.source === 'manual' ? null : `demo:${i}`, title: p.title, description: p.description, listId: listOf.get(p.list)!,
      departmentId: dept.id, divisionCode: dept.divisionCode, kind: p.kind, dueDays: stage === 1 || stage === 3 ? rng.int(3, 6) : rng.int(10, 20),
    });
    problems++;
    const octx = (): Ctx => ({ tx, actor: officer, now: new Date(step(1, 3)) });
    if (stage >= 1) await analyseProblem(octx(), { id: created.id, whys: whysFor(rng), causeCategory: rng.pick(causeCategories), rootCause: '制度执行不到位，缺少闭环跟踪机制' });
    if (stage >= 2) await addStep(octx(), { id: created.id, description: '制定整改方案，明确责任人和时限，已完成现场整改', attachments: [evidence] });
    if (stage >= 3) await submitProblem(octx(), { id: created.id, note: '整改措施已全部落实，请予验收' });
    if (stage >= 5) await reviewProblem({ tx, actor: leader, now: new Date(step(1, 2)) }, { id: created.id, accepted: true, note: '现场核查属实，同意销号' });
    if (stage >= 6) await preventProblem(octx(), { id: created.id, kind: rng.pick(['rule', 'check', 'item'] as const), description: '建立月度回头看机制', everyDays: 20 });
  }
  // The same kind of problem again in the same area, after the first was closed: flagged as a recurrence.
  const again = problemSeeds[0]!;
  const housing = deptOf.get(again.deptKind);
  if (housing) {
    await registerProblem({ tx, actor: leader, now: new Date(now - 2 * DAY) }, {
      source: 'hotline-category', sourceRef: 'demo:recurrence', title: `${again.title}（复发）`, description: again.description, listId: listOf.get(again.list)!,
      departmentId: housing.id, divisionCode: housing.divisionCode, kind: again.kind, dueDays: 10 });
    problems++;
  }

  const { rows: loginDepts } = await tx.query<Dept & { login: string }>(
    `SELECT u.username AS login, d.id::int, d.kind, d.division_code AS "divisionCode", u.display_name AS "staffName"
       FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = ANY($1)`, [loginTaskSeeds.map((t) => t.login)]);
  const seeds = [...taskSeeds.map((t) => ({ ...t, dept: deptOf.get(t.deptKind) })),
    ...loginTaskSeeds.map((t) => ({ ...t, dept: loginDepts.find((d) => d.login === t.login) }))];

  let tasks = 0;
  for (const [i, s] of seeds.entries()) {
    const dept = s.dept;
    if (!dept) continue;
    const stage = taskStages[i]!;
    let t = now - rng.int(15, 30) * DAY;
    const officer = as(dept.staffName, dept.id);
    const task = await assignTask({ tx, actor: leader, now: new Date(t) }, {
      title: s.title, detail: s.detail, departmentId: dept.id, dueDays: s.dueDays, milestones: s.milestones.map((title, k) => ({ title, dueDays: Math.ceil((s.dueDays * (k + 1)) / (s.milestones.length + 1)) })),
    });
    tasks++;
    const later = (min: number, max: number) => new Date(t = Math.min(now - DAY / 2, t + rng.int(min, max) * DAY));
    if (stage >= 1) await reportTask({ tx, actor: officer, now: later(3, 6) }, { id: task.id, text: '已完成前期摸排，正在按计划推进', progress: 40,
      milestoneId: task.milestones[0]?.id, completes: false, attachments: [evidence] });
    if (stage >= 2) await reportTask({ tx, actor: officer, now: later(4, 10) }, { id: task.id, text: '各项任务已完成，请督查室审核办结', progress: 100, completes: true, attachments: [evidence] });
    if (stage >= 3) await closeTask({ tx, actor: leader, now: later(1, 2) }, { id: task.id, accepted: true, note: '经核查，任务完成，同意办结' });
  }
  return { supervisionProblems: problems, supervisionTasks: tasks };
}

function whysFor(rng: Rng): string[] {
  const all = ['为什么群众反复反映？因为问题未彻底解决', '为什么未彻底解决？因为整改只针对个案', '为什么只针对个案？因为缺少举一反三的要求',
    '为什么缺少要求？因为制度未明确', '为什么制度未明确？因为职责边界不清'];
  return all.slice(0, rng.int(3, 5));
}

/** Removes the module's rows of the city; its office and login go with the city's departments and staff. */
export async function removeSupervisionDemo({ tx, cityCode }: DemoContext) {
  const under = `${divisionPrefix(cityCode)}%`;
  const deleted = async (sql: string) => (await tx.query(sql, [under])).rowCount ?? 0;
  return {
    problems: await deleted(`DELETE FROM supervision_problems WHERE division_code LIKE $1`),
    tasks: await deleted(`DELETE FROM supervision_tasks WHERE division_code LIKE $1`),
    weights: await deleted(`DELETE FROM supervision_weights WHERE division_code LIKE $1`),
    lists: await deleted(`DELETE FROM supervision_lists WHERE division_code LIKE $1`),
  };
}
