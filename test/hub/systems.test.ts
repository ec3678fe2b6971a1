// 信息系统登记 and its tokens: a data officer registers their own department's systems and issues, rotates and revokes their tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, ledgerCount, makeStaff, type TestApp } from '../helpers/factories.ts';
import { makeHubCast } from './factories.ts';

describe('registering information systems and issuing their tokens', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeHubCast>>;
  const cookies = new Map<string, string>();
  before(async () => {
    t = await createTestApp();
    cast = await makeHubCast(t.db);
    await makeStaff(t.db, { username: 'civil_clerk', roles: ['officer'], departmentId: cast.civil });
  });
  after(() => t.close());

  const call = async (who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    if (!cookies.has(who)) cookies.set(who, await t.login(who));
    return t.app.inject({ method, url: `/api/v1/hub${url}`, headers: { cookie: cookies.get(who)! }, ...(payload ? { payload } : {}) });
  };
  const gatewayAs = (token: string) => t.app.inject({ method: 'POST', url: '/hub/v1/call/A01-0001-0001-0001', headers: { authorization: `Bearer ${token}`,
    'x-purpose': encodeURIComponent('测试'), 'x-case-id': 'T-1' }, payload: { subject: '511602199001011234' } });
  let systemId = 0;
  let firstToken = '';

  it('registers a system of the officer\'s own department with its purpose and contact, on the ledger', async () => {
    const res = await call('civil_data', 'POST', '/systems', { code: 'MZ-JZ', name: '社会救助系统', purpose: '低保、特困审核', contact: '王科长 0826-2345678' });
    assert.equal(res.statusCode, 201, res.body);
    systemId = res.json().id;
    assert.deepEqual(res.json(), { id: systemId, code: 'MZ-JZ', name: '社会救助系统', departmentId: cast.civil, departmentName: '市民政局',
      purpose: '低保、特困审核', contact: '王科长 0826-2345678' });
    assert.equal(await ledgerCount(t.db, 'hub.system.registered'), 1);
    assert.deepEqual((await call('civil_data', 'GET', '/systems')).json().items.map((s: { code: string }) => s.code), ['MZ-JZ']);
    assert.deepEqual((await call('police_data', 'GET', '/systems')).json().items, [], 'another department does not see it');
  });

  it('refuses a system for another department, a clerk without the data role, and a blank name', async () => {
    const foreign = await call('civil_data', 'POST', '/systems', { code: 'GA-X', name: '他人系统', departmentId: cast.police });
    assert.deepEqual([foreign.statusCode, foreign.json().code], [403, 'hub.not-provider']);
    assert.equal((await call('civil_clerk', 'POST', '/systems', { code: 'MZ-Y', name: '自建系统' })).statusCode, 403);
    assert.equal((await call('civil_data', 'POST', '/systems', { code: 'MZ-Z', name: '   ' })).json().field, 'name');
    assert.equal(await ledgerCount(t.db, 'hub.system.registered'), 1);
  });

  it('issues a token shown once (its text is stored nowhere), lists it without its text, and the token calls the gateway', async () => {
    const issued = await call('civil_data', 'POST', `/systems/${systemId}/tokens`, { validDays: 30 });
    assert.equal(issued.statusCode, 201, issued.body);
    const { token, tokenId } = issued.json();
    firstToken = token;
    const stored = await t.db.query(`SELECT 1 FROM api_tokens WHERE row_to_json(api_tokens)::text LIKE '%' || $1 || '%'`, [token.split('.')[2]]);
    assert.equal(stored.rowCount, 0, 'the token text is not in the database');
    const listed = (await call('civil_data', 'GET', `/systems/${systemId}/tokens`)).json().items;
    assert.deepEqual(listed.map((row: Record<string, unknown>) => [row.id, row.revokedAt, 'token' in row]), [[tokenId, null, false]]);
    assert.notEqual((await gatewayAs(token)).statusCode, 401, 'the token is accepted (the grant decides what it reads)');
    assert.equal(await ledgerCount(t.db, 'hub.system.token-issued'), 1);
  });

  it('refuses tokens for another department\'s system: 404 to its officers, 403 to a hub administrator, and no token beyond the issuer', async () => {
    const police = await call('police_data', 'POST', `/systems/${systemId}/tokens`, { validDays: 30 });
    assert.deepEqual([police.statusCode, police.json().code], [404, 'hub.system.not-found']);
    assert.equal((await call('police_data', 'GET', `/systems/${systemId}/tokens`)).statusCode, 404);
    const hub = await call('hub_admin', 'POST', `/systems/${systemId}/tokens`, { validDays: 30 });
    assert.deepEqual([hub.statusCode, hub.json().code], [403, 'auth.token.department-not-own'], 'a token acts for its issuer\'s own department');
    assert.equal((await call('civil_data', 'POST', `/systems/${systemId}/tokens`, { validDays: 731 })).json().field, 'validDays');
    assert.equal((await call('civil_data', 'POST', `/systems/${systemId}/tokens`, { validDays: 30, roles: ['platform_admin'] })).statusCode, 400,
      'a system token carries no role to ask for');
    assert.equal((await call('civil_clerk', 'GET', '/systems')).statusCode, 200);
    assert.equal((await call('civil_clerk', 'POST', `/systems/${systemId}/tokens`, { validDays: 30 })).statusCode, 403);
    assert.equal(await ledgerCount(t.db, 'hub.system.token-issued'), 1);
  });

  it('rotates: a new token, and every live one of the system stops at once, in one ledgered act', async () => {
    const before = (await call('civil_data', 'GET', `/systems/${systemId}/tokens`)).json().items as { id: string }[];
    const rotated = await call('civil_data', 'POST', `/systems/${systemId}/token-rotation`, { validDays: 90 });
    assert.equal(rotated.statusCode, 201, rotated.body);
    assert.deepEqual(rotated.json().revoked, before.map((row) => row.id));
    const rows = (await call('civil_data', 'GET', `/systems/${systemId}/tokens`)).json().items as { id: string; revokedAt: string | null }[];
    assert.deepEqual(rows.map((row) => [row.id, row.revokedAt === null]), [[rotated.json().tokenId, true], [before[0]!.id, false]]);
    assert.equal(await ledgerCount(t.db, 'hub.system.token-rotated'), 1);
    assert.equal((await gatewayAs(firstToken)).statusCode, 401, 'the rotated-out token is refused');
    assert.notEqual((await gatewayAs(rotated.json().token)).statusCode, 401);
    assert.equal(await ledgerCount(t.db, 'auth.token.revoked'), 1);
  });

  it('revokes one token of the system; a token of another system is not found there', async () => {
    const other = (await call('police_data', 'POST', '/systems', { code: 'GA-RKK', name: '人口库' })).json();
    const otherToken = (await call('police_data', 'POST', `/systems/${other.id}/tokens`, { validDays: 30 })).json();
    const mixed = await call('civil_data', 'DELETE', `/systems/${systemId}/tokens/${otherToken.tokenId}`);
    assert.equal(mixed.statusCode, 404);
    const live = ((await call('civil_data', 'GET', `/systems/${systemId}/tokens`)).json().items as { id: string }[])[0]!;
    const revoked = await call('civil_data', 'DELETE', `/systems/${systemId}/tokens/${live.id}`);
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.ok(revoked.json().revokedAt);
    assert.equal(await ledgerCount(t.db, 'hub.system.token-revoked'), 1);
    assert.equal((await gatewayAs(otherToken.token)).statusCode !== 401, true, 'the other system\'s token still works');
  });
});
