import type { Actor, Jurisdiction, Role } from './actor.ts';
import { DomainError, forbidden } from '../errors.ts';

/** What each role may do. The module manifests grant their actions (installModules); anything not granted is denied. */
const roleGrants = new Map<Role, Set<string>>();

export function grantToRoles(grants: Partial<Record<Role, readonly string[]>>): void {
  for (const [role, actions] of Object.entries(grants) as [Role, readonly string[]][]) {
    const set = roleGrants.get(role) ?? new Set<string>();
    for (const action of actions) set.add(action);
    roleGrants.set(role, set);
  }
}

/** Every action some role is granted (`*`, everything, stands for the platform's own processes). */
export const grantedActions = (): string[] => ['*', ...new Set([...roleGrants.values()].flatMap((actions) => [...actions]))];

export function grantsOf(roles: readonly Role[]): Set<string> {
  const out = new Set<string>();
  for (const role of roles) for (const action of roleGrants.get(role) ?? []) out.add(action);
  return out;
}


export function hasGrant(actor: Actor, action: string): boolean {
  return actor.grants.has(action) || actor.grants.has('*');
}

/** May `actor` do `action`, on a row in `divisionCode` when one is given? */
export function can(actor: Actor, action: string, row?: { divisionCode: string }): boolean {
  return hasGrant(actor, action) && (row === undefined || actor.jurisdiction.covers(row.divisionCode));
}

/** Throws 401 for an anonymous caller and 403 otherwise when `can` says no. */
export function assertCan(actor: Actor, action: string, row?: { divisionCode: string }): void {
  if (can(actor, action, row)) return;
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
  throw forbidden(action);
}

/**
 * SQL condition limiting `column` (a division code) to the jurisdiction; `$n` is the parameter it adds.
 * Deny by default: an actor without jurisdiction matches nothing.
 */
export function inJurisdiction(column: string, jurisdiction: Jurisdiction, params: unknown[]): string {
  if (jurisdiction.prefix === null) return 'false';
  if (jurisdiction.prefix === '') return 'true';
  params.push(`${jurisdiction.prefix}%`);
  return `${column} LIKE $${params.length}`;
}
