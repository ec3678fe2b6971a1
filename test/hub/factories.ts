import { systemActor, type Actor, type Ctx } from '../../src/kernel/auth/index.ts';
import { withTransaction, type Db } from '../../src/kernel/db/index.ts';
import { createResource, reviewResource, submitResource, type CreateEntry, type Resource } from '../../src/hub/entries.ts';
import { makeDepartment, makeDivisions, makeStaff } from '../helpers/factories.ts';

export const system = systemActor('test');

/** Runs a command in one transaction, as the route would. */
export const run = <I, R>(db: Db, actor: Actor, command: (ctx: Ctx, input: I) => Promise<R>, input: I) =>
  withTransaction(db, (tx) => command({ tx, actor, now: new Date() }, input));

/** A person register: id number (subject), name, birth date, county. */
export function personEntry(providerDepartmentId: number, overrides: Partial<CreateEntry> = {}): CreateEntry {
  return {
    providerDepartmentId, code: 'A01-0001-0001-0001', name: '人口基本信息', kind: 'table', summary: '全市户籍人口的基本信息', format: 'table',
    updateCycle: 'daily', shareType: 'conditional', openType: 'closed', subjectKind: 'person', subjectField: 'id_number', keyField: 'id_number',
    fields: [
      { code: 'id_number', name: '公民身份号码', type: 'string', length: 18, sensitivity: 'important', level: 'L3', masking: 'partial',
        rules: { required: true, check: 'resident-id' } },
      { code: 'name', name: '姓名', type: 'string', length: 40, sensitivity: 'important', level: 'L3', masking: 'partial', rules: { required: true } },
      { code: 'birth_date', name: '出生日期', type: 'date', sensitivity: 'general', level: 'L2', masking: 'none' },
      { code: 'division_code', name: '户籍地区划', type: 'string', length: 12, sensitivity: 'general', level: 'L1', masking: 'none',
        rules: { pattern: '^[0-9]{12}$' } },
      { code: 'household_size', name: '户内人数', type: 'integer', sensitivity: 'general', level: 'L1', masking: 'none', rules: { min: 1, max: 20 } },
    ],
    ...overrides,
  };
}

/** Registers an entry as the system and takes it through review to published. */
export async function publishEntry(db: Db, entry: CreateEntry): Promise<Resource> {
  await run(db, system, createResource, entry);
  await run(db, system, submitResource, { code: entry.code });
  return run(db, system, reviewResource, { code: entry.code, approve: true });
}

/**
 * The hub's cast: a data bureau (政数局, kind government-services) with a hub administrator, a 公安局
 * providing data with its data officer, and a 民政局 with a data officer and an officer consuming it.
 */
export async function makeHubCast(db: Db) {
  await makeDivisions(db);
  const bureau = await makeDepartment(db, { name: '市政务服务和数据管理局', divisionCode: '511600000000' });
  await db.query(`UPDATE departments SET kind = 'government-services' WHERE id = $1`, [bureau]);
  const police = await makeDepartment(db, { name: '市公安局', divisionCode: '511600000000' });
  const civil = await makeDepartment(db, { name: '市民政局', divisionCode: '511600000000' });
  await makeStaff(db, { username: 'admin', roles: ['platform_admin'], departmentId: bureau });
  await makeStaff(db, { username: 'hub_admin', roles: ['data_officer'], departmentId: bureau });
  await makeStaff(db, { username: 'police_data', roles: ['data_officer'], departmentId: police });
  await makeStaff(db, { username: 'civil_data', roles: ['data_officer'], departmentId: civil });
  await makeStaff(db, { username: 'civil_officer', roles: ['officer'], departmentId: civil });
  return { bureau, police, civil };
}
