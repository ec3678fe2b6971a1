import { residentIdCheckChar } from '../../../src/kernel/checks/index.ts';
import { issueSystemToken } from '../../../src/hub/index.ts';
import { createSystem } from '../../../src/hub/systems.ts';
import type { TestApp } from '../../helpers/factories.ts';
import { makeHubCast, personEntry, publishEntry, run, system } from '../factories.ts';

/** A valid resident ID (GB 11643) issued in `division6`, born on `birth` (YYYYMMDD). */
export const residentId = (division6: string, birth: string, seq = '123') => {
  const first17 = `${division6}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
};

export const adult = residentId('511602', '19900307');
export const minor = residentId('511602', '20150601');
export const otherCounty = residentId('511621', '19850505');
export const unknownPerson = residentId('511602', '19700101', '999');

/**
 * The exchange's cast on top of the hub's: a published 有条件 person register of 市公安局 with three people,
 * a 无条件 and a 不予共享 resource, a 人口库 system of the police and a 民政业务系统 of 市民政局 with an API token.
 */
export async function makeExchange(t: TestApp) {
  const cast = await makeHubCast(t.db);
  const people = await publishEntry(t.db, personEntry(cast.police));
  const open = await publishEntry(t.db, personEntry(cast.police, { code: 'A01-0001-0001-0002', name: '户籍人口统计', shareType: 'unconditional' }));
  const closed = await publishEntry(t.db, personEntry(cast.police, { code: 'A01-0001-0001-0003', name: '在逃人员信息', shareType: 'none' }));
  const rows = [
    { id_number: adult, name: '张三', birth_date: '1990-03-07', division_code: '511602001001', household_size: 3 },
    { id_number: minor, name: '张小明', birth_date: '2015-06-01', division_code: '511602001001', household_size: 3 },
    { id_number: otherCounty, name: '李四', birth_date: '1985-05-05', division_code: '511621100001', household_size: 2 },
  ];
  for (const resource of [people, open])
    for (const row of rows)
      await t.db.query('INSERT INTO hub_rows (resource_id, subject, key, data) VALUES ($1, $2, $2, $3)', [resource.id, row.id_number, row]);
  const policeSystem = await run(t.db, system, createSystem, { code: 'GA-RKK', name: '人口库', departmentId: cast.police });
  const civilSystem = await run(t.db, system, createSystem, { code: 'MZ-YW', name: '民政业务系统', departmentId: cast.civil });
  const { token } = await run(t.db, system, issueSystemToken, { systemId: civilSystem.id, validDays: 30 });
  const officer = await t.login('civil_officer');
  const providerOfficer = await t.login('police_data');
  return { ...cast, people, open, closed, rows, policeSystem, civilSystem, token, officer, providerOfficer };
}

export type Exchange = Awaited<ReturnType<typeof makeExchange>>;

/** Submits a request as the consumer officer and approves it as the provider's data officer with `terms`. */
export async function grantFor(t: TestApp, x: Exchange, resource: string, terms: Record<string, unknown> = {}, fields = ['id_number', 'name', 'birth_date', 'division_code']) {
  const submitted = await t.app.inject({ method: 'POST', url: '/api/v1/hub/requests', headers: { cookie: x.officer },
    payload: { systemId: x.civilSystem.id, resource, fields, purpose: '低保资格审核', legalBasis: '《社会救助暂行办法》第十一条', scenario: '低保申请受理时核对户籍' } });
  if (submitted.statusCode !== 201) throw new Error(`request: ${submitted.body}`);
  const request = submitted.json();
  if (request.state === 'approved') return request;
  const decided = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${request.id}/decision`, headers: { cookie: x.providerOfficer },
    payload: { approve: true, ...terms } });
  if (decided.statusCode !== 200) throw new Error(`decision: ${decided.body}`);
  return decided.json();
}

/** A gateway call as the consumer system. */
export const callGateway = (t: TestApp, token: string | null, resource: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `/hub/v1/call/${resource}`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-purpose': encodeURIComponent('低保资格审核'), 'x-case-id': 'MZ-2026-0001', ...headers },
    payload: body });
