// 共享网关: deny by default, projection, masking, row filter, quota, rate limit, evidence (fail closed), in-process calls.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getUser, issueApiToken, systemActor, type Actor } from '../../../src/kernel/auth/index.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { canonicalJson } from '../../../src/kernel/ledger/index.ts';
import { callResource } from '../../../src/hub/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../../helpers/factories.ts';
import { run } from '../factories.ts';
import { adult, callGateway, grantFor, makeExchange, minor, otherCounty, type Exchange } from './factories.ts';

const evidenceOf = async (t: TestApp, messageId: string) =>
  (await t.db.query('SELECT * FROM hub_evidence WHERE message_id = $1', [messageId])).rows[0];
const lastEvidence = async (t: TestApp) => (await t.db.query('SELECT * FROM hub_evidence ORDER BY at DESC, message_id LIMIT 1')).rows[0];

describe('the gateway', () => {
  let t: TestApp;
  let x: Exchange;
  let grantId: number;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    const approved = await grantFor(t, x, x.people.code, {
      fields: ['id_number', 'name', 'birth_date'], masking: { birth_date: 'drop' },
      rowFilter: [{ field: 'division_code', op: 'prefix', value: '511602' }], dailyQuota: 5,
    }, ['id_number', 'name', 'birth_date', 'division_code']);
    grantId = approved.grant.id;
  });
  after(() => t.close());

  it('refuses a call without a token (401) and a token that speaks for no system (403), leaking nothing', async () => {
    const none = await callGateway(t, null, x.people.code, { subject: adult });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().data, undefined);
    const { token } = await run(t.db, systemActor('test'), issueApiToken, { name: 'loose', roles: [], divisionCode: '511600000000', validDays: 1 });
    const loose = await callGateway(t, token, x.people.code, { subject: adult });
    assert.deepEqual([loose.statusCode, loose.json().code], [403, 'hub.not-a-system']);
    const forged = await callGateway(t, `${x.token.slice(0, -4)}AAAA`, x.people.code, { subject: adult });
    assert.equal(forged.statusCode, 401);
  });

  it('answers within the grant: granted fields only, masked by default or by the grant, with hashes and evidence', async () => {
    const res = await callGateway(t, x.token, x.people.code, { subject: adult });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    // id_number partial by the field's default, name partial by default, birth_date dropped by the grant, no division_code
    assert.deepEqual(body.data, [{ id_number: `${adult.slice(0, 3)}***********${adult.slice(-4)}`, name: '张*' }]);
    assert.match(body.messageId, /^[0-9a-f-]{36}$/);
    const sha = (v: unknown) => crypto.createHash('sha256').update(canonicalJson(v)).digest('hex');
    const evidence = await evidenceOf(t, body.messageId);
    assert.equal(body.requestHash, evidence.request_hash);
    assert.equal(evidence.response_hash, sha(body.data));
    assert.deepEqual([evidence.status, evidence.subject, evidence.fields, evidence.purpose, evidence.case_id, evidence.grant_id],
      [200, adult, ['id_number', 'name'], '低保资格审核', 'MZ-2026-0001', grantId]);
    assert.equal(evidence.consumer_department_id, x.civil);
    assert.equal(evidence.provider_department_id, x.police);
    const ledger = await t.db.query(`SELECT actor_kind, purpose FROM ledger_queue WHERE object_type = 'hub-message' AND object_id = $1`, [body.messageId]);
    assert.deepEqual(ledger.rows, [{ actor_kind: 'system', purpose: '低保资格审核' }]);
  });

  it('looks up by GET with a field subset and applies the row filter', async () => {
    const res = await t.app.inject({ url: `/hub/v1/call/${x.people.code}?subject=${minor}&fields=name&purpose=%E6%A0%B8%E5%AF%B9&caseId=C-1`,
      headers: { authorization: `Bearer ${x.token}` } });
    assert.deepEqual(res.json().data, [{ name: '张**' }]);
    // 李四 is registered in 岳池县, outside the grant's row filter: an empty answer, still evidenced
    const outside = await callGateway(t, x.token, x.people.code, { subject: otherCounty });
    assert.deepEqual(outside.json().data, []);
    assert.equal((await evidenceOf(t, outside.json().messageId)).status, 200);
  });

  it('refuses fields outside the grant, malformed subjects and meta-characters, naming the field, and evidences them', async () => {
    const wider = await callGateway(t, x.token, x.people.code, { subject: adult, fields: ['household_size'] });
    assert.deepEqual([wider.statusCode, wider.json().code, wider.json().field], [403, 'hub.field.not-granted', 'fields']);
    assert.equal(wider.json().data, undefined);
    assert.equal((await lastEvidence(t)).code, 'hub.field.not-granted');
    const badId = await callGateway(t, x.token, x.people.code, { subject: `${adult.slice(0, 17)}0` === adult ? `${adult.slice(0, 17)}1` : `${adult.slice(0, 17)}0` });
    assert.deepEqual([badId.statusCode, badId.json().code, badId.json().field, badId.json().reason], [400, 'hub.subject.invalid', 'subject', 'check-digit']);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n;
    for (const key of ["1' OR '1'='1", '$..*', 'a;DROP TABLE hub_rows'])
      assert.deepEqual((await callGateway(t, x.token, x.people.code, { key })).json().field, 'key');
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n, before + 3);
    const none = await callGateway(t, x.token, x.people.code, {});
    assert.deepEqual([none.statusCode, none.json().field], [400, 'subject']);
    const noPurpose = await callGateway(t, x.token, x.people.code, { subject: adult }, { 'x-purpose': '' });
    assert.deepEqual([noPurpose.statusCode, noPurpose.json().field], [400, 'purpose']);
  });

  it('denies by default: no grant on the resource is 403 and evidenced', async () => {
    const res = await callGateway(t, x.token, x.open.code, { subject: adult });
    assert.deepEqual([res.statusCode, res.json().code], [403, 'hub.no-grant']);
    const evidence = await lastEvidence(t);
    assert.deepEqual([evidence.status, evidence.code, evidence.subject, evidence.resource_id], [403, 'hub.no-grant', adult, x.open.id]);
    assert.ok(await ledgerCount(t.db, 'hub.call.refused') >= 1);
  });

  it('enforces the daily quota with 429 and Retry-After until midnight China time', async () => {
    const answered = (await t.db.query('SELECT count(*)::int AS n FROM hub_evidence WHERE grant_id = $1 AND status = 200', [grantId])).rows[0].n;
    for (let i = answered; i < 5; i++) assert.equal((await callGateway(t, x.token, x.people.code, { subject: adult })).statusCode, 200);
    const over = await callGateway(t, x.token, x.people.code, { subject: adult });
    assert.deepEqual([over.statusCode, over.json().code], [429, 'hub.quota-exceeded']);
    const retry = Number(over.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 86_400, String(retry));
    assert.equal(over.json().data, undefined);
  });

  it('stops at once when the grant is revoked, and refuses an expired one', async () => {
    await t.app.inject({ method: 'POST', url: `/api/v1/hub/grants/${grantId}/revoke`, headers: { cookie: x.providerOfficer }, payload: { reason: '停止使用' } });
    const revoked = await callGateway(t, x.token, x.people.code, { subject: adult });
    assert.deepEqual([revoked.statusCode, revoked.json().code], [403, 'hub.no-grant']);
    const past = new Date(Date.now() - 86_400_000);
    await grantFor(t, x, x.people.code, { validFrom: new Date(past.getTime() - 86_400_000).toISOString(), validUntil: past.toISOString() });
    const expired = await callGateway(t, x.token, x.people.code, { subject: adult });
    assert.deepEqual([expired.statusCode, expired.json().code], [403, 'hub.grant.expired']);
  });

  it('fails closed: when the evidence cannot be written the call returns no data and nothing is kept', async () => {
    await grantFor(t, x, x.people.code);
    await t.db.query(`CREATE FUNCTION refuse_hub_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action LIKE 'hub.call.%' THEN RAISE EXCEPTION 'ledger unavailable'; END IF; RETURN NEW; END $$`);
    await t.db.query('CREATE TRIGGER refuse_hub_ledger BEFORE INSERT ON ledger_queue FOR EACH ROW EXECUTE FUNCTION refuse_hub_ledger()');
    try {
      const before = (await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n;
      const res = await callGateway(t, x.token, x.people.code, { subject: adult });
      assert.deepEqual([res.statusCode, res.json().code], [503, 'hub.evidence-unavailable']);
      assert.equal(res.json().data, undefined);
      assert.doesNotMatch(res.body, /张/);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n, before);
    } finally {
      await t.db.query('DROP TRIGGER refuse_hub_ledger ON ledger_queue');
    }
    assert.equal((await callGateway(t, x.token, x.people.code, { subject: adult })).statusCode, 200);
  });

  it('groups concurrent calls\' evidence and answers each one after its batch committed', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n;
    const answers = await Promise.all(Array.from({ length: 50 }, () => callGateway(t, x.token, x.people.code, { subject: adult })));
    assert.ok(answers.every((a) => a.statusCode === 200));
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hub_evidence')).rows[0].n, before + 50);
    const ids = answers.map((a) => a.json().messageId);
    assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM ledger_queue WHERE object_id = ANY($1)`, [ids])).rows[0].n, 50);
  });

  it('reads the rows of concurrent calls together, each call getting only its own subject\'s rows', async () => {
    const subjects = [adult, minor, otherCounty];
    const alone = new Map<string, unknown>();
    for (const subject of subjects) alone.set(subject, (await callGateway(t, x.token, x.people.code, { subject })).json().data);
    assert.notDeepEqual(alone.get(adult), alone.get(minor));
    const together = await Promise.all(Array.from({ length: 30 }, (_, i) => subjects[i % 3]!).map(async (subject) =>
      [subject, (await callGateway(t, x.token, x.people.code, { subject })).json().data] as const));
    for (const [subject, data] of together) assert.deepEqual(data, alone.get(subject), subject);
  });

  it('serves other modules in-process for an officer\'s department system, with the same evidence', async () => {
    const user = (await t.db.query(`SELECT id FROM users WHERE username = 'civil_officer'`)).rows[0];
    const staff = await getUser(t.db, user.id);
    const actor: Actor = { kind: 'staff', id: String(staff!.id), name: 'civil_officer', roles: ['officer'], grants: new Set(['hub.request.create']),
      jurisdiction: { root: '511600000000', prefix: '5116', covers: (c) => c.startsWith('5116') }, departmentId: x.civil };
    const answer = await withTransaction(t.db, (tx) => callResource({ tx, actor, now: new Date() },
      { resource: x.people.code, subject: adult, purpose: '预填申请表', caseId: 'SQ-1', fields: ['name'] }));
    assert.deepEqual(answer.data, [{ name: '张*' }]);
    const evidence = await evidenceOf(t, answer.messageId);
    assert.deepEqual([evidence.consumer_system_id, evidence.purpose, evidence.status], [x.civilSystem.id, '预填申请表', 200]);
    await assert.rejects(withTransaction(t.db, (tx) => callResource({ tx, actor, now: new Date() },
      { resource: x.open.code, subject: adult, purpose: '预填', caseId: 'SQ-2' })), (e: { code: string }) => e.code === 'hub.no-grant');
  });
});
