import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { saveItem } from '../../src/services/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { run } from '../hub/factories.ts';
import { itemInput, makeCitizen, makeServicesCity, makeServicesHub, residentId } from './factories.ts';

let t: TestApp;
let itemId: number;
const cookies: Record<string, string> = {};
const elder = residentId('19400307', '125');
const elderElsewhere = residentId('19380101', '126');

before(async () => {
  t = await createTestApp();
  const city = await makeServicesCity(t.db);
  await makeCitizen(t.db, 'citizen3', elder);
  // 广安区 elders (one with an account), an elder of 岳池县 and younger people.
  const people = [
    { id_number: elder, name: '王德福', birth_date: '1940-03-07', division_code: '511602001001' },
    { id_number: residentId('19350505', '127'), name: '李秀英', birth_date: '1935-05-05', division_code: '511602001002' },
    { id_number: elderElsewhere, name: '赵大山', birth_date: '1938-01-01', division_code: '511621100001' },
    ...Array.from({ length: 50 }, (_, i) => ({ id_number: residentId(`19${60 + (i % 30)}0101`, String(200 + i)), name: `居民${i}`,
      birth_date: `19${60 + (i % 30)}-01-01`, division_code: '511602001001' })),
  ];
  await makeServicesHub(t.db, city, people);
  itemId = (await run(t.db, systemActor('test'), saveItem, itemInput(city.gaDeptCode, { code: '511B0003-POLICY-1-00', name: '80周岁以上老年人高龄津贴发放' }))).id;
  for (const user of ['admin', 'ga_officer', 'citizen3', 'citizen1']) cookies[user] = await t.login(user);
});
after(() => t.close());

const call = (method: 'GET' | 'POST', url: string, user: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1/services${url}`, headers: { cookie: cookies[user]! }, ...(payload === undefined ? {} : { payload: payload as object }) });

const policy = (overrides: Record<string, unknown> = {}) => ({
  code: 'elderly-allowance', name: '高龄津贴主动发放', description: '本区户籍80周岁以上老年人', itemId,
  rules: [{ predicate: 'age-over-80', expect: true }, { predicate: 'resident-guang-an', expect: true }], automatic: false, active: true, ...overrides,
});

test('an admin defines a policy over hub predicates; evaluation finds who qualifies and why, once each', async () => {
  assert.equal((await call('POST', '/policies', 'ga_officer', policy())).statusCode, 403);
  const unknown = await call('POST', '/policies', 'admin', policy({ rules: [{ predicate: 'age-over-200', expect: true }] }));
  assert.deepEqual([unknown.statusCode, unknown.json().field], [400, 'rules.0.predicate']);
  const saved = await call('POST', '/policies', 'admin', policy());
  assert.equal(saved.statusCode, 201);
  const evaluated = (await call('POST', `/policies/${saved.json().id}/evaluate`, 'admin')).json();
  assert.deepEqual(evaluated, { qualified: 2, offered: 2, granted: 0 });
  const again = (await call('POST', `/policies/${saved.json().id}/evaluate`, 'admin')).json();
  assert.deepEqual(again, { qualified: 2, offered: 0, granted: 0 });
  assert.equal(await ledgerCount(t.db, 'services.policy.evaluated'), 2);
  const offers = (await call('GET', '/offers', 'citizen3')).json().items;
  assert.equal(offers.length, 1);
  assert.deepEqual(offers[0].reasons.map((r: { name: string }) => r.name), ['年满80周岁', '广安区户籍']);
  assert.deepEqual((await call('GET', '/offers', 'citizen1')).json().items, []);
});

test('one click accepts the offer: an application approved at once; a second click or someone else is refused', async () => {
  const offer = (await call('GET', '/offers', 'citizen3')).json().items[0];
  assert.equal((await call('POST', `/offers/${offer.id}/accept`, 'citizen1')).statusCode, 404);
  const accepted = await call('POST', `/offers/${offer.id}/accept`, 'citizen3');
  assert.equal(accepted.statusCode, 200);
  assert.deepEqual([accepted.json().state, accepted.json().channel, accepted.json().abilities], ['approved', 'proactive', []]);
  assert.match(accepted.json().receiptNumber, /^511602-\d{8}-\d{7}$/);
  assert.equal((await call('POST', `/offers/${offer.id}/accept`, 'citizen3')).statusCode, 409);
  assert.equal((await call('GET', '/offers', 'citizen3')).json().items[0].state, 'accepted');
});

test('an automatic policy grants without waiting: approved applications for every one found', async () => {
  const saved = (await call('POST', '/policies', 'admin', policy({ code: 'elderly-auto', automatic: true }))).json();
  const evaluated = (await call('POST', `/policies/${saved.id}/evaluate`, 'admin')).json();
  assert.deepEqual(evaluated, { qualified: 2, offered: 2, granted: 2 });
  const { rows } = await t.db.query(`SELECT state, channel, receipt_number FROM services_applications WHERE channel = 'proactive' AND reason LIKE '免申即享%'`);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.state === 'approved' && /^511602-/.test(r.receipt_number)));
  const listed = (await call('GET', '/policies', 'admin')).json().items.find((p: { code: string }) => p.code === 'elderly-auto');
  assert.deepEqual([listed.offers, listed.granted], [2, 2]);
});
