import type { Db, Queryable } from '../../src/kernel/db/index.ts';
import { hashPassword } from '../../src/kernel/auth/passwords.ts';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { seedOfficialHolidays } from '../../src/kernel/calendar/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { saveItem, type ItemInput } from '../../src/services/index.ts';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { makeCast, makeDepartment, makeStaff, testPassword, type TestApp } from '../helpers/factories.ts';
import { definePredicate } from '../../src/hub/index.ts';
import { connectDepartmentToHub } from '../../src/services/exchange.ts';
import { personEntry, publishEntry, run } from '../hub/factories.ts';

/**
 * The services API as the test's users call it: `login` keeps their session cookies, `call` sends a request to
 * `/api/v1/services…` as one of them (or as nobody). `app` gives the test app once its `before` has made it.
 */
export function servicesCaller(app: () => TestApp) {
  const cookies: Record<string, string> = {};
  return {
    cookies,
    async login(users: string[]) {
      for (const user of users) cookies[user] = await app().login(user);
    },
    call: (method: 'GET' | 'POST' | 'PUT', url: string, user?: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app().app.inject({ method, url: `/api/v1/services${url}`, headers: { ...(user ? { cookie: cookies[user]! } : {}), ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}

/** A valid resident ID (GB 11643) of 广安区 born on `birth` (YYYYMMDD). */
export const residentId = (birth: string, seq = '123') => `511602${birth}${seq}${residentIdCheckChar(`511602${birth}${seq}`)}`;

/** A citizen account with a resident ID (GB 11643, valid check digit). */
export async function makeCitizen(db: Queryable, username: string, idNumber: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, kind, password_hash, roles, id_number) VALUES ($1, $2, 'citizen', $3, '{citizen}', $4) RETURNING id`,
    [username, `市民${username}`, await hashPassword(testPassword), idNumber]);
  return rows[0]!.id;
}

/** An item of the 广安区民政局 with a two-field form, one upload and one material replaced by hub data. */
export function itemInput(departmentCode: string, overrides: Partial<ItemInput> = {}): ItemInput {
  return {
    code: `511A0001000000-511602000000-000-TEST-${Math.random().toString(36).slice(2, 8)}-1-00`,
    name: '临时救助申请', kind: 'benefit', itemGroup: null, departmentCode, implementingBody: '广安市广安区民政局', level: 'county',
    legalBasis: '《社会救助暂行办法》第四十七条', conditions: [{ text: '具有本区户籍' }],
    materials: [
      { name: '身份证', form: 'original', required: true, replacedBy: { kind: 'hub', ref: '人口基本信息' } },
      { name: '困难情况说明', form: 'electronic', required: true },
    ],
    statutoryDays: 20, committedDays: 10, fee: '不收费', visits: 0, fullyOnline: true,
    steps: [{ key: 'accept', label: '受理', role: 'officer' }, { key: 'review', label: '审查', role: 'officer' }, { key: 'decide', label: '决定', role: 'officer' }],
    lifeEvents: ['social-aid'],
    formSchema: { type: 'object', required: ['name', 'reason'], properties: { name: { type: 'string', minLength: 2, title: '姓名' }, reason: { type: 'string', minLength: 4, title: '申请事由' } } },
    prefill: [], issuesCredentialType: null, online: true, guide: '一、办理条件……',
    ...overrides,
  };
}

/** The standard cast plus a second 广安区 officer (countersign), two citizens and the holidays. */
export async function makeServicesCity(db: Db) {
  const cast = await makeCast(db);
  const gaOfficer2 = await makeStaff(db, { username: 'ga_officer2', roles: ['officer'], departmentId: cast.gaDept });
  const citizen = await makeCitizen(db, 'citizen1', residentId('19900101'));
  const other = await makeCitizen(db, 'citizen2', residentId('19850505', '432'));
  await withTransaction(db, (tx) => seedOfficialHolidays(tx));
  const { rows: [dept] } = await db.query<{ code: string }>('SELECT code FROM departments WHERE id = $1', [cast.gaDept]);
  const item = await withTransaction(db, (tx) => saveItem({ tx, actor: systemActor('test'), now: new Date() }, itemInput(dept!.code)));
  return { ...cast, gaOfficer2, citizen, other, item, gaDeptCode: dept!.code };
}

export const pdf = Buffer.from('%PDF-1.4\n%test\n');

/**
 * The hub as the services use it: a 市公安局 person register with `people` rows, the predicates 年满80周岁 and
 * 广安区户籍, and the 广安区民政局's 一网通办 system granted the name and ID (unmasked) and both predicates.
 */
export async function makeServicesHub(db: Db, city: { gaDept: number }, people: Record<string, unknown>[]) {
  const hub = systemActor('test');
  const police = await makeDepartment(db, { name: '市公安局', divisionCode: '511600000000' });
  const register = await publishEntry(db, personEntry(police));
  await db.query(`INSERT INTO hub_rows (resource_id, subject, key, data) SELECT $1, d ->> 'id_number', d ->> 'id_number', d FROM unnest($2::jsonb[]) AS d`,
    [register.id, people.map((p) => JSON.stringify(p))]);
  await run(db, hub, definePredicate, { code: 'age-over-80', name: '年满80周岁', resource: register.code, field: 'birth_date', operator: 'age_at_least', param: '80' });
  await run(db, hub, definePredicate, { code: 'resident-guang-an', name: '广安区户籍', resource: register.code, field: 'division_code', operator: 'equals_prefix', param: '511602' });
  await run(db, hub, connectDepartmentToHub, {
    departmentId: city.gaDept, systemCode: 'GAQ-MZ-YWTB', systemName: '广安区民政局一网通办受理系统',
    reads: [{ resource: register.code, fields: ['id_number', 'name'] }],
    asks: [{ resource: register.code, predicate: 'age-over-80' }, { resource: register.code, predicate: 'resident-guang-an' }],
  });
  return register;
}
