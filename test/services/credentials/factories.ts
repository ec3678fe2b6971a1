import { residentIdCheckChar } from '../../../src/kernel/checks/index.ts';
import type { Db, Queryable } from '../../../src/kernel/db/index.ts';
import { makeDepartment, makeDivisions, makeStaff, testPassword } from '../../helpers/factories.ts';
import { hashPassword } from '../../../src/kernel/auth/passwords.ts';
import type { IssueCredential } from '../../../src/services/credentials/index.ts';
import { jurisdictionOf, type Actor } from '../../../src/kernel/auth/index.ts';

/** The actor a logged-in citizen acts as, for calling commands directly. */
export const citizenActor = (id: number): Actor => ({
  kind: 'citizen', id: String(id), name: 'citizen', roles: ['citizen'], grants: new Set(['credentials.wallet.read']),
  jurisdiction: jurisdictionOf(null), departmentId: null,
});

const sharedHash = hashPassword(testPassword);

let citizenSeq = 100;

/** A citizen born on `birth` (YYYYMMDD) with a valid resident ID of 广安区. */
export async function makeCitizen(db: Queryable, username: string, birth = '19900315', displayName = '王小红'): Promise<{ id: number; idNumber: string }> {
  const first17 = `511602${birth}${String(citizenSeq++).slice(-3)}`;
  const idNumber = first17 + residentIdCheckChar(first17);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, kind, password_hash, roles, id_number) VALUES ($1, $2, 'citizen', $3, '{citizen}', $4) RETURNING id`,
    [username, displayName, await sharedHash, idNumber]);
  return { id: Number(rows[0]!.id), idNumber };
}

/** Two issuing departments of 广安区 with a data officer each, a 岳池县 one, a platform admin and two citizens. */
export async function makeCredentialCast(db: Db) {
  await makeDivisions(db);
  const cityDept = await makeDepartment(db, { name: '市政务服务和数据管理局', divisionCode: '511600000000' });
  const approval = await makeDepartment(db, { name: '广安区行政审批局', divisionCode: '511602000000' });
  const police = await makeDepartment(db, { name: '广安区公安分局', divisionCode: '511602000000' });
  const ycApproval = await makeDepartment(db, { name: '岳池县行政审批局', divisionCode: '511621000000' });
  await makeStaff(db, { username: 'admin', roles: ['platform_admin'], departmentId: cityDept });
  await makeStaff(db, { username: 'sp_data', roles: ['data_officer'], departmentId: approval });
  await makeStaff(db, { username: 'ga_data', roles: ['data_officer'], departmentId: police });
  await makeStaff(db, { username: 'yc_data', roles: ['data_officer'], departmentId: ycApproval });
  await makeStaff(db, { username: 'sp_officer', roles: ['officer'], departmentId: approval });
  const alice = await makeCitizen(db, 'alice', '19900315', '王小红');
  const bob = await makeCitizen(db, 'bob', '20100601', '刘小明');
  return { cityDept, approval, police, ycApproval, alice, bob };
}

/** A business licence for `holder` from `issuer`. */
export function licenceInput(issuerDepartmentId: number, holder: { id: number; idNumber: string }, overrides: Partial<IssueCredential> = {}): IssueCredential {
  return {
    type: 'business-licence', issuerDepartmentId, holderUserId: holder.id,
    subject: { name: '王小红', idNumber: holder.idNumber },
    claims: { company_name: '广安市广安区渠江源茶叶商行', uscc: '92511602MA6AB3KX1L', company_type: '个体工商户', legal_representative: '王小红',
      established_on: '2021-06-18', address: '四川省广安市广安区思源大道66号' },
    ...overrides,
  };
}
