import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearOfWindowEnd, createTestApp, ledgerCount as countLedger, makeCast, type TestApp } from '../../helpers/factories.ts';
import { residentIdCheckChar } from '../../../src/kernel/checks/index.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCast>>;

before(async () => {
  t = await createTestApp();
  cast = await makeCast(t.db);
});
after(() => t.close());

const ledgerCount = (action: string) => countLedger(t.db, action);

describe('login', () => {
  test('a staff member logs in and /me tells who they are, with an HttpOnly SameSite cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'GA_Officer', password: 'Test-pass-2026' } });
    assert.equal(res.statusCode, 200);
    const cookie = res.cookies.find((c) => c.name === 'yw_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `yw_session=${cookie.value}` } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json().user.roles, ['officer']);
    assert.equal(me.json().user.jurisdiction, '511602000000');
    assert.equal(await ledgerCount('auth.login.succeeded'), 1);
  });

  test('an admin login is recorded as such', async () => {
    const before = await ledgerCount('auth.login.admin');
    await t.login('admin');
    assert.equal(await ledgerCount('auth.login.admin'), before + 1);
  });

  test('a wrong password is 401 naming the field and is on the ledger; five from one address lock that address out', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yc_officer', password: 'wrong-Pass-1' }, remoteAddress: '10.0.0.1' });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().field, 'password');
      assert.equal(res.json().title, '用户名或密码错误');
    }
    const fifth = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yc_officer', password: 'wrong-Pass-1' }, remoteAddress: '10.0.0.1' });
    assert.equal(fifth.statusCode, 423);
    assert.ok(Number(fifth.headers['retry-after']) > 0);
    const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yc_officer', password: 'Test-pass-2026' }, remoteAddress: '10.0.0.1' });
    assert.equal(right.statusCode, 423, 'the locked-out address is refused even the right password');
    assert.equal(await ledgerCount('auth.account.locked'), 1);
    assert.ok(await ledgerCount('auth.login.failed') >= 5);
  });

  test('many failures from one address are throttled with 429, whatever the usernames', async () => {
    await clearOfWindowEnd(10, 20);
    for (let i = 0; i < 20; i++)
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `nobody${i}`, password: 'x' }, remoteAddress: '10.9.9.9' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Test-pass-2026' }, remoteAddress: '10.9.9.9', headers: { 'accept-language': 'en' } });
    assert.equal(res.statusCode, 429);
    assert.equal(res.json().title, 'Too many failed logins from this address; try again later');
  });

  test('no credentials is nobody (200, no user); a forged cookie is 401', async () => {
    const visitor = await t.app.inject({ url: '/api/v1/auth/me' });
    assert.equal(visitor.statusCode, 200);
    assert.deepEqual(visitor.json(), { user: null });
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: 'yw_session=forged' } })).statusCode, 401);
  });

  test('logout ends the session', async () => {
    const cookie = await t.login('inspector');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
  });
});

describe('staff administration within jurisdiction', () => {
  const newStaff = (departmentId: number, extra: Record<string, unknown> = {}) => ({
    username: 'new_officer', displayName: '王小明', password: 'Strong-pass-42', departmentId, roles: ['officer'], ...extra,
  });
  const countUsers = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;

  test('401, 400 naming the field, 403, then 201', async () => {
    const users = await countUsers();
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: newStaff(cast.gaDept) });
    assert.equal(anon.statusCode, 401);

    const gaAdmin = await t.login('ga_admin');
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: { ...newStaff(cast.gaDept), displayName: undefined } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().field, 'displayName');

    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.gaDept, { password: 'short' }) });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().field, 'password');
    assert.equal(weak.json().code, 'auth.weak-password');

    const badPhone = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.gaDept, { phone: '12345' }) });
    assert.equal(badPhone.statusCode, 400);
    assert.equal(badPhone.json().field, 'phone');

    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.ycDept) });
    assert.equal(outside.statusCode, 403, 'a 广安区 admin cannot add staff to 岳池县');

    const escalate = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.gaDept, { roles: ['platform_admin'] }) });
    assert.equal(escalate.statusCode, 403);
    assert.equal(escalate.json().field, 'roles');

    const officer = await t.login('ga_officer');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: officer }, payload: newStaff(cast.gaDept) })).statusCode, 403);
    assert.equal(await countUsers(), users, 'nothing was written by refused requests');

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.gaDept, { phone: '+86 138-0013-8000' }) });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().divisionCode, '511602000000');
    assert.equal(created.json().phone, '13800138000');
    assert.equal(await ledgerCount('auth.user.created'), 1);

    const duplicate = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: gaAdmin }, payload: newStaff(cast.gaDept) });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().field, 'username');
  });

  test('a county admin lists only the county\'s staff; the city admin sees all', async () => {
    const gaAdmin = await t.login('ga_admin');
    const county = (await t.app.inject({ url: '/api/v1/users?limit=500', headers: { cookie: gaAdmin } })).json();
    assert.ok(county.items.length >= 2);
    assert.ok(county.items.every((u: { divisionCode: string }) => u.divisionCode.startsWith('511602')));
    const admin = await t.login('admin');
    const city = (await t.app.inject({ url: '/api/v1/users?limit=500', headers: { cookie: admin } })).json();
    assert.ok(city.items.some((u: { username: string }) => u.username === 'yc_officer'));
    assert.ok(city.total > county.total);
    const hidden = await t.app.inject({ url: `/api/v1/users/${cast.ycOfficer}`, headers: { cookie: gaAdmin } });
    assert.equal(hidden.statusCode, 404);
  });

  test('a role change is a permission change on the ledger and takes effect at once', async () => {
    const officerCookie = await t.login('ga_officer');
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: { cookie: officerCookie } })).statusCode, 200);
    const admin = await t.login('admin');
    const before = await ledgerCount('auth.permissions.changed');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${cast.gaOfficer}`, headers: { cookie: admin }, payload: { disabled: true } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().disabled, true);
    assert.equal(await ledgerCount('auth.permissions.changed'), before + 1);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: officerCookie } })).statusCode, 401, 'a disabled user\'s session stops working');
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${cast.gaOfficer}`, headers: { cookie: admin }, payload: { disabled: false } });
  });

  test('an admin cannot disable themself', async () => {
    const admin = await t.login('admin');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${cast.admin}`, headers: { cookie: admin }, payload: { disabled: true } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().field, 'disabled');
  });
});

describe('API tokens for systems', () => {
  test('issued tokens authenticate; forged, expired and revoked ones do not', async () => {
    const admin = await t.login('admin');
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: admin },
      payload: { name: '民政业务系统', roles: ['officer'], divisionCode: '511602000000', validDays: 30 } });
    assert.equal(issued.statusCode, 201);
    const { token, id } = issued.json();
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.kind, 'system');
    assert.equal(me.json().user.jurisdiction, '511602000000');

    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${forged}` } })).statusCode, 401);

    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: admin },
      payload: { name: '过期系统', roles: ['officer'], divisionCode: '511602000000', validDays: 1 } })).json();
    await t.db.query("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1", [second.id]);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 401);

    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: { cookie: admin } })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    assert.equal(await ledgerCount('auth.token.revoked'), 1);
  });

  test('an officer cannot issue tokens', async () => {
    // ga_officer: yc_officer may still be locked out by the lockout test above.
    const cookie = await t.login('ga_officer');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie },
      payload: { name: 'x', roles: ['officer'], divisionCode: '511602000000', validDays: 1 } });
    assert.equal(res.statusCode, 403);
  });
});

describe('bad input never breaks the server', () => {
  test('oversized body 413, wrong content type 415, malformed JSON 400; the server keeps serving', async () => {
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(big.statusCode, 413);
    const text = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'username=admin' });
    assert.equal(text.statusCode, 415);
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": ' });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().field, 'body');
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  test('a citizen registering with a malformed resident ID gets 400 naming idNumber and the reason', async () => {
    const body = { username: 'zhang_san', displayName: '张三', password: 'Strong-pass-42', idNumber: '11010519491231002Y' };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'idNumber');
    assert.equal(res.json().reason, 'charset');
    const first17 = '51160219900101123';
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { ...body, idNumber: first17 + residentIdCheckChar(first17) } });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().kind, 'citizen');
  });
});
