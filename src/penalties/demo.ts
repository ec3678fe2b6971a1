/**
 * The demo's 行政处罚: six items of the urban-management and market-regulation departments with their legal
 * ranges and discretion bands, three months of decided cases in every county (so that each item and level has peers),
 * and in 广安区城市管理综合执法局 three logins with work waiting: `zf_officer` (执法队员) has cases to propose,
 * `zf_review` (法制审核) one to review, `zf_head` (负责人) one to decide. Two decided fines are planted for the
 * oversight rules: one far above its peers inside its band, one outside its band with a reason.
 */
import { createStaff, grantsOf, jurisdictionOf, systemActor, type Actor, type Ctx, type DemoLogin, type Role } from '../kernel/auth/index.ts';
import { createRng, creditCode, personName, residentId, type Rng } from '../kernel/demo/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { decideCase, fileCase, proposePenalty, reviewCase } from './cases.ts';
import { saveItem, type Bands, type Level, type SaveItem } from './items.ts';

const yuan = 100;
const band = (low: number, high: number): [number, number] => [low * yuan, high * yuan];

/** Items whose fines the national law states (amounts in 元 here, 分 stored); the bands are the demo's discretion standard. */
const items: (Omit<SaveItem, 'bands' | 'legalMin' | 'legalMax' | 'active'> & { legal: [number, number]; bands: Record<Level, [number, number]>; facts: string[] })[] = [
  { code: 'CF-CG-0001', name: '个人随意倾倒、抛洒、堆放城市生活垃圾', departmentKind: 'urban-management',
    violatedBasis: '《城市生活垃圾管理办法》第十六条', penaltyBasis: '《城市生活垃圾管理办法》第四十二条：对个人处以200元以下的罚款',
    legal: [0, 200], bands: { light: [0, 50], ordinary: [50, 120], severe: [120, 200] },
    facts: ['在人行道旁随意倾倒生活垃圾两袋', '将装修后的生活垃圾堆放在小区绿化带内', '向路边排水沟抛洒生活垃圾'] },
  { code: 'CF-CG-0002', name: '单位随意倾倒、抛洒、堆放建筑垃圾', departmentKind: 'urban-management',
    violatedBasis: '《城市建筑垃圾管理规定》第十五条', penaltyBasis: '《城市建筑垃圾管理规定》第二十六条：对单位处5000元以上5万元以下罚款',
    legal: [5_000, 50_000], bands: { light: [5_000, 15_000], ordinary: [15_000, 30_000], severe: [30_000, 50_000] },
    facts: ['运输车辆沿途抛撒建筑渣土约三百米', '在未经批准的空地堆放建筑垃圾约二十立方米', '夜间在河道边倾倒建筑垃圾'] },
  { code: 'CF-CG-0003', name: '擅自占用城市道路', departmentKind: 'urban-management',
    violatedBasis: '《城市道路管理条例》第二十七条', penaltyBasis: '《城市道路管理条例》第四十二条：可以处以2万元以下的罚款',
    legal: [0, 20_000], bands: { light: [0, 2_000], ordinary: [2_000, 8_000], severe: [8_000, 20_000] },
    facts: ['未经批准在机动车道堆放建材', '超出门店占用人行道经营', '擅自围挡占用道路施工'] },
  { code: 'CF-SJ-0001', name: '经营超过保质期的食品（货值金额不足一万元）', departmentKind: 'market-regulation',
    violatedBasis: '《食品安全法》第三十四条第十项', penaltyBasis: '《食品安全法》第一百二十四条：货值金额不足一万元的，并处五万元以上十万元以下罚款',
    legal: [50_000, 100_000], bands: { light: [50_000, 65_000], ordinary: [65_000, 80_000], severe: [80_000, 100_000] },
    facts: ['货架上陈列超过保质期的饮料十二瓶', '销售超过保质期的袋装面包', '仓库中存放超过保质期的调味品待售'] },
  { code: 'CF-SJ-0002', name: '食品经营者未按规定查验、记录进货', departmentKind: 'market-regulation',
    violatedBasis: '《食品安全法》第五十三条', penaltyBasis: '《食品安全法》第一百二十六条：拒不改正的，处五千元以上五万元以下罚款',
    legal: [5_000, 50_000], bands: { light: [5_000, 15_000], ordinary: [15_000, 30_000], severe: [30_000, 50_000] },
    facts: ['未建立食品进货查验记录', '进货记录缺少供货者许可证明', '经责令改正后仍未记录进货'] },
  { code: 'CF-SJ-0003', name: '经营者未明码标价', departmentKind: 'market-regulation',
    violatedBasis: '《价格法》第十三条', penaltyBasis: '《价格违法行为行政处罚规定》第十三条：可以处5000元以下的罚款',
    legal: [0, 5_000], bands: { light: [0, 1_000], ordinary: [1_000, 3_000], severe: [3_000, 5_000] },
    facts: ['店内商品未标示价格', '服务项目未公示收费标准', '价签与结算价格不一致'] },
];

// Within the 90 days the fine rule compares, with about thirty fines of an item's usual level.
const DAYS = 86;
const CASES_PER_ITEM = 50;
const HOUR = 3_600_000;

export const penaltiesLogins: readonly DemoLogin[] = [
  { username: 'zf_officer', role: 'officer', description: '广安区城市管理综合执法局 执法队员: files cases and proposes the fine',
    tryFirst: '行政处罚: open a case under investigation and propose a fine; one outside its band asks for the reason' },
  { username: 'zf_review', role: 'officer', description: '广安区城市管理综合执法局 法制审核: reviews the proposed fines',
    tryFirst: '行政处罚: pass or send back the case waiting for 法制审核' },
  { username: 'zf_head', role: 'dept_admin', description: '广安区城市管理综合执法局 负责人: decides the reviewed cases',
    tryFirst: '行政处罚: decide the reviewed case' },
];

/** Somewhere around 35 % of the band: fines of one item and level cluster, as a department's practice makes them. */
function usualAmount(rng: Rng, [low, high]: [number, number]): number {
  const share = Math.min(1, Math.max(0, 0.35 + (rng.next() + rng.next() + rng.next() - 1.5) * 0.15));
  const step = high - low >= 5_000 * yuan ? 100 * yuan : 10 * yuan;
  return Math.min(high, low + Math.round(((high - low) * share) / step) * step);
}

export async function loadPenaltiesDemo({ tx, seed, city, cityCode, password }: DemoContext) {
  const rng = createRng(`${seed}/penalties`);
  const now = Date.now();
  const start = new Date(now - DAYS * 24 * HOUR);
  const setup: Ctx = { tx, actor: systemActor('demo'), now: start };
  const saved = new Map<string, { id: number; bands: Bands; facts: string[] }>();
  for (const item of items) {
    const bands = { light: band(...item.bands.light), ordinary: band(...item.bands.ordinary), severe: band(...item.bands.severe) };
    const { id } = await saveItem(setup, { code: item.code, name: item.name, departmentKind: item.departmentKind, violatedBasis: item.violatedBasis,
      penaltyBasis: item.penaltyBasis, legalMin: item.legal[0] * yuan, legalMax: item.legal[1] * yuan, bands, active: true });
    saved.set(item.code, { id, bands, facts: item.facts });
  }

  // Three staff of each enforcing department of the city: two officers and its head.
  const { rows: departments } = await tx.query<{ id: number; kind: string; divisionCode: string; name: string }>(
    `SELECT id::int, kind, division_code AS "divisionCode", name FROM departments
      WHERE kind IN ('urban-management', 'market-regulation') AND division_code LIKE $1 AND division_code <> $2 ORDER BY division_code, kind`,
    [`${cityCode.slice(0, 4)}%`, cityCode]);
  const gaCounty = `${cityCode.slice(0, 4)}02000000`;
  const staffOf = new Map<number, Actor[]>();
  for (const department of departments) {
    const fixed = department.kind === 'urban-management' && department.divisionCode === gaCounty;
    const people: { username: string; roles: Role[] }[] = fixed
      ? [{ username: 'zf_officer', roles: ['officer'] }, { username: 'zf_review', roles: ['officer'] }, { username: 'zf_head', roles: ['dept_admin'] }]
      : [1, 2, 3].map((n) => ({ username: `zf_${department.id}_${n}`, roles: [n === 3 ? 'dept_admin' : 'officer'] as Role[] }));
    const actors: Actor[] = [];
    for (const person of people) {
      const displayName = personName(rng);
      // Only the walkthrough's logins get the demo password; the others have none yet, as the other generated staff.
      const id = fixed ? (await createStaff(setup, { username: person.username, displayName, password, departmentId: department.id, roles: person.roles })).id
        : (await tx.query<{ id: number }>(`INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles)
            VALUES ($1, $2, 'staff', '!', $3, $4, $5) RETURNING id::int`, [person.username, displayName, department.id, department.divisionCode, person.roles])).rows[0]!.id;
      actors.push({ kind: 'staff', id: String(id), name: displayName, roles: person.roles, grants: grantsOf(person.roles),
        jurisdiction: jurisdictionOf(department.divisionCode), departmentId: department.id });
    }
    staffOf.set(department.id, actors);
  }

  const townships = city.divisions.filter((d) => d.level === 'township');
  const places = ['人民路', '滨河路', '建设路', '农贸市场', '商业街', '小区门口', '学校周边'];
  const companyWords = ['宏达', '鑫源', '佳禾', '川东', '顺意', '和美'];
  let serial = 0;
  /** One case from 立案 to `until`, by the department's three people, starting at `at`. */
  const runCase = async (department: (typeof departments)[number], code: string, at: number, until: 'investigating' | 'proposed' | 'reviewed' | 'decided',
    fine?: { level: Level; amount: number; deviation?: string }) => {
    const item = saved.get(code)!;
    const [investigator, reviewer, head] = staffOf.get(department.id)!;
    const county6 = department.divisionCode.slice(0, 6);
    const organisation = rng.next() < (code.startsWith('CF-SJ') || code === 'CF-CG-0002' ? 0.8 : 0.2);
    const town = rng.pick(townships.filter((t) => t.code12.startsWith(county6)));
    const ctx = (actor: Actor, hours: number): Ctx => ({ tx, actor, now: new Date(at + hours * HOUR) });
    const filed = await fileCase(ctx(investigator!, 0), {
      itemId: item.id, partyKind: organisation ? 'organisation' : 'person',
      partyName: organisation ? `广安${rng.pick(companyWords)}${rng.pick(['商贸', '餐饮', '建筑'])}有限公司` : personName(rng),
      partyIdNumber: organisation ? creditCode(county6, 200_000_000 + ++serial)
        : residentId(rng, county6, `19${rng.int(55, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`, rng.next() < 0.5),
      divisionCode: town.code12, place: `${town.name}${rng.pick(places)}`, facts: rng.pick(item.facts) });
    if (until === 'investigating') return;
    const level = fine?.level ?? rng.weighted(['light', 'ordinary', 'severe'] as const, (l) => ({ light: 25, ordinary: 60, severe: 15 })[l]);
    await proposePenalty(ctx(investigator!, 48), { id: filed.id, level, amount: fine?.amount ?? usualAmount(rng, item.bands[level]), deviation: fine?.deviation });
    if (until === 'proposed') return;
    await reviewCase(ctx(reviewer!, 72), { id: filed.id, approve: true });
    if (until === 'reviewed') return;
    await decideCase(ctx(head!, 96), { id: filed.id, approve: true });
  };

  let decided = 0;
  for (const item of items) {
    const enforcing = departments.filter((d) => d.kind === item.departmentKind);
    for (let i = 0; i < CASES_PER_ITEM; i++) {
      await runCase(rng.pick(enforcing), item.code, start.getTime() + rng.float(0, DAYS - 12) * 24 * HOUR, 'decided');
      decided++;
    }
  }
  const gaUrban = departments.find((d) => d.kind === 'urban-management' && d.divisionCode === gaCounty)!;
  const gaMarket = departments.find((d) => d.kind === 'market-regulation' && d.divisionCode === gaCounty)!;
  const recent = (days: number) => now - days * 24 * HOUR;
  // The planted fines: 8,000 元 for an ordinary road occupation whose peers sit near 4,000; 2,000 元 for a light price tag case (band up to 1,000).
  await runCase(gaUrban, 'CF-CG-0003', recent(8), 'decided', { level: 'ordinary', amount: 8_000 * yuan });
  await runCase(gaMarket, 'CF-SJ-0003', recent(7), 'decided', { level: 'light', amount: 2_000 * yuan, deviation: '当事人经两次责令改正仍未明码标价' });
  // Work waiting for the walkthrough's logins.
  await runCase(gaUrban, 'CF-CG-0003', recent(2), 'investigating');
  await runCase(gaUrban, 'CF-CG-0001', recent(1), 'investigating');
  await runCase(gaUrban, 'CF-CG-0002', recent(5), 'proposed');
  await runCase(gaUrban, 'CF-CG-0003', recent(6), 'reviewed');
  return { penaltyItems: items.length, penaltyCasesDecided: decided + 2, penaltyCasesOpen: 4 };
}

export async function removePenaltiesDemo({ tx, cityCode }: DemoContext) {
  const { rowCount: cases } = await tx.query('DELETE FROM penalty_cases WHERE division_code LIKE $1', [`${cityCode.slice(0, 4)}%`]);
  const { rowCount: removedItems } = await tx.query('DELETE FROM penalty_items WHERE NOT EXISTS (SELECT 1 FROM penalty_cases c WHERE c.item_id = penalty_items.id)');
  return { penaltyCases: cases, penaltyItems: removedItems };
}
