// 调用日志, 暂不告知, 我的数据使用记录 and 共享看板: who sees which calls, and what a citizen sees when.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { myUsage } from '../../../src/hub/exchange/usage.ts';
import { chinaDay } from '../../../src/kernel/calendar/index.ts';
import { verifyEvidence } from '../../../src/hub/index.ts';
import { createTestApp, ledgerCount, testPassword, type TestApp } from '../../helpers/factories.ts';
import { adult, callGateway, grantFor, makeExchange, type Exchange } from './factories.ts';

describe('call log, who used my data, dashboard', () => {
  let t: TestApp;
  let x: Exchange;
  let citizen: string;
  const ids: string[] = [];
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    await grantFor(t, x, x.people.code);
    for (let i = 0; i < 3; i++) ids.push((await callGateway(t, x.token, x.people.code, { subject: adult })).json().messageId);
    await callGateway(t, x.token, x.open.code, { subject: adult });
    const registered = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register',
      payload: { username: 'zhangsan', displayName: '张三', password: testPassword, idNumber: adult, phone: '13812345678' } });
    assert.equal(registered.statusCode, 201, registered.body);
    citizen = await t.login('zhangsan');
  });
  after(() => t.close());

  it('shows the call log to the departments involved, subjects masked, and logs the viewing', async () => {
    const log = await t.app.inject({ url: '/api/v1/hub/evidence', headers: { cookie: x.officer } });
    assert.equal(log.statusCode, 200);
    const items = log.json().items;
    assert.equal(items.length, 4);
    assert.equal(items[0].subject, `${adult.slice(0, 3)}***********${adult.slice(-4)}`);
    assert.deepEqual(items.filter((i: { status: number }) => i.status === 403).map((i: { code: string }) => i.code), ['hub.no-grant']);
    assert.equal((await t.app.inject({ url: '/api/v1/hub/evidence?outcome=refused', headers: { cookie: x.providerOfficer } })).json().items.length, 1);
    const outsider = await t.login('hub_admin');
    assert.equal((await t.app.inject({ url: '/api/v1/hub/evidence', headers: { cookie: outsider } })).json().items.length, 4);
    assert.ok(await ledgerCount(t.db, 'hub.evidence.listed') >= 3);
    assert.equal((await t.app.inject({ url: '/api/v1/hub/evidence', headers: { cookie: citizen } })).statusCode, 403);
    const detail = await t.app.inject({ url: `/api/v1/hub/evidence/${ids[0]}`, headers: { cookie: x.providerOfficer } });
    assert.deepEqual([detail.json().messageId, detail.json().ledgerEntry], [ids[0], null]);
    const queued = await t.db.query(`SELECT encode(payload_hash, 'hex') AS hash FROM ledger_queue WHERE object_id = $1`, [ids[0]]);
    assert.equal(detail.json().recordHash, queued.rows[0].hash);
  });

  it('catches an evidence row changed by hand', async () => {
    assert.deepEqual(await verifyEvidence(t.db), { checked: 4, changed: [], unrecorded: [], missing: [] });
    await t.db.query(`UPDATE hub_evidence SET purpose = '别的目的' WHERE message_id = $1`, [ids[1]]);
    try {
      assert.deepEqual((await verifyEvidence(t.db)).changed, [ids[1]]);
    } finally {
      await t.db.query(`UPDATE hub_evidence SET purpose = '低保资格审核' WHERE message_id = $1`, [ids[1]]);
    }
  });

  it('catches a deleted evidence row, a deleted entry and hiding set by hand; a hide act verifies', async () => {
    // Deleted row: its call entry is left without a record, named with the entry.
    await t.db.query(`CREATE TABLE saved_evidence AS SELECT * FROM hub_evidence WHERE message_id = '${ids[2]}'`);
    await t.db.query(`CREATE TABLE saved_entry AS SELECT * FROM ledger_queue WHERE object_id = '${ids[2]}'`);
    await t.db.query('DELETE FROM hub_evidence WHERE message_id = $1', [ids[2]]);
    const deleted = await verifyEvidence(t.db);
    assert.deepEqual([deleted.checked, deleted.missing], [3, [{ messageId: ids[2], index: null }]]);
    await t.db.query('INSERT INTO hub_evidence SELECT * FROM saved_evidence');
    // Deleted entry: the row is left without one.
    await t.db.query('DELETE FROM ledger_queue WHERE object_id = $1', [ids[2]]);
    assert.deepEqual((await verifyEvidence(t.db)).unrecorded, [ids[2]]);
    await t.db.query('INSERT INTO ledger_queue SELECT * FROM saved_entry');
    await t.db.query('DROP TABLE saved_evidence, saved_entry');
    // Hiding edited without a hide act, or the reason of a real one changed.
    await t.db.query(`UPDATE hub_evidence SET hidden_until = '2099-01-01', hidden_reason = '无' WHERE message_id = $1`, [ids[2]]);
    assert.deepEqual((await verifyEvidence(t.db)).changed, [ids[2]]);
    await t.db.query('UPDATE hub_evidence SET hidden_until = NULL, hidden_reason = NULL WHERE message_id = $1', [ids[2]]);
    const hide = await t.app.inject({ method: 'POST', url: `/api/v1/hub/evidence/${ids[2]}/hide`, headers: { cookie: x.officer },
      payload: { until: '2098-01-01', reason: '核查中' } });
    assert.equal(hide.statusCode, 200);
    assert.deepEqual(await verifyEvidence(t.db), { checked: 4, changed: [], unrecorded: [], missing: [] });
    await t.db.query(`UPDATE hub_evidence SET hidden_until = hidden_until + interval '1 year' WHERE message_id = $1`, [ids[2]]);
    assert.deepEqual((await verifyEvidence(t.db)).changed, [ids[2]]);
    await t.db.query('UPDATE hub_evidence SET hidden_until = NULL, hidden_reason = NULL, hidden_by = NULL WHERE message_id = $1', [ids[2]]);
    assert.deepEqual((await verifyEvidence(t.db)).changed, [ids[2]], 'a hide act undone by hand');
    await t.db.query(`DELETE FROM ledger_queue WHERE action = 'hub.evidence.hidden' AND object_id = $1`, [ids[2]]);
    assert.deepEqual((await verifyEvidence(t.db)).changed, []);
  });

  it('shows a citizen every call that carried their ID, with department, system, fields, purpose and legal basis', async () => {
    const res = await t.app.inject({ url: '/api/v1/hub/my/usage', headers: { cookie: citizen } });
    assert.equal(res.statusCode, 200);
    const { total, entries } = res.json();
    assert.equal(total, 4);
    const answered = entries.find((e: { answered: boolean }) => e.answered);
    assert.equal(answered.consumerDepartmentName, '市民政局');
    assert.equal(answered.consumerSystemName, '民政业务系统');
    assert.equal(answered.providerDepartmentName, '市公安局');
    assert.deepEqual(answered.fieldNames, ['公民身份号码', '姓名', '出生日期', '户籍地区划']);
    assert.equal(answered.purpose, '低保资格审核');
    assert.equal(answered.legalBasis, '《社会救助暂行办法》第十一条');
    assert.equal((await t.app.inject({ url: '/api/v1/hub/my/usage', headers: { cookie: x.officer } })).json().code, 'forbidden');
    assert.equal((await t.app.inject({ url: '/api/v1/hub/my/usage' })).statusCode, 401);
  });

  it('hides an entry until a day set by the calling department, then shows it with the reason', async () => {
    const hide = (cookie: string, until: string) => t.app.inject({ method: 'POST', url: `/api/v1/hub/evidence/${ids[0]}/hide`, headers: { cookie },
      payload: { until, reason: '案件侦查中，暂不告知' } });
    assert.deepEqual((await hide(x.providerOfficer, '2099-01-01')).json().code, 'hub.evidence.not-own');
    const hubAdmin = await hide(await t.login('hub_admin'), '2099-01-01');
    assert.deepEqual([hubAdmin.statusCode, hubAdmin.json().code], [403, 'hub.evidence.not-own'], 'not a hub administrator either: the calling department knows why');
    assert.deepEqual((await hide(x.officer, '2020-01-01')).json().field, 'until');
    const hidden = await hide(x.officer, '2099-01-01');
    assert.equal(hidden.statusCode, 200);
    assert.equal(await ledgerCount(t.db, 'hub.evidence.hidden'), 1);
    const now = await t.app.inject({ url: '/api/v1/hub/my/usage', headers: { cookie: citizen } });
    assert.equal(now.json().total, 3);
    assert.ok(!now.json().entries.some((e: { messageId: string }) => e.messageId === ids[0]));
    const userId = (await t.db.query(`SELECT id FROM users WHERE username = 'zhangsan'`)).rows[0].id;
    const actor = { kind: 'citizen' as const, id: String(userId), name: '张三', roles: ['citizen' as const], grants: new Set(['hub.usage.read']),
      jurisdiction: { root: null, prefix: null, covers: () => false }, departmentId: null };
    const later = await myUsage(t.db, actor, {}, new Date('2099-01-02T00:00:00Z'));
    assert.equal(later.total, 4);
    assert.equal(later.entries.find((e) => e.messageId === ids[0])?.hiddenReason, '案件侦查中，暂不告知');
  });

  it('gives hub administrators the whole hub\'s figures and a department only its own', async () => {
    // The dashboard counts China-time days.
    const today = chinaDay(new Date());
    const from = chinaDay(new Date(Date.now() - 7 * 86_400_000));
    const admin = await t.login('hub_admin');
    const hub = (await t.app.inject({ url: `/api/v1/hub/dashboard?from=${from}&to=${today}`, headers: { cookie: admin } })).json();
    assert.equal(hub.scope, 'hub');
    assert.deepEqual(hub.totals, { calls: 4, answered: 3, refused: 1, errors: 0 });
    assert.equal(hub.days.reduce((n: number, d: { calls: number }) => n + d.calls, 0), 4);
    assert.deepEqual(hub.byConsumer, [{ name: '市民政局', calls: 4 }]);
    assert.deepEqual(hub.topResources, [{ code: x.people.code, name: '人口基本信息', calls: 3 }]);
    assert.equal(hub.requests.satisfactionRate, 1);
    assert.deepEqual(hub.usage, { published: 3, used: 1, rate: 1 / 3 });
    const bureau = (await t.app.inject({ url: `/api/v1/hub/dashboard?from=${from}&to=${today}`, headers: { cookie: await t.login('civil_data') } })).json();
    assert.equal(bureau.scope, 'department');
    assert.equal(bureau.totals.calls, 4);
    assert.deepEqual(bureau.usage, { published: 0, used: 0, rate: null });
    const stranger = await t.app.inject({ url: `/api/v1/hub/dashboard?from=${from}&to=${today}`, headers: { cookie: citizen } });
    assert.equal(stranger.statusCode, 403);
    const bad = await t.app.inject({ url: `/api/v1/hub/dashboard?from=${today}&to=${from}`, headers: { cookie: admin } });
    assert.deepEqual([bad.statusCode, bad.json().field], [400, 'to']);
  });
});
