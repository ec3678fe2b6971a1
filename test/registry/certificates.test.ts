// 电子证照库: the certificates the credentials module issued, found by the holder's resident ID, on the golden
// record a staff member reads and on the citizen's 我的档案, with type, issuer, number, dates and status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { creditCodeCheckChar } from '../../src/kernel/checks/index.ts';
import { certificatesOf, issueCredential } from '../../src/services/index.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { loadPeopleLibrary, makeRegistryCast, people } from './factories.ts';

let t: TestApp;
let marriage: string;
let residence: string;
let issue: (input: Parameters<typeof issueCredential>[1]) => Promise<{ id: string }>;
let holders: Map<string, number>;
let civil: number;

before(async () => {
  t = await createTestApp();
  const cast = await makeRegistryCast(t.db);
  await loadPeopleLibrary(t.db, cast.bureau);
  civil = cast.civil;
  holders = new Map((await t.db.query<{ id: number; username: string }>(`SELECT id::int, username FROM users WHERE kind = 'citizen'`)).rows
    .map((u) => [u.username, u.id]));
  issue = (input) => withTransaction(t.db, (tx) => issueCredential(tx, input));
  marriage = (await issue({ type: 'marriage-certificate', issuerDepartmentId: cast.civil, holderUserId: holders.get('zhang')!,
    subject: { name: '张伟', idNumber: people.zhang },
    claims: { certificate_number: 'J511602-2024-000123', spouse_name: '李丽华', registered_on: '2024-05-20', registry: '广安市民政局' } })).id;
  residence = (await issue({ type: 'residence-certificate', issuerDepartmentId: cast.police, holderUserId: holders.get('zhang')!,
    subject: { name: '张伟', idNumber: people.zhang }, claims: { address: '广安区建设路1号', division_code: '511602001000', resident_since: '2020-01-01' },
    validUntil: new Date(Date.now() + 365 * 86_400_000) })).id;
  // Somebody else's certificate is not on 张伟's record.
  await issue({ type: 'residence-certificate', issuerDepartmentId: cast.police, holderUserId: holders.get('li')!, subject: { name: '李丽华', idNumber: people.li },
    claims: { address: '广安区人民路2号', division_code: '511602001000', resident_since: '2019-01-01' } });
  const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/credentials/${residence}/revoke`, headers: { cookie: await t.login('police_data') },
    payload: { reason: '已迁出' } });
  assert.equal(revoked.statusCode, 200, revoked.body);
});
after(() => t.close());

const brief = (list: { id: string; typeName: string; issuerName: string; number: string; status: string; validUntil: string | null }[]) =>
  list.map((c) => ({ id: c.id, typeName: c.typeName, issuerName: c.issuerName, number: c.number, status: c.status, dated: c.validUntil !== null }));

const expected = () => [
  { id: residence, typeName: '居住证明', issuerName: '市公安局', number: residence, status: 'revoked', dated: true },
  { id: marriage, typeName: '结婚证', issuerName: '市民政局', number: 'J511602-2024-000123', status: 'valid', dated: false },
];

test('the golden record a staff member reads lists the certificates issued about the person, with their status', async () => {
  const { rows: [entity] } = await t.db.query<{ id: number }>(`SELECT id::int FROM registry_entities WHERE subject = $1`, [people.zhang]);
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/registry/entities/${entity!.id}?purpose=${encodeURIComponent('核查证照')}`,
    headers: { cookie: await t.login('hub_admin') } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(brief(res.json().certificates), expected());
});

test('我的档案 lists the citizen\'s own certificates, and nobody else\'s', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/registry/my/record', headers: { cookie: await t.login('zhang') } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(brief(res.json().certificates), expected());
  const li = await t.app.inject({ method: 'GET', url: '/api/v1/registry/my/record', headers: { cookie: await t.login('li') } });
  assert.deepEqual(li.json().certificates.map((c: { typeName: string }) => c.typeName), ['居住证明']);
});

test('a business licence is found by the company\'s credit code, for 法人库, and by its holder\'s resident ID', async () => {
  const uscc = `91511602MA6${'ABC1234'}`.slice(0, 17);
  const code = uscc + creditCodeCheckChar(uscc);
  const licence = (await issue({ type: 'business-licence', issuerDepartmentId: civil, holderUserId: holders.get('li')!,
    subject: { name: '李丽华', idNumber: people.li },
    claims: { company_name: '广安华丽商贸有限公司', uscc: code, company_type: '有限责任公司', legal_representative: '李丽华', established_on: '2023-03-01',
      address: '广安区人民路2号' } })).id;
  const company = await certificatesOf(t.db, { kind: 'company', id: code });
  assert.deepEqual(company.map((c) => [c.id, c.typeName, c.number, c.status]), [[licence, '营业执照', code, 'valid']]);
  assert.deepEqual((await certificatesOf(t.db, { kind: 'person', id: people.li })).map((c) => c.typeName), ['营业执照', '居住证明']);
  assert.deepEqual(await certificatesOf(t.db, { kind: 'company', id: people.li }), []);
});
