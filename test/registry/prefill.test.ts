// 一网通办 prefill from 人口库: a form is filled from the golden record through the hub gateway, each field
// naming the department that gave it; one evidence record per read; without a grant nothing is filled.
// Conditions ask predicates over the golden record, granted when the library is connected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { definePredicate } from '../../src/hub/index.ts';
import { connectDepartmentToHub, connectItemsToResource, saveItem } from '../../src/services/index.ts';
import { run, system } from '../hub/factories.ts';
import { itemInput } from '../services/factories.ts';
import { loadPeopleLibrary, makeRegistryCast, people } from './factories.ts';

let t: TestApp;
let granted: number;
let ungranted: number;
const asking: Record<18 | 60, number> = { 18: 0, 60: 0 };
let zhang: string;
const golden = 'A15-0099-0001-0001';

before(async () => {
  t = await createTestApp();
  const cast = await makeRegistryCast(t.db);
  await loadPeopleLibrary(t.db, cast.bureau);
  const codes = (await t.db.query<{ id: number; code: string }>('SELECT id, code FROM departments WHERE id = ANY($1)', [[cast.civil, cast.police]])).rows;
  const codeOf = (id: number) => codes.find((c) => c.id === id)!.code;
  const form = { type: 'object', required: ['name'], properties: {
    name: { type: 'string', title: '姓名' }, idNumber: { type: 'string', title: '公民身份号码' }, birthDate: { type: 'string', title: '出生日期' } } };
  const prefill = [{ field: 'name', resource: golden, resourceField: 'name' }, { field: 'idNumber', resource: golden, resourceField: 'id_number' },
    { field: 'birthDate', resource: golden, resourceField: 'birth_date' }];
  // 民政's and 公安's 一网通办 systems, neither granted anything yet.
  for (const [department, code] of [[cast.civil, 'MZ-YWTB'], [cast.police, 'GA-YWTB']] as const)
    await run(t.db, system, connectDepartmentToHub, { departmentId: department, systemCode: code, systemName: `${code}受理系统`, reads: [], asks: [] });
  granted = (await run(t.db, system, saveItem, itemInput(codeOf(cast.civil), { formSchema: form, prefill, conditions: [] }))).id;
  // 公安's item prefills from the library too, but 公安 asks no grant: its department is left out below.
  ungranted = (await run(t.db, system, saveItem, itemInput(codeOf(cast.police), { formSchema: form, prefill, conditions: [] }))).id;
  await t.db.query(`UPDATE services_items SET prefill = '[]' WHERE id = $1`, [ungranted]);
  // Two questions over the golden record, asked by two more of 民政's items.
  const keeper = { ...system, departmentId: cast.bureau };
  for (const years of [18, 60] as const) {
    await run(t.db, keeper, definePredicate, { code: `golden-age-over-${years}`, name: `年满${years}周岁`, resource: golden, field: 'birth_date',
      operator: 'age_at_least', param: String(years) });
    asking[years] = (await run(t.db, system, saveItem, itemInput(codeOf(cast.civil), { formSchema: form, prefill, materials: [],
      conditions: [{ text: `申请人年满${years}周岁`, predicate: `golden-age-over-${years}` }] }))).id;
  }
  // 民政 is granted the fields its forms read and the two predicates; 公安 nothing.
  assert.equal(await run(t.db, keeper, connectItemsToResource, golden), 3);
  await t.db.query(`UPDATE services_items SET prefill = $2 WHERE id = $1`, [ungranted, JSON.stringify(prefill)]);
  zhang = await t.login('zhang');
});
after(() => t.close());

const apply = async (itemId: number) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/services/applications', headers: { cookie: zhang }, payload: { itemId } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
};

const evidence = async (caseId: string) => (await t.db.query<{ subject: string; status: number; resource: string; fields: string[] }>(
  `SELECT e.subject, e.status, r.code AS resource, e.fields FROM hub_evidence e LEFT JOIN hub_resources r ON r.id = e.resource_id
    WHERE e.case_id = $1 ORDER BY e.at`, [caseId])).rows;

test('a citizen applying gets the form filled from their golden record, each field naming the department that gave it', async () => {
  const draft = await apply(granted);
  // 张伟 (公安, trust 10) over 張偉 (民政, trust 5); the birth date as the library standardises it.
  assert.deepEqual(draft.form, { name: '张伟', idNumber: people.zhang, birthDate: '1990-03-05' });
  assert.deepEqual(draft.prefilled.sort(), ['birthDate', 'idNumber', 'name']);
  const source = { resource: golden, resourceName: '人口库标准记录', department: '市公安局' };
  assert.deepEqual(draft.prefillSources, { name: source, idNumber: source, birthDate: source });
  // One read of the library's resource for the person, with the item as purpose: what they see in 我的数据使用记录.
  const reads = await evidence(`application:${draft.id}`);
  assert.equal(reads.length, 1);
  assert.deepEqual([reads[0]!.subject, reads[0]!.status, reads[0]!.resource], [people.zhang, 200, golden]);
  assert.ok(reads[0]!.fields.includes('field_sources'));
  const mine = await t.app.inject({ method: 'GET', url: '/api/v1/hub/my/usage', headers: { cookie: zhang } });
  assert.equal(mine.statusCode, 200, mine.body);
  const entries = mine.json().entries as { resourceName: string; consumerDepartmentName: string; purpose: string }[];
  assert.deepEqual(entries.map((e) => [e.resourceName, e.consumerDepartmentName, e.purpose.startsWith('临时救助申请')]), [['人口库标准记录', '市民政局', true]]);
  // The sources stay with the submitted application.
  const stored = await t.db.query<{ prefill_sources: Record<string, { department: string }> }>('SELECT prefill_sources FROM services_applications WHERE id = $1', [draft.id]);
  assert.equal(stored.rows[0]!.prefill_sources.name!.department, '市公安局');
});

test('a department without a grant on the library prefills nothing; the refusal is on record', async () => {
  const draft = await apply(ungranted);
  assert.deepEqual([draft.form, draft.prefilled, draft.prefillSources], [{}, [], {}]);
  const reads = await evidence(`application:${draft.id}`);
  assert.deepEqual(reads.map((r) => [r.subject, r.status, r.resource]), [[people.zhang, 403, golden]]);
});

test('a condition asks its predicate of the golden record: met, it is submitted; not met, it is refused naming the condition', async () => {
  const submit = async (itemId: number) => {
    const draft = await apply(itemId);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/services/applications/${draft.id}/submit`, headers: { cookie: zhang }, payload: {} });
    return { id: draft.id as number, res };
  };
  // 张伟 was born on 1990-03-05 (the golden record's date): over 18, not over 60.
  const adult = await submit(asking[18]);
  assert.equal(adult.res.statusCode, 200, adult.res.body);
  assert.equal(adult.res.json().state, 'submitted');
  assert.deepEqual((await evidence(`application:${adult.id}`)).map((r) => [r.subject, r.status, r.resource]),
    [[people.zhang, 200, golden], [people.zhang, 200, golden]], 'the prefill read, then the question');
  const elder = await submit(asking[60]);
  assert.equal(elder.res.statusCode, 422, elder.res.body);
  assert.deepEqual([elder.res.json().code, elder.res.json().field], ['services.condition-not-met', 'conditions.0']);
});
