import type { Db, Queryable } from '../../src/kernel/db/index.ts';
import { hashPassword } from '../../src/kernel/auth/passwords.ts';
import type { Role } from '../../src/kernel/auth/actor.ts';
import { buildApp } from '../../src/server.ts';
import type { App } from '../../src/kernel/http/index.ts';
import { createTestDb, type TestDb } from './db.ts';

export const testPassword = 'Test-pass-2026';

/** Entries of one action written so far; they wait in the queue, since no sequencer runs in these tests. */
export async function ledgerCount(db: Queryable, action: string): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_queue WHERE action = $1', [action])).rows[0]!.n;
}
// Hashing is deliberately slow; every factory user shares one hash (tests only).
const sharedHash = hashPassword(testPassword);

/** 四川省 › 广安市 › 广安区 / 岳池县, enough divisions to test jurisdiction. */
export async function makeDivisions(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES
    ('510000000000', '四川省', 'province', NULL),
    ('511600000000', '广安市', 'city', '510000000000'),
    ('511602000000', '广安区', 'county', '511600000000'),
    ('511621000000', '岳池县', 'county', '511600000000'),
    ('511602001000', '浓洄街道', 'township', '511602000000')
    ON CONFLICT DO NOTHING`);
}

let departmentSeq = 0;
export async function makeDepartment(db: Queryable, overrides: { name?: string; divisionCode?: string; kind?: string } = {}): Promise<number> {
  departmentSeq++;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO departments (code, name, division_code, kind) VALUES ($1, $2, $3, coalesce($4, 'government')) RETURNING id`,
    [`T-${departmentSeq}-${Date.now()}`, overrides.name ?? `测试部门${departmentSeq}`, overrides.divisionCode ?? '511600000000', overrides.kind ?? null]);
  return rows[0]!.id;
}

export async function makeStaff(db: Queryable, overrides: { username: string; roles: Role[]; departmentId: number; divisionCode?: string; displayName?: string }): Promise<number> {
  const division = overrides.divisionCode
    ?? (await db.query<{ division_code: string }>('SELECT division_code FROM departments WHERE id = $1', [overrides.departmentId])).rows[0]!.division_code;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles)
     VALUES ($1, $2, 'staff', $3, $4, $5, $6) RETURNING id`,
    [overrides.username, overrides.displayName ?? overrides.username, await sharedHash, overrides.departmentId, division, overrides.roles]);
  return rows[0]!.id;
}

export interface TestApp extends TestDb {
  app: App;
  /** Logs in and returns the cookie header for later requests. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The platform over a fresh database (with the demo city when asked, as createTestDb does). */
export async function createTestApp(opts: { demo?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDb(opts);
  const app = await buildApp({ db: testDb.db, checkResponses: true });
  await app.ready();
  return {
    ...testDb,
    app,
    async login(username, password = testPassword) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'yw_session');
      return `yw_session=${cookie!.value}`;
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

/** The standard cast: a city platform admin, a county (广安区) admin and officer, and a 岳池县 officer. */
export async function makeCast(db: Db) {
  await makeDivisions(db);
  const cityDept = await makeDepartment(db, { name: '市政务服务和数据管理局', divisionCode: '511600000000' });
  const gaDept = await makeDepartment(db, { name: '广安区民政局', divisionCode: '511602000000' });
  const ycDept = await makeDepartment(db, { name: '岳池县民政局', divisionCode: '511621000000' });
  const admin = await makeStaff(db, { username: 'admin', roles: ['platform_admin'], departmentId: cityDept });
  const gaAdmin = await makeStaff(db, { username: 'ga_admin', roles: ['dept_admin'], departmentId: gaDept });
  const gaOfficer = await makeStaff(db, { username: 'ga_officer', roles: ['officer'], departmentId: gaDept });
  const ycOfficer = await makeStaff(db, { username: 'yc_officer', roles: ['officer'], departmentId: ycDept });
  const inspector = await makeStaff(db, { username: 'inspector', roles: ['inspector'], departmentId: cityDept });
  return { cityDept, gaDept, ycDept, admin, gaAdmin, gaOfficer, ycOfficer, inspector };
}

/**
 * Waits, if need be, until the current fixed window of `minutes` has at least `seconds` left, so that a test
 * counting requests against a per-window limit does not straddle two windows.
 */
export async function clearOfWindowEnd(minutes: number, seconds: number): Promise<void> {
  const ms = minutes * 60_000;
  const left = ms - (Date.now() % ms);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
