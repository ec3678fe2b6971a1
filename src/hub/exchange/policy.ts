/**
 * Who may do what on the exchange side. Officers and data officers request data for their department's
 * systems; the providing department's data officer decides (审批) and revokes; hub administrators decide
 * escalated requests and see every figure. A citizen sees the calls that carried their own ID. Systems
 * call the gateway under a grant only: a token is not enough (deny by default).
 */
import { assertCan, hasGrant, type Actor, type CapabilityChange } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { isHubAdmin } from './catalogue.ts';

export const exchangeActions = {
  request: 'hub.request.create',
  decide: 'hub.request.decide',
  grants: 'hub.grant.read',
  evidence: 'hub.evidence.read',
  hide: 'hub.evidence.hide',
  predicate: 'hub.predicate.define',
  dashboard: 'hub.dashboard.read',
  usage: 'hub.usage.read',
} as const;

const a = exchangeActions;
/** The roles that hold each action; the manifest grants them. */
export const exchangeGrants = {
  platform_admin: [a.request, a.decide, a.grants, a.evidence, a.hide, a.predicate, a.dashboard],
  data_officer: [a.request, a.decide, a.grants, a.evidence, a.hide, a.predicate, a.dashboard],
  officer: [a.request, a.grants, a.evidence, a.hide, a.dashboard],
  inspector: [a.grants, a.evidence, a.dashboard],
  citizen: [a.usage],
} as const;

/**
 * What the console offers of the exchange: an officer with no data role whose department runs no
 * information system has nothing to request, call or watch there, so those pages stay out of their menu
 * (a 岳池县交通运输局 officer). Nor has an inspector, whose pages would show their own department's sharing:
 * they follow a misuse of data through the risk alerts, which carry the calls' evidence. The commands still
 * check for themselves.
 */
export async function exchangeCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  const pages = [a.request, a.grants, a.evidence, a.hide, a.dashboard];
  if (actor.kind === 'staff' && actor.roles.length > 0 && actor.roles.every((role) => role === 'inspector')) return { withhold: pages };
  if (actor.kind !== 'staff' || actor.departmentId === null || actor.roles.some((role) => role !== 'officer')) return {};
  const { rows } = await db.query<{ runs: boolean }>('SELECT EXISTS (SELECT 1 FROM hub_systems WHERE department_id = $1) AS runs', [actor.departmentId]);
  return rows[0]!.runs ? {} : { withhold: pages };
}

/** Is the actor the providing department's own data officer (not a hub administrator acting for it)? */
export const isProviderOfficer = (actor: Actor, providerDepartmentId: number) =>
  actor.departmentId === providerDepartmentId && actor.roles.includes('data_officer');

/** A provider act (审批, 撤销, 发布核验事项) on `providerDepartmentId`'s data: its data officer, or a hub administrator. */
export async function assertProviderOfficer(db: Queryable, actor: Actor, action: string, providerDepartmentId: number): Promise<void> {
  assertCan(actor, action);
  if (isProviderOfficer(actor, providerDepartmentId)) return;
  if (await isHubAdmin(db, actor)) return;
  throw new DomainError('hub.request.not-provider', { status: 403 }, 'only the provider\'s data officer or a hub administrator may do this');
}

/**
 * A person decides, never a system's token; nobody decides their own request, and a department does not decide for itself through a hub administrator
 * of its own: when the requesting department is not the provider, only someone outside it decides. When a
 * department asks for its own data, its data officer (another person) decides.
 */
export function assertNotOwnRequest(actor: Actor, request: { requestedBy: string; consumerDepartmentId: number; providerDepartmentId: number }): void {
  if (hasGrant(actor, '*')) return; // the platform's own processes (demo seeding) request and decide as one
  // A decision is a person's: an API token (a system) carrying data_officer does not approve.
  if (actor.kind !== 'staff') throw new DomainError('hub.request.person-decides', { status: 403 }, 'a person decides, not a system');
  if (request.requestedBy === `${actor.kind}:${actor.id}`)
    throw new DomainError('hub.request.own', { status: 403 }, 'you cannot decide your own request');
  if (actor.departmentId === request.consumerDepartmentId && request.consumerDepartmentId !== request.providerDepartmentId)
    throw new DomainError('hub.request.own-department', { status: 403 }, 'your department asked for this; the provider decides');
}

/**
 * Unmasking (masking `none`) a 核心 or 重要 field that the catalogue masks is the provider's own decision:
 * its data officer's, never a hub administrator's for another department.
 */
export function assertUnmaskingAllowed(actor: Actor, providerDepartmentId: number, fields: readonly { code: string; sensitivity: string; masking: string }[],
  masking: Record<string, string>): void {
  // The platform's own processes (a city's set-up, the demo) act on what the installation configured.
  if (hasGrant(actor, '*') || isProviderOfficer(actor, providerDepartmentId)) return;
  const exposed = fields.find((f) => masking[f.code] === 'none' && f.masking !== 'none' && (f.sensitivity === 'core' || f.sensitivity === 'important'));
  if (exposed) throw new DomainError('hub.masking.provider-only', { status: 403, field: 'masking', value: exposed.code },
    `only the provider's data officer may unmask ${exposed.code}`);
}

/**
 * SQL condition limiting rows with consumer and provider department columns to what the actor may see:
 * hub administrators everything, other staff their own department's side of it. Deny by default.
 */
export function departmentScope(actor: Actor, hubAdmin: boolean, action: string, columns: { consumer: string; provider: string }, params: unknown[]): string {
  if (!hasGrant(actor, action)) return 'false';
  if (hubAdmin) return 'true';
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `(${columns.consumer} = $${params.length} OR ${columns.provider} = $${params.length})`;
}

/** The same rule for one row: `departmentScope` in JavaScript. */
export function seesDepartmentRow(actor: Actor, hubAdmin: boolean, action: string, row: { consumer: number; provider: number | null }): boolean {
  if (!hasGrant(actor, action)) return false;
  return hubAdmin || (actor.departmentId !== null && (row.consumer === actor.departmentId || row.provider === actor.departmentId));
}
