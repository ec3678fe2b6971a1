/**
 * Demo data of 一网通办 for 广安区: the 1,135 real items of its catalogue (src/kernel/demo/data/service-items-511602.csv)
 * under the demo departments of their kind; about fifty of them with a guide, a form, materials and time
 * limits in the shape of 四川 guides (demo values: the source has none); and a few thousand applications
 * in every state over the last weeks, with ratings and rectification tasks. Written in bulk statements
 * (the demo must load in seconds) and recorded as one ledger entry. Deterministic from the seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { definePredicate, findPredicate } from '../hub/index.ts';
import { residentIdCheckChar } from '../kernel/checks/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { createRng, personName, type Rng } from '../kernel/demo/index.ts';
import { numberInBulk } from './applications.ts';
import { connectDepartmentToHub } from './exchange.ts';
import { evaluatePolicy, savePolicy, type PolicyInput } from './benefits.ts';
import { defaultSteps, kindOfTaskType, type ItemKind, type Material, type Step } from './items.ts';

const itemsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../kernel/demo/data/service-items-511602.csv');
const county = '511602';

/** The demo department kind that holds each source department's items (others go to the 政数局). */
const kindOfSource: Record<string, string> = {
  区行政审批局: 'SP', 区人社局: 'RS', 区交通运输局: 'JT', 区住建局: 'ZJ', 区自然资源和规划局: 'ZR', 区林业局: 'ZR', 区公安分局: 'GA',
  区医疗保障局: 'YB', 区教科体局: 'JY', 区卫健局: 'WJ', 区民政局: 'MZ', 区残联: 'MZ', 区退役军人事务局: 'MZ', 区市监局: 'SJ',
  区生态环境局: 'HJ', 区水务局: 'SW', 区应急管理局: 'YJ', 区综合执法局: 'CG',
};

/** Life events found from words of the item's name. */
const eventWords: [string, RegExp][] = [
  ['birth', /出生|生育|新生儿|母婴|独生子女/],
  ['school', /入学|学生|学校|助学|幼儿园|教师资格/],
  ['employment', /就业|失业|求职|职业|技能|见习|创业/],
  ['business', /企业|公司|个体工商|食品|经营许可|营业|开办/],
  ['retirement', /退休|养老|高龄|老年/],
  ['marriage', /婚/],
  ['residence', /户口|户籍|居住证|身份证/],
  ['housing', /住房|公积金|不动产|房屋|维修资金|物业/],
  ['transport', /道路|车辆|驾驶|运输|船舶|出租汽车/],
  ['health', /医疗|医保|诊所|医师|执业|健康|疫苗/],
  ['social-aid', /救助|低保|残疾|特困|优抚|困难|补贴|津贴/],
];
const eventsOf = (name: string) => eventWords.filter(([, words]) => words.test(name)).map(([event]) => event).slice(0, 3);

/** Items the walkthroughs use, with what they need beyond the common guide. */
const featured: Record<string, { credential?: string; conditions?: { text: string; predicate?: string }[]; countersign?: boolean }> = {
  // the walkthrough's item: 广安区民政局, issues a marriage certificate; men's age (22) is checked by the registrar
  中国内地公民婚姻登记: { credential: 'marriage-certificate', conditions: [{ text: '达到法定婚龄（女年满20周岁、男年满22周岁）', predicate: 'age-over-20' }] },
  居住证办理: { credential: 'residence-certificate', conditions: [{ text: '申领人年满16周岁', predicate: 'age-over-16' }] },
  个人独资企业设立登记: { credential: 'business-licence', conditions: [{ text: '投资人为具有完全民事行为能力的自然人（年满18周岁）', predicate: 'age-over-18' }] },
  '80周岁以上老年人高龄津贴发放': { conditions: [{ text: '年满80周岁', predicate: 'age-over-80' }, { text: '具有广安区户籍', predicate: 'resident-guang-an' }] },
  失业保险稳岗返还申领: {},
  临时救助: { countersign: true },
  // the walkthrough's item: 广安区民政局, no upload required, decided by one officer
  困难残疾人生活补贴: {},
};

/**
 * Items whose decision pays a benefit (补贴, 津贴, 救助, 抚恤金, 返还 …), and what one approval of them usually pays in
 * 元: demo values of the order 四川's standards (a year of 高龄津贴 or 残疾人补贴, a 临时救助 grant, a lump sum).
 * Lookups, queries and filings of the same words pay nothing.
 */
const typicalPayments: [RegExp, number][] = [
  [/临时救助/, 2000], [/高龄津贴/, 600], [/残疾人(护理|生活)补贴/, 960], [/抚恤金|补助金/, 20000], [/稳岗返还/, 8000],
  [/补贴|津贴|补助|资助/, 1500],
];
const paysNothing = /查询|咨询|备案|审核|维护|关系/;
const typicalPayment = (name: string) => (paysNothing.test(name) ? undefined : typicalPayments.find(([words]) => words.test(name))?.[1]);

interface SourceItem { department: string; main_item: string; name: string; itemCode: string; taskType: string }

/**
 * The share of each kind of item done fully online (全程网办): most public services and benefits, fewer
 * licences and rulings, which need a site inspection or a hearing. Demo values, of the order 四川 reports.
 */
const fullyOnlineShare: Record<ItemKind, number> = {
  'public-service': 0.9, benefit: 0.85, confirmation: 0.8, licence: 0.65, reward: 0.6, 'other-power': 0.6, ruling: 0.3,
};

const statutoryOf: Record<ItemKind, [number, number]> = {
  licence: [20, 5], benefit: [20, 10], confirmation: [20, 5], reward: [30, 15], ruling: [60, 30], 'other-power': [20, 10], 'public-service': [10, 3],
};

/** The form of a featured item: who applies (prefilled from the hub where the item says so) and what for. */
function formFor(name: string, events: string[]) {
  const properties: Record<string, object> = {
    applicantName: { type: 'string', title: '申请人姓名', minLength: 2, maxLength: 20 },
    idNumber: { type: 'string', title: '公民身份号码', pattern: '^[0-9]{17}[0-9X]$' },
    phone: { type: 'string', title: '联系电话', pattern: '^1[3-9][0-9]{9}$' },
    address: { type: 'string', title: '现居住地址', minLength: 4, maxLength: 200 },
  };
  if (events.includes('business')) properties.companyName = { type: 'string', title: '拟设立名称', minLength: 2, maxLength: 60 };
  if (events.includes('marriage')) properties.partnerName = { type: 'string', title: '另一方姓名', minLength: 2, maxLength: 20 };
  properties.reason = { type: 'string', title: `${name.slice(0, 20)}申请事由`, minLength: 2, maxLength: 500 };
  return { type: 'object', required: Object.keys(properties), properties };
}

function guideFor(item: { name: string; department: string }, kind: ItemKind, days: [number, number], materials: Material[], conditions: { text: string }[]) {
  return [
    `一、事项名称：${item.name}`,
    `二、实施主体：广安市广安区${item.department.replace(/^区|^广安区/, '')}`,
    `三、办理条件：${conditions.map((c, i) => `${i + 1}. ${c.text}`).join('；')}`,
    `四、申请材料：${materials.map((m, i) => `${i + 1}. ${m.name}${m.replacedBy ? '（免提交，由共享数据或电子证照替代）' : ''}`).join('；')}`,
    `五、办理流程：网上申请 → 受理 → 审查 → 决定 → 办结送达`,
    `六、办理时限：法定 ${days[0]} 个工作日，承诺 ${days[1]} 个工作日（演示数据）`,
    `七、收费标准：不收费`,
    `八、咨询方式：12345 政务服务便民热线；${kind === 'licence' ? '结果以电子证照方式送达' : '结果通过网上办事大厅告知'}`,
  ].join('\n');
}

export interface ServicesDemoSummary {
  items: number; featured: number; applications: number; ratings: number; rectifications: number; systems: number; offers: number; granted: number;
}

const demoActor = systemActor('demo');
/** The hub demo's registers the services read: people (人口基本信息) and firms (企业登记信息). */
const people = 'A01-0001-0001-0001';
const firms = 'A02-0001-0001-0001';
/** 人口库's golden records: read first where the library has the person (the base libraries connect the items' departments when set up). */
const goldenPeople = 'A15-0099-0001-0001';

/** The questions the demo's conditions and policies ask: over the people register, and the firms' age. */
const demoPredicates: Parameters<typeof definePredicate>[1][] = [
  { code: 'age-over-18', name: '年满18周岁', resource: people, field: 'birth_date', operator: 'age_at_least', param: '18' },
  { code: 'age-over-16', name: '年满16周岁', resource: people, field: 'birth_date', operator: 'age_at_least', param: '16' },
  { code: 'age-over-20', name: '年满20周岁', resource: people, field: 'birth_date', operator: 'age_at_least', param: '20' },
  { code: 'age-over-80', name: '年满80周岁', resource: people, field: 'birth_date', operator: 'age_at_least', param: '80' },
  { code: 'resident-guang-an', name: '广安区户籍', resource: people, field: 'division_code', operator: 'equals_prefix', param: county },
  { code: 'firm-older-than-1y', name: '成立满1年', resource: firms, field: 'registered_on', operator: 'age_at_least', param: '1' },
];

/**
 * Connects the departments of the featured items to the hub (a 一网通办 system each, granted the applicant's
 * name and ID and the predicates their conditions ask), maps the forms' applicant fields to the people
 * register, and sets up and evaluates the two demo policies of 不来即享. As in a city some weeks into use,
 * this happened before the demo's applications, and each policy ran on a day of its own, not all today.
 */
async function linkToHub(today: Ctx, featuredItems: { id: number; name: string; department: { id: number; code: string }; conditions: { predicate?: string }[] }[]) {
  const daysBefore = (days: number): Ctx => ({ ...today, now: new Date(today.now.getTime() - days * 86_400_000) });
  const ctx = daysBefore(80);
  for (const predicate of demoPredicates) if (!(await findPredicate(ctx.tx, predicate.code))) await definePredicate(ctx, predicate);
  const itemNamed = (name: string) => featuredItems.find((i) => i.name === name)!;
  const inCounty = [{ field: 'division_code', op: 'prefix' as const, value: county }];
  // What each grant pays, demo figures near the items' usual approvals: 高龄津贴 of 100 元 a month for those
  // over 80, paid half-yearly (600 元); a new small firm's 稳岗返还, 60% of a year's unemployment insurance paid
  // by an employer of about twenty (3000 元).
  const policies: PolicyInput[] = [
    { code: 'elderly-allowance', name: '高龄津贴主动发放', description: '广安区户籍、年满80周岁的老年人，系统比对后主动推送，一键确认即可领取（每月100元，每半年发放一次）',
      itemId: itemNamed('80周岁以上老年人高龄津贴发放').id, automatic: false, active: true, amount: 600 * 100,
      rules: [{ predicate: 'age-over-80', expect: true, filter: inCounty }, { predicate: 'resident-guang-an', expect: true, filter: inCounty }] },
    { code: 'new-firm-retention', name: '新设小微企业稳岗返还（免申即享）', description: '广安区成立未满1年的存续企业，无需申请，直接拨付',
      itemId: itemNamed('失业保险稳岗返还申领').id, automatic: true, active: true, amount: 3000 * 100,
      rules: [{ predicate: 'firm-older-than-1y', expect: false, filter: [...inCounty, { field: 'state', op: 'eq', value: '存续' }] }] },
  ];
  // A department asks the hub what its items' conditions and its policies' rules ask, under grants.
  const resourceOf = (predicate: string) => demoPredicates.find((p) => p.code === predicate)!.resource;
  const byDepartment = new Map<number, { code: string; asks: Map<string, string> }>();
  const asks = (department: { id: number; code: string }, predicate: string, resource: string) => {
    const entry = byDepartment.get(department.id) ?? { code: department.code, asks: new Map<string, string>() };
    entry.asks.set(predicate, resource);
    byDepartment.set(department.id, entry);
  };
  for (const item of featuredItems) {
    for (const c of item.conditions) if (c.predicate) asks(item.department, c.predicate, resourceOf(c.predicate));
  }
  for (const policy of policies)
    for (const rule of policy.rules) asks(featuredItems.find((i) => i.id === policy.itemId)!.department, rule.predicate, resourceOf(rule.predicate));
  const { rows: names } = await ctx.tx.query<{ id: number; name: string }>('SELECT id, name FROM departments WHERE id = ANY($1)', [[...byDepartment.keys()]]);
  for (const [departmentId, { code, asks }] of byDepartment)
    await connectDepartmentToHub(ctx, {
      departmentId, systemCode: `${code}-YWTB`, systemName: `${names.find((n) => n.id === departmentId)!.name}一网通办受理系统`,
      reads: [{ resource: people, fields: ['id_number', 'name'] }], asks: [...asks].map(([predicate, resource]) => ({ resource, predicate })),
    });
  await ctx.tx.query(`UPDATE services_items SET prefill = $2 WHERE id = ANY($1)`, [featuredItems.map((i) => i.id), JSON.stringify([
    { field: 'applicantName', resource: goldenPeople, resourceField: 'name' }, { field: 'idNumber', resource: goldenPeople, resourceField: 'id_number' },
    { field: 'applicantName', resource: people, resourceField: 'name' }, { field: 'idNumber', resource: people, resourceField: 'id_number' }])]);

  let offers = 0;
  let granted = 0;
  for (const [i, policy] of policies.entries()) {
    const id = (await savePolicy(daysBefore(40 - 10 * i), policy)).id;
    const result = await evaluatePolicy(daysBefore(30 - 16 * i), { id });
    offers += result.offered;
    granted += result.granted;
  }
  return { systems: byDepartment.size, offers, granted };
}

/** Loads the services demo for the demo city; the departments of 广安区 must exist. */
export async function loadServicesDemo(tx: Tx, opts: { seed: string; now?: Date }): Promise<ServicesDemoSummary> {
  const rng = createRng(`${opts.seed}/services`);
  const now = opts.now ?? new Date();
  const source = parse(fs.readFileSync(itemsFile, 'utf8'), { columns: true, skip_empty_lines: true }) as SourceItem[];
  const { rows: departments } = await tx.query<{ id: number; code: string; divisionCode: string }>(
    `SELECT id, code, division_code AS "divisionCode" FROM departments WHERE code LIKE $1`, [`${county}-%`]);
  const departmentOf = new Map(departments.map((d) => [d.code.slice(7), d]));

  // Up to five items a life event get the full treatment, and every featured item.
  const perEvent = new Map<string, number>();
  const items = source.map((s) => {
    const kind = kindOfTaskType(Number(s.taskType)) ?? 'other-power';
    const events = eventsOf(s.name);
    const special = featured[s.name];
    const full = special !== undefined || (events.length > 0 && (perEvent.get(events[0]!) ?? 0) < 5 && ['licence', 'benefit', 'confirmation', 'public-service'].includes(kind));
    if (full && events[0]) perEvent.set(events[0], (perEvent.get(events[0]) ?? 0) + 1);
    // Applied for online from start to end (a form and a guide, no visit), or listed and done at the window.
    const fully = full || rng.next() < fullyOnlineShare[kind];
    const department = departmentOf.get(kindOfSource[s.department] ?? 'ZS')!;
    const days = statutoryOf[kind];
    const conditions = special?.conditions ?? [{ text: '申请人为具有完全民事行为能力的自然人或依法设立的组织' }];
    const materials: Material[] = fully
      ? [{ name: '居民身份证', form: 'original', required: true, replacedBy: { kind: 'hub', ref: '人口基本信息' } },
        ...(special?.credential === 'business-licence' ? [{ name: '住所（经营场所）使用证明', form: 'copy' as const, required: true }] : []),
        { name: '其他证明材料', form: 'electronic', required: false }]
      : [];
    const steps: Step[] = special?.countersign
      ? [defaultSteps[0]!, defaultSteps[1]!, { ...defaultSteps[2]!, countersign: true }] : defaultSteps;
    return {
      code: s.itemCode, name: s.name, kind, group: s.main_item === '未分类' ? null : s.main_item, department,
      body: `广安市广安区${s.department.replace(/^区|^广安区/, '')}`, events, full, fully, conditions, materials, steps,
      statutory: days[0], committed: days[1], credential: special?.credential ?? null,
      form: fully ? formFor(s.name, events) : null,
      guide: fully ? guideFor(s, kind, days, materials, conditions) : '',
      visits: fully ? 0 : 1,
      payment: typicalPayment(s.name),
    };
  });

  const { rows: saved } = await tx.query<{ id: number; code: string }>(
    `INSERT INTO services_items (code, name, kind, item_group, department_id, division_code, implementing_body, level, legal_basis,
       conditions, materials, statutory_days, committed_days, visits, fully_online, steps, life_events, form_schema,
       issues_credential_type, guide, amount_kind)
     SELECT code, name, kind, item_group, department_id, division_code, body, 'county', '', conditions, materials, statutory, committed,
            visits, fully, steps, string_to_array(events, ','), form, credential, guide, CASE WHEN pays THEN 'benefit' END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[],
                   $10::int[], $11::int[], $12::int[], $13::boolean[], $14::jsonb[], $15::text[], $16::json[], $17::text[], $18::text[],
                   $19::boolean[])
         AS t (code, name, kind, item_group, department_id, division_code, body, conditions, materials, statutory, committed, visits, fully,
               steps, events, form, credential, guide, pays)
     RETURNING id, code`,
    [items.map((i) => i.code), items.map((i) => i.name), items.map((i) => i.kind), items.map((i) => i.group),
      items.map((i) => i.department.id), items.map((i) => i.department.divisionCode), items.map((i) => i.body),
      items.map((i) => JSON.stringify(i.conditions)), items.map((i) => JSON.stringify(i.materials)), items.map((i) => i.statutory),
      items.map((i) => i.committed), items.map((i) => i.visits), items.map((i) => i.fully), items.map((i) => JSON.stringify(i.steps)),
      items.map((i) => i.events.join(',')), items.map((i) => (i.form ? JSON.stringify(i.form) : null)), items.map((i) => i.credential),
      items.map((i) => i.guide), items.map((i) => i.payment !== undefined)]);
  const idOf = new Map(saved.map((s) => [s.code, s.id]));
  // Applications go to the items applied for online; those the walkthroughs show are the busiest.
  const applied = items.filter((i) => i.fully && !featured[i.name]?.conditions?.some((c) => c.predicate));

  const applications = await insertApplications(tx, rng, now, applied.map((i) => ({ ...i, id: idOf.get(i.code)! })));
  const hub = await linkToHub({ tx, actor: demoActor, now }, items.filter((i) => i.full).map((i) => ({ ...i, id: idOf.get(i.code)! })));
  const summary = { items: items.length, featured: items.filter((i) => i.full).length, ...applications, ...hub };
  await appendToLedger(tx, { actor: demoActor, action: 'services.demo.loaded', payload: summary, at: now });
  return summary;
}

interface DemoItem {
  id: number; name: string; full: boolean; statutory: number; committed: number; department: { id: number; divisionCode: string }; events: string[];
  /** what an approval usually pays, in 元 (items that pay a benefit) */
  payment?: number;
}

const stateShares: [string, number][] = [
  ['finished', 62], ['submitted', 8], ['accepted', 12], ['correction', 5], ['approved', 4], ['refused', 1], ['rejected', 3], ['draft', 5],
];

/** What each demo citizen has done a month into use (我的办事): finished cases, one refused, others under way. */
const citizenStates = ['finished', 'finished', 'finished', 'rejected', 'accepted', 'correction', 'submitted', 'draft'];

/** Applications of window visitors, of people online and of the demo citizens, with history, ratings and rectification tasks. */
async function insertApplications(tx: Tx, rng: Rng, now: Date, items: DemoItem[]) {
  const calendar = await loadCalendar(tx);
  const { rows: citizens } = await tx.query<{ id: number; name: string; idNumber: string; username: string }>(
    `SELECT id, display_name AS name, id_number AS "idNumber", username FROM users WHERE kind = 'citizen' AND username LIKE 'citizen%' ORDER BY username`);
  const count = 3000;
  // The first of them are the demo citizens' own, each a few in every state; people without a demo login make the rest.
  const own = citizens.flatMap((citizen) => citizenStates.map((state) => ({ citizen, state })));
  const rows = Array.from({ length: count }, (_, n) => {
    const item = rng.weighted(items, (i) => (i.full ? 15 : 1));
    const state = own[n]?.state ?? rng.weighted(stateShares, ([, w]) => w)[0];
    const channel = own[n] ? rng.pick(['web', 'app'] as const) : rng.weighted([['window', 45], ['web', 30], ['app', 25]] as const, ([, w]) => w)[0];
    const citizen = own[n]?.citizen ?? null;
    const birth = `${rng.int(1945, 2004)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
    const first17 = `${county}${birth}${String(rng.int(0, 999)).padStart(3, '0')}`;
    const submittedAt = new Date(now.getTime() - rng.int(1, 75) * 86_400_000 - rng.int(0, 8) * 3_600_000);
    const statutoryDue = calendar.addWorkingDays(submittedAt, item.statutory).due;
    const committedDue = calendar.addWorkingDays(submittedAt, item.committed).due;
    const ended = state === 'finished' || state === 'rejected';
    // Most cases finish well inside the committed time, a few run over it.
    const used = Math.max(0, Math.round(item.committed * rng.float(0.2, rng.next() < 0.06 ? 1.6 : 0.95)));
    let finishedAt = ended ? calendar.addWorkingDays(submittedAt, used).due : null;
    if (finishedAt && finishedAt > now) finishedAt = now;
    const open = !ended && state !== 'draft';
    return {
      item, state, channel, citizen, name: citizen?.name ?? personName(rng), idNumber: citizen?.idNumber ?? first17 + residentIdCheckChar(first17),
      submittedAt: state === 'draft' ? null : submittedAt, statutoryDue: state === 'draft' || state === 'correction' ? null : statutoryDue,
      committedDue: state === 'draft' || state === 'correction' ? null : committedDue, finishedAt,
      actualDays: finishedAt ? Math.max(0, calendar.workingDaysBetween(submittedAt, finishedAt)) : null,
      overdue: (open && committedDue < now) || (finishedAt !== null && finishedAt > committedDue),
      stepIndex: state === 'accepted' ? rng.int(1, 2) : state === 'submitted' || state === 'draft' ? 0 : 2,
      // An approval of a paying item pays about its usual amount, in whole 元, stored in 分.
      amount: item.payment !== undefined && (state === 'approved' || state === 'finished') ? Math.round(item.payment * rng.float(0.6, 1.5)) * 100 : null,
      created: new Date(submittedAt.getTime() - 3_600_000),
    };
  });
  const { rows: ids } = await tx.query<{ id: number }>(
    `INSERT INTO services_applications (item_id, applicant_id, applicant_name, applicant_id_number, channel, department_id, division_code,
       state, form, step_index, pauses, correction_note, resume_state, submitted_at, statutory_days, committed_days, statutory_due, committed_due,
       finished_at, actual_days, overdue, escalated_at, reason, created_at, updated_at, amount)
     SELECT item_id, applicant_id, name, id_number, channel, department_id, division_code, state,
            jsonb_build_object('applicantName', name, 'idNumber', id_number), step_index,
            CASE WHEN state = 'correction' THEN jsonb_build_array(jsonb_build_object('from', submitted_at + interval '1 day')) ELSE '[]' END,
            CASE WHEN state = 'correction' THEN '请补充上传其他证明材料（清晰扫描件）' END,
            CASE WHEN state = 'correction' THEN 'accepted' END,
            submitted_at, statutory, committed, statutory_due, committed_due, finished_at, actual_days, overdue,
            CASE WHEN overdue AND finished_at IS NULL THEN committed_due END,
            CASE WHEN state IN ('refused', 'rejected') THEN '不符合申请条件' END, created, coalesce(finished_at, submitted_at, created), amount
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::int[],
                   $10::timestamptz[], $11::int[], $12::int[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::int[],
                   $17::boolean[], $18::timestamptz[], $19::int[])
         AS t (item_id, applicant_id, name, id_number, channel, department_id, division_code, state, step_index, submitted_at, statutory,
               committed, statutory_due, committed_due, finished_at, actual_days, overdue, created, amount)
     RETURNING id`,
    [rows.map((r) => r.item.id), rows.map((r) => r.citizen?.id ?? null), rows.map((r) => r.name), rows.map((r) => r.idNumber),
      rows.map((r) => r.channel), rows.map((r) => r.item.department.id), rows.map((r) => r.item.department.divisionCode),
      rows.map((r) => r.state), rows.map((r) => r.stepIndex), rows.map((r) => r.submittedAt), rows.map((r) => r.item.statutory),
      rows.map((r) => r.item.committed), rows.map((r) => r.statutoryDue), rows.map((r) => r.committedDue), rows.map((r) => r.finishedAt),
      rows.map((r) => r.actualDays), rows.map((r) => r.overdue), rows.map((r) => r.created), rows.map((r) => r.amount)]);
  await numberInBulk(tx, ids.map((r) => r.id));
  // History: submission, then 受理 and the end where the case got that far.
  await tx.query(
    `INSERT INTO services_application_steps (application_id, at, action, step_key, actor_id, actor_name, department_id, from_state, to_state, note)
     SELECT a.id, a.submitted_at, 'services.application.submitted', NULL, 'system:demo', a.applicant_name, NULL, 'draft', 'submitted', NULL
       FROM services_applications a WHERE a.id = ANY($1) AND a.submitted_at IS NOT NULL
     UNION ALL
     SELECT a.id, a.submitted_at + interval '2 hours', 'services.application.accepted', 'accept', 'system:demo', '窗口工作人员', a.department_id,
            'submitted', 'accepted', NULL
       FROM services_applications a WHERE a.id = ANY($1) AND a.state IN ('accepted', 'correction', 'approved', 'refused', 'finished')
     UNION ALL
     SELECT a.id, a.finished_at, CASE a.state WHEN 'rejected' THEN 'services.application.rejected' ELSE 'services.application.finished' END,
            CASE a.state WHEN 'rejected' THEN 'accept' ELSE 'decide' END, 'system:demo', '审批工作人员', a.department_id,
            CASE a.state WHEN 'rejected' THEN 'submitted' ELSE 'approved' END, a.state, a.reason
       FROM services_applications a WHERE a.id = ANY($1) AND a.finished_at IS NOT NULL`, [ids.map((r) => r.id)]);

  // 好差评: three in four finished cases rated; the bad ones in rectification at every stage.
  const finished = ids.map((r, i) => ({ id: r.id, row: rows[i]! })).filter((x) => x.row.state === 'finished' && rng.next() < 0.75);
  const levels = finished.map(() => rng.weighted([[5, 60], [4, 24], [3, 9], [2, 5], [1, 2]] as const, ([, w]) => w)[0]);
  const comments = ['办事效率高，网上就办好了', '工作人员很耐心', '材料一次说清楚了', '等待时间有点长', '要求反复提交材料'];
  const { rows: ratings } = await tx.query<{ id: number; level: number; ratedAt: Date; department_id: number; division_code: string }>(
    `INSERT INTO services_ratings (application_id, level, comment, item_id, department_id, division_code, channel, rated_at)
     SELECT a.id, t.level, t.comment, a.item_id, a.department_id, a.division_code, a.channel,
            LEAST(a.finished_at + interval '1 hour', now())
       FROM unnest($1::bigint[], $2::smallint[], $3::text[]) AS t (id, level, comment) JOIN services_applications a ON a.id = t.id
     RETURNING id, level, rated_at AS "ratedAt", department_id, division_code`,
    [finished.map((f) => f.id), levels, levels.map((l) => (l <= 2 ? comments[rng.int(3, 4)]! : rng.next() < 0.3 ? comments[rng.int(0, 2)]! : null))]);
  const bad = ratings.filter((r) => r.level <= 2);
  const stages = ['verify', 'rectify', 'reply', 'review', 'closed'];
  const stageOf = bad.map(() => rng.pick(stages));
  await tx.query(
    `INSERT INTO services_rectifications (rating_id, department_id, division_code, state, due, substantiated, verify_note, rectify_note, reply,
       review_note, called_back_at, callback_note, created_at, closed_at, updated_at)
     SELECT t.id, t.department_id, t.division_code, t.state, t.due,
            CASE WHEN t.state <> 'verify' THEN true END,
            CASE WHEN t.state <> 'verify' THEN '经核实，情况属实' END,
            CASE WHEN t.state IN ('reply', 'review', 'closed') THEN '已优化办理流程，实行一次性告知' END,
            CASE WHEN t.state IN ('review', 'closed') THEN '已电话向群众说明整改情况' END,
            CASE WHEN t.state = 'closed' THEN '整改到位' END,
            CASE WHEN t.state = 'closed' THEN LEAST(t.rated + interval '3 days', now()) END,
            CASE WHEN t.state = 'closed' THEN '群众对整改结果表示认可' END,
            t.rated, CASE WHEN t.state = 'closed' THEN LEAST(t.rated + interval '4 days', now()) END, t.rated
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
         AS t (id, department_id, division_code, state, due, rated)`,
    [bad.map((r) => r.id), bad.map((r) => r.department_id), bad.map((r) => r.division_code), stageOf,
      bad.map((r) => calendar.addWorkingDays(r.ratedAt, 5).due), bad.map((r) => r.ratedAt)]);
  return { applications: ids.length, ratings: ratings.length, rectifications: bad.length };
}

/** Removes the services data of a city (before its departments go): offers go with their policies, ratings with their applications. */
export async function removeServicesDemo(tx: Tx, cityCode: string): Promise<void> {
  const under = `${cityCode.slice(0, 4)}%`;
  await tx.query('DELETE FROM services_policies WHERE division_code LIKE $1', [under]);
  await tx.query('DELETE FROM services_applications WHERE division_code LIKE $1', [under]);
  await tx.query('DELETE FROM services_items WHERE division_code LIKE $1', [under]);
}
