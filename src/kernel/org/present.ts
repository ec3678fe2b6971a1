import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/policy.ts';
import type { Department } from './departments.ts';
import type { Division, DivisionNode } from './divisions.ts';

/** What the viewer may do to a division, so the console shows only buttons that work. */
export interface DivisionAbilities {
  rename: boolean;
  addChild: boolean;
  addDepartment: boolean;
  addGrid: boolean;
}

export function presentDivision<D extends Division>(division: D, viewer: Actor): D & { abilities: DivisionAbilities } {
  const at = { divisionCode: division.code };
  return {
    ...division,
    abilities: {
      rename: can(viewer, 'org.division.manage', at),
      addChild: division.level !== 'village' && can(viewer, 'org.division.manage', at),
      addDepartment: can(viewer, 'org.department.manage', at),
      addGrid: (division.level === 'township' || division.level === 'village') && can(viewer, 'org.grid.manage', at),
    },
  };
}

export type PresentedDivisionNode = Omit<DivisionNode, 'children'> & { abilities: DivisionAbilities; children: PresentedDivisionNode[] };

export function presentDivisionNode(node: DivisionNode, viewer: Actor): PresentedDivisionNode {
  return { ...presentDivision(node, viewer), children: node.children.map((child) => presentDivisionNode(child, viewer)) };
}

export function presentDepartment<D extends Department>(department: D, viewer: Actor): D & { abilities: { edit: boolean } } {
  return { ...department, abilities: { edit: can(viewer, 'org.department.manage', department) } };
}
