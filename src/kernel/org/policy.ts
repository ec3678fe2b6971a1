/**
 * Who sees which divisions. A row belongs to the actor's jurisdiction when its division code lies under
 * the jurisdiction root (auth's `inJurisdiction`). Divisions are the one exception: the root's ancestors
 * are visible as well, by name only, so that the console can draw the tree from the province down to
 * the actor's own division. Nothing attached to an ancestor (its departments, staff, grids, other
 * children) becomes visible through it.
 */
import { parentDivisionCode } from '../checks/index.ts';
import type { Actor } from '../auth/actor.ts';
import { inJurisdiction } from '../auth/policy.ts';

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
