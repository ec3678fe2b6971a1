/**
 * The rules that read what an entry publishes beside its payload hash, over entries written by the modules
 * themselves: a decision by an officer whose jurisdiction does not cover the application, an item whose
 * applications are mostly turned down, an approval paying far more than its item's others, a data-hub call stating
 * another purpose than its grant's. Each planted act
 * raises exactly its alert, the innocent ones none, and the stream raises what a backfill does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { actorOfUser, type UserRow } from '../../src/kernel/auth/sessions.ts';
import { withTransaction, type Db } from '../../src/kernel/db/index.ts';
import { integrateBatch } from '../../src/kernel/ledger/index.ts';
import { recordHash, type EvidenceRow } from '../../src/hub/exchange/evidence.ts';
import { installLibrary } from '../../src/oversight/rulebook.ts';
import { activeVersions, evaluateRange, streamLedger } from '../../src/oversight/stream.ts';
import { lockApplication, recordStep } from '../../src/services/applications.ts';
import { saveItem } from '../../src/services/index.ts';
import { createTestApp, makeStaff, type TestApp } from '../helpers/factories.ts';
import { adult, callGateway, grantFor, makeExchange } from '../hub/exchange/factories.ts';
import { itemInput, makeServicesCity, servicesCaller } from '../services/factories.ts';

const system = systemActor('test');

/** Sequences the ledger, streams it in small batches and checks a backfill raises the same; returns the alerts by rule code. */
async function streamedAlerts(db: Db): Promise<{ code: string; entries: number[]; people: string[]; measure: number }[]> {
  let size = 0;
  for (let integrated = 1; integrated > 0;) ({ integrated, size } = await integrateBatch(db));
  for (let cursor = 0; cursor < size;) {
    await streamLedger(db, new Date(), 7);
    cursor = (await db.query<{ n: number }>('SELECT next_index AS n FROM oversight_cursor')).rows[0]!.n;
  }
  const { rows } = await db.query<{ id: number; key: string; code: string; entries: number[]; people: string[]; measure: number }>(
    `SELECT al.rule_version_id AS id, al.alert_key AS key, r.code, al.entries::int[] AS entries, al.people, al.measure FROM oversight_alerts al
     JOIN oversight_rule_versions v ON v.id = al.rule_version_id JOIN oversight_rules r ON r.id = v.rule_id ORDER BY al.id`);
  const backfilled = await evaluateRange(db, await activeVersions(db), 0, size);
  const key = (a: { id: number; key: string; entries: number[] }) => `${a.id}/${a.key}/${a.entries.join(',')}`;
  assert.deepEqual(rows.map(key).sort(), backfilled.map((e) => key({ id: e.ruleVersionId, key: e.key, entries: e.entries })).sort());
  return rows;
}

const leafOf = async (db: Db, action: string, objectType: string, objectId: string | number) => (await db.query<{ i: number }>(
  'SELECT leaf_index::int AS i FROM ledger_entries WHERE action = $1 AND object_type = $2 AND object_id = $3', [action, objectType, String(objectId)])).rows[0]!.i;

describe('services: decisions outside the jurisdiction, items often turned down', () => {
  let t: TestApp;
  let city: Awaited<ReturnType<typeof makeServicesCity>>;
  let moved: number;
  const { cookies, login, call: send } = servicesCaller(() => t);
  before(async () => {
    t = await createTestApp();
    city = await makeServicesCity(t.db);
    // An officer of the 广安区 bureau whose account is in 岳池县: the services refuse them the bureau's applications (403).
    moved = await makeStaff(t.db, { username: 'moved_officer', roles: ['officer'], departmentId: city.gaDept, divisionCode: '511621000000' });
    await withTransaction(t.db, (tx) => installLibrary({ tx, actor: system, now: new Date() }));
    await login(['ga_officer', 'ga_officer2', 'moved_officer', 'citizen1']);
  });
  after(() => t?.close());

  const call = async (url: string, user: string, payload: object = {}) => {
    const res = await send('POST', url, user, payload);
    assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
    return res.json();
  };
  const form = { name: '张小红', reason: '家中突发火灾，生活困难' };
  /** An application submitted, then accepted, reviewed and approved by another officer, or turned away at the window. */
  const handled = async (itemId: number, rejected: boolean, amount?: number): Promise<number> => {
    const { id } = await call('/applications', 'citizen1', { itemId, form, submit: true });
    if (rejected) await call(`/applications/${id}/reject`, 'ga_officer', { reason: '申请材料不符合要求' });
    else {
      await call(`/applications/${id}/accept`, 'ga_officer');
      await call(`/applications/${id}/advance`, 'ga_officer');
      await call(`/applications/${id}/decide`, 'ga_officer2', { approve: true, amount });
    }
    return id;
  };

  it('publishes the item and where the act falls on each step\'s entry, and raises exactly the planted alerts', async () => {
    const items = await withTransaction(t.db, async (tx) => {
      const ctx = { tx, actor: system, now: new Date() };
      return [await saveItem(ctx, itemInput(city.gaDeptCode, { materials: [], conditions: [] })),
        await saveItem(ctx, itemInput(city.gaDeptCode, { materials: [], conditions: [] }))];
    });
    // Item A: 6 of 10 turned away (planted); item B: 4 of 10 (innocent). All decided inside the jurisdiction.
    for (let i = 0; i < 10; i++) await handled(items[0]!.id, i < 6);
    for (let i = 0; i < 10; i++) await handled(items[1]!.id, i < 4);
    // The commands refuse a decision outside the jurisdiction; the rule is the check behind them, so the planted act is
    // written by the step writer itself, as a path that skipped the command's check would write it.
    const { id: planted } = await call('/applications', 'citizen1', { itemId: items[1]!.id, form, submit: true });
    await call(`/applications/${planted}/accept`, 'ga_officer');
    await call(`/applications/${planted}/advance`, 'ga_officer');
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/services/applications/${planted}/decide`, headers: { cookie: cookies.moved_officer! },
      payload: { approve: true } });
    assert.equal(refused.statusCode, 403);
    await withTransaction(t.db, async (tx) => {
      const actor = actorOfUser((await tx.query<UserRow>('SELECT * FROM users WHERE id = $1', [moved])).rows[0]!);
      await recordStep({ tx, actor, now: new Date() }, await lockApplication(tx, planted), { action: 'services.application.approved', to: 'approved', stepKey: 'decide' });
    });

    const alerts = await streamedAlerts(t.db);
    const facts = (await t.db.query<{ action: string; actor_id: string; facts: unknown }>(
      `SELECT action, actor_id, facts FROM ledger_entries WHERE object_type = 'application' AND object_id = $1 ORDER BY leaf_index`, [String(planted)])).rows;
    assert.deepEqual(facts.map((f) => [f.action, f.facts]), [
      ['services.application.submitted', { item: items[1]!.id, division: '511602000000', actorJurisdiction: null }],
      ['services.application.accepted', { item: items[1]!.id, division: '511602000000', actorJurisdiction: '511602' }],
      ['services.application.step-done', { item: items[1]!.id, division: '511602000000', actorJurisdiction: '511602' }],
      ['services.application.approved', { item: items[1]!.id, division: '511602000000', actorJurisdiction: '511621' }],
    ]);

    const outside = alerts.filter((a) => a.code === 'outside-jurisdiction');
    assert.deepEqual(outside.map((a) => [a.entries, a.people]),
      [[[await leafOf(t.db, 'services.application.approved', 'application', planted)], [String(moved)]]]);
    const rejected = alerts.filter((a) => a.code === 'often-rejected-items');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.measure, 0.6);
    const { rows: turnedAway } = await t.db.query<{ i: number }>(
      `SELECT leaf_index::int AS i FROM ledger_entries WHERE action = 'services.application.rejected' AND facts ->> 'item' = $1 ORDER BY leaf_index`,
      [String(items[0]!.id)]);
    assert.deepEqual(rejected[0]!.entries, turnedAway.map((r) => r.i));
    assert.deepEqual(rejected[0]!.people, []);
  });
});

describe('services: an amount far from those of its item', () => {
  let t: TestApp;
  let city: Awaited<ReturnType<typeof makeServicesCity>>;
  const { login, call } = servicesCaller(() => t);
  before(async () => {
    t = await createTestApp();
    city = await makeServicesCity(t.db);
    await withTransaction(t.db, (tx) => installLibrary({ tx, actor: system, now: new Date() }));
    await login(['ga_officer', 'ga_officer2', 'citizen1']);
  });
  after(() => t?.close());

  it('publishes the amount of each approval, and raises exactly the approval paying ten times its peers', async () => {
    const form = { name: '张小红', reason: '家中突发火灾，生活困难' };
    const inject = (url: string, user: string, payload: object = {}) => call('POST', url, user, payload);
    const item = await withTransaction(t.db, (tx) => saveItem({ tx, actor: system, now: new Date() },
      itemInput(city.gaDeptCode, { name: '临时救助金给付', materials: [], conditions: [], amountKind: 'benefit' })));
    const approve = async (amount: number) => {
      const { id } = (await inject('/applications', 'citizen1', { itemId: item.id, form, submit: true })).json();
      for (const step of ['accept', 'advance']) assert.equal((await inject(`/applications/${id}/${step}`, 'ga_officer')).statusCode, 200);
      assert.equal((await inject(`/applications/${id}/decide`, 'ga_officer2', { approve: true, amount })).statusCode, 200);
      return id as number;
    };
    // 22 ordinary grants of 800 to 1,430 元; then one of 12,000 元.
    for (let i = 0; i < 22; i++) await approve(80_000 + ((i * 7) % 10) * 7_000);
    const planted = await approve(1_200_000);
    const alerts = (await streamedAlerts(t.db)).filter((a) => a.code === 'amount-outlier');
    assert.deepEqual(alerts.map((a) => [a.entries, a.people]),
      [[[await leafOf(t.db, 'services.application.approved', 'application', planted)], [String(city.gaOfficer2)]]]);
    assert.ok(alerts[0]!.measure > 3.5, String(alerts[0]!.measure));
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE action = 'services.application.approved' AND (facts ->> 'amount')::int > 0 AND facts ->> 'item' = $1`,
      [String(item.id)]);
    assert.equal(rows[0]!.n, 23);
  });
});

describe('hub: a call stating another purpose than its grant\'s', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t?.close());

  it('keeps and publishes the grant\'s purpose with the evidence, and raises exactly the planted alert', async () => {
    const x = await makeExchange(t);
    await grantFor(t, x, x.people.code);
    await withTransaction(t.db, (tx) => installLibrary({ tx, actor: system, now: new Date() }));
    const innocent = await callGateway(t, x.token, x.people.code, { subject: adult });
    const planted = await callGateway(t, x.token, x.people.code, { subject: adult }, { 'x-purpose': encodeURIComponent('公租房资格审核') });
    assert.deepEqual([innocent.statusCode, planted.statusCode], [200, 200]);

    const alerts = await streamedAlerts(t.db);
    const { rows } = await t.db.query<EvidenceRow & { payload_hash: Buffer; facts: unknown; leaf_index: number }>(
      `SELECT e.*, l.payload_hash, l.facts, l.leaf_index::int FROM hub_evidence e JOIN ledger_entries l ON l.object_type = 'hub-message' AND l.object_id = e.message_id::text
       ORDER BY l.leaf_index`);
    assert.deepEqual(rows.map((r) => [r.purpose, r.grant_purpose, r.facts]), [
      ['低保资格审核', '低保资格审核', { grantPurpose: '低保资格审核' }],
      ['公租房资格审核', '低保资格审核', { grantPurpose: '低保资格审核' }],
    ]);
    // The stored evidence still rebuilds the payload its entry hashed.
    for (const row of rows) assert.equal(recordHash(row), row.payload_hash.toString('hex'));
    assert.deepEqual(alerts.filter((a) => a.code === 'purpose-mismatch').map((a) => a.entries), [[rows[1]!.leaf_index]]);
    assert.deepEqual(alerts.filter((a) => a.code === 'read-without-purpose'), []);
  });
});
