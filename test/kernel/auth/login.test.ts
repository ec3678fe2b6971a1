// Login abuse: lockouts per account and address, an unlock for administrators, address throttling that holds
// under concurrency and summarises instead of flooding the ledger, registration limits, own-password changes
// and idle sessions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearOfWindowEnd, createTestApp, ledgerCount as countLedger, makeCast, testPassword, type TestApp } from '../../helpers/factories.ts';
import { residentIdCheckChar } from '../../../src/kernel/checks/index.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { anonymous } from '../../../src/kernel/auth/index.ts';
import { registerLimit } from '../../../src/kernel/auth/limits.ts';
import { timersOf } from '../../../src/kernel/module.ts';
import { modules } from '../../../src/modules.ts';
import { addressThrottle, login } from '../../../src/kernel/auth/login.ts';
import { addressKey, lockout } from '../../../src/kernel/auth/lockouts.ts';
import { forgetUserSessions } from '../../../src/kernel/auth/sessions.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCast>>;

before(async () => {
  t = await createTestApp();
  cast = await makeCast(t.db);
});
after(() => t.close());

const ledgerCount = (action: string) => countLedger(t.db, action);
const attempt = (username: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

describe('lockout per account and address', () => {
  test('guessing from one address locks that address out of the account, never the owner elsewhere', async () => {
    for (let i = 0; i < lockout.failures; i++) await attempt('ga_admin', 'wrong-Pass-1', '10.1.0.1');
    assert.equal((await attempt('ga_admin', testPassword, '10.1.0.1')).statusCode, 423);
    assert.equal((await attempt('ga_admin', testPassword, '10.1.0.2')).statusCode, 200, 'the owner logs in from another address');
    assert.equal((await attempt('ga_admin', testPassword, '10.1.0.1')).statusCode, 423, 'the owner\'s login lifts no one else\'s lockout');
    const admin = await t.login('admin');
    const listed = (await t.app.inject({ url: `/api/v1/users/${cast.gaAdmin}`, headers: { cookie: admin } })).json();
    assert.equal(listed.locked, true, 'the console sees that an address is locked out');
  });

  test('unlock: 401 anonymous, 400 naming the id, 403 outside the jurisdiction or without the grant, then 200 on the ledger', async () => {
    for (let i = 0; i < lockout.failures; i++) await attempt('yc_officer', 'wrong-Pass-1', '10.1.1.1');
    assert.equal((await attempt('yc_officer', testPassword, '10.1.1.1')).statusCode, 423);
    const unlock = (id: number | string, cookie?: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/unlock`, headers: cookie ? { cookie } : {} });
    assert.equal((await unlock(cast.ycOfficer)).statusCode, 401);
    const admin = await t.login('admin');
    const bad = await unlock('x', admin);
    assert.deepEqual([bad.statusCode, bad.json().field], [400, 'id']);
    assert.equal((await unlock(cast.ycOfficer, await t.login('ga_admin'))).statusCode, 403, 'a 广安区 admin cannot unlock a 岳池县 officer');
    assert.equal((await unlock(cast.ycOfficer, await t.login('inspector'))).statusCode, 403);
    assert.equal(await ledgerCount('auth.account.unlocked'), 0);
    const done = await unlock(cast.ycOfficer, admin);
    assert.equal(done.statusCode, 200);
    assert.equal(done.json().locked, false);
    assert.equal(await ledgerCount('auth.account.unlocked'), 1);
    assert.equal((await attempt('yc_officer', testPassword, '10.1.1.1')).statusCode, 200);
  });
});

describe('address throttle', () => {
  test('past the limit an address is refused with one ledger entry, and the window closes into one summary', async () => {
    await clearOfWindowEnd(addressThrottle.windowMinutes, 30);
    const failedBefore = await ledgerCount('auth.login.failed');
    for (let i = 0; i < addressThrottle.failures; i++) assert.equal((await attempt(`nobody${i}`, 'x', '10.2.0.1')).statusCode, 401);
    for (let i = 0; i < 30; i++) {
      const res = await attempt('admin', testPassword, '10.2.0.1');
      assert.equal(res.statusCode, 429);
      assert.ok(Number(res.headers['retry-after']) > 0);
    }
    assert.equal(await ledgerCount('auth.login.failed'), failedBefore + addressThrottle.failures);
    assert.equal(await ledgerCount('auth.login.throttled'), 1, 'thirty refusals, one entry');
    const { rows: [window] } = await t.db.query<{ counted: number; refused: number; end: Date }>(
      `SELECT counted, refused, window_end AS end FROM address_limits WHERE scope = 'login' AND address = '10.2.0.1'`);
    assert.deepEqual([window!.counted, window!.refused], [addressThrottle.failures, 30]);
    const sweep = timersOf(modules).find((s) => s.name === 'auth.address-limits.close')!;
    assert.equal(await sweep.run(t.db, new Date(window!.end.getTime() - 1)), 0, 'an open window is not summed up');
    assert.equal(await sweep.run(t.db, new Date(window!.end.getTime() + 1)), 1);
    assert.equal(await ledgerCount('auth.limit.summary'), 1);
    const left = await t.db.query(`SELECT 1 FROM address_limits WHERE address = '10.2.0.1'`);
    assert.equal(left.rowCount, 0);
  });

  test('concurrent failures are checked against the limit one by one', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(`racer${i}`, 'x', '10.3.0.1')));
    const statuses = results.map((r) => r.statusCode);
    // The attempts may straddle the end of a window: each window checks at most the limit, and every refusal is counted.
    const { rows } = await t.db.query<{ counted: number; refused: number }>(
      `SELECT counted, refused FROM address_limits WHERE scope = 'login' AND address = '10.3.0.1' ORDER BY window_start`);
    assert.ok(rows.every((w) => w.counted <= addressThrottle.failures), JSON.stringify(rows));
    assert.deepEqual([statuses.filter((s) => s === 401).length, statuses.filter((s) => s === 429).length],
      [rows.reduce((n, w) => n + w.counted, 0), rows.reduce((n, w) => n + w.refused, 0)]);
    if (rows.length === 1) assert.deepEqual(rows[0], { counted: addressThrottle.failures, refused: 10 });
  });

  test('concurrent logins through the command are checked against the limit one by one', async () => {
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => withTransaction(t.db, (tx) =>
      login({ tx, actor: anonymous, now }, { username: i === 29 ? 'ga_officer' : `racer${i}`, password: 'wrong', ip: '10.3.0.2' }))));
    const reasons = outcomes.map((o) => (o.ok ? 'ok' : o.reason));
    assert.deepEqual([reasons.filter((r) => r === 'bad-credentials').length, reasons.filter((r) => r === 'throttled').length],
      [addressThrottle.failures, 10]);
  });

  test('IPv6 addresses count per /64, so stepping through one\'s own prefix does not escape', async () => {
    assert.deepEqual(['2001:db8:1:2:3:4:5:6', '2001:DB8::1', '::ffff:10.1.2.3', '10.1.2.3', 'fe80::1%eth0', '64:ff9b::192.0.2.1'].map(addressKey),
      ['2001:db8:1:2::/64', '2001:db8:0:0::/64', '10.1.2.3', '10.1.2.3', 'fe80:0:0:0::/64', '64:ff9b:0:0::/64']);
    await clearOfWindowEnd(addressThrottle.windowMinutes, 20);
    for (let i = 1; i <= addressThrottle.failures; i++) await attempt(`v6user${i}`, 'x', `2001:db8:5:5::${i.toString(16)}`);
    assert.equal((await attempt('admin', testPassword, '2001:db8:5:5:ffff::1')).statusCode, 429);
    assert.equal((await attempt('admin', testPassword, '2001:db8:5:6::1')).statusCode, 200, 'the next /64 is another address');
  });
});

describe('registration limit', () => {
  const idNumber = (n: number) => {
    const first17 = `51160219900101${String(100 + n)}`;
    return first17 + residentIdCheckChar(first17);
  };
  const register = (n: number, remoteAddress: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', remoteAddress,
    payload: { username: `citizen_${n}`, displayName: '市民', password: 'Strong-pass-42', idNumber: idNumber(n) } });

  test('one address opens a few accounts an hour; the next is 429 and writes nothing', async () => {
    await clearOfWindowEnd(registerLimit.windowMinutes, 30);
    for (let n = 0; n < registerLimit.count; n++) assert.equal((await register(n, '10.4.0.1')).statusCode, 201);
    const registered = await ledgerCount('auth.citizen.registered');
    const refused = await register(registerLimit.count, '10.4.0.1');
    assert.deepEqual([refused.statusCode, refused.json().code], [429, 'auth.register-throttled']);
    assert.equal(await ledgerCount('auth.citizen.registered'), registered);
    assert.equal((await t.db.query(`SELECT 1 FROM users WHERE username = 'citizen_${registerLimit.count}'`)).rowCount, 0);
    assert.equal((await register(registerLimit.count, '10.4.0.2')).statusCode, 201);
  });
});

describe('own password change', () => {
  test('a user changing their own password gives the current one; an admin resetting another does not', async () => {
    const officer = await t.login('ga_officer');
    const change = (cookie: string, id: number, body: Record<string, string>, remoteAddress = '127.0.0.1') =>
      t.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/password`, headers: { cookie }, payload: body, remoteAddress });
    const missing = await change(officer, cast.gaOfficer, { password: 'New-strong-pass-1' });
    assert.deepEqual([missing.statusCode, missing.json().field], [400, 'currentPassword']);
    const wrong = { password: 'New-strong-pass-1', currentPassword: 'Not-the-pass-1' };
    for (let i = 1; i < lockout.failures; i++) {
      const res = await change(officer, cast.gaOfficer, wrong, '10.5.0.1');
      assert.deepEqual([res.statusCode, res.json().code, res.json().field], [400, 'auth.bad-current-password', 'currentPassword']);
    }
    // Guessing through a session counts like failed logins: the address is locked out, the owner elsewhere is not.
    assert.equal((await change(officer, cast.gaOfficer, wrong, '10.5.0.1')).statusCode, 423);
    const right = { password: 'New-strong-pass-1', currentPassword: testPassword };
    assert.equal((await change(officer, cast.gaOfficer, right, '10.5.0.1')).statusCode, 423);
    assert.equal(await ledgerCount('auth.password.change-refused'), lockout.failures + 1);
    const resets = await ledgerCount('auth.password.reset');
    assert.equal((await change(officer, cast.gaOfficer, right)).statusCode, 204);
    assert.equal(await ledgerCount('auth.password.reset'), resets + 1);
    const admin = await t.login('admin');
    assert.equal((await change(admin, cast.gaOfficer, { password: testPassword })).statusCode, 204);
    assert.equal(await ledgerCount('auth.password.reset'), resets + 2);
  });
});

describe('idle sessions', () => {
  test('a session unused for 30 minutes ends; use moves its last-seen time, at most once a minute', async () => {
    const cookie = await t.login('inspector');
    const me = () => t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    const lastSeen = async () => (await t.db.query<{ at: Date }>(
      'SELECT last_seen_at AS at FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [cast.inspector])).rows[0]!.at;
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, [cast.inspector]);
    forgetUserSessions(cast.inspector);
    assert.equal((await me()).statusCode, 200);
    assert.ok(Date.now() - (await lastSeen()).getTime() < 10_000, 'use after a minute moves the last-seen time');
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [cast.inspector]);
    forgetUserSessions(cast.inspector);
    assert.equal((await me()).statusCode, 401);
  });
});
