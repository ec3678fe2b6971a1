/**
 * Demo e-certificates: a few credentials for the demo citizens, issued by 广安区's departments through
 * issueCredential like any other, one of them revoked, so the wallet, the verifier and the register
 * have something to show.
 */
import { systemActor } from '../../kernel/auth/index.ts';
import { creditCodeCheckChar, divisionPrefix } from '../../kernel/checks/index.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { issueCredential, revokeCredential, type ClaimValue } from './credentials.ts';
import { marriageCertificateNumber, type CredentialType } from './types.ts';

const demoActor = systemActor('demo');
/** A unified social credit code (GB 32100) with its check character. */
const uscc = (first17: string) => first17 + creditCodeCheckChar(first17);

interface DemoCredential {
  holder: string;
  type: CredentialType;
  /** Department code of the issuer in the demo city (see demo/departments.ts). */
  issuer: string;
  claims: (holder: { name: string; idNumber: string }) => Record<string, ClaimValue>;
  validYears?: number;
  revoked?: string;
}

const demoCredentials: readonly DemoCredential[] = [
  { holder: 'citizen1', type: 'residence-certificate', issuer: '511602-GA', validYears: 1,
    claims: () => ({ address: '四川省广安市广安区浓洄街道建安路18号2单元301', division_code: '511602001000', resident_since: '2019-03-01' }) },
  { holder: 'citizen1', type: 'business-licence', issuer: '511602-SP',
    claims: (h) => ({ company_name: '广安市广安区渠江源茶叶商行', uscc: uscc('92511602MA6AB3KX1'), company_type: '个体工商户', legal_representative: h.name,
      registered_capital: '10万元', established_on: '2021-06-18', address: '四川省广安市广安区思源大道66号', business_scope: '茶叶零售；预包装食品销售' }) },
  { holder: 'citizen1', type: 'marriage-certificate', issuer: '511602-MZ',
    claims: () => ({ certificate_number: marriageCertificateNumber('511602', '2024', 417), spouse_name: '李明', registered_on: '2024-10-01', registry: '广安市广安区民政局' }) },
  { holder: 'citizen2', type: 'residence-certificate', issuer: '511602-GA', validYears: 1,
    claims: () => ({ address: '四川省广安市广安区北辰街道万盛路9号', division_code: '511602002000', resident_since: '2022-09-15' }) },
  { holder: 'citizen2', type: 'residence-certificate', issuer: '511602-GA', revoked: '户籍迁出，居住证明失效',
    claims: () => ({ address: '四川省广安市广安区中桥街道金安大道3号', division_code: '511602003000', resident_since: '2017-05-20' }) },
  { holder: 'citizen3', type: 'business-licence', issuer: '511602-SP',
    claims: (h) => ({ company_name: '广安市广安区邻里便民超市', uscc: uscc('92511602MA6CD4PQ2'), company_type: '个体工商户', legal_representative: h.name,
      established_on: '2023-02-08', address: '四川省广安市广安区浓洄街道滨河路21号' }) },
];

export interface CredentialDemoSummary {
  credentials: number;
  revoked: number;
}

/** Issues the demo credentials in the demo's transaction; holders or issuers missing from the city are skipped. */
export async function loadCredentialDemo(tx: Tx, now = new Date()): Promise<CredentialDemoSummary> {
  const holders = new Map((await tx.query<{ id: string; username: string; display_name: string; id_number: string }>(
    `SELECT id, username, display_name, id_number FROM users WHERE username = ANY($1) AND kind = 'citizen'`,
    [[...new Set(demoCredentials.map((c) => c.holder))]])).rows.map((r) => [r.username, r]));
  const issuers = new Map((await tx.query<{ id: string; code: string }>(
    'SELECT id, code FROM departments WHERE code = ANY($1)', [[...new Set(demoCredentials.map((c) => c.issuer))]])).rows.map((r) => [r.code, Number(r.id)]));
  let credentials = 0;
  let revoked = 0;
  for (const demo of demoCredentials) {
    const holder = holders.get(demo.holder);
    const issuerDepartmentId = issuers.get(demo.issuer);
    if (!holder || issuerDepartmentId === undefined) continue;
    const validUntil = demo.validYears ? new Date(now.getTime() + demo.validYears * 365 * 86_400_000) : undefined;
    const credential = await issueCredential(tx, {
      type: demo.type, issuerDepartmentId, holderUserId: Number(holder.id), validUntil, actor: demoActor, now,
      subject: { name: holder.display_name, idNumber: holder.id_number }, claims: demo.claims({ name: holder.display_name, idNumber: holder.id_number }),
    });
    credentials++;
    if (demo.revoked) {
      await revokeCredential({ tx, actor: demoActor, now }, { id: credential.id, reason: demo.revoked });
      revoked++;
    }
  }
  await appendToLedger(tx, { actor: demoActor, action: 'credentials.demo.loaded', payload: { credentials, revoked }, at: now });
  return { credentials, revoked };
}

/** Removes the credentials, status lists, keys and issuers of the departments under `cityCode`, before the city goes. */
export async function removeCredentialDemo(tx: Tx, cityCode: string): Promise<number> {
  const under = `${divisionPrefix(cityCode)}%`;
  const departments = `SELECT id FROM departments WHERE division_code LIKE $1`;
  const removed = (await tx.query(`DELETE FROM credentials WHERE issuer_department_id IN (${departments})`, [under])).rowCount ?? 0;
  for (const table of ['credential_status_lists', 'credential_issuer_keys', 'credential_issuers'])
    await tx.query(`DELETE FROM ${table} WHERE department_id IN (${departments})`, [under]);
  return removed;
}
