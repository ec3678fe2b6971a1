// 共享申请 and 授权: who may ask, what each share type does, the provider's decision, escalation, revocation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadCalendar } from '../../../src/kernel/calendar/index.ts';
import { escalateOverdueRequests } from '../../../src/hub/index.ts';
import { systemActor } from '../../../src/kernel/auth/index.ts';
import { actorOfUser } from '../../../src/kernel/auth/sessions.ts';
import type { DomainError } from '../../../src/kernel/errors.ts';
import { activeGrant } from '../../../src/hub/exchange/grants.ts';
import { decideRequest, submitRequest } from '../../../src/hub/exchange/requests.ts';
import { assertNotOwnRequest, assertUnmaskingAllowed } from '../../../src/hub/exchange/policy.ts';
import { createTestApp, ledgerCount, makeStaff, type TestApp } from '../../helpers/factories.ts';
import { run } from '../factories.ts';
import { grantFor, makeExchange, type Exchange } from './factories.ts';

describe('sharing requests and grants', () => {
  let t: TestApp;
  let x: Exchange;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
  });
  after(() => t.close());

  const submit = (cookie: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/hub/requests', headers: { cookie }, payload });
  const base = () => ({ systemId: x.civilSystem.id, resource: x.people.code, fields: ['id_number', 'name', 'birth_date'],
    purpose: '低保资格审核', legalBasis: '《社会救助暂行办法》第十一条', scenario: '低保申请受理时核对户籍' });

  it('refuses anonymous callers, bad input naming the field, and other departments\' systems', async () => {
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/hub/requests', payload: base() })).statusCode, 401);
    const noPurpose = await submit(x.officer, { ...base(), purpose: undefined });
    assert.equal(noPurpose.statusCode, 400);
    assert.equal(noPurpose.json().field, 'purpose');
    const unknownField = await submit(x.officer, { ...base(), fields: ['salary'] });
    assert.equal(unknownField.statusCode, 400);
    assert.deepEqual([unknownField.json().code, unknownField.json().field], ['hub.field.unknown', 'fields']);
    const foreign = await submit(x.officer, { ...base(), systemId: x.policeSystem.id });
    assert.deepEqual([foreign.statusCode, foreign.json().code, foreign.json().field], [403, 'hub.system.not-own', 'systemId']);
    const missing = await submit(x.officer, { ...base(), resource: 'Z99-0000-0000-0000' });
    assert.deepEqual([missing.statusCode, missing.json().field], [404, 'resource']);
  });

  it('refuses a 不予共享 resource at once, naming it and its share type', async () => {
    const res = await submit(x.officer, { ...base(), resource: x.closed.code });
    assert.equal(res.statusCode, 409);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual([res.json().code, res.json().resource, res.json().shareType], ['hub.resource.not-shareable', x.closed.code, 'none']);
    assert.equal((await t.db.query('SELECT 1 FROM hub_requests WHERE resource_id = $1', [x.closed.id])).rowCount, 0);
  });

  it('grants a 无条件 resource at once with the requested fields', async () => {
    const res = await submit(x.officer, { ...base(), resource: x.open.code });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().state, 'approved');
    assert.deepEqual(res.json().grant.fields, ['id_number', 'name', 'birth_date']);
    assert.equal(await ledgerCount(t.db, 'hub.request.auto-approved'), 1);
  });

  it('puts a 有条件 request before the provider, due in 5 working days, and lists it on both sides', async () => {
    const res = await submit(x.officer, base());
    assert.equal(res.statusCode, 201);
    const request = res.json();
    assert.equal(request.state, 'pending');
    const expected = (await loadCalendar(t.db)).addWorkingDays(new Date(request.requestedAt), 5).due;
    assert.equal(request.dueAt, expected.toISOString());
    const mine = await t.app.inject({ url: '/api/v1/hub/requests?box=mine', headers: { cookie: x.officer } });
    assert.ok(mine.json().items.some((r: { id: number; resourceName: string }) => r.id === request.id && r.resourceName === '人口基本信息'));
    const toApprove = await t.app.inject({ url: '/api/v1/hub/requests?box=to-approve', headers: { cookie: x.providerOfficer } });
    assert.deepEqual(toApprove.json().items.map((r: { id: number }) => r.id), [request.id]);
    const notMine = await t.app.inject({ url: '/api/v1/hub/requests?box=to-approve', headers: { cookie: x.officer } });
    assert.deepEqual(notMine.json().items, []);
  });

  it('lets only the provider\'s data officer decide, within the requested fields; a refusal needs a reason', async () => {
    const request = (await submit(x.officer, base())).json();
    const decide = (cookie: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/decision`, headers: { cookie }, payload });
    assert.deepEqual([(await decide(x.officer, { approve: true })).statusCode, (await decide(x.officer, { approve: true })).json().code], [403, 'forbidden']);
    assert.equal((await decide(await t.login('civil_data'), { approve: true })).json().code, 'hub.request.not-provider');
    const wider = await decide(x.providerOfficer, { approve: true, fields: ['id_number', 'household_size'] });
    assert.deepEqual([wider.statusCode, wider.json().code, wider.json().field], [400, 'hub.field.not-requested', 'fields']);
    const badMask = await decide(x.providerOfficer, { approve: true, fields: ['id_number'], masking: { name: 'none' } });
    assert.deepEqual([badMask.json().code, badMask.json().field], ['hub.masking.invalid', 'masking']);
    const badFilter = await decide(x.providerOfficer, { approve: true, rowFilter: [{ field: 'salary', op: 'eq', value: '1' }] });
    assert.deepEqual([badFilter.json().code, badFilter.json().field], ['hub.row-filter.invalid', 'rowFilter.0']);
    const badValidity = await decide(x.providerOfficer, { approve: true, validFrom: '2026-12-01T00:00:00Z', validUntil: '2026-11-01T00:00:00Z' });
    assert.equal(badValidity.json().field, 'validUntil');
    const noReason = await decide(x.providerOfficer, { approve: false });
    assert.deepEqual([noReason.statusCode, noReason.json().field], [400, 'reason']);
    const refused = await decide(x.providerOfficer, { approve: false, reason: '用途与法律依据不符' });
    assert.equal(refused.json().state, 'refused');
    assert.equal((await decide(x.providerOfficer, { approve: true })).statusCode, 409);
    const history = await t.app.inject({ url: `/api/v1/hub/requests/${request.id}/history`, headers: { cookie: x.officer } });
    assert.deepEqual(history.json().items.map((e: { event: string }) => e.event), ['requested', 'refused']);
    assert.equal(await ledgerCount(t.db, 'hub.request.refused'), 1);
  });

  it('approves with narrowed fields, masking, a row filter, validity and a quota, and revokes', async () => {
    const approved = await grantFor(t, x, x.people.code, {
      fields: ['id_number', 'name'], masking: { name: 'none' }, rowFilter: [{ field: 'division_code', op: 'prefix', value: '511602' }], dailyQuota: 10,
    });
    assert.equal(approved.state, 'approved');
    const grants = await t.app.inject({ url: '/api/v1/hub/grants?side=consumer', headers: { cookie: x.officer } });
    const grant = grants.json().items.find((g: { requestId: number }) => g.requestId === approved.id);
    assert.deepEqual([grant.fields, grant.masking, grant.dailyQuota, grant.systemName], [['id_number', 'name'], { name: 'none' }, 10, '民政业务系统']);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/hub/grants/${grant.id}/revoke`, headers: { cookie: x.officer }, payload: { reason: 'x' } })).statusCode, 403);
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/hub/grants/${grant.id}/revoke`, headers: { cookie: x.providerOfficer }, payload: { reason: '项目结束' } });
    assert.equal(revoked.statusCode, 200);
    assert.ok(revoked.json().revokedAt);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/hub/grants/${grant.id}/revoke`, headers: { cookie: x.providerOfficer }, payload: { reason: 'again' } })).statusCode, 409);
    assert.equal(await ledgerCount(t.db, 'hub.grant.revoked'), 1);
  });

  it('escalates overdue requests to the hub administrators once, with history and ledger', async () => {
    const request = (await submit(x.officer, base())).json();
    const later = new Date(new Date(request.dueAt).getTime() + 1000);
    const before = await ledgerCount(t.db, 'hub.request.escalated');
    assert.ok(await escalateOverdueRequests(t.db, later) >= 1);
    assert.equal(await escalateOverdueRequests(t.db, later), 0);
    const { rows } = await t.db.query('SELECT state FROM hub_requests WHERE id = $1', [request.id]);
    assert.equal(rows[0].state, 'escalated');
    assert.ok(await ledgerCount(t.db, 'hub.request.escalated') > before);
    const admin = await t.login('hub_admin');
    const queue = await t.app.inject({ url: '/api/v1/hub/requests?box=to-approve', headers: { cookie: admin } });
    assert.ok(queue.json().items.some((r: { id: number; state: string }) => r.id === request.id && r.state === 'escalated'));
    const decided = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/decision`, headers: { cookie: admin }, payload: { approve: true } });
    assert.equal(decided.json().state, 'approved');
  });

  it('lets the requesting department withdraw an undecided request', async () => {
    const request = (await submit(x.officer, base())).json();
    const other = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/withdraw`, headers: { cookie: x.providerOfficer } });
    assert.equal(other.statusCode, 403);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/withdraw`, headers: { cookie: x.officer } });
    assert.equal(res.json().state, 'withdrawn');
  });

  const actorOf = async (username: string) => actorOfUser((await t.db.query(
    'SELECT id, username, display_name, kind, department_id, division_code, roles FROM users WHERE username = $1', [username])).rows[0]);
  const refusedWith = (code: string, field?: string) => (e: DomainError) => e.code === code && e.status === 403 && e.details.field === field;

  it('a department asking for its own data: its requester never decides, another data officer of it does', async () => {
    await makeStaff(t.db, { username: 'police_data_2', roles: ['data_officer'], departmentId: x.police });
    const requester = await actorOf('police_data');
    const request = await run(t.db, requester, submitRequest, { ...base(), systemId: x.policeSystem.id });
    await assert.rejects(run(t.db, requester, decideRequest, { requestId: request.id, approve: true }), refusedWith('hub.request.own'));
    await assert.rejects(run(t.db, requester, decideRequest, { requestId: request.id, approve: false, reason: '自己拒绝' }), refusedWith('hub.request.own'));
    const decided = await run(t.db, await actorOf('police_data_2'), decideRequest, { requestId: request.id, approve: true, masking: { id_number: 'none' } });
    assert.equal(decided.state, 'approved');
  });

  it('the rules of a decision, as functions: not the requester, not the requesting department, unmasking is the provider\'s', async () => {
    const hubAdmin = await actorOf('hub_admin');
    const request = { requestedBy: `staff:${hubAdmin.id}`, consumerDepartmentId: x.civil, providerDepartmentId: x.police };
    assert.throws(() => assertNotOwnRequest(hubAdmin, request), refusedWith('hub.request.own'));
    assert.throws(() => assertNotOwnRequest(hubAdmin, { ...request, requestedBy: 'staff:0', consumerDepartmentId: x.bureau }), refusedWith('hub.request.own-department'));
    assert.doesNotThrow(() => assertNotOwnRequest(hubAdmin, { ...request, requestedBy: 'staff:0' }));
    const fields = x.people.fields;
    assert.throws(() => assertUnmaskingAllowed(hubAdmin, x.police, fields, { name: 'none' }), refusedWith('hub.masking.provider-only', 'masking'));
    assert.doesNotThrow(() => assertUnmaskingAllowed(hubAdmin, x.police, fields, { birth_date: 'none', name: 'hash' }), 'general fields, or masked otherwise');
    const providerOfficer = await actorOf('police_data');
    assert.doesNotThrow(() => assertUnmaskingAllowed(providerOfficer, x.police, fields, { name: 'none' }));
  });

  it('a grant lapses when its approver is disabled; a grant the hub gave by itself stands', async () => {
    const approved = await grantFor(t, x, x.people.code, {}, ['id_number']);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const held = await activeGrant(t.db, x.civilSystem.id, x.people.id, null, new Date());
    assert.equal(held.id, approved.grant.id);
    assert.equal('approverActive' in held, false);
    // Every approver of the system's grants on the resource (the provider's data officer, and the hub administrator of the escalated one).
    const approvers = `username IN ('police_data', 'hub_admin')`;
    await t.db.query(`UPDATE users SET disabled = true WHERE ${approvers}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await assert.rejects(activeGrant(t.db, x.civilSystem.id, x.people.id, null, new Date()), refusedWith('hub.grant.approver-gone'));
      const open = await run(t.db, systemActor('test'), submitRequest, { ...base(), resource: x.open.code });
      assert.equal(open.state, 'approved', 'the auto-grant is the hub\'s');
      assert.ok(await activeGrant(t.db, x.civilSystem.id, x.open.id, null, new Date()));
    } finally {
      await t.db.query(`UPDATE users SET disabled = false WHERE ${approvers}`);
    }
  });

  it('a system token carrying data_officer of the provider does not decide: a person does', async () => {
    const request = (await submit(x.officer, base())).json();
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: x.providerOfficer },
      payload: { name: '公安数据接口', roles: ['data_officer'], divisionCode: '511600000000', validDays: 30 } });
    assert.equal(issued.statusCode, 201, issued.body);
    const decided = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/decision`,
      headers: { authorization: `Bearer ${issued.json().token}` }, payload: { approve: true } });
    assert.deepEqual([decided.statusCode, decided.json().code], [403, 'hub.request.person-decides']);
    assert.equal((await t.db.query('SELECT state FROM hub_requests WHERE id = $1', [request.id])).rows[0].state, 'pending');
  });
});
