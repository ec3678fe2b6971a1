// The escalation chain of issue 13 through HTTP: a county admin grants itself data_officer, the county's
// 政数局 data officer acts as a hub administrator, approves its own request unmasked, issues a gateway token
// and reads a 岳池县 resident; removing the role left the token working. Each link is refused now.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { payloadHash } from '../../../src/kernel/ledger/index.ts';
import { createTestApp, ledgerCount, makeDepartment, makeStaff, type TestApp } from '../../helpers/factories.ts';
import { callGateway, makeExchange, otherCounty, type Exchange } from './factories.ts';

describe('the escalation to hub administrator (issue 13)', () => {
  let t: TestApp;
  let x: Exchange;
  let gaBureau: number;
  let gaCivil: number;
  let gaAdmin: number;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    gaBureau = await makeDepartment(t.db, { name: '广安区政务服务和数据管理局', divisionCode: '511602000000' });
    await t.db.query(`UPDATE departments SET kind = 'government-services' WHERE id = $1`, [gaBureau]);
    gaCivil = await makeDepartment(t.db, { name: '广安区民政局', divisionCode: '511602000000' });
    gaAdmin = await makeStaff(t.db, { username: 'ga_admin', roles: ['dept_admin'], departmentId: gaBureau });
    admin = await t.login('admin');
  });
  after(() => t.close());

  const as = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const rolesOf = async (username: string) =>
    (await t.db.query<{ roles: string[] }>('SELECT roles FROM users WHERE username = $1', [username])).rows[0]!.roles;
  const request = (cookie: string, systemId: number) => as(cookie, 'POST', '/api/v1/hub/requests', {
    systemId, resource: x.people.code, fields: ['id_number', 'name', 'birth_date'], purpose: '人口核验', legalBasis: '《政务数据共享条例》', scenario: '核验户籍' });

  it('a department admin cannot give itself roles nor move itself; nothing is written', async () => {
    const cookie = await t.login('ga_admin');
    const before = await ledgerCount(t.db, 'auth.permissions.changed');
    const grant = await as(cookie, 'PATCH', `/api/v1/users/${gaAdmin}`, { roles: ['dept_admin', 'data_officer'] });
    assert.deepEqual([grant.statusCode, grant.json().code, grant.json().field], [403, 'auth.self-grant', 'roles']);
    const move = await as(cookie, 'PATCH', `/api/v1/users/${gaAdmin}`, { departmentId: gaCivil });
    assert.deepEqual([move.statusCode, move.json().code, move.json().field], [403, 'auth.self-grant', 'departmentId']);
    assert.deepEqual(await rolesOf('ga_admin'), ['dept_admin']);
    assert.equal(await ledgerCount(t.db, 'auth.permissions.changed'), before);
  });

  it('a county 政数局 data officer is no hub administrator: it cannot decide another department\'s request', async () => {
    await makeStaff(t.db, { username: 'ga_data', roles: ['data_officer'], departmentId: gaBureau });
    const cookie = await t.login('ga_data');
    const system = await as(cookie, 'POST', '/api/v1/hub/systems', { code: 'GAQ-ZS', name: '区一网通办' });
    assert.equal(system.statusCode, 201, system.body);
    assert.equal((await as(cookie, 'POST', '/api/v1/hub/systems', { code: 'GA-X', name: '他人系统', departmentId: x.police })).statusCode, 403);
    const asked = await request(cookie, system.json().id);
    assert.deepEqual([asked.statusCode, asked.json().state], [201, 'pending']);
    const self = await as(cookie, 'POST', `/api/v1/hub/requests/${asked.json().id}/decision`, { approve: true, masking: { id_number: 'none' } });
    assert.deepEqual([self.statusCode, self.json().code], [403, 'hub.request.not-provider']);
    const toApprove = await as(cookie, 'GET', '/api/v1/hub/requests?box=to-approve&state=escalated');
    assert.deepEqual(toApprove.json().items, []);
    assert.equal(await ledgerCount(t.db, 'hub.request.approved'), 0);
  });

  it('the city hub administrator decides neither its own nor its department\'s request, and unmasks no core/important field', async () => {
    await makeStaff(t.db, { username: 'hub_admin2', roles: ['data_officer'], departmentId: x.bureau });
    const hub = await t.login('hub_admin');
    const system = await as(hub, 'POST', '/api/v1/hub/systems', { code: 'SZS-PT', name: '市数据共享平台' });
    const own = (await request(hub, system.json().id)).json();
    const self = await as(hub, 'POST', `/api/v1/hub/requests/${own.id}/decision`, { approve: true });
    assert.deepEqual([self.statusCode, self.json().code], [403, 'hub.request.own']);
    const colleague = await as(await t.login('hub_admin2'), 'POST', `/api/v1/hub/requests/${own.id}/decision`, { approve: false, reason: '同意' });
    assert.deepEqual([colleague.statusCode, colleague.json().code], [403, 'hub.request.own-department']);

    const county = (await t.db.query<{ id: number }>(`SELECT id FROM hub_requests WHERE requested_by LIKE 'staff:%' AND consumer_department_id = $1`, [gaBureau])).rows[0]!;
    const unmasked = await as(hub, 'POST', `/api/v1/hub/requests/${county.id}/decision`, { approve: true, masking: { id_number: 'none' } });
    assert.deepEqual([unmasked.statusCode, unmasked.json().code, unmasked.json().field, unmasked.json().value],
      [403, 'hub.masking.provider-only', 'masking', 'id_number']);
    const byProvider = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${own.id}/decision`, { approve: true, masking: { id_number: 'none' } });
    assert.equal(byProvider.statusCode, 200, 'the provider\'s own data officer may leave its field unmasked');
    assert.deepEqual(byProvider.json().grant.masking, { id_number: 'none' });
    const approved = await as(hub, 'POST', `/api/v1/hub/requests/${county.id}/decision`, { approve: true });
    assert.equal(approved.statusCode, 200, approved.body);
  });

  it('a gateway token acts for its issuer\'s department only, and stops when the approver or the issuer loses the role', async () => {
    const cookie = await t.login('ga_data');
    const systemId = (await t.db.query<{ id: number }>(`SELECT id FROM hub_systems WHERE code = 'GAQ-ZS'`)).rows[0]!.id;
    const hub = await t.login('hub_admin');
    const foreign = await as(hub, 'POST', `/api/v1/hub/systems/${systemId}/tokens`, { validDays: 30 });
    assert.deepEqual([foreign.statusCode, foreign.json().code, foreign.json().field], [403, 'auth.token.department-not-own', 'departmentId']);
    const issued = await as(cookie, 'POST', `/api/v1/hub/systems/${systemId}/tokens`, { validDays: 730 });
    assert.equal(issued.statusCode, 201, issued.body);
    const token = issued.json().token as string;
    const minted = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${token}` },
      payload: { name: '子令牌', roles: ['data_officer'], divisionCode: '511602000000', validDays: 730 } });
    assert.equal(minted.statusCode, 403, 'a token does not mint tokens');

    const read = await callGateway(t, token, x.people.code, { subject: otherCounty });
    assert.equal(read.statusCode, 200, read.body);
    assert.notEqual(read.json().data[0].id_number, otherCounty, 'the hub administrator\'s grant keeps the catalogue\'s masking');

    // The approver leaves the data bureau's role: the grant lapses (the grant cache lives two seconds).
    assert.equal((await as(admin, 'PATCH', `/api/v1/users/${(await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'hub_admin'`)).rows[0]!.id}`,
      { roles: ['officer'] })).statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const lapsed = await callGateway(t, token, x.people.code, { subject: otherCounty });
    assert.deepEqual([lapsed.statusCode, lapsed.json().code], [403, 'hub.grant.approver-gone']);

    // The issuer loses data_officer: the token is revoked on the ledger, in the same transaction, and refused at once.
    const revokedBefore = await ledgerCount(t.db, 'auth.token.revoked');
    const gaData = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'ga_data'`)).rows[0]!.id;
    assert.equal((await as(admin, 'PATCH', `/api/v1/users/${gaData}`, { roles: ['officer'] })).statusCode, 200);
    assert.equal(await ledgerCount(t.db, 'auth.token.revoked'), revokedBefore + 1);
    const entry = (await t.db.query<{ object_id: string; payload_hash: Buffer }>(
      `SELECT object_id, payload_hash FROM ledger_queue WHERE action = 'auth.token.revoked' ORDER BY id DESC LIMIT 1`)).rows[0]!;
    assert.equal(entry.object_id, issued.json().tokenId);
    assert.deepEqual(entry.payload_hash, payloadHash({ reason: 'issuer-permissions-changed', issuer: gaData }));
    assert.equal((await callGateway(t, token, x.people.code, { subject: otherCounty })).statusCode, 401);
  });
});
