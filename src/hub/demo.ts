/**
 * Demo data of the data hub for the demo city: information systems of 公安, 市场监管, 民政, 人社 and 卫健;
 * five resources holding generated data (100,000 people with valid resident IDs, the demo citizens among
 * them; 20,000 companies with valid credit codes; marriages, social insurance and food business licences);
 * and catalogue entries of the other city departments in every state (draft, in review, published,
 * retired), some with quality rules, plus an objection or two. Deterministic from the seed; the rows
 * go in through the same import command staff use (checked, then COPY), as the system actor `demo`.
 */
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { createRng, creditCode, personName, residentId, type Rng } from '../kernel/demo/index.ts';
import { CITY_TEMPLATES, COUNTY_TEMPLATES, CREDIT, ID, ITEM_OF_KIND, NAME, type EntryTemplate, type FieldSpec } from './demo-catalogue.ts';
import { createResource, reviewResource, retireResource, submitResource, type CreateEntry } from './entries.ts';
import { importRows } from './loads.ts';
import { answerObjection, raiseObjection } from './objections.ts';
import { createSystem } from './systems.ts';

export interface HubDemoSummary {
  systems: number;
  entries: number;
  published: number;
  rows: number;
}

export const demoPersonCount = 100_000;
export const demoCompanyCount = 20_000;

const LEVEL = { general: 'L1', important: 'L3', core: 'L4' } as const;
/** Fields with their levels; general fields of an entry not open to the public are L2 (internal) when `internal`. */
const fields = (specs: FieldSpec[], internal = false): CreateEntry['fields'] =>
  specs.map(([code, name, type, sensitivity, masking, rules]) => ({ code, name, type, sensitivity,
    level: internal && sensitivity === 'general' ? 'L2' : LEVEL[sensitivity], masking, rules: rules ?? {} }));

/** The catalogue entries without data of their own: [department kind, code, name, summary, share type, open type, fields]. */
const CATALOGUE: [string, string, string, string, CreateEntry['shareType'], CreateEntry['openType'], FieldSpec[]][] = [
  ['public-security', 'A01-0001-0002-0001', '居住证信息', '流动人口居住证办理与签注信息', 'conditional', 'closed', [ID, NAME, ['valid_until', '有效期至', 'date', 'general', 'none']]],
  ['public-security', 'A01-0001-0003-0001', '机动车驾驶证信息', '驾驶证准驾车型、状态与有效期', 'conditional', 'closed', [ID, ['licence_class', '准驾车型', 'string', 'general', 'none'], ['state', '状态', 'string', 'general', 'none']]],
  ['public-security', 'C01-0002-0001-0001', '违法犯罪记录', '违法犯罪记录，仅依法查询', 'none', 'closed', [ID, ['record', '记录', 'string', 'core', 'drop']]],
  ['market-regulation', 'A02-0001-0002-0001', '企业年报信息', '企业年度报告公示信息', 'unconditional', 'open', [CREDIT, ['year', '年度', 'integer', 'general', 'none', { min: 2000, max: 2100 }]]],
  ['market-regulation', 'A02-0001-0003-0001', '经营异常名录', '列入经营异常名录的市场主体', 'unconditional', 'open', [CREDIT, ['reason', '列入原因', 'string', 'general', 'none']]],
  ['market-regulation', 'B02-0002-0001-0001', '特种设备登记信息', '电梯、锅炉等特种设备使用登记', 'conditional', 'conditional', [['device_no', '设备编号', 'string', 'general', 'none'], CREDIT]],
  ['civil-affairs', 'A03-0001-0002-0001', '最低生活保障对象信息', '城乡低保对象及保障金额', 'conditional', 'closed', [ID, NAME, ['amount', '月保障金额', 'number', 'important', 'none', { min: 0 }]]],
  ['civil-affairs', 'A03-0001-0003-0001', '特困人员供养信息', '特困人员认定与供养方式', 'conditional', 'closed', [ID, NAME]],
  ['civil-affairs', 'A03-0001-0004-0001', '社会组织登记信息', '社会团体、民办非企业单位、基金会登记', 'unconditional', 'open', [CREDIT, ['org_name', '名称', 'string', 'general', 'none']]],
  ['civil-affairs', 'B03-0001-0001-0001', '殡葬服务信息', '火化与殡葬服务记录', 'conditional', 'closed', [ID, ['date', '火化日期', 'date', 'general', 'none']]],
  ['human-resources', 'A04-0001-0002-0001', '就业登记信息', '劳动者就业与失业登记', 'conditional', 'closed', [ID, ['employer', '用人单位', 'string', 'general', 'none']]],
  ['human-resources', 'A04-0001-0003-0001', '职业资格证书信息', '职业资格与职业技能等级证书', 'unconditional', 'conditional', [ID, NAME, ['certificate', '证书名称', 'string', 'general', 'none']]],
  ['human-resources', 'A04-0001-0004-0001', '养老保险待遇发放信息', '养老金领取与发放', 'conditional', 'closed', [ID, ['amount', '月发放金额', 'number', 'important', 'none']]],
  ['health', 'A05-0001-0001-0001', '出生医学证明信息', '出生医学证明签发信息', 'conditional', 'closed', [['certificate_no', '证明编号', 'string', 'general', 'none'], ['mother_id', '母亲身份号码', 'string', 'important', 'partial']]],
  ['health', 'A05-0001-0002-0001', '医疗机构执业许可信息', '医疗机构执业登记与校验', 'unconditional', 'open', [CREDIT, ['licence_no', '许可证号', 'string', 'general', 'none']]],
  ['health', 'A05-0001-0003-0001', '预防接种信息', '儿童预防接种记录', 'conditional', 'closed', [ID, ['vaccine', '疫苗', 'string', 'important', 'none']]],
  ['health', 'C05-0001-0001-0001', '传染病报告信息', '法定传染病个案报告', 'none', 'closed', [ID, ['disease', '病种', 'string', 'core', 'drop']]],
  ['housing', 'A06-0001-0001-0001', '商品房预售许可信息', '商品房预售许可证', 'unconditional', 'open', [['permit_no', '许可证号', 'string', 'general', 'none'], CREDIT]],
  ['housing', 'A06-0001-0002-0001', '住房公积金缴存信息', '个人公积金缴存基数与状态', 'conditional', 'closed', [ID, ['base', '缴存基数', 'number', 'important', 'none']]],
  ['housing', 'A06-0001-0003-0001', '建筑业企业资质信息', '建筑业企业资质证书', 'unconditional', 'open', [CREDIT, ['grade', '资质等级', 'string', 'general', 'none']]],
  ['natural-resources', 'A07-0001-0001-0001', '不动产登记信息', '不动产权属登记', 'conditional', 'closed', [ID, ['cert_no', '不动产权证号', 'string', 'important', 'none']]],
  ['natural-resources', 'B07-0001-0001-0001', '国土空间规划信息', '国土空间总体规划与详细规划', 'unconditional', 'open', [['plan_code', '规划编号', 'string', 'general', 'none']]],
  ['education', 'A08-0001-0001-0001', '学籍信息', '中小学生学籍', 'conditional', 'closed', [ID, NAME, ['school', '学校', 'string', 'general', 'none']]],
  ['education', 'A08-0001-0002-0001', '教师资格证信息', '教师资格认定', 'unconditional', 'conditional', [ID, NAME]],
  ['medical-security', 'A09-0001-0001-0001', '医保参保信息', '基本医疗保险参保状态', 'conditional', 'closed', [ID, ['state', '参保状态', 'string', 'general', 'none']]],
  ['medical-security', 'A09-0001-0002-0001', '定点医药机构信息', '医保定点医疗机构与零售药店', 'unconditional', 'open', [CREDIT, ['org_name', '机构名称', 'string', 'general', 'none']]],
  ['transport', 'A10-0001-0001-0001', '道路运输经营许可信息', '道路运输经营许可证', 'unconditional', 'open', [CREDIT, ['licence_no', '许可证号', 'string', 'general', 'none']]],
  ['transport', 'B10-0001-0001-0001', '公交线路与站点信息', '城市公交线路、站点', 'unconditional', 'open', [['line', '线路', 'string', 'general', 'none']]],
  ['ecology-environment', 'A11-0001-0001-0001', '排污许可信息', '排污许可证核发', 'unconditional', 'open', [CREDIT, ['permit_no', '许可证号', 'string', 'general', 'none']]],
  ['ecology-environment', 'B11-0001-0001-0001', '空气质量监测信息', '国控、省控站点空气质量小时数据', 'unconditional', 'open', [['station', '站点', 'string', 'general', 'none'], ['aqi', 'AQI', 'integer', 'general', 'none', { min: 0, max: 500 }]]],
  ['emergency-management', 'A12-0001-0001-0001', '安全生产许可信息', '危险化学品、非煤矿山安全生产许可', 'conditional', 'conditional', [CREDIT]],
  ['emergency-management', 'B12-0001-0001-0001', '应急避难场所信息', '应急避难场所位置与容量', 'unconditional', 'open', [['site', '场所', 'string', 'general', 'none'], ['capacity', '容纳人数', 'integer', 'general', 'none']]],
  ['urban-management', 'B13-0001-0001-0001', '城市部件信息', '井盖、路灯等城市部件', 'unconditional', 'open', [['component_code', '部件编码', 'string', 'general', 'none', { pattern: '^[0-9]{16}$' }]]],
  ['water', 'B14-0001-0001-0001', '供水水质信息', '出厂水与管网水水质', 'unconditional', 'open', [['site', '采样点', 'string', 'general', 'none']]],
  ['government-services', 'B15-0001-0001-0001', '政务服务事项目录', '政务服务事项基本目录与实施清单', 'unconditional', 'open', [['item_code', '事项编码', 'string', 'general', 'none'], ['item_name', '事项名称', 'string', 'general', 'none']]],
  ['government-services', 'B15-0001-0002-0001', '电子证照目录', '电子证照类型与签发部门', 'unconditional', 'open', [['licence_type', '证照类型', 'string', 'general', 'none']]],
];

const SYSTEMS: [kind: string, code: string, name: string][] = [
  ['public-security', 'GA-RKK', '人口信息管理系统（人口库）'], ['market-regulation', 'SJ-QYDJ', '市场主体登记系统'], ['civil-affairs', 'MZ-HYDJ', '婚姻登记系统'],
  ['human-resources', 'RS-SBXT', '社会保险信息系统'], ['health', 'WJ-QMJK', '全民健康信息平台'], ['government-services', 'ZS-YWTB', '一网通办平台'],
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dayOf = (rng: Rng, from: number, to: number) => `${rng.int(from, to)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;

interface DemoPlaces {
  counties: string[];
  townships: string[];
}

async function placesOf(tx: Tx, cityCode: string): Promise<DemoPlaces> {
  const prefix = cityCode.slice(0, 4);
  const { rows } = await tx.query<{ code: string; level: string }>(
    `SELECT code, level FROM divisions WHERE code LIKE $1 AND level IN ('county', 'township') ORDER BY code`, [`${prefix}%`]);
  return { counties: rows.filter((r) => r.level === 'county').map((r) => r.code), townships: rows.filter((r) => r.level === 'township').map((r) => r.code) };
}

function people(rng: Rng, places: DemoPlaces, citizens: { name: string; id: string }[]) {
  const out: Record<string, unknown>[] = citizens.map((c) => ({ id_number: c.id, name: c.name, sex: Number(c.id[16]) % 2 ? '男' : '女',
    birth_date: `${c.id.slice(6, 10)}-${c.id.slice(10, 12)}-${c.id.slice(12, 14)}`, division_code: rng.pick(places.townships) }));
  const seen = new Set(citizens.map((c) => c.id));
  while (out.length < demoPersonCount) {
    const male = rng.next() < 0.5;
    const township = rng.pick(places.townships);
    const birth = dayOf(rng, 1940, 2020);
    const id = residentId(rng, township.slice(0, 6), birth, male);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id_number: id, name: personName(rng, male ? 'male' : 'female'), sex: male ? '男' : '女', birth_date: birth, division_code: township });
  }
  return out;
}

const COMPANY_WORDS = [...'华鑫盛达恒通宏远兴隆瑞丰嘉诚永信富源金鼎'];
const COMPANY_TRADES = ['商贸', '建筑工程', '农业开发', '食品', '餐饮管理', '物流', '科技', '家政服务', '汽车维修', '医药'];

function companies(rng: Rng, places: DemoPlaces) {
  return Array.from({ length: demoCompanyCount }, (_, i) => {
    const county = rng.pick(places.counties).slice(0, 6);
    return { credit_code: creditCode(county, 100_000_000 + i), name: `广安${rng.pick(COMPANY_WORDS)}${rng.pick(COMPANY_WORDS)}${rng.pick(COMPANY_TRADES)}有限公司`,
      legal_rep: personName(rng), registered_on: dayOf(rng, 1995, 2025), state: rng.next() < 0.9 ? '存续' : '注销', division_code: county };
  });
}

/** Loads the hub demo into the demo city's transaction; `cityCode` is the city's 12-digit code. */
export async function loadHubDemo(tx: Tx, opts: { seed: string; cityCode: string }): Promise<HubDemoSummary> {
  const ctx: Ctx = { tx, actor: systemActor('demo'), now: new Date() };
  const rng = createRng(`${opts.seed}/hub`);
  const { rows: departments } = await tx.query<{ id: number; kind: string }>(
    'SELECT id, kind FROM departments WHERE division_code = $1', [opts.cityCode]);
  const departmentOf = new Map(departments.map((d) => [d.kind, d.id]));
  const systemOf = new Map<string, number>();
  for (const [kind, code, name] of SYSTEMS)
    systemOf.set(kind, (await createSystem(ctx, { code, name, departmentId: departmentOf.get(kind)! })).id);

  const places = await placesOf(tx, opts.cityCode);
  const { rows: citizens } = await tx.query<{ name: string; id: string }>(
    `SELECT display_name AS name, id_number AS id FROM users WHERE kind = 'citizen' AND id_number IS NOT NULL ORDER BY id`);
  const persons = people(rng, places, citizens);
  const firms = companies(rng, places);
  const married = persons.filter((_, i) => i % 10 === 0).map((p) => ({ id_number: p.id_number, name: p.name, state: rng.next() < 0.85 ? '结婚' : '离婚',
    registered_on: dayOf(rng, 1990, 2025), office: '广安市民政局婚姻登记处' }));
  const insured = persons.filter((_, i) => i % 3 === 0).map((p, i) => ({
    // A few records carry a mistyped ID, as real feeds do: they are reported and lower the quality score.
    id_number: i % 997 === 0 ? `${String(p.id_number).slice(0, 17)}${String(p.id_number)[17] === '1' ? '2' : '1'}` : p.id_number,
    insurance: rng.pick(['城镇职工基本养老保险', '城乡居民基本养老保险', '失业保险', '工伤保险']), since: dayOf(rng, 2000, 2025).slice(0, 7), state: rng.next() < 0.9 ? '参保缴费' : '暂停缴费' }));
  const licences = firms.filter((f) => f.name.includes('食品') || f.name.includes('餐饮')).map((f, i) => ({
    licence_no: `JY${f.credit_code.slice(2, 8)}${pad(i, 7)}`, credit_code: f.credit_code, name: f.name, valid_until: dayOf(rng, 2024, 2030) }));

  const data: [kind: string, entry: CreateEntry, rows: Record<string, unknown>[]][] = [
    ['public-security', { code: 'A01-0001-0001-0001', name: '人口基本信息', kind: 'table', summary: '全市户籍人口的身份号码、姓名、性别、出生日期和户籍地', format: '库表',
      updateCycle: 'daily', shareType: 'conditional', openType: 'closed', subjectKind: 'person', subjectField: 'id_number', keyField: 'id_number',
      fields: fields([ID, NAME, ['sex', '性别', 'string', 'general', 'none'], ['birth_date', '出生日期', 'date', 'important', 'partial'],
        ['division_code', '户籍地区划', 'string', 'general', 'none', { pattern: '^[0-9]{12}$' }]]) }, persons],
    ['market-regulation', { code: 'A02-0001-0001-0001', name: '企业登记信息', kind: 'table', summary: '市场主体的统一社会信用代码、名称、法定代表人、成立日期和登记状态', format: '库表',
      updateCycle: 'daily', shareType: 'unconditional', openType: 'open', subjectKind: 'company', subjectField: 'credit_code', keyField: 'credit_code',
      fields: fields([CREDIT, ['name', '企业名称', 'string', 'general', 'none', { required: true }], ['legal_rep', '法定代表人', 'string', 'important', 'partial'],
        ['registered_on', '成立日期', 'date', 'general', 'none'], ['state', '登记状态', 'string', 'general', 'none'], ['division_code', '住所地区划', 'string', 'general', 'none']]) }, firms],
    ['civil-affairs', { code: 'A03-0001-0001-0001', name: '婚姻登记信息', kind: 'table', summary: '结婚、离婚登记记录', format: '库表', updateCycle: 'realtime',
      shareType: 'conditional', openType: 'closed', subjectKind: 'person', subjectField: 'id_number',
      fields: fields([ID, NAME, ['state', '登记类别', 'string', 'important', 'none', { pattern: '^(结婚|离婚)$' }],
        ['registered_on', '登记日期', 'date', 'general', 'none'], ['office', '登记机关', 'string', 'general', 'none']]).map((f) =>
        (f.code === 'id_number' ? { ...f, rules: { ...f.rules, reference: 'A01-0001-0001-0001' } } : f)) }, married],
    ['human-resources', { code: 'A04-0001-0001-0001', name: '社保参保信息', kind: 'table', summary: '社会保险参保险种、起始年月和缴费状态', format: '库表', updateCycle: 'monthly',
      shareType: 'conditional', openType: 'closed', subjectKind: 'person', subjectField: 'id_number',
      fields: fields([ID, ['insurance', '险种', 'string', 'general', 'none', { required: true }], ['since', '参保年月', 'string', 'general', 'none', { pattern: '^[0-9]{4}-[0-9]{2}$' }],
        ['state', '缴费状态', 'string', 'general', 'none']]) }, insured],
    ['market-regulation', { code: 'A02-0002-0001-0001', name: '食品经营许可证', kind: 'table', summary: '食品经营许可证的编号、持证主体和有效期', format: '库表', updateCycle: 'daily',
      shareType: 'unconditional', openType: 'open', subjectKind: 'company', subjectField: 'credit_code', keyField: 'licence_no',
      fields: fields([['licence_no', '许可证编号', 'string', 'general', 'none', { required: true }], CREDIT, ['name', '经营者名称', 'string', 'general', 'none'],
        ['valid_until', '有效期至', 'date', 'general', 'none']]) }, licences],
  ];
  let rowCount = 0;
  let entries = 0;
  let published = 0;
  for (const [kind, entry, rows] of data) {
    await createResource(ctx, { ...entry, providerDepartmentId: departmentOf.get(kind)!, systemId: systemOf.get(kind) });
    rowCount += (await importRows(ctx, { code: entry.code, format: 'json', body: rows })).loaded;
    await submitResource(ctx, { code: entry.code });
    await reviewResource(ctx, { code: entry.code, approve: true });
    entries++;
    published++;
  }

  for (const [i, [kind, code, name, summary, shareType, openType, specs]] of CATALOGUE.entries()) {
    const providerDepartmentId = departmentOf.get(kind);
    if (providerDepartmentId === undefined) continue;
    const subject = specs.some((s) => s[0] === 'id_number') ? 'person' : specs.some((s) => s[0] === 'credit_code') ? 'company' : undefined;
    await createResource(ctx, { code, name, summary, kind: 'table', format: '库表', updateCycle: rng.pick(['daily', 'weekly', 'monthly', 'realtime']),
      shareType, shareCondition: shareType === 'conditional' ? '用于依法履职，须说明用途和依据' : '', openType, providerDepartmentId, fields: fields(specs),
      ...(subject ? { subjectKind: subject, subjectField: subject === 'person' ? 'id_number' : 'credit_code' } : {}) });
    entries++;
    // Most entries are published; every ninth stays a draft, every seventh waits in review, one is retired.
    if (i % 9 === 4) continue;
    await submitResource(ctx, { code });
    if (i % 7 === 3) continue;
    await reviewResource(ctx, { code, approve: true });
    published++;
    if (i === CATALOGUE.length - 1) { await retireResource(ctx, { code, note: '并入电子证照库' }); published--; }
  }

  // The departments' further entries, the city's and every county's (demo-catalogue.ts).
  const { rows: everyDepartment } = await tx.query<{ id: number; kind: string; divisionCode: string; place: string }>(
    `SELECT d.id::int AS id, d.kind, d.division_code AS "divisionCode", v.name AS place FROM departments d JOIN divisions v ON v.code = d.division_code
      WHERE d.division_code LIKE $1 ORDER BY d.division_code, d.code`, [`${opts.cityCode.slice(0, 4)}%`]);
  const counties = [...new Set(everyDepartment.map((d) => d.divisionCode).filter((c) => c !== opts.cityCode))];
  let n = 0;
  for (const department of everyDepartment) {
    const atCity = department.divisionCode === opts.cityCode;
    const templates: EntryTemplate[] = (atCity ? CITY_TEMPLATES : COUNTY_TEMPLATES)[department.kind] ?? [];
    // 目: 0020 for the city's further entries, 0101… for each county's.
    const group = atCity ? '0020' : pad(101 + counties.indexOf(department.divisionCode), 4);
    for (const [j, [cls, name, summary, shareType, openType, updateCycle, format, specs]] of templates.entries()) {
      const code = `${cls}${ITEM_OF_KIND[department.kind]}-${group}-${pad(j + 1, 4)}-0001`;
      // Registered and published over the last two and a half years, as a real catalogue grew.
      const since = new Date(ctx.now.getTime() - rng.int(30, 900) * 86_400_000);
      const entryCtx: Ctx = { ...ctx, now: since };
      const subject = specs.some((f) => f[0] === 'id_number') ? 'person' : specs.some((f) => f[0] === 'credit_code') ? 'company' : undefined;
      await createResource(entryCtx, { code, name: atCity ? name : `${department.place}${name}`, summary, kind: format === '接口' ? 'api' : 'table', format,
        updateCycle, shareType, openType, providerDepartmentId: department.id, fields: fields(specs, openType !== 'open'),
        shareCondition: shareType === 'conditional' ? rng.pick(['用于依法履职，须说明用途和依据', '仅限本部门业务办理核验使用', '须经提供部门审核同意']) : '',
        // Departments' own interfaces, on a reserved domain (RFC 2606): the demo never calls them.
        ...(format === '接口' ? { apiUrl: `https://api-${department.divisionCode.slice(0, 6)}.example/${code}`,
          apiMapping: { root: '$.data', fields: Object.fromEntries(specs.map(([field]) => [field, `$.${field}`])) } } : {}),
        ...(subject ? { subjectKind: subject, subjectField: subject === 'person' ? 'id_number' : 'credit_code' } : {}) });
      entries++;
      n++;
      // Most are published; a few wait as drafts or in review, a few were retired.
      if (n % 23 !== 5) {
        await submitResource(entryCtx, { code });
        if (n % 19 !== 7) {
          await reviewResource(entryCtx, { code, approve: true });
          published++;
          if (n % 37 === 11) { await retireResource(entryCtx, { code, note: '数据已并入上级目录' }); published--; }
        }
      }
      // The commands stamp the transaction's time; the demo dates the entry when it says it was registered.
      await tx.query('UPDATE hub_resources SET created_at = $2, updated_at = $2 WHERE code = $1', [code, since]);
    }
  }

  // 疑义: 民政 questions a birth date in the population register; one answered, one open.
  const civil = { ...ctx, actor: { ...systemActor('demo'), departmentId: departmentOf.get('civil-affairs')! } };
  const first = await raiseObjection(civil, { code: 'A01-0001-0001-0001', rowKey: String(persons[10]!.id_number), fieldCode: 'name', description: '婚姻登记时核实姓名为同音字，请核对' });
  await answerObjection(ctx, { id: first.id, outcome: 'corrected', answer: '已核实更正' });
  await raiseObjection(civil, { code: 'A01-0001-0001-0001', rowKey: String(persons[20]!.id_number), fieldCode: 'division_code', description: '户籍地与现住址不符，请核实' });

  const summary = { systems: SYSTEMS.length, entries, published, rows: rowCount };
  await appendToLedger(tx, { actor: ctx.actor, action: 'hub.demo.loaded', object: { type: 'demo', id: opts.seed }, payload: summary });
  return summary;
}

/** Removes the hub data of the departments under `cityCode` (before the departments go); rows, fields, versions and objections follow their resources. */
export async function removeHubDemo(tx: Tx, cityCode: string): Promise<void> {
  const under = [`${cityCode.slice(0, 4)}%`];
  const ofCity = 'SELECT id FROM departments WHERE division_code LIKE $1';
  await tx.query(`DELETE FROM hub_objections WHERE raised_by_department_id IN (${ofCity})`, under);
  await tx.query(`DELETE FROM hub_resources WHERE provider_department_id IN (${ofCity})`, under);
  await tx.query(`DELETE FROM hub_systems WHERE department_id IN (${ofCity})`, under);
}
