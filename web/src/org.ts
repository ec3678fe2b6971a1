import { api, query, type ApiItem } from './api';

/** A division as the organisation API summarises it (a tree node carries its children). */
export type Division = ApiItem<'/org/divisions'> & { children?: Division[] };

/** A department as lists show it. */
export type Department = ApiItem<'/org/departments'>;

/** A staff member as the users API shows them: the phone only to themselves and to admins over them. */
export type StaffMember = ApiItem<'/users'>;

/** A department's name, led by its division's unless the name already says it (广安市民政局 does). */
export const departmentLabel = (d: Department) => (d.name.startsWith(d.divisionName) ? d.name : `${d.divisionName} · ${d.name}`);

/**
 * Every department the user may see, for pickers and for naming a staff member's department. A city
 * has a few hundred; the API caps a page at 500.
 */
export async function departmentsInJurisdiction(): Promise<Department[]> {
  const { items } = await api('GET', `/org/departments${query({ limit: 500 })}`);
  return items;
}

export async function listStaff(params: { departmentId?: number; q?: string; limit: number; offset: number }) {
  return api('GET', `/users${query(params)}`);
}

type TreeNode = ApiItem<'/org/divisions/tree'>;
export interface AreaOption { value: string; title: string; children: AreaOption[] }
/** Counties and townships for a TreeSelect (villages are too fine for a catalogue or a place of violation). */
export const areaOptions = (nodes: readonly TreeNode[]): AreaOption[] => nodes.filter((n) => n.level !== 'village')
  .map((n) => ({ value: n.code, title: n.name, children: areaOptions((n as { children?: TreeNode[] }).children ?? []) }));
