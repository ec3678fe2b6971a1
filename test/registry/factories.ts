import type { Db } from '../../src/kernel/db/index.ts';
import { hashPassword } from '../../src/kernel/auth/index.ts';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { findPublishedResource, issueGrant } from '../../src/hub/index.ts';
import { importRows } from '../../src/hub/loads.ts';
import { addSource, runLoadOn, setUpLibrary, startLoad } from '../../src/registry/index.ts';
import { makeDepartment, makeStaff, testPassword } from '../helpers/factories.ts';
import { makeHubCast, personEntry, publishEntry, run, system } from '../hub/factories.ts';

export const idOf = (first17: string) => first17 + residentIdCheckChar(first17);

export const people = {
  zhang: idOf('51160219900305001'),
  li: idOf('51160219851120002'),
  ouyang: idOf('51162119720714003'),
};
/** 欧阳翠花's ID with its last character wrong: a check-digit finding, never corrected. */
export const badId = `${people.ouyang.slice(0, 17)}${people.ouyang[17] === '1' ? '2' : '1'}`;

/**
 * The base libraries' cast on the hub's: 公安's person register and 民政's marriage records (with a traditional
 * name, another date format, a missing and a mistyped ID), a county data officer of 岳池县, and two citizens.
 */
export async function makeRegistryCast(db: Db) {
  const cast = await makeHubCast(db);
  const county = await makeDepartment(db, { name: '岳池县政数局', divisionCode: '511621000000' });
  await makeStaff(db, { username: 'yc_data', roles: ['data_officer'], departmentId: county });
  await publishEntry(db, personEntry(cast.police));
  await run(db, system, importRows, { code: 'A01-0001-0001-0001', format: 'json', body: [
    { id_number: people.zhang, name: '张伟', birth_date: '1990-03-05', division_code: '511602001000' },
    { id_number: people.li, name: '李丽华', birth_date: '1985-11-20', division_code: '511602001000' },
    { id_number: people.ouyang, name: '欧阳翠花', birth_date: '1972-07-14', division_code: '511621001000' },
  ] });
  await publishEntry(db, {
    providerDepartmentId: cast.civil, code: 'A03-0001-0001-0001', name: '婚姻登记信息', kind: 'table', summary: '结婚、离婚登记', format: 'table',
    updateCycle: 'daily', shareType: 'conditional', openType: 'closed', subjectKind: 'person', subjectField: 'id_number', keyField: 'record_no',
    fields: ['record_no', 'id_number', 'name', 'birth_date'].map((code) => ({ code, name: code, type: 'string' as const, sensitivity: 'general' as const,
      level: 'L1' as const, masking: 'none' as const })),
  });
  await run(db, system, importRows, { code: 'A03-0001-0001-0001', format: 'json', body: [
    { record_no: 'HY001', id_number: people.zhang, name: '張偉', birth_date: '1990年3月5日' },
    { record_no: 'HY002', id_number: null, name: '李丽华', birth_date: '19851120' },
    { record_no: 'HY003', id_number: badId, name: '欧阳翠花', birth_date: '1972/07/14' },
  ] });
  const hash = await hashPassword(testPassword);
  for (const [username, id] of [['zhang', people.zhang], ['li', people.li]] as const)
    await db.query(`INSERT INTO users (username, display_name, kind, password_hash, roles, id_number) VALUES ($1, $1, 'citizen', $2, '{citizen}', $3)`,
      [username, hash, id]);
  return { ...cast, county };
}

/**
 * 人口库 kept by the 政数局 with two sources, both loaded: 公安's register (trust 10) and 民政's marriage records
 * (trust 5), the library's system granted each (unmasked) as a sharing agreement would.
 */
export async function loadPeopleLibrary(db: Db, bureau: number) {
  const actor = { ...system, departmentId: bureau };
  const setup = await run(db, actor, (ctx) => setUpLibrary(ctx, 'people', bureau), undefined);
  const sources = [];
  for (const [code, trust] of [['A01-0001-0001-0001', 10], ['A03-0001-0001-0001', 5]] as const) {
    await withTransaction(db, async (tx) => {
      const resource = (await findPublishedResource(tx, code))!;
      await issueGrant({ tx, actor, now: new Date() }, { requestId: null, consumerSystemId: setup.systemId, consumerDepartmentId: bureau, resourceId: resource.id,
        predicateId: null, providerDepartmentId: resource.providerDepartmentId, fields: resource.fields.map((f) => f.code),
        masking: Object.fromEntries(resource.fields.map((f) => [f.code, 'none'])), purpose: '人口库汇聚', legalBasis: '《政务信息资源共享管理暂行办法》' });
    });
    const source = await run(db, actor, addSource, { library: 'people', resource: code,
      mapping: { id_number: 'id_number', name: 'name', birth_date: 'birth_date' }, trust: { id_number: trust, name: trust, birth_date: trust } });
    const load = await run(db, actor, startLoad, { sourceId: source.id });
    await withTransaction(db, (tx) => runLoadOn(tx, load.id, new Date()));
    sources.push(source);
  }
  return { setup, sources };
}
