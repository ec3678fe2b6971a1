/**
 * The exchange side of the demo city's data hub, on top of the catalogue demo: consumer systems, sharing
 * requests in every state (approved with terms, 无条件 auto-granted, refused, pending, overdue), predicates
 * (年满18周岁, 食品经营许可证有效, 广安区户籍) and 1,500 calls over the last three months made
 * through the gateway's own checks, some of them about citizen1, one hidden from them until a later day.
 * Deterministic from the seed; the times are relative to `now`.
 */
import { systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { appendToLedger, ledgerQueueSql } from '../kernel/ledger/index.ts';
import { createRng } from '../kernel/demo/index.ts';
import { findPublishedResource, type Resource } from './entries.ts';
import { createSystem, findSystem, type System } from './systems.ts';
import { hideRecord, writeEvidence, type EvidenceRecord } from './exchange/evidence.ts';
import { performAsk, performCall, type Caller } from './exchange/gateway.ts';
import { definePredicate } from './exchange/predicates.ts';
import { decideRequest, submitRequest, type SubmitRequest } from './exchange/requests.ts';

/** Codes the walkthroughs and the gateway benchmark rely on. */
export const exchangeDemo = {
  consumerSystem: 'MZ-SHJZ',
  predicates: { over18: 'age-over-18', foodLicence: 'food-licence-valid', residentGuangAn: 'resident-guang-an' },
} as const;

const DAY_MS = 86_400_000;
const demo = systemActor('demo');

/** Consumer systems the demo registers (department kind at city level, or a county department by name). */
const consumerSystems = [
  { code: exchangeDemo.consumerSystem, name: '社会救助信息系统', kind: 'civil-affairs' },
  { code: 'GAQ-MZ-JZ', name: '广安区社会救助系统', departmentName: '广安区民政局' },
  { code: 'ZJ-ZFBZ', name: '住房保障管理系统', kind: 'housing' },
  { code: 'JY-RXFW', name: '义务教育入学服务系统', kind: 'education' },
  { code: 'RS-JYFW', name: '就业创业服务系统', kind: 'human-resources' },
  { code: 'WJ-WSJD', name: '卫生监督信息系统', kind: 'health' },
] as const;

export interface ExchangeDemoSummary {
  systems: number;
  requests: number;
  grants: number;
  predicates: number;
  calls: number;
}

interface Found {
  person: Resource | null;
  licence: Resource | null;
  company: Resource | null;
}

/** The catalogue demo's registers the exchange uses: the police's person register, the food licences, the company register. */
async function findRegisters(tx: Tx, cityPrefix: string): Promise<Found> {
  const { rows } = await tx.query<{ code: string; kind: string; subject_kind: string | null; name: string }>(
    `SELECT r.code, d.kind, r.subject_kind, r.name FROM hub_resources r JOIN departments d ON d.id = r.provider_department_id
      WHERE r.published_version IS NOT NULL AND r.status <> 'retired' AND r.share_type <> 'none' AND d.division_code LIKE $1
      ORDER BY r.row_count DESC, r.code`, [`${cityPrefix}%`]);
  const pick = async (test: (r: (typeof rows)[number]) => boolean) => {
    const row = rows.find(test);
    return row ? findPublishedResource(tx, row.code) : null;
  };
  return {
    person: await pick((r) => r.kind === 'public-security' && r.subject_kind === 'person'),
    licence: await pick((r) => r.name.includes('食品经营许可')),
    company: await pick((r) => r.kind === 'market-regulation' && r.subject_kind === 'company' && !r.name.includes('许可')),
  };
}

const fieldOf = (resource: Resource, ...candidates: RegExp[]) =>
  candidates.map((re) => resource.fields.find((f) => re.test(f.code) || re.test(f.name))).find((f) => f !== undefined)?.code;

export async function loadHubExchangeDemo(tx: Tx, opts: { seed: string; cityCode: string; now?: Date }): Promise<ExchangeDemoSummary> {
  const now = opts.now ?? new Date();
  const rng = createRng(`${opts.seed}/hub-exchange`);
  const cityPrefix = divisionPrefix(opts.cityCode);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const ctxAt = (when: Date, actor: Actor = demo): Ctx => ({ tx, actor, now: when });

  // Systems of the consuming departments.
  const systems = new Map<string, System>();
  for (const s of consumerSystems) {
    const { rows } = await tx.query<{ id: number }>('kind' in s
      ? `SELECT id FROM departments WHERE kind = $1 AND division_code = $2 ORDER BY id LIMIT 1`
      : `SELECT id FROM departments WHERE name = $1 AND division_code LIKE $2 ORDER BY id LIMIT 1`,
    ['kind' in s ? s.kind : s.departmentName, 'kind' in s ? opts.cityCode : `${cityPrefix}%`]);
    if (!rows[0]) continue;
    const existing = await tx.query<{ id: number }>('SELECT id FROM hub_systems WHERE code = $1', [s.code]);
    const system = existing.rows[0] ? await findSystem(tx, existing.rows[0].id)
      : await createSystem(ctxAt(at(130)), { code: s.code, name: s.name, departmentId: rows[0].id });
    systems.set(s.code, system!);
  }
  const registers = await findRegisters(tx, cityPrefix);
  const summary: ExchangeDemoSummary = { systems: systems.size, requests: 0, grants: 0, predicates: 0, calls: 0 };
  const person = registers.person;
  if (!person || !systems.has(exchangeDemo.consumerSystem)) return summary;

  // Predicates (核验事项) over the person register and the licences.
  const birth = fieldOf(person, /birth/, /出生/) ?? person.subjectField!;
  const division = fieldOf(person, /division/, /户籍地/, /住址/);
  const predicates: Parameters<typeof definePredicate>[1][] = [
    { code: exchangeDemo.predicates.over18, name: '年满18周岁', description: '是否已满18周岁（只答是否，不返回出生日期）',
      resource: person.code, field: birth, operator: 'age_at_least', param: '18' },
  ];
  if (division) predicates.push({ code: exchangeDemo.predicates.residentGuangAn, name: '广安区户籍', description: '户籍地是否在广安区',
    resource: person.code, field: division, operator: 'equals_prefix', param: '511602' });
  const validity = registers.licence && fieldOf(registers.licence, /valid_until|expir|end_date/, /有效期至|有效期/);
  if (registers.licence && validity) predicates.push({ code: exchangeDemo.predicates.foodLicence, name: '持有效食品经营许可证',
    description: '是否持有在有效期内的食品经营许可证', resource: registers.licence.code, field: validity, operator: 'exists' });
  for (const p of predicates) await definePredicate(ctxAt(at(125)), p);
  summary.predicates = predicates.length;

  // Requests: submitted about four months ago, decided the next day, in every state.
  const personFields = person.fields.map((f) => f.code);
  const basics = personFields.slice(0, 4);
  type Plan = { system: string; request: Omit<SubmitRequest, 'systemId'>; decision?: Record<string, unknown>; daysAgo: number };
  const questionPurpose = '资格条件核验';
  const plans: Plan[] = [
    { system: exchangeDemo.consumerSystem, daysAgo: 120, request: { resource: person.code, fields: basics, purpose: '最低生活保障资格审核',
      legalBasis: '《社会救助暂行办法》第十一条', scenario: '受理低保申请时核对申请人及共同生活家庭成员户籍' }, decision: { approve: true } },
    { system: 'GAQ-MZ-JZ', daysAgo: 118, request: { resource: person.code, fields: basics, purpose: '临时救助对象核实',
      legalBasis: '《社会救助暂行办法》第四十七条', scenario: '区级临时救助审批' },
      decision: { approve: true, dailyQuota: 500, ...(division ? { rowFilter: [{ field: division, op: 'prefix', value: '511602' }] } : {}) } },
    { system: 'ZJ-ZFBZ', daysAgo: 110, request: { resource: person.code, fields: basics, purpose: '公租房申请家庭户籍核验',
      legalBasis: '《公共租赁住房管理办法》第七条', scenario: '公租房资格审核' },
      decision: { approve: true, fields: basics.slice(0, 2), validUntil: new Date(now.getTime() + 365 * DAY_MS).toISOString() } },
    { system: 'JY-RXFW', daysAgo: 100, request: { resource: person.code, fields: personFields, purpose: '义务教育入学登记',
      legalBasis: '《中华人民共和国义务教育法》第十二条', scenario: '新生入学报名' },
      decision: { approve: false, reason: '超出最小必要范围：入学只需核验户籍，请申请“广安区户籍”核验事项' } },
    { system: 'RS-JYFW', daysAgo: 2, request: { resource: person.code, fields: basics.slice(0, 2), purpose: '就业困难人员认定',
      legalBasis: '《就业服务与就业管理规定》第四十条', scenario: '就业困难人员认定申请' } },
    { system: 'WJ-WSJD', daysAgo: 12, request: { resource: person.code, fields: basics.slice(0, 2), purpose: '从业人员健康证核发',
      legalBasis: '《公共场所卫生管理条例》第七条', scenario: '健康证办理' } },
  ];
  for (const [system, predicate, daysAgo] of [[exchangeDemo.consumerSystem, exchangeDemo.predicates.over18, 119], ['GAQ-MZ-JZ', exchangeDemo.predicates.over18, 117],
    ['JY-RXFW', exchangeDemo.predicates.residentGuangAn, 99], ['WJ-WSJD', exchangeDemo.predicates.foodLicence, 95]] as const) {
    const p = predicates.find((x) => x.code === predicate);
    if (p) plans.push({ system, daysAgo, request: { resource: p.resource, predicate, purpose: questionPurpose, legalBasis: '《优化营商环境条例》第三十五条',
      scenario: '办理事项时只核验是否满足条件' }, decision: { approve: true } });
  }
  if (registers.company) plans.push({ system: 'ZJ-ZFBZ', daysAgo: 11, request: { resource: registers.company.code,
    fields: registers.company.fields.slice(0, 3).map((f) => f.code), purpose: '房地产开发企业资质核验', legalBasis: '《房地产开发企业资质管理规定》第五条',
    scenario: '资质审批' } });
  for (const plan of plans) {
    const system = systems.get(plan.system);
    if (!system) continue;
    const submitted = await submitRequest(ctxAt(at(plan.daysAgo)), { ...plan.request, systemId: system.id });
    summary.requests++;
    if (plan.decision && submitted.state === 'pending')
      await decideRequest(ctxAt(at(plan.daysAgo - 1)), { requestId: submitted.id, ...plan.decision } as Parameters<typeof decideRequest>[1]);
  }
  summary.grants = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_grants WHERE revoked_at IS NULL')).rows[0]!.n;

  // Calls over the last 90 days through the gateway's own checks, answered or refused.
  const subjects = (await tx.query<{ subject: string }>(
    'SELECT subject FROM hub_rows WHERE resource_id = $1 AND subject IS NOT NULL ORDER BY row_id LIMIT 400', [person.id])).rows.map((r) => r.subject);
  const citizen = (await tx.query<{ id_number: string }>(`SELECT id_number FROM users WHERE username = 'citizen1'`)).rows[0]?.id_number;
  if (subjects.length === 0) return summary;
  const callers = [...systems.values()].map((system): Caller => ({ system, actor: { ...demo, id: `demo:${system.code}` } }));
  const caller = (code: string) => callers.find((c) => c.system.code === code)!;
  const purposes = ['最低生活保障资格审核', '临时救助对象核实', '公租房资格审核', '高龄津贴发放核对'];
  const grantedPurpose = new Map(plans.filter((p) => p.decision?.approve && !p.request.predicate).map((p) => [p.system, p.request.purpose]));
  const records: { record: EvidenceRecord; actor: Actor; consumerCall: boolean }[] = [];
  // 09:00 to 17:00 China time; today's hours not yet come fall on the day before.
  const officeTime = (daysAgo: number) => {
    const when = new Date(at(daysAgo).setUTCHours(1 + rng.int(0, 7), rng.int(0, 59), rng.int(0, 59), 0));
    return when > now ? new Date(when.getTime() - DAY_MS) : when;
  };
  const calls = 1500;
  for (let i = 0; i < calls; i++) {
    const when = officeTime(rng.int(0, 89));
    const aboutCitizen = citizen !== undefined && i % 200 === 7;
    const subject = aboutCitizen ? citizen : rng.pick(subjects);
    const who = rng.weighted([exchangeDemo.consumerSystem, 'GAQ-MZ-JZ', 'ZJ-ZFBZ', 'JY-RXFW'].filter((c) => systems.has(c)),
      (c) => (c === exchangeDemo.consumerSystem ? 6 : c === 'JY-RXFW' ? 0.3 : 2));
    const other = rng.pick(purposes);
    const caseId = `${who}-${when.getUTCFullYear()}-${String(i).padStart(5, '0')}`;
    const asking = rng.next() < 0.12;
    const by = caller(asking ? rng.pick([exchangeDemo.consumerSystem, 'GAQ-MZ-JZ'].filter((c) => systems.has(c))) : who);
    // Each call states the purpose its grant was approved for, but for one in three hundred that states another.
    const granted = asking ? questionPurpose : grantedPurpose.get(by.system.code) ?? other;
    const input = { purpose: i % 300 !== 150 ? granted : other !== granted ? other : purposes.at(-1)!, caseId };
    const outcome = asking
      ? await performAsk(tx, by, { ...input, predicate: exchangeDemo.predicates.over18, subject }, when)
      : await performCall(tx, by, { ...input, resource: person.code, subject }, when);
    records.push({ record: outcome.evidence, actor: by.actor, consumerCall: true });
  }
  await writeEvidence(tx, records);
  summary.calls = records.length;

  // 暂不告知: one call about citizen1 hidden until a month from now, one whose hiding has ended.
  if (citizen) {
    const { rows } = await tx.query<{ message_id: string }>(
      `SELECT message_id FROM hub_evidence WHERE subject = $1 AND status = 200 ORDER BY at DESC LIMIT 2`, [citizen]);
    const hides = [{ until: new Date(now.getTime() + 30 * DAY_MS), reason: '涉案调查中，暂不告知' }, { until: at(5), reason: '案件调查期间暂不告知，现已结案' }];
    for (const [i, row] of rows.entries()) {
      await hideRecord(tx, demo, { messageId: row.message_id, ...hides[i]! });
    }
  }
  await appendToLedger(tx, { actor: demo, action: 'hub.exchange-demo.loaded', object: { type: 'demo', id: opts.seed }, payload: summary });
  return summary;
}

/**
 * Removes the exchange side of the demo city (calls, grants, requests, predicates and the consumer systems
 * it registered), before the catalogue demo and the departments go. The ledger keeps its entries.
 */
export async function removeHubExchangeDemo(tx: Tx, cityCode: string): Promise<number> {
  const under = [`${divisionPrefix(cityCode)}%`];
  const inCity = `IN (SELECT id FROM departments WHERE division_code LIKE $1)`;
  let removed = 0;
  // Each removed call record gets its removal entry, so the evidence verifier does not miss it.
  const params: unknown[] = [...under];
  const removal = ledgerQueueSql([{ actor: demo, action: 'hub.evidence.removed', object: { type: 'hub-message', idSql: 'message_id' },
    payload: { reason: 'demo reset' } }], params, 'gone');
  removed += (await tx.query(`WITH gone AS (DELETE FROM hub_evidence WHERE consumer_department_id ${inCity} OR provider_department_id ${inCity}
    RETURNING message_id), queued AS (${removal} RETURNING 1) SELECT count(*)::int AS n FROM queued`, params)).rows[0].n;
  for (const sql of [
    `DELETE FROM hub_grants WHERE consumer_department_id ${inCity} OR provider_department_id ${inCity}`,
    `DELETE FROM hub_requests WHERE consumer_department_id ${inCity} OR provider_department_id ${inCity}`,
    `DELETE FROM hub_predicates WHERE resource_id IN (SELECT id FROM hub_resources WHERE provider_department_id ${inCity})`,
  ]) removed += (await tx.query(sql, under)).rowCount ?? 0;
  removed += (await tx.query(`DELETE FROM hub_systems WHERE code = ANY($1)`, [consumerSystems.map((s) => s.code)])).rowCount ?? 0;
  return removed;
}
