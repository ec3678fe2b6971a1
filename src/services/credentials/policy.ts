/**
 * Who may do what with e-certificates. The holder sees and presents their own; the issuing department's
 * data officers and admins (and platform admins) keep the register: list, revoke, rotate keys. Anyone
 * may verify a presentation: that is the point of it.
 */
import { assertCan, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { forbidden } from '../../kernel/errors.ts';

export const credentialActions = {
  hold: 'credentials.wallet.read',
  read: 'credentials.register.read',
  revoke: 'credentials.credential.revoke',
  manage: 'credentials.issuer.manage',
} as const;

const a = credentialActions;
/** The roles that hold each action; the manifest grants them. */
export const credentialGrants = {
  platform_admin: [a.read, a.revoke, a.manage],
  dept_admin: [a.read, a.revoke, a.manage],
  data_officer: [a.read, a.revoke, a.manage],
  citizen: [a.hold],
} as const;

const actsForPlatform = (actor: Actor) => hasGrant(actor, '*') || actor.roles.includes('platform_admin');

/** An act on the register of one issuing department: by its own staff, within their jurisdiction, or a platform admin. */
export function assertIssuerStaff(actor: Actor, action: string, issuer: { departmentId: number; divisionCode: string }): void {
  assertCan(actor, action, issuer);
  if (!actsForPlatform(actor) && actor.departmentId !== issuer.departmentId) throw forbidden(action);
}

/** The register is the issuing department's: staff of a department that issues no e-certificate have none to keep. */
export async function registerCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  if (actor.kind !== 'staff' || actsForPlatform(actor) || !hasGrant(actor, a.read)) return {};
  const { rows } = await db.query<{ issues: boolean }>('SELECT EXISTS (SELECT 1 FROM credential_issuers WHERE department_id = $1) AS issues', [actor.departmentId]);
  return rows[0]!.issues ? {} : { withhold: [a.read, a.revoke, a.manage] };
}

/** SQL condition limiting the register to the actor's department (or jurisdiction, for platform admins); `d` is departments. */
export function registerScope(actor: Actor, params: unknown[]): string {
  const within = inJurisdiction('d.division_code', actor.jurisdiction, params);
  if (actsForPlatform(actor)) return within;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND d.id = $${params.length}`;
}
