import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { loadDemoKnowledge } from '../../src/hotline/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { makeHotlineCity, run, ticketInput } from './factories.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
before(async () => {
  t = await createTestApp();
  await makeHotlineCity(t.db);
  for (const user of ['operator', 'handler']) cookies[user] = await t.login(user);
});
after(() => t.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, user?: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1/hotline${url}`, headers: user ? { cookie: cookies[user]! } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

test('the demo knowledge base loads once and answers searches with jieba words, best match first', async () => {
  const added = await run(t.db, systemActor('demo'), loadDemoKnowledge, undefined);
  assert.ok(added >= 10 && added <= 20, `${added} entries`);
  assert.equal(await run(t.db, systemActor('demo'), loadDemoKnowledge, undefined), 0, 'a second load adds nothing');
  const search = async (q: string) => (await call('GET', `/knowledge?q=${encodeURIComponent(q)}`, 'operator')).json().items;
  assert.equal((await search('我的社保卡丢了要怎么补'))[0].question, '社保卡丢失了怎么补办？');
  assert.equal((await search('想提取公积金付房租'))[0].question, '住房公积金怎么提取？');
  assert.equal((await search('外地人办居住证'))[0].question, '居住证怎么办理？');
  assert.deepEqual(await search('量子引力'), []);
  assert.equal((await call('GET', '/knowledge?q=社保')).statusCode, 401);
});

test('the centre adds and edits entries; a department cannot; bad input names the field and changes nothing', async () => {
  const entry = { question: '如何办理残疾人证？', answer: '持身份证、户口簿和照片到户籍所在地残联申请评定。', keywords: '残疾人证 残联', categoryCode: 'ZX-ZCZX' };
  const denied = await call('POST', '/knowledge', 'handler', entry);
  assert.deepEqual([denied.statusCode, denied.json().code], [403, 'hotline.not-centre']);
  const badCategory = await call('POST', '/knowledge', 'operator', { ...entry, categoryCode: 'NOPE' });
  assert.deepEqual([badCategory.statusCode, badCategory.json().field], [400, 'categoryCode']);
  const blank = await call('POST', '/knowledge', 'operator', { ...entry, answer: '  ' });
  assert.deepEqual([blank.statusCode, blank.json().field], [400, 'answer']);
  const before = await ledgerCount(t.db, 'hotline.knowledge.saved');
  const created = await call('POST', '/knowledge', 'operator', entry);
  assert.equal(created.statusCode, 201);
  const id = created.json().id;
  assert.equal(await ledgerCount(t.db, 'hotline.knowledge.saved'), before + 1);
  const edited = await call('PUT', `/knowledge/${id}`, 'operator', { ...entry, answer: '到残联窗口申请评定，或通过线上平台预约。', active: false });
  assert.deepEqual([edited.statusCode, edited.json().active], [200, false]);
  assert.equal((await call('PUT', '/knowledge/999999', 'operator', entry)).statusCode, 404);
  const active = (await call('GET', `/knowledge?q=${encodeURIComponent('残疾人证')}`, 'operator')).json().items;
  assert.ok(!active.some((k: { id: number }) => k.id === id), 'an inactive entry is not offered');
  const all = (await call('GET', `/knowledge?q=${encodeURIComponent('残疾人证')}&all=true`, 'operator')).json().items;
  assert.equal(all.find((k: { id: number }) => k.id === id).answer, '到残联窗口申请评定，或通过线上平台预约。');
});

test('a 咨询 answered from an entry at intake is closed at once with its answer; other kinds and unknown entries change nothing', async () => {
  const [entry] = (await call('GET', `/knowledge?q=${encodeURIComponent('居住证')}`, 'operator')).json().items;
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_tickets')).rows[0]!.n;
  const before = await count();
  const complaint = await call('POST', '/tickets', 'operator', { ...ticketInput(), knowledgeId: entry.id });
  assert.deepEqual([complaint.statusCode, complaint.json().code], [409, 'hotline.direct-answer-consultation-only']);
  const unknown = await call('POST', '/tickets', 'operator', { ...ticketInput({ kind: 'consultation' }), knowledgeId: 999999 });
  assert.deepEqual([unknown.statusCode, unknown.json().field], [400, 'knowledgeId']);
  assert.equal(await count(), before, 'nothing was filed');
  const answered = await call('POST', '/tickets', 'operator', { ...ticketInput({ kind: 'consultation', description: '外地人怎么办居住证' }), knowledgeId: entry.id });
  assert.equal(answered.statusCode, 201);
  assert.deepEqual([answered.json().state, answered.json().reply], ['closed', entry.answer]);
  const history = (await call('GET', `/tickets/${answered.json().id}`, 'operator')).json().history;
  assert.deepEqual(history.map((e: { action: string }) => e.action), ['hotline.ticket.received', 'hotline.ticket.answered']);
});
