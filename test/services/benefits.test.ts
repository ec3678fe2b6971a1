import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { definePredicate, issueGrant, type Resource } from '../../src/hub/index.ts';
import { evaluatePolicy, saveItem } from '../../src/services/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { run } from '../hub/factories.ts';
import { itemInput, makeCitizen, makeServicesCity, makeServicesHub, residentId, servicesCaller } from './factories.ts';

let t: TestApp;
let itemId: number;
/** an item paying no amount */
let plainItemId: number;
let register: Resource;
let gaDept: number;
const { cookies, login, call } = servicesCaller(() => t);
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
  register = await makeServicesHub(t.db, city, people);
  gaDept = city.gaDept;
  itemId = (await run(t.db, systemActor('test'), saveItem, itemInput(city.gaDeptCode, { code: '511B0003-POLICY-1-00', name: '80周岁以上老年人高龄津贴发放', amountKind: 'benefit' }))).id;
  plainItemId = (await run(t.db, systemActor('test'), saveItem, itemInput(city.gaDeptCode, { code: '511B0003-POLICY-2-00', name: '老年人优待证办理' }))).id;
  await login(['admin', 'ga_officer', 'citizen3', 'citizen1']);
});

const hub = systemActor('test');

/** Evidence the policy's reads left, as (subject, predicate) pairs sorted. */
async function evidenceOf(code: string): Promise<string[]> {
  const { rows } = await t.db.query<{ pair: string }>(
    `SELECT e.subject || ' ' || p.code AS pair FROM hub_evidence e JOIN hub_predicates p ON p.id = e.predicate_id
      WHERE e.purpose LIKE $1 ORDER BY 1`, [`%（${code}）`]);
  return rows.map((r) => r.pair);
}
after(() => t.close());


const policy = (overrides: Record<string, unknown> = {}) => ({
  code: 'elderly-allowance', name: '高龄津贴主动发放', description: '本区户籍80周岁以上老年人', itemId,
  rules: [{ predicate: 'age-over-80', expect: true }, { predicate: 'resident-guang-an', expect: true }], automatic: false, active: true, amount: 60_000, ...overrides,
});

/** The published facts and the actor of the approval entry of each application, by id. */
async function approvalEntries(ids: number[]): Promise<{ id: number; actor: string; facts: Record<string, unknown> }[]> {
  const { rows } = await t.db.query<{ id: number; actor: string; facts: Record<string, unknown> }>(
    `SELECT object_id::int AS id, actor_kind || ':' || actor_id AS actor, facts FROM ledger_queue
      WHERE action = 'services.application.approved' AND object_id = ANY($1) ORDER BY object_id::int`, [ids.map(String)]);
  return rows;
}

test('a policy of an item that pays an amount states it in 分: required, a positive integer, refused for an item without one; editing it is on record', async () => {
  const { amount: _, ...withoutAmount } = policy({ code: 'amount-check' });
  const missing = await call('POST', '/policies', 'admin', withoutAmount);
  assert.deepEqual([missing.statusCode, missing.json().code, missing.json().field], [400, 'services.amount-required', 'amount']);
  for (const amount of [0, -100, 12.5, 1_000_000_001])
    assert.deepEqual(await call('POST', '/policies', 'admin', policy({ code: 'amount-check', amount })).then((r) => [r.statusCode, r.json().field]), [400, 'amount'], String(amount));
  const plain = await call('POST', '/policies', 'admin', policy({ code: 'amount-check', itemId: plainItemId }));
  assert.deepEqual([plain.statusCode, plain.json().code, plain.json().field], [400, 'services.amount-not-allowed', 'amount']);
  const withoutOne = await call('POST', '/policies', 'admin', { ...withoutAmount, itemId: plainItemId });
  assert.deepEqual([withoutOne.statusCode, withoutOne.json().amount], [201, null]);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM services_policies WHERE code = $1 AND amount IS NOT NULL', ['amount-check'])).rows[0].n, 0);
  const saves = await ledgerCount(t.db, 'services.policy.saved');
  const saved = await call('POST', '/policies', 'admin', policy({ code: 'amount-check', amount: 65_050 }));
  assert.deepEqual([saved.statusCode, saved.json().amount], [201, 65_050]);
  const edited = await call('POST', '/policies', 'admin', policy({ code: 'amount-check', amount: 70_000 }));
  assert.deepEqual([edited.json().id, edited.json().amount], [saved.json().id, 70_000]);
  assert.equal(await ledgerCount(t.db, 'services.policy.saved'), saves + 2);
  const { rows: [stored] } = await t.db.query('SELECT amount FROM services_policies WHERE code = $1', ['amount-check']);
  assert.equal(stored!.amount, 70_000);
  assert.equal((await call('GET', '/policies', 'admin')).json().items.find((p: { code: string }) => p.code === 'amount-check').amount, 70_000);
  await t.db.query(`DELETE FROM services_policies WHERE code = 'amount-check'`);
});

test('an admin defines a policy over hub predicates; evaluation finds who qualifies and why, once each', async () => {
  assert.equal((await call('POST', '/policies', 'ga_officer', policy())).statusCode, 403);
  const unknown = await call('POST', '/policies', 'admin', policy({ rules: [{ predicate: 'age-over-200', expect: true }] }));
  assert.deepEqual([unknown.statusCode, unknown.json().field], [400, 'rules.0.predicate']);
  const saved = await call('POST', '/policies', 'admin', policy());
  assert.equal(saved.statusCode, 201);
  const evaluated = (await call('POST', `/policies/${saved.json().id}/evaluate`, 'admin')).json();
  assert.deepEqual(evaluated, { qualified: 2, offered: 2, granted: 0 });
  // Through the hub: everyone in the register was asked the first rule, only the three over 80 the second,
  // each exactly once, by the 民政局's system, for the policy, provided by the 公安局.
  const { rows: people } = await t.db.query<{ subject: string }>('SELECT subject FROM hub_rows WHERE resource_id = $1 ORDER BY 1', [register.id]);
  const over80 = [elder, residentId('19350505', '127'), elderElsewhere];
  assert.deepEqual(await evidenceOf('elderly-allowance'),
    [...people.map((p) => `${p.subject} age-over-80`), ...over80.map((s) => `${s} resident-guang-an`)].sort());
  const { rows: [record] } = await t.db.query(
    `SELECT e.purpose, e.case_id, e.status, s.code AS system, e.provider_department_id = r.provider_department_id AS provider, e.grant_id IS NOT NULL AS granted
       FROM hub_evidence e JOIN hub_systems s ON s.id = e.consumer_system_id JOIN hub_resources r ON r.id = e.resource_id WHERE e.subject = $1 LIMIT 1`, [elder]);
  assert.deepEqual(record, { purpose: '不来即享：高龄津贴主动发放（elderly-allowance）', case_id: `policy:${saved.json().id}`, status: 200,
    system: 'GAQ-MZ-YWTB', provider: true, granted: true });
  assert.equal(await ledgerCount(t.db, 'hub.ask.answered'), people.length + 3);
  // The citizen sees both questions in 我的数据使用记录; someone not in the register sees none.
  const usage = (await t.app.inject({ url: '/api/v1/hub/my/usage', headers: { cookie: cookies.citizen3! } })).json();
  assert.deepEqual(usage.entries.map((e: Record<string, unknown>) => [e.predicateName, e.purpose, e.consumerSystemName, e.providerDepartmentName, e.answered]).sort(), [
    ['广安区户籍', '不来即享：高龄津贴主动发放（elderly-allowance）', '广安区民政局一网通办受理系统', '市公安局', true],
    ['年满80周岁', '不来即享：高龄津贴主动发放（elderly-allowance）', '广安区民政局一网通办受理系统', '市公安局', true],
  ].sort());
  assert.equal((await t.app.inject({ url: '/api/v1/hub/my/usage', headers: { cookie: cookies.citizen1! } })).json().total, 0);
  const again = (await call('POST', `/policies/${saved.json().id}/evaluate`, 'admin')).json();
  assert.deepEqual(again, { qualified: 2, offered: 0, granted: 0 });
  assert.equal(await ledgerCount(t.db, 'services.policy.evaluated'), 2);
  const offers = (await call('GET', '/offers', 'citizen3')).json().items;
  assert.equal(offers.length, 1);
  assert.deepEqual(offers[0].reasons.map((r: { name: string }) => r.name), ['年满80周岁', '广安区户籍']);
  assert.deepEqual([offers[0].amount, offers[0].amountKind], [60_000, 'benefit']);
  assert.deepEqual((await call('GET', '/offers', 'citizen1')).json().items, []);
});

test('one click accepts the offer: an application approved at once; a second click or someone else is refused', async () => {
  const offer = (await call('GET', '/offers', 'citizen3')).json().items[0];
  assert.equal((await call('POST', `/offers/${offer.id}/accept`, 'citizen1')).statusCode, 404);
  const accepted = await call('POST', `/offers/${offer.id}/accept`, 'citizen3');
  assert.equal(accepted.statusCode, 200);
  assert.deepEqual([accepted.json().state, accepted.json().channel, accepted.json().abilities, accepted.json().amount], ['approved', 'proactive', [], 60_000]);
  // The citizen's acceptance, then the policy's approval with its amount, published as a decision's is.
  assert.deepEqual(accepted.json().history.map((h: { action: string; toState: string }) => [h.action, h.toState]),
    [['services.offer.accepted', 'submitted'], ['services.application.approved', 'approved']]);
  const { rows: [app] } = await t.db.query('SELECT amount FROM services_applications WHERE id = $1', [accepted.json().id]);
  assert.equal(app!.amount, 60_000);
  assert.deepEqual(await approvalEntries([accepted.json().id]), [{ id: accepted.json().id, actor: 'system:services.proactive',
    facts: { amount: 60_000, item: itemId, division: '511602000000', actorJurisdiction: '' } }]);
  assert.match(accepted.json().receiptNumber, /^511602-\d{8}-\d{7}$/);
  assert.equal((await call('POST', `/offers/${offer.id}/accept`, 'citizen3')).statusCode, 409);
  assert.equal((await call('GET', '/offers', 'citizen3')).json().items[0].state, 'accepted');
});

test('an automatic policy grants without waiting: approved applications for every one found', async () => {
  const saved = (await call('POST', '/policies', 'admin', policy({ code: 'elderly-auto', automatic: true, amount: 55_000 }))).json();
  // A policy saved before it stated an amount grants nothing until it states one.
  await t.db.query('UPDATE services_policies SET amount = NULL WHERE id = $1', [saved.id]);
  const refused = await call('POST', `/policies/${saved.id}/evaluate`, 'admin');
  assert.deepEqual([refused.statusCode, refused.json().code, refused.json().field], [400, 'services.amount-required', 'amount']);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM services_offers WHERE policy_id = $1', [saved.id])).rows[0].n, 0);
  await t.db.query('UPDATE services_policies SET amount = 55000 WHERE id = $1', [saved.id]);
  const evaluated = (await call('POST', `/policies/${saved.id}/evaluate`, 'admin')).json();
  assert.deepEqual(evaluated, { qualified: 2, offered: 2, granted: 2 });
  const { rows } = await t.db.query(`SELECT id::int, state, channel, receipt_number, applicant_name, amount FROM services_applications WHERE channel = 'proactive' AND reason LIKE '免申即享%' ORDER BY id`);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.state === 'approved' && /^511602-/.test(r.receipt_number) && r.amount === 55_000), JSON.stringify(rows));
  // Each grant is an approval on the ledger by the one who ran the evaluation, its amount published for the oversight rules.
  const { rows: [admin] } = await t.db.query(`SELECT id FROM users WHERE username = 'admin'`);
  const entries = await approvalEntries(rows.map((r) => r.id));
  assert.deepEqual(entries, rows.map((r, i) => ({ id: r.id, actor: `staff:${admin!.id}`,
    facts: { amount: 55_000, item: itemId, division: '511602000000', actorJurisdiction: entries[i]?.facts.actorJurisdiction } })));
  // The hub answered yes or no: no name left it (李秀英 has no account and is named by her masked ID).
  const lee = residentId('19350505', '127');
  assert.deepEqual(rows.map((r) => r.applicant_name).sort(), ['市民citizen3', `${lee.slice(0, 6)}********${lee.slice(-4)}`].sort());
  const listed = (await call('GET', '/policies', 'admin')).json().items.find((p: { code: string }) => p.code === 'elderly-auto');
  assert.deepEqual([listed.offers, listed.granted], [2, 2]);
});

test('without a grant on every rule\'s predicate the evaluation is refused, naming the rule; nothing is read or offered', async () => {
  await run(t.db, hub, definePredicate, { code: 'age-over-90', name: '年满90周岁', resource: register.code, field: 'birth_date', operator: 'age_at_least', param: '90' });
  const saved = (await call('POST', '/policies', 'admin', policy({ code: 'nonagenarians', rules: [
    { predicate: 'resident-guang-an', expect: true }, { predicate: 'age-over-90', expect: true }] }))).json();
  const evidence = (await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n;
  const evaluations = await ledgerCount(t.db, 'services.policy.evaluated');
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/services/policies/${saved.id}/evaluate` })).statusCode, 401);
  assert.equal((await call('POST', '/policies/x/evaluate', 'admin')).json().field, 'id');
  assert.equal((await call('POST', `/policies/${saved.id}/evaluate`, 'ga_officer')).statusCode, 403);
  const refused = await call('POST', `/policies/${saved.id}/evaluate`, 'admin');
  assert.deepEqual([refused.statusCode, refused.json().code, refused.json().field, refused.json().predicate, refused.json().reason],
    [403, 'services.policy.no-grant', 'rules.1.predicate', 'age-over-90', 'hub.no-grant']);
  await assert.rejects(run(t.db, hub, evaluatePolicy, { id: saved.id }), { code: 'services.policy.no-grant' });
  // The first rule's reads rolled back with the refusal: no evidence, no offers, no evaluation on record.
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n, evidence);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM services_offers WHERE policy_id = $1', [saved.id])).rows[0].n, 0);
  assert.equal(await ledgerCount(t.db, 'services.policy.evaluated'), evaluations);
});

test('the grant\'s row filter bounds who is read, and its daily quota counts every person answered', async () => {
  const predicate = await run(t.db, hub, definePredicate, { code: 'age-over-85', name: '年满85周岁', resource: register.code, field: 'birth_date', operator: 'age_at_least', param: '85' });
  const { rows: [system] } = await t.db.query<{ id: number }>(`SELECT id FROM hub_systems WHERE code = 'GAQ-MZ-YWTB'`);
  // Granted 岳池县 only, at most one answer a day.
  await run(t.db, hub, issueGrant, { requestId: null, consumerSystemId: system!.id, consumerDepartmentId: gaDept, resourceId: register.id, predicateId: predicate.id,
    providerDepartmentId: register.providerDepartmentId, purpose: '高龄老人补贴', legalBasis: '《老年人权益保障法》', fields: ['birth_date'],
    rowFilter: [{ field: 'division_code', op: 'prefix', value: '511621' }], dailyQuota: 1 });
  const saved = (await call('POST', '/policies', 'admin', policy({ code: 'over-85', rules: [{ predicate: 'age-over-85', expect: true }] }))).json();
  assert.deepEqual((await call('POST', `/policies/${saved.id}/evaluate`, 'admin')).json(), { qualified: 1, offered: 1, granted: 0 });
  assert.deepEqual(await evidenceOf('over-85'), [`${elderElsewhere} age-over-85`], 'the 广安区 elders over 85 were not read');
  const again = await call('POST', `/policies/${saved.id}/evaluate`, 'admin');
  assert.deepEqual([again.statusCode, again.json().code], [429, 'hub.quota-exceeded']);
  assert.deepEqual(await evidenceOf('over-85'), [`${elderElsewhere} age-over-85`]);
});

test('evidence that cannot be written fails the evaluation: no offers, nothing on record (fail closed)', async () => {
  const saved = (await call('POST', '/policies', 'admin', policy({ code: 'no-evidence' }))).json();
  await t.db.query(`CREATE FUNCTION refuse_evidence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'evidence store down'; END $$;
    CREATE TRIGGER refuse_evidence BEFORE INSERT ON hub_evidence FOR EACH ROW EXECUTE FUNCTION refuse_evidence()`);
  try {
    const evaluations = await ledgerCount(t.db, 'services.policy.evaluated');
    const failed = await call('POST', `/policies/${saved.id}/evaluate`, 'admin');
    assert.deepEqual([failed.statusCode, failed.json().code], [503, 'hub.evidence-unavailable']);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM services_offers WHERE policy_id = $1', [saved.id])).rows[0].n, 0);
    assert.equal(await ledgerCount(t.db, 'services.policy.evaluated'), evaluations);
    assert.deepEqual(await evidenceOf('no-evidence'), []);
  } finally {
    await t.db.query('DROP TRIGGER refuse_evidence ON hub_evidence; DROP FUNCTION refuse_evidence()');
  }
  assert.deepEqual((await call('POST', `/policies/${saved.id}/evaluate`, 'admin')).json(), { qualified: 2, offered: 2, granted: 0 });
});
