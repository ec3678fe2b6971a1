import type { Role } from './session';
import { api, query } from './api';

export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

/** A division as the organisation API summarises it. */
export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  generated: boolean;
  withinJurisdiction: boolean;
  childCount: number;
  departmentCount: number;
  staffCount: number;
  totalDepartments: number;
  totalStaff: number;
  abilities: { rename: boolean; addChild: boolean; addDepartment: boolean; addGrid: boolean };
  children?: Division[];
}

export interface Department {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  divisionCode: string;
  divisionName: string;
  parentId: number | null;
  staffCount: number;
  abilities: { edit: boolean };
}

export interface StaffMember {
  id: number;
  username: string;
  displayName: string;
  departmentId: number;
  divisionCode: string;
  roles: Role[];
  disabled: boolean;
  locked: boolean;
  phone?: string | null;
  abilities: { edit: boolean; resetPassword: boolean };
}

/** A department's name, led by its division's unless the name already says it (广安市民政局 does). */
export const departmentLabel = (d: Department) => (d.name.startsWith(d.divisionName) ? d.name : `${d.divisionName} · ${d.name}`);

/**
 * Every department the user may see, for pickers and for naming a staff member's department. A city
 * has a few hundred; the API caps a page at 500.
 */
export async function departmentsInJurisdiction(): Promise<Department[]> {
  const { items } = await api<{ total: number; items: Department[] }>('GET', `/org/departments${query({ limit: 500 })}`);
  return items;
}

export async function listStaff(params: { departmentId?: number; q?: string; limit: number; offset: number }) {
  return api<{ total: number; items: StaffMember[] }>('GET', `/users${query(params)}`);
}
