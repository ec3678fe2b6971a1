// Hub administration belongs to the top division's data bureau and to platform admins of the whole installation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { actorOfUser } from '../../src/kernel/auth/sessions.ts';
import { hubAdminSql, isHubAdmin } from '../../src/hub/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { makeDepartment, makeStaff } from '../helpers/factories.ts';
import { makeHubCast } from './factories.ts';

describe('isHubAdmin', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await makeHubCast(t.db);
    const county = await makeDepartment(t.db, { name: '广安区政务服务和数据管理局', divisionCode: '511602000000' });
    await t.db.query(`UPDATE departments SET kind = 'government-services' WHERE id = $1`, [county]);
    await makeStaff(t.db, { username: 'county_data', roles: ['data_officer'], departmentId: county });
    await makeStaff(t.db, { username: 'county_admin', roles: ['platform_admin'], departmentId: county });
    await makeStaff(t.db, { username: 'bureau_officer', roles: ['officer'], departmentId: (await t.db.query(`SELECT department_id FROM users WHERE username = 'hub_admin'`)).rows[0].department_id });
  });
  after(() => t.drop());

  const actor = async (username: string) => actorOfUser((await t.db.query(
    'SELECT id, username, display_name, kind, department_id, division_code, roles FROM users WHERE username = $1', [username])).rows[0]);
  const cases: [string, boolean][] = [
    ['hub_admin', true], ['admin', true], ['county_data', false], ['county_admin', false], ['police_data', false], ['bureau_officer', false],
  ];
  for (const [username, expected] of cases)
    it(`${username}: ${expected}`, async () => assert.equal(await isHubAdmin(t.db, await actor(username)), expected));

  it('hubAdminSql, its twin in SQL, says the same, and no for a disabled hub administrator', async () => {
    const sql = async () => new Map((await t.db.query<{ username: string; admin: boolean }>(
      `SELECT username, ${hubAdminSql('u')} AS admin FROM users u WHERE username = ANY($1)`, [cases.map(([u]) => u)])).rows.map((r) => [r.username, r.admin]));
    assert.deepEqual(await sql(), new Map(cases));
    await t.db.query(`UPDATE users SET disabled = true WHERE username = 'hub_admin'`);
    assert.equal((await sql()).get('hub_admin'), false);
    await t.db.query(`UPDATE users SET disabled = false WHERE username = 'hub_admin'`);
  });

  it('the platform\'s own processes are', async () => assert.equal(await isHubAdmin(t.db, systemActor('test')), true));

  it('the top is where the highest departments are: a province-level department moves it up', async () => {
    const province = await makeDepartment(t.db, { name: '四川省大数据中心', divisionCode: '510000000000' });
    try {
      assert.equal(await isHubAdmin(t.db, await actor('hub_admin')), false);
      assert.equal(await isHubAdmin(t.db, await actor('admin')), false);
    } finally {
      await t.db.query('DELETE FROM departments WHERE id = $1', [province]);
    }
  });
});
