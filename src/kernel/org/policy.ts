/**
 * Who sees which divisions. A row belongs to the actor's jurisdiction when its division code lies under
 * the jurisdiction root (auth's `inJurisdiction`). Divisions are the one exception: the root's ancestors
 * are visible as well, by name only, so that the console can draw the tree from the province down to
 * the actor's own division. Nothing attached to an ancestor (its departments, staff, grids, other
 * children) becomes visible through it.
 */
import { parentDivisionCode } from '../checks/index.ts';
import type { Actor } from '../auth/actor.ts';
import { hasGrant, inJurisdiction } from '../auth/policy.ts';
import { DomainError } from '../errors.ts';

/** Codes of the divisions above `code12`, nearest first. */
export function divisionAncestors(code12: string): string[] {
  const ancestors: string[] = [];
  for (let code = parentDivisionCode(code12); code !== null; code = parentDivisionCode(code)) ancestors.push(code);
  return ancestors;
}

/** May the actor see the division itself (inside its jurisdiction, or above the root)? */
export function seesDivision(actor: Actor, code12: string): boolean {
  const { root } = actor.jurisdiction;
  return actor.jurisdiction.covers(code12) || (!!root && divisionAncestors(root).includes(code12));
}

/** SQL condition for the divisions the actor sees, on a column of division codes; adds its parameters. */
export function visibleDivisions(column: string, actor: Actor, params: unknown[]): string {
  const inside = inJurisdiction(column, actor.jurisdiction, params);
  const { root } = actor.jurisdiction;
  // null: no jurisdiction, nothing above it either; '': everything is inside already.
  if (!root) return inside;
  params.push(divisionAncestors(root));
  return `(${inside} OR ${column} = ANY($${params.length}::text[]))`;
}

/**
 * Department kinds that carry powers over other departments' work: the hotline centre (kind `hotline`)
 * dispatches every ticket, the data bureau (`government-services`) administers the hub. The modules that
 * give those powers name the kinds in their manifests (`reservedDepartmentKinds`). Making a department of
 * such a kind, or appointing its staff, would hand out powers its maker may not hold, so only a platform
 * admin does it (or, for staff, an admin of that very department).
 */
const poweredKinds = new Set<string>();

export function reserveDepartmentKind(kind: string): void {
  poweredKinds.add(kind);
}

/** Refuses giving or taking a powered kind unless the actor may give any role (a platform admin). */
export function assertMayChangeKind(actor: Actor, before: string | null, after: string): void {
  if (before === after || (!poweredKinds.has(after) && (before === null || !poweredKinds.has(before)))) return;
  if (!hasGrant(actor, 'auth.role.grant-any'))
    throw new DomainError('org.department.kind-reserved', { status: 403, field: 'kind', kind: poweredKinds.has(after) ? after : before },
      'only a platform admin gives or takes a department kind that carries powers over other departments');
}

/** Refuses appointing staff (adding, moving in, changing roles) to a powered department, but for a platform admin or its own admin. */
export function assertMayAppointTo(actor: Actor, department: { id: number; kind: string }): void {
  if (!poweredKinds.has(department.kind) || hasGrant(actor, 'auth.role.grant-any') || actor.departmentId === department.id) return;
  throw new DomainError('org.department.appointment-reserved', { status: 403, field: 'departmentId', kind: department.kind },
    'staff of this department carry powers over other departments: a platform admin or the department\'s own admin appoints them');
}
