/**
 * The base libraries of the demo city: the 政数局 keeps 人口库 and 法人库; their sources are the departments'
 * demo data in the hub (公安 人口基本信息, 民政 婚姻登记信息, 市场监管 企业登记信息 and 食品经营许可证) and a
 * 卫健委 居民健康档案 written here with the errors real feeds have (繁体, typos, swapped day and month, other date
 * formats, missing and mistyped IDs), for the demo citizens and for the people of one pilot township. Grants
 * limit the libraries to that township and some of its companies, so the demo stays small; every load runs
 * the real pipeline through the hub gateway. Deterministic from the seed.
 */
import * as OpenCC from 'opencc-js';
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { createRng, type Rng } from '../kernel/demo/index.ts';
import {
  createResource, definePredicate, findPublishedResource, findSystem, importRows, issueGrant, readResourceChanges, reviewResource, submitResource,
  type RowFilter,
} from '../hub/index.ts';
import { connectItemsToResource } from '../services/index.ts';
import type { Library } from './libraries.ts';
import { runLoadOn, startLoad } from './loads.ts';
import { addSource, setUpLibrary, type AddSource, type LibrarySetup } from './sources.ts';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 't' });
const healthRecords = 'A05-0002-0001-0001';
const legalBasis = '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）';
// Characters a clerk mistypes for each other (same sound or same shape).
const typos: Record<string, string> = { 伟: '玮', 丽: '莉', 华: '桦', 明: '名', 军: '君', 芳: '方', 静: '婧', 敏: '民', 强: '墙', 磊: '垒', 洋: '阳', 勇: '永', 艳: '燕', 杰: '洁', 涛: '滔', 超: '钞', 秀: '绣', 霞: '瑕', 平: '萍', 刚: '钢' };

async function departmentOf(tx: Tx, kind: string, cityCode: string): Promise<{ id: number; divisionCode: string }> {
  const { rows } = await tx.query<{ id: number; divisionCode: string }>(
    'SELECT id::int, division_code AS "divisionCode" FROM departments WHERE kind = $1 AND division_code = $2 ORDER BY id LIMIT 1', [kind, cityCode]);
  return rows[0]!;
}

/** A grant for the library's system on a resource (the demo's sharing agreement), limited by `rowFilter`. */
async function grant(ctx: Ctx, setup: LibrarySetup, code: string, rowFilter: RowFilter): Promise<void> {
  const resource = (await findPublishedResource(ctx.tx, code))!;
  await issueGrant(ctx, { requestId: null, consumerSystemId: setup.systemId, consumerDepartmentId: setup.departmentId, resourceId: resource.id,
    predicateId: null, providerDepartmentId: resource.providerDepartmentId, fields: resource.fields.map((f) => f.code), rowFilter,
    masking: Object.fromEntries(resource.fields.map((f) => [f.code, 'none'])), purpose: '基础库汇聚（试点）', legalBasis });
}

/** Every row a library's system may read of a resource, through the gateway (evidence and all). */
async function readAll(ctx: Ctx, setup: LibrarySetup, code: string): Promise<Record<string, unknown>[]> {
  const system = (await findSystem(ctx.tx, setup.systemId))!;
  const out: Record<string, unknown>[] = [];
  for (let after = 0; ;) {
    const { rows } = await readResourceChanges(ctx, { resource: code, after, limit: 5_000, purpose: '基础库试点：选取数据', caseId: 'registry-demo' },
      { system, actor: ctx.actor });
    out.push(...rows.map((r) => r.data));
    if (rows.length < 5_000) return out;
    after = rows.at(-1)!.rowId;
  }
}

/** A date as another department's system writes it: 1990年3月5日, 1990/03/05, 19900305, or day and month swapped. */
function otherDate(rng: Rng, iso: string): string {
  const [y, m, d] = iso.split('-');
  switch (rng.int(0, 3)) {
    case 0: return `${y}年${Number(m)}月${Number(d)}日`;
    case 1: return `${y}/${m}/${d}`;
    case 2: return `${y}${m}${d}`;
    default: return Number(d) <= 12 ? `${y}-${d}-${m}` : iso;
  }
}

function mistype(rng: Rng, name: string): string {
  const chars = [...name];
  const at = chars.findIndex((c, i) => i > 0 && typos[c]);
  if (at > 0) chars[at] = typos[chars[at]!]!;
  else chars[chars.length - 1] = rng.pick(Object.values(typos));
  return chars.join('');
}

interface Person { id_number: string; name: string; sex: string; birth_date: string; phone: string | null }

/** 居民健康档案 rows: each person once, written as a health centre would, with the errors of a real feed. */
function healthRows(rng: Rng, people: Person[], address: string): Record<string, unknown>[] {
  return people.map((p, i) => {
    const roll = rng.next();
    const id = roll < 0.2 ? null
      : roll < 0.25 ? `${p.id_number.slice(0, 17)}${p.id_number[17] === '1' ? '2' : '1'}`
        : p.id_number;
    const name = rng.next() < 0.25 ? toTraditional(p.name) : rng.next() < 0.15 ? mistype(rng, p.name) : p.name;
    return {
      record_no: `JK${String(i + 1).padStart(8, '0')}`, name, id_number: id, sex: p.sex,
      birth_date: rng.next() < 0.5 ? otherDate(rng, p.birth_date) : p.birth_date,
      phone: p.phone ?? `1${rng.pick(['38', '39', '58', '77', '86'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      address: `${address}${rng.pick(['人民路', '建设路', '中山街', '兴安路', '滨江路'])}${rng.int(1, 199)}号`,
    };
  });
}

async function addAndLoad(ctx: Ctx, input: AddSource): Promise<void> {
  const source = await addSource(ctx, input);
  const load = await startLoad(ctx, { sourceId: source.id });
  await runLoadOn(ctx.tx, load.id, ctx.now);
}

export async function loadRegistryDemo(tx: Tx, opts: { cityCode: string; seed: string }): Promise<Record<string, unknown>> {
  const rng = createRng(`${opts.seed}/registry`);
  const keeper = await departmentOf(tx, 'government-services', opts.cityCode);
  const ctx: Ctx = { tx, actor: { ...systemActor('demo'), departmentId: keeper.id }, now: new Date() };
  const libraries = {} as Record<Library, LibrarySetup>;
  for (const library of ['people', 'companies'] as const) libraries[library] = await setUpLibrary(ctx, library, keeper.id);

  // The pilot township: the first of the city's.
  const { rows: [township] } = await tx.query<{ code: string; name: string; county: string }>(
    `SELECT t.code, t.name, c.name AS county FROM divisions t JOIN divisions c ON c.code = t.parent_code
      WHERE t.level = 'township' AND t.code LIKE $1 ORDER BY t.code LIMIT 1`, [`${divisionPrefix(opts.cityCode)}%`]);
  if (!township) return { sources: 0 };
  await grant(ctx, libraries.people, 'A01-0001-0001-0001', [{ field: 'division_code', op: 'prefix', value: township.code }]);
  const pilot = (await readAll(ctx, libraries.people, 'A01-0001-0001-0001')) as unknown as Person[];
  const ids = pilot.map((p) => p.id_number);
  await grant(ctx, libraries.people, 'A03-0001-0001-0001', [{ field: 'id_number', op: 'in', value: ids }]);

  // 卫健委's health records: every demo citizen and a third of the pilot township's people.
  const health = await departmentOf(tx, 'health', opts.cityCode);
  const { rows: citizens } = await tx.query<Person>(
    `SELECT id_number, display_name AS name, CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN '男' ELSE '女' END AS sex,
            substr(id_number, 7, 4) || '-' || substr(id_number, 11, 2) || '-' || substr(id_number, 13, 2) AS birth_date, phone
       FROM users WHERE kind = 'citizen' AND id_number IS NOT NULL ORDER BY id`);
  const cited = new Set(citizens.map((c) => c.id_number));
  const people = [...citizens, ...pilot.filter((p, i) => i % 3 === 0 && !cited.has(p.id_number)).map((p) => ({ ...p, phone: null }))];
  const provider: Ctx = { ...ctx, actor: { ...systemActor('demo'), departmentId: health.id } };
  const text = (code: string, name: string, sensitivity: 'general' | 'important' = 'important') =>
    ({ code, name, type: 'string' as const, sensitivity, level: sensitivity === 'general' ? 'L2' as const : 'L3' as const, masking: 'partial' as const });
  await createResource(provider, { code: healthRecords, name: '居民健康档案基本信息', kind: 'table', format: '库表', updateCycle: 'daily',
    summary: '基层医疗卫生机构建立的居民健康档案首页信息', shareType: 'conditional', shareCondition: '用于依法履职，须说明用途和依据', openType: 'closed',
    providerDepartmentId: health.id, subjectKind: 'person', subjectField: 'id_number', keyField: 'record_no',
    fields: [{ ...text('record_no', '档案编号', 'general'), masking: 'none' }, { ...text('name', '姓名', 'general'), masking: 'none' }, text('id_number', '身份证号'),
      { ...text('sex', '性别', 'general'), masking: 'none' }, text('birth_date', '出生日期'), text('phone', '联系电话'), text('address', '现住址')] });
  await importRows(provider, { code: healthRecords, format: 'json', body: healthRows(rng, people, `四川省广安市${township.county}${township.name}`) });
  await submitResource(provider, { code: healthRecords });
  await reviewResource(ctx, { code: healthRecords, approve: true });
  await grant(ctx, libraries.people, healthRecords, []);

  // 法人库: the pilot county's companies of one trade name, and their food licences.
  const county = township.code.slice(0, 6);
  await grant(ctx, libraries.companies, 'A02-0001-0001-0001', [{ field: 'division_code', op: 'prefix', value: county }, { field: 'name', op: 'prefix', value: '广安华' }]);
  const firms = await readAll(ctx, libraries.companies, 'A02-0001-0001-0001');
  await grant(ctx, libraries.companies, 'A02-0002-0001-0001', [{ field: 'credit_code', op: 'in', value: firms.map((f) => String(f.credit_code)) }]);

  const sources: AddSource[] = [
    { library: 'people', resource: 'A01-0001-0001-0001', mapping: { id_number: 'id_number', name: 'name', sex: 'sex', birth_date: 'birth_date' },
      trust: { id_number: 10, name: 10, sex: 10, birth_date: 10 } },
    { library: 'people', resource: healthRecords,
      mapping: { id_number: 'id_number', name: 'name', sex: 'sex', birth_date: 'birth_date', phone: 'phone', address: 'address' },
      trust: { id_number: 6, name: 6, sex: 6, birth_date: 6, phone: 9, address: 9 } },
    { library: 'people', resource: 'A03-0001-0001-0001', mapping: { id_number: 'id_number', name: 'name' }, trust: { id_number: 8, name: 8 } },
    { library: 'companies', resource: 'A02-0001-0001-0001', mapping: { uscc: 'credit_code', name: 'name', legal_rep: 'legal_rep', status: 'state' },
      trust: { uscc: 10, name: 10, legal_rep: 10, status: 10 } },
    { library: 'companies', resource: 'A02-0002-0001-0001', mapping: { uscc: 'credit_code', name: 'name' }, trust: { uscc: 7, name: 7 } },
  ];
  for (const source of sources) await addAndLoad(ctx, source);
  // Questions answered from the golden records, for conditions and policies to ask instead of one department's register.
  for (const [years, name] of [[18, '年满18周岁'], [60, '年满60周岁']] as const)
    await definePredicate(ctx, { code: `people-age-over-${years}`, name: `人口库：${name}`, resource: libraries.people.resourceCode,
      field: 'birth_date', operator: 'age_at_least', param: String(years) });
  // 一网通办 forms prefill from 人口库 first: the departments of those items are granted its golden records.
  const prefillGrants = await connectItemsToResource(ctx, libraries.people.resourceCode);
  const { rows: [counts] } = await tx.query<{ records: number; entities: number; review: number }>(
    `SELECT (SELECT count(*)::int FROM registry_records) AS records, (SELECT count(*)::int FROM registry_entities WHERE golden <> '{}') AS entities,
            (SELECT count(*)::int FROM registry_pairs WHERE band = 'review' AND decision IS NULL) AS review`);
  return { sources: sources.length, prefillGrants, ...counts };
}

/** Removes the libraries' rows (before the hub's resources and the departments go). */
export async function removeRegistryDemo(tx: Tx, cityCode: string): Promise<Record<string, number>> {
  const under = [`${divisionPrefix(cityCode)}%`];
  const deleted = async (sql: string) => (await tx.query(sql, under)).rowCount ?? 0;
  const sources = await deleted('DELETE FROM registry_sources WHERE division_code LIKE $1');
  const entities = await deleted('DELETE FROM registry_entities WHERE division_code LIKE $1');
  await tx.query('DELETE FROM registry_history WHERE entity_id NOT IN (SELECT id FROM registry_entities)');
  await tx.query(`DELETE FROM registry_models WHERE library IN (SELECT library FROM registry_libraries WHERE department_id IN (
    SELECT id FROM departments WHERE division_code LIKE $1))`, under);
  await deleted('DELETE FROM registry_libraries WHERE department_id IN (SELECT id FROM departments WHERE division_code LIKE $1)');
  return { sources, entities };
}
