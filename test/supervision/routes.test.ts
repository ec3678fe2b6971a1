import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, makeDepartment, makeDivisions, makeStaff, type TestApp } from '../helpers/factories.ts';
import { png } from './factories.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let gaDept = 0;
let listId = 0;

before(async () => {
  t = await createTestApp();
  await makeDivisions(t.db);
  const office = await makeDepartment(t.db, { name: '市政府督查室', kind: 'supervision' });
  gaDept = await makeDepartment(t.db, { name: '广安区民政局', divisionCode: '511602000000' });
  const ycDept = await makeDepartment(t.db, { name: '岳池县民政局', divisionCode: '511621000000' });
  await makeStaff(t.db, { username: 'leader', roles: ['inspector'], departmentId: office });
  await makeStaff(t.db, { username: 'officer', roles: ['officer'], departmentId: gaDept });
  await makeStaff(t.db, { username: 'yc', roles: ['officer'], departmentId: ycDept });
  for (const name of ['leader', 'officer', 'yc']) cookies[name] = await t.login(name);
  listId = (await t.db.query<{ id: number }>(`SELECT id FROM supervision_lists WHERE code = 'audit'`)).rows[0]!.id;
});
after(() => t.close());

const call = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({
  method, url: `/api/v1/supervision${url}`, payload: payload as object, headers: { ...(who ? { cookie: cookies[who] } : {}), 'x-yiwang-csrf': '1' },
});

test('bad input is a 400 problem naming the field; strangers get 401 and 404', async () => {
  const bad = await call('leader', 'POST', '/problems', { source: 'manual', title: '', description: 'x', listId, departmentId: gaDept, kind: 'k', dueDays: 5 });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.headers['content-type'] as string, /application\/problem\+json/);
  assert.equal(bad.json().field, 'title');
  const weights = await call('leader', 'PUT', '/weights', { tasks: 101, hotline: 0, ratings: 0, problems: 0 });
  assert.equal(weights.json().field, 'tasks');
  assert.equal((await call(null, 'GET', '/problems')).statusCode, 401);
  const files = await call('leader', 'POST', '/problems', { source: 'manual', title: '审计问题', description: 'x', listId, departmentId: gaDept, kind: 'k', dueDays: 5 });
  assert.equal(files.statusCode, 201);
  assert.equal((await call('yc', 'GET', `/problems/${files.json().id}`)).statusCode, 404);
  assert.equal((await call('officer', 'GET', `/problems/${files.json().id}`)).statusCode, 200);
});

test('evidence goes up with a step and comes back only to those who may see the problem', async () => {
  const created = (await call('leader', 'POST', '/problems', { source: 'audit', sourceRef: 'audit:1', title: '资金拨付滞后', description: 'x', listId,
    departmentId: gaDept, kind: 'pay', dueDays: 5 })).json();
  await call('officer', 'POST', `/problems/${created.id}/analysis`, { whys: ['流程长'], causeCategory: 'process', rootCause: '审批环节多' });
  const stepped = await call('officer', 'POST', `/problems/${created.id}/steps`, { description: '压减环节', attachments: [png] });
  assert.equal(stepped.statusCode, 200);
  const view = (await call('officer', 'GET', `/problems/${created.id}`)).json();
  assert.deepEqual(view.can, { rectify: true, review: false, prevent: true });
  const file = view.steps[0].attachments[0];
  const got = await call('leader', 'GET', `/attachments/${file.id}`);
  assert.equal(got.statusCode, 200);
  assert.equal(got.headers['content-type'], 'image/png');
  assert.equal(got.rawPayload.toString('base64'), png.data);
  assert.equal((await call('yc', 'GET', `/attachments/${file.id}`)).statusCode, 404);
  const badFile = await call('officer', 'POST', `/problems/${created.id}/steps`, { description: 'x', attachments: [{ ...png, contentType: 'text/html' }] });
  assert.equal(badFile.statusCode, 400);
  // The ranking answers with each department's formula.
  const scores = (await call('officer', 'GET', '/scores?month=2026-01')).json();
  assert.equal(scores.month, '2026-01');
  assert.match(scores.formula.zh, /督办按期办结率/);
});
