/**
 * Who may do what in 一网通办. Roles grant the actions; rows are limited by jurisdiction (the division of
 * the department that owns the item or handles the application); a step is taken only by staff of that
 * department holding the step's role. Citizens see and act on their own applications only.
 */
import { assertCan, hasGrant, inJurisdiction, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

export const servicesActions = {
  manageItems: 'services.item.manage',
  apply: 'services.application.apply',
  read: 'services.application.read',
  handle: 'services.application.handle',
  rectify: 'services.rating.rectify',
  readRatings: 'services.rating.read',
  managePolicies: 'services.policy.manage',
} as const;

const a = servicesActions;
/** The roles that hold each action; the manifest grants them. */
export const servicesGrants = {
  platform_admin: [a.manageItems, a.read, a.handle, a.rectify, a.readRatings, a.managePolicies],
  dept_admin: [a.manageItems, a.read, a.rectify, a.readRatings],
  officer: [a.read, a.handle, a.rectify, a.readRatings],
  inspector: [a.read, a.readRatings],
  citizen: [a.apply],
} as const;

/**
 * 办件受理 is the queue of the department's own items: an officer whose department offers no service item
 * (the 12345 centre, a county bureau without listed items) has nothing to handle there, so it stays out of
 * their menu. The commands still check for themselves.
 */
export async function queueCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  if (actor.kind !== 'staff' || actor.departmentId === null || actor.roles.some((role) => role !== 'officer')) return {};
  const { rows } = await db.query<{ offers: boolean }>('SELECT EXISTS (SELECT 1 FROM services_items WHERE department_id = $1) AS offers', [actor.departmentId]);
  return rows[0]!.offers ? {} : { withhold: [a.read, a.handle] };
}

/** The fields of an application that decide access. */
export interface ApplicationAccess {
  divisionCode: string;
  departmentId: number;
  applicantId: number | null;
}

export const isApplicant = (actor: Actor, app: ApplicationAccess) => actor.kind === 'citizen' && app.applicantId !== null && actor.id === String(app.applicantId);

const actsForPlatform = (actor: Actor) => hasGrant(actor, '*') || actor.roles.includes('platform_admin');

/** Staff see applications of their jurisdiction; handlers only their own department's, unless overseers. */
export function canReadApplication(actor: Actor, app: ApplicationAccess): boolean {
  if (isApplicant(actor, app)) return true;
  if (!hasGrant(actor, a.read) || !actor.jurisdiction.covers(app.divisionCode)) return false;
  if (actsForPlatform(actor) || actor.roles.includes('inspector') || actor.roles.includes('dept_admin')) return true;
  return actor.departmentId === app.departmentId;
}

/** A handling step: the role the item's step names, in the handling department, within the jurisdiction. */
export function assertHandler(actor: Actor, app: ApplicationAccess, role: string): void {
  assertCan(actor, a.handle, app);
  if (actsForPlatform(actor)) return;
  if (actor.departmentId !== app.departmentId)
    throw new DomainError('services.not-handler', { status: 403 }, 'the application is not with your department');
  if (!actor.roles.includes(role as Actor['roles'][number]))
    throw new DomainError('services.step-role', { status: 403, role }, `this step needs the role ${role}`);
}

/** The applicant's own case, for a citizen's act on it (answer a 补正, rate). Others get 404, as if it did not exist. */
export function assertApplicant(actor: Actor, app: ApplicationAccess & { id: number }): void {
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
  if (!isApplicant(actor, app)) throw new DomainError('services.application.not-found', { status: 404, id: app.id });
}

/** SQL condition limiting applications (alias `a`) to what the actor may see. */
export function applicationScope(actor: Actor, params: unknown[]): string {
  if (actor.kind === 'citizen') {
    params.push(Number(actor.id));
    return `a.applicant_id = $${params.length}`;
  }
  if (!hasGrant(actor, a.read)) return 'false';
  const within = inJurisdiction('a.division_code', actor.jurisdiction, params);
  if (actsForPlatform(actor) || actor.roles.includes('inspector') || actor.roles.includes('dept_admin')) return within;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${within} AND a.department_id = $${params.length}`;
}
