// API tokens act for their issuer's department, never mint tokens nor manage people, and die with their issuer's permissions.
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, makeCast, makeDepartment, makeStaff, type TestApp } from '../../helpers/factories.ts';
import { systemActor } from '../../../src/kernel/auth/index.ts';
import { migrationsDir, withTransaction } from '../../../src/kernel/db/index.ts';
import { issueApiToken, mayIssue, revokeTokensBeyond } from '../../../src/kernel/auth/tokens.ts';
import { payloadHash } from '../../../src/kernel/ledger/index.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCast>>;
let ycPolice: number;
let ycData: number;

before(async () => {
  t = await createTestApp();
  cast = await makeCast(t.db);
  ycPolice = await makeDepartment(t.db, { name: '岳池县公安局', divisionCode: '511621000000' });
  ycData = await makeStaff(t.db, { username: 'yc_police_data', roles: ['data_officer'], departmentId: ycPolice });
});
after(() => t.close());

const issue = (auth: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: auth, payload: { name: '业务系统', roles: ['data_officer'], validDays: 30, ...payload } });
const me = (token: string) => t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });

describe('a token\'s department', () => {
  test('a data officer issues tokens of their own department only; omitted, it is theirs', async () => {
    const cookie = { cookie: await t.login('yc_police_data') };
    const bureau = await issue(cookie, { divisionCode: '511621000000', departmentId: cast.cityDept });
    assert.deepEqual([bureau.statusCode, bureau.json().code, bureau.json().field], [403, 'auth.token.department-not-own', 'departmentId']);
    const county = await issue(cookie, { divisionCode: '511602000000', departmentId: cast.gaDept });
    assert.equal(county.statusCode, 403, '广安区 lies outside 岳池县');
    const own = await issue(cookie, { divisionCode: '511621000000' });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json().departmentId, ycPolice);
    const row = (await t.db.query('SELECT department_id, created_by FROM api_tokens WHERE id = $1', [own.json().id])).rows[0];
    assert.deepEqual([Number(row.department_id), Number(row.created_by)], [ycPolice, ycData]);
  });

  test('a platform admin names a department inside the token\'s division, and the division inside their jurisdiction', async () => {
    const cookie = { cookie: await t.login('admin') };
    const outside = await issue(cookie, { divisionCode: '511621000000', departmentId: cast.gaDept });
    assert.deepEqual([outside.statusCode, outside.json().code, outside.json().field], [403, 'auth.token.department-outside', 'departmentId']);
    const missing = await issue(cookie, { divisionCode: '511621000000', departmentId: 999_999 });
    assert.deepEqual([missing.statusCode, missing.json().field], [400, 'departmentId']);
    const inside = await issue(cookie, { divisionCode: '511621000000', departmentId: ycPolice });
    assert.deepEqual([inside.statusCode, inside.json().departmentId], [201, ycPolice]);
    const gaAdmin = { cookie: await t.login('ga_admin') };
    assert.equal((await issue(gaAdmin, { divisionCode: '511602000000', roles: ['dept_admin'] })).statusCode, 403, 'a dept admin issues no tokens');
  });
});

describe('what a token may do', () => {
  test('a token, even of a platform admin, neither mints tokens nor manages users and roles', async () => {
    const parent = (await issue({ cookie: await t.login('admin') }, { divisionCode: '511600000000', roles: ['platform_admin'] })).json();
    const bearer = { authorization: `Bearer ${parent.token}` };
    assert.equal((await me(parent.token)).statusCode, 200);
    const child = await issue(bearer, { divisionCode: '511600000000', roles: ['officer'], validDays: 730 });
    assert.equal(child.statusCode, 403);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${cast.gaOfficer}`, headers: bearer, payload: { roles: ['dept_admin'] } });
    assert.equal(patch.statusCode, 403);
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer,
      payload: { username: 'minted_user', displayName: '新人', password: 'Strong-pass-42', departmentId: cast.gaDept, roles: ['officer'] } });
    assert.equal(create.statusCode, 403);
    assert.equal((await t.db.query(`SELECT 1 FROM api_tokens WHERE name = '业务系统' AND expires_at > now() + interval '700 days'`)).rowCount, 0);
  });
});

describe('a token dies with its issuer\'s permissions', () => {
  test('disabling the issuer revokes their tokens with a ledger entry and a reason, in the same transaction', async () => {
    const person = await makeStaff(t.db, { username: 'yc_data_2', roles: ['data_officer'], departmentId: ycPolice });
    const token = (await issue({ cookie: await t.login('yc_data_2') }, { divisionCode: '511621000000' })).json();
    assert.equal((await me(token.token)).statusCode, 200);
    const before = await ledgerCount(t.db, 'auth.token.revoked');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${person}`, headers: { cookie: await t.login('admin') }, payload: { disabled: true } });
    assert.equal(res.statusCode, 200);
    assert.equal(await ledgerCount(t.db, 'auth.token.revoked'), before + 1);
    const entry = (await t.db.query(`SELECT object_id, payload_hash FROM ledger_queue WHERE action = 'auth.token.revoked' ORDER BY id DESC LIMIT 1`)).rows[0];
    assert.equal(entry.object_id, token.id);
    assert.deepEqual(entry.payload_hash, payloadHash({ reason: 'issuer-disabled', issuer: person }));
    assert.notEqual((await t.db.query('SELECT revoked_at FROM api_tokens WHERE id = $1', [token.id])).rows[0].revoked_at, null);
    assert.equal((await me(token.token)).statusCode, 401);
  });

  test('a token is refused at use when its issuer could no longer issue it, even if nobody revoked it', async () => {
    const person = await makeStaff(t.db, { username: 'yc_data_3', roles: ['data_officer'], departmentId: ycPolice });
    const cookie = { cookie: await t.login('yc_data_3') };
    const tokens = [(await issue(cookie, { divisionCode: '511621000000' })).json(), (await issue(cookie, { divisionCode: '511621000000' })).json()];
    // Changed behind the commands' back (an import, a database fix): the token's first use reads the issuer as it is.
    await t.db.query(`UPDATE users SET roles = '{officer}' WHERE id = $1`, [person]);
    assert.equal((await me(tokens[0].token)).statusCode, 401);
    await t.db.query(`UPDATE users SET roles = '{data_officer}', department_id = $2 WHERE id = $1`, [person, cast.ycDept]);
    assert.equal((await me(tokens[1].token)).statusCode, 401, 'moved to another department');
  });

  test('mayIssue: roles held, own department, jurisdiction, enabled', () => {
    const issuer = { kind: 'staff' as const, roles: ['data_officer' as const], departmentId: 7, divisionCode: '511621000000', disabled: false };
    const token = { roles: ['data_officer' as const], division_code: '511621000000', department_id: 7 };
    assert.equal(mayIssue(issuer, token), true);
    assert.equal(mayIssue({ ...issuer, disabled: true }, token), false);
    assert.equal(mayIssue({ ...issuer, roles: ['officer'] }, token), false);
    assert.equal(mayIssue(issuer, { ...token, department_id: 8 }), false);
    assert.equal(mayIssue(issuer, { ...token, division_code: '511602000000' }), false);
    assert.equal(mayIssue({ ...issuer, roles: ['data_officer', 'platform_admin'], divisionCode: '511600000000' }, { ...token, department_id: 8, roles: ['inspector'] }), true);
  });

  test('revokeTokensBeyond keeps the tokens the issuer could still issue', async () => {
    const person = await makeStaff(t.db, { username: 'yc_data_4', roles: ['data_officer', 'officer'], departmentId: ycPolice });
    const cookie = { cookie: await t.login('yc_data_4') };
    const keep = (await issue(cookie, { divisionCode: '511621000000', roles: ['data_officer'] })).json();
    const lose = (await issue(cookie, { divisionCode: '511621000000', roles: ['officer'] })).json();
    const revoked = await withTransaction(t.db, (tx) => revokeTokensBeyond({ tx, actor: systemActor('test'), now: new Date() }, person,
      { kind: 'staff', roles: ['data_officer'], departmentId: ycPolice, divisionCode: '511621000000', disabled: false }, 'issuer-permissions-changed'));
    assert.deepEqual(revoked, [lose.id]);
    assert.equal((await me(keep.token)).statusCode, 200);
  });
});

describe('migration 0038: tokens issued before these rules', () => {
  test('tokens a token minted and tokens of disabled issuers are revoked, each with its ledger entry; others stay', async () => {
    const seed = systemActor('test');
    const mint = (name: string) => withTransaction(t.db, (tx) => issueApiToken({ tx, actor: seed, now: new Date() }, { name, roles: ['officer'], divisionCode: '511621000000', validDays: 30 }));
    const child = await mint('子令牌');
    const kept = await mint('系统令牌');
    // As the old code recorded a token minting a token: no issuing user, the minting token as the ledger's actor.
    await t.db.query(`INSERT INTO ledger_queue (actor_kind, actor_id, action, object_type, object_id, payload_hash, recorded_at)
      VALUES ('system', 'token:00000000-0000-4000-8000-000000000001', 'auth.token.issued', 'api-token', $1, '\\x00', now())`, [child.row.id]);
    const person = await makeStaff(t.db, { username: 'yc_data_old', roles: ['data_officer'], departmentId: ycPolice });
    const orphan = (await issue({ cookie: await t.login('yc_data_old') }, { divisionCode: '511621000000' })).json();
    await t.db.query('UPDATE users SET disabled = true WHERE id = $1', [person]);

    await t.db.query(await fs.readFile(path.join(migrationsDir, '0038_revoke_minted_tokens.sql'), 'utf8'));
    const revoked = (await t.db.query<{ id: string }>('SELECT id FROM api_tokens WHERE revoked_at IS NOT NULL AND id = ANY($1::uuid[])',
      [[child.row.id, kept.row.id, orphan.id]])).rows.map((r) => r.id).sort();
    assert.deepEqual(revoked, [child.row.id, orphan.id].sort());
    const entries = (await t.db.query<{ object_id: string; payload_hash: Buffer }>(
      `SELECT object_id, payload_hash FROM ledger_queue WHERE action = 'auth.token.revoked' AND actor_id = 'migration'`)).rows;
    assert.deepEqual(new Map(entries.map((e) => [e.object_id, e.payload_hash.toString('hex')])), new Map([
      [child.row.id, payloadHash({ reason: 'minted-by-token' }).toString('hex')], [orphan.id, payloadHash({ reason: 'issuer-disabled' }).toString('hex')]]));
    assert.equal((await me(child.token)).statusCode, 401);
    assert.equal((await me(kept.token)).statusCode, 200);
  });
});
