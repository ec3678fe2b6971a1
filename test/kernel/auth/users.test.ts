// Nobody changes their own permissions, and nobody changes someone holding a role they could not give.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, makeCast, makeDepartment, makeStaff, type TestApp } from '../../helpers/factories.ts';
import '../../../src/hub/policy.ts';
import '../../../src/hotline/policy.ts';
import { updateStaff } from '../../../src/kernel/auth/index.ts';
import { actorOfUser } from '../../../src/kernel/auth/sessions.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { DomainError } from '../../../src/kernel/errors.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCast>>;

before(async () => {
  t = await createTestApp();
  cast = await makeCast(t.db);
});
after(() => t.close());

const patch = async (who: string, id: number, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: { cookie: await t.login(who) }, payload });
const rolesOf = async (id: number) => (await t.db.query<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [id])).rows[0]!.roles;

describe('own permissions', () => {
  test('updateStaff refuses a self-grant by roles or department, naming the field', async () => {
    const user = (await t.db.query('SELECT id, username, display_name, kind, department_id, division_code, roles FROM users WHERE id = $1', [cast.gaAdmin])).rows[0];
    const actor = actorOfUser(user);
    const attempt = (input: Record<string, unknown>) => withTransaction(t.db, (tx) => updateStaff({ tx, actor, now: new Date() }, { id: cast.gaAdmin, ...input }));
    await assert.rejects(attempt({ roles: ['dept_admin', 'data_officer'] }),
      (e: DomainError) => e.code === 'auth.self-grant' && e.status === 403 && e.details.field === 'roles');
    await assert.rejects(attempt({ departmentId: cast.cityDept }), (e: DomainError) => e.status === 403);
    const updated = await attempt({ displayName: '新名字', roles: ['dept_admin'] });
    assert.deepEqual([updated.display_name, updated.roles], ['新名字', ['dept_admin']], 'unchanged roles and one\'s own name are fine');
  });

  test('a platform admin cannot give itself or take away its own roles either', async () => {
    const grant = await patch('admin', cast.admin, { roles: ['platform_admin', 'inspector'] });
    assert.deepEqual([grant.statusCode, grant.json().code, grant.json().field], [403, 'auth.self-grant', 'roles']);
    const drop = await patch('admin', cast.admin, { roles: ['inspector'] });
    assert.deepEqual([drop.statusCode, drop.json().code], [409, 'auth.self-demotion']);
    assert.deepEqual(await rolesOf(cast.admin), ['platform_admin']);
  });
});

describe('people above the admin', () => {
  test('a county admin cannot change, disable or demote someone holding a role they cannot give', async () => {
    const countyInspector = await makeStaff(t.db, { username: 'ga_inspector', roles: ['inspector'], departmentId: cast.gaDept });
    const countyPlatform = await makeStaff(t.db, { username: 'ga_platform', roles: ['platform_admin'], departmentId: cast.gaDept });
    const before = await ledgerCount(t.db, 'auth.permissions.changed');
    for (const [id, role] of [[countyInspector, 'inspector'], [countyPlatform, 'platform_admin']] as const) {
      const res = await patch('ga_admin', id, { disabled: true });
      assert.deepEqual([res.statusCode, res.json().code, res.json().role], [403, 'auth.user-above', role]);
      assert.equal((await patch('ga_admin', id, { roles: ['officer'] })).statusCode, 403);
    }
    assert.equal(await ledgerCount(t.db, 'auth.permissions.changed'), before);
    const officer = await patch('ga_admin', cast.gaOfficer, { roles: ['officer', 'data_officer'] });
    assert.deepEqual([officer.statusCode, officer.json().roles], [200, ['officer', 'data_officer']], 'colleagues below are the admin\'s to manage');
    assert.equal((await patch('admin', countyInspector, { roles: ['officer'] })).statusCode, 200);
  });

  test('a county admin cannot take over the account of someone above them by setting its password', async () => {
    const countyPlatform = await makeStaff(t.db, { username: 'ga_platform2', roles: ['platform_admin'], departmentId: cast.gaDept });
    const before = await ledgerCount(t.db, 'auth.password.reset');
    const put = async (who: string, id: number) => t.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/password`,
      headers: { cookie: await t.login(who) }, payload: { password: 'Taken0ver!Now' } });
    const res = await put('ga_admin', countyPlatform);
    assert.deepEqual([res.statusCode, res.json().code, res.json().role], [403, 'auth.user-above', 'platform_admin']);
    assert.equal(await ledgerCount(t.db, 'auth.password.reset'), before, 'nothing written');
    assert.equal((await put('ga_admin', cast.gaOfficer)).statusCode, 204, 'a colleague below is the admin\'s to help');
    assert.equal((await put('admin', countyPlatform)).statusCode, 204);
  });

  test('a county admin cannot pull a user in from another county, nor push one out', async () => {
    assert.equal((await patch('ga_admin', cast.ycOfficer, { departmentId: cast.gaDept })).statusCode, 403);
    assert.equal((await patch('ga_admin', cast.gaOfficer, { departmentId: cast.ycDept })).statusCode, 403);
  });
});

describe('departments whose kind carries powers over others (hotline centre, data bureau)', () => {
  const call = async (who: string, method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: { cookie: await t.login(who) }, payload });

  test('a county admin neither makes one nor turns a department into one; a platform admin may', async () => {
    for (const kind of ['hotline', 'government-services']) {
      const made = await call('ga_admin', 'POST', '/api/v1/org/departments', { code: kind === 'hotline' ? 'GA-K1' : 'GA-K2', name: `广安区${kind}`, kind, divisionCode: '511602000000' });
      assert.deepEqual([made.statusCode, made.json().code, made.json().field], [403, 'org.department.kind-reserved', 'kind']);
      const turned = await call('ga_admin', 'PATCH', `/api/v1/org/departments/${cast.gaDept}`, { kind });
      assert.deepEqual([turned.statusCode, turned.json().code], [403, 'org.department.kind-reserved']);
    }
    assert.equal((await call('ga_admin', 'PATCH', `/api/v1/org/departments/${cast.gaDept}`, { kind: 'civil-affairs' })).statusCode, 200,
      'other kinds are the county admin\'s to set');
    const made = await call('admin', 'POST', '/api/v1/org/departments', { code: 'GA-HOTLINE', name: '广安区热线分中心', kind: 'hotline', divisionCode: '511602000000' });
    assert.equal(made.statusCode, 201, made.body);
    const back = await call('ga_admin', 'PATCH', `/api/v1/org/departments/${made.json().id}`, { kind: 'government' });
    assert.deepEqual([back.statusCode, back.json().code], [403, 'org.department.kind-reserved'], 'nor takes the kind away');
  });

  test('a county admin does not appoint staff to one, by adding, moving in or giving roles; its own admin and a platform admin do', async () => {
    const centre = await makeDepartment(t.db, { name: '广安区热线中心', divisionCode: '511602000000', kind: 'hotline' });
    const added = await call('ga_admin', 'POST', '/api/v1/users', { username: 'ga_centre1', displayName: '接线员', password: 'Strong-pass-42', departmentId: centre, roles: ['officer'] });
    assert.deepEqual([added.statusCode, added.json().code, added.json().field], [403, 'org.department.appointment-reserved', 'departmentId']);
    const moved = await call('ga_admin', 'PATCH', `/api/v1/users/${cast.gaOfficer}`, { departmentId: centre });
    assert.deepEqual([moved.statusCode, moved.json().code], [403, 'org.department.appointment-reserved']);
    const inside = await makeStaff(t.db, { username: 'ga_centre2', roles: ['officer'], departmentId: centre });
    const promoted = await call('ga_admin', 'PATCH', `/api/v1/users/${inside}`, { roles: ['officer', 'data_officer'] });
    assert.deepEqual([promoted.statusCode, promoted.json().code], [403, 'org.department.appointment-reserved']);
    assert.equal((await call('ga_admin', 'PATCH', `/api/v1/users/${inside}`, { displayName: '接线员二' })).statusCode, 200, 'a name is not an appointment');
    await makeStaff(t.db, { username: 'ga_centre_admin', roles: ['dept_admin'], departmentId: centre });
    assert.equal((await call('ga_centre_admin', 'PATCH', `/api/v1/users/${inside}`, { roles: ['officer', 'data_officer'] })).statusCode, 200);
    assert.equal((await call('admin', 'PATCH', `/api/v1/users/${cast.gaOfficer}`, { departmentId: centre })).statusCode, 200);
  });
});
