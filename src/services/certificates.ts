/**
 * 电子证照 on approval: an approved application of an item with `issuesCredentialType` issues the holder
 * an SD-JWT VC signed by the item's department, in the approval's transaction. The claims come from the
 * application (its form and receipt) and the department; the holder's own facts from their resident ID.
 */
import { chinaDay } from '../kernel/calendar/index.ts';
import { creditCodeCheckChar, residentIdFacts } from '../kernel/checks/index.ts';
import type { Ctx } from '../kernel/auth/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { credentialTypes, issueCredential, marriageCertificateNumber, type ClaimValue, type Credential, type CredentialType } from './credentials/index.ts';
import type { Application } from './applications.ts';
import type { ServiceItem } from './items.ts';

const text = (form: Record<string, unknown>, field: string) => (typeof form[field] === 'string' ? (form[field] as string).trim() : '');

/** A unified social credit code (GB 32100) for a firm registered by this application: 登记管理部门 9 (市场监管), 类别 2 (个人独资). */
function creditCodeFor(app: Application): string {
  const first17 = `92${app.divisionCode.slice(0, 6)}${String(app.id).padStart(9, '0')}`.toUpperCase();
  return first17 + creditCodeCheckChar(first17);
}

function claimsFor(type: CredentialType, app: Application, registry: string, today: string): Record<string, ClaimValue> {
  const form = app.form;
  switch (type) {
    case 'marriage-certificate':
      return { certificate_number: marriageCertificateNumber(app.divisionCode, today.slice(0, 4), app.id), spouse_name: text(form, 'partnerName'),
        registered_on: today, registry };
    case 'residence-certificate':
      return { address: text(form, 'address'), division_code: app.divisionCode, resident_since: app.submittedAt ? chinaDay(app.submittedAt) : today };
    case 'business-licence':
      return { company_name: text(form, 'companyName'), uscc: creditCodeFor(app), company_type: '个人独资企业', legal_representative: app.applicantName,
        established_on: today, address: text(form, 'address') };
  }
}

/** Issues the item's certificate to the applicant; null when the item issues none. */
export async function issueOnApproval(ctx: Ctx, item: ServiceItem, app: Application): Promise<Credential | null> {
  const type = item.issuesCredentialType;
  if (!type) return null;
  if (!(type in credentialTypes) || app.applicantId === null)
    throw new DomainError('services.credential-not-issuable', { status: 409, field: 'issuesCredentialType', type }, `cannot issue ${type} for this application`);
  const department = await findDepartment(ctx.tx, item.departmentId);
  const idNumber = app.applicantIdNumber ?? undefined;
  return issueCredential(ctx.tx, {
    type: type as CredentialType, issuerDepartmentId: item.departmentId, holderUserId: app.applicantId,
    subject: { name: app.applicantName, idNumber, birthDate: idNumber ? residentIdFacts(idNumber).birthDate : undefined },
    claims: claimsFor(type as CredentialType, app, department!.name, chinaDay(ctx.now)), applicationId: app.id, actor: ctx.actor, now: ctx.now,
  });
}
