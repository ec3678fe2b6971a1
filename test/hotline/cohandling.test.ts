import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, makeStaff, type TestApp } from '../helpers/factories.ts';
import { makeHotlineCity, ticketInput } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeHotlineCity>>;
let waterDept: number;
const cookies: Record<string, string> = {};
before(async () => {
  t = await createTestApp();
  city = await makeHotlineCity(t.db);
  waterDept = (await t.db.query<{ id: number }>(
    `INSERT INTO departments (code, name, kind, division_code) VALUES ('SW-511602', '广安区水务局', 'water', '511602000000') RETURNING id::int`)).rows[0]!.id;
  await makeStaff(t.db, { username: 'water', roles: ['officer'], departmentId: waterDept });
  for (const user of ['operator', 'handler', 'yc_handler', 'water']) cookies[user] = await t.login(user);
});
after(() => t.close());

const call = (method: 'GET' | 'POST', url: string, user?: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1/hotline${url}`, headers: user ? { cookie: cookies[user]! } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

test('主办/协办: dispatch names co-handlers; they see the ticket in their co queue and give their opinion once', async () => {
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  const unknown = await call('POST', `/tickets/${id}/dispatch`, 'operator', { coDepartmentIds: [999999] });
  assert.deepEqual([unknown.statusCode, unknown.json().field, unknown.json().code], [400, 'coDepartmentIds', 'hotline.department.unknown']);
  const self = await call('POST', `/tickets/${id}/dispatch`, 'operator', { coDepartmentIds: [city.gaUrban] });
  assert.deepEqual([self.statusCode, self.json().code], [400, 'hotline.co-handler-is-main']);
  assert.equal((await call('GET', `/tickets/${id}`, 'operator')).json().state, 'received', 'a refused dispatch changes nothing');

  const dispatched = await call('POST', `/tickets/${id}/dispatch`, 'operator', { coDepartmentIds: [waterDept] });
  assert.equal(dispatched.statusCode, 200);
  const co = (await call('GET', '/tickets?role=co', 'water')).json();
  assert.deepEqual(co.items.map((x: { id: number; handlingRole: string }) => [x.id, x.handlingRole]), [[id, 'co']]);
  const main = (await call('GET', '/tickets', 'handler')).json();
  assert.equal(main.items.find((x: { id: number }) => x.id === id).handlingRole, 'main');
  assert.equal((await call('GET', '/tickets?role=co', 'handler')).json().total, 0);

  const seen = (await call('GET', `/tickets/${id}`, 'water')).json();
  assert.deepEqual(seen.coHandlers, [{ departmentId: waterDept, departmentName: '广安区水务局', reply: null, repliedAt: null }]);
  assert.equal(seen.mayCoReply, true);
  assert.equal(seen.caller.masked, true, 'a co-handler does not see the caller');

  assert.equal((await call('POST', `/tickets/${id}/co-reply`, 'handler', { text: '我是主办' })).json().code, 'hotline.not-co-handler');
  assert.equal((await call('POST', `/tickets/${id}/co-reply`, 'yc_handler', { text: '无关' })).statusCode, 403);
  const empty = await call('POST', `/tickets/${id}/co-reply`, 'water', { text: '   ' });
  assert.deepEqual([empty.statusCode, empty.json().field], [400, 'text']);
  assert.equal((await call('POST', `/tickets/${id}/co-reply`, 'water', { text: '管网已排查，无渗漏' })).statusCode, 200);
  const twice = await call('POST', `/tickets/${id}/co-reply`, 'water', { text: '再说一次' });
  assert.deepEqual([twice.statusCode, twice.json().code], [409, 'hotline.co-replied']);

  // The main department replies whenever it is ready; the opinion stands beside it, in the view and the history.
  assert.equal((await call('POST', `/tickets/${id}/accept`, 'handler')).statusCode, 200);
  assert.equal((await call('POST', `/tickets/${id}/reply`, 'handler', { reply: '已清运' })).statusCode, 200);
  const view = (await call('GET', `/tickets/${id}`, 'operator')).json();
  assert.equal(view.coHandlers[0].reply, '管网已排查，无渗漏');
  assert.ok(view.coHandlers[0].repliedAt);
  const coEvent = view.history.find((e: { action: string }) => e.action === 'hotline.ticket.co-replied');
  assert.deepEqual([coEvent.department.id, coEvent.note, coEvent.from, coEvent.to], [waterDept, '管网已排查，无渗漏', 'dispatched', 'dispatched']);
  assert.match(view.history.find((e: { action: string }) => e.action === 'hotline.ticket.dispatched').note, /协办: 广安区水务局/);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.co-replied'), 1);
  // Closed: no more opinions.
  assert.equal((await call('POST', `/tickets/${id}/close`, 'operator', {})).statusCode, 200);
  assert.equal((await call('GET', `/tickets/${id}`, 'water')).json().mayCoReply, false);
});

test('改派 replaces the co-handlers that have not given their opinion; outsiders never see the ticket', async () => {
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  await call('POST', `/tickets/${id}/dispatch`, 'operator', { coDepartmentIds: [waterDept, city.ycUrban] });
  assert.equal((await call('GET', `/tickets/${id}`, 'yc_handler')).statusCode, 200, 'a co-handler elsewhere sees it');
  await call('POST', `/tickets/${id}/return`, 'handler', { reasonCode: 'not-our-duty' });
  const redispatched = await call('POST', `/tickets/${id}/redispatch`, 'operator', { departmentId: city.gaUrban, coDepartmentIds: [waterDept] });
  assert.equal(redispatched.statusCode, 200);
  const view = (await call('GET', `/tickets/${id}`, 'operator')).json();
  assert.deepEqual(view.coHandlers.map((h: { departmentId: number }) => h.departmentId), [waterDept]);
  assert.equal((await call('GET', `/tickets/${id}`, 'yc_handler')).statusCode, 404);
  // Re-dispatched to the co-handler itself, without naming co-handlers: it is the main department now, and only that.
  await call('POST', `/tickets/${id}/return`, 'handler', { reasonCode: 'not-our-duty' });
  const toWater = (await call('POST', `/tickets/${id}/redispatch`, 'operator', { departmentId: waterDept })).json();
  assert.equal(toWater.department.id, waterDept);
  assert.deepEqual((await call('GET', `/tickets/${id}`, 'operator')).json().coHandlers, []);
});
