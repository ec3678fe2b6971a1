import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { saveItem } from '../../src/services/index.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { run } from '../hub/factories.ts';
import { itemInput, makeCitizen, makeServicesCity, makeServicesHub, residentId, servicesCaller } from './factories.ts';

let t: TestApp;
let itemId: number;
const { login, call } = servicesCaller(() => t);
const young = residentId('19900101');
const elder = residentId('19400307', '125');
const hub = systemActor('test');

before(async () => {
  t = await createTestApp();
  const city = await makeServicesCity(t.db);
  await makeCitizen(t.db, 'citizen3', elder);
  const people = await makeServicesHub(t.db, city, [
    { id_number: young, name: '张小红', birth_date: '1990-01-01', division_code: '511602001001', household_size: 2 },
    { id_number: elder, name: '王德福', birth_date: '1940-03-07', division_code: '511602001001', household_size: 1 },
  ]);
  const item = await run(t.db, hub, saveItem, itemInput(city.gaDeptCode, {
    code: '511B0002000000-511602000000-000-HUB-1-00', name: '80周岁以上老年人高龄津贴发放',
    conditions: [{ text: '年满80周岁', predicate: 'age-over-80' }],
    materials: [{ name: '居民身份证', form: 'original', required: true, replacedBy: { kind: 'hub', ref: '人口基本信息' } }],
    formSchema: { type: 'object', required: ['name', 'idNumber', 'reason'], properties: {
      name: { type: 'string', title: '姓名' }, idNumber: { type: 'string', title: '公民身份号码' }, reason: { type: 'string', minLength: 2 } } },
    prefill: [{ field: 'name', resource: people.code, resourceField: 'name' }, { field: 'idNumber', resource: people.code, resourceField: 'id_number' }],
  }));
  itemId = item.id;
  await login(['citizen1', 'citizen2', 'citizen3']);
});
after(() => t.close());


const evidence = async (subject: string) => (await t.db.query<{ purpose: string; case_id: string; status: number; predicate_id: number | null }>(
  'SELECT purpose, case_id, status, predicate_id FROM hub_evidence WHERE subject = $1 ORDER BY at', [subject])).rows;

test('the form is prefilled from the hub for the applicant, with evidence naming the item and the application', async () => {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId })).json();
  assert.deepEqual(draft.form, { name: '张小红', idNumber: young });
  assert.deepEqual(draft.prefilled.sort(), ['idNumber', 'name']);
  const calls = await evidence(young);
  assert.equal(calls.length, 1);
  assert.deepEqual([calls[0]!.status, calls[0]!.case_id, calls[0]!.predicate_id], [200, `application:${draft.id}`, null]);
  assert.match(calls[0]!.purpose, /80周岁以上老年人高龄津贴发放/);
});

test('a condition the hub says is not met refuses the application naming the condition, never the value', async () => {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId })).json();
  const refused = await call('POST', `/applications/${draft.id}/submit`, 'citizen1', { form: { ...draft.form, reason: '申请高龄津贴' } });
  assert.deepEqual([refused.statusCode, refused.json().code, refused.json().field], [422, 'services.condition-not-met', 'conditions.0']);
  assert.match(refused.json().detail, /年满80周岁/);
  const { requestId: _id, instance: _at, ...problem } = refused.json();
  assert.doesNotMatch(JSON.stringify(problem), /1990|birth|出生|age|岁数|\b36\b/);
  const { rows: [state] } = await t.db.query('SELECT state FROM services_applications WHERE id = $1', [draft.id]);
  assert.equal(state.state, 'draft');
});

test('a condition met lets the submission through; one the hub cannot answer sends the applicant to a window', async () => {
  const draft = (await call('POST', '/applications', 'citizen3', { itemId })).json();
  assert.equal(draft.form.name, '王德福');
  const ok = await call('POST', `/applications/${draft.id}/submit`, 'citizen3', { form: { ...draft.form, reason: '申请高龄津贴' } });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().state, 'submitted');
  assert.ok((await evidence(elder)).some((e) => e.predicate_id !== null && e.status === 200));
  const unknown = (await call('POST', '/applications', 'citizen2', { itemId })).json();
  assert.deepEqual(unknown.prefilled, []);
  const answer = await call('POST', `/applications/${unknown.id}/submit`, 'citizen2', { form: { name: '李四', idNumber: residentId('19850505', '432'), reason: '申请高龄津贴' } });
  assert.deepEqual([answer.statusCode, answer.json().code, answer.json().field], [409, 'services.condition-unknown', 'conditions.0']);
});
