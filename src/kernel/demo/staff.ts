/**
 * Demo staff descriptions: the fixed logins the walkthroughs use, plus two generated staff per
 * department. Accounts and passwords are made from these elsewhere; this file only says who is who.
 */
import type { Role } from '../auth/actor.ts';
import type { Department, DepartmentKind } from './departments.ts';
import { personName } from './names.ts';
import type { Rng } from './rng.ts';

export type { Role };

export interface StaffDescription {
  username: string;
  displayName: string;
  departmentCode: string;
  roles: Role[];
}

interface FixedLogin {
  username: string;
  /** 6-digit code of the city or county whose department the login belongs to. */
  division6: string;
  kind: DepartmentKind;
  roles: Role[];
}

const FIXED_LOGINS: FixedLogin[] = [
  { username: 'admin', division6: '511600', kind: 'government-services', roles: ['platform_admin'] },
  { username: 'ga_admin', division6: '511602', kind: 'government-services', roles: ['dept_admin'] },
  { username: 'ga_officer', division6: '511602', kind: 'civil-affairs', roles: ['officer'] },
  { username: 'yc_officer', division6: '511621', kind: 'civil-affairs', roles: ['officer'] },
  { username: 'data_officer', division6: '511600', kind: 'government-services', roles: ['data_officer'] },
  { username: 'inspector', division6: '511600', kind: 'discipline-inspection', roles: ['inspector'] },
  { username: 'supervisor', division6: '511600', kind: 'government-services', roles: ['inspector'] },
  { username: 'hotline', division6: '511600', kind: 'hotline', roles: ['officer'] },
];

const STAFF_PER_DEPARTMENT = 2;
const GENERATED_ROLES: { role: Role; weight: number }[] = [
  { role: 'officer', weight: 3 },
  { role: 'data_officer', weight: 1 },
];

export function generateStaff(departments: Department[], rng: Rng): StaffDescription[] {
  const fixed = FIXED_LOGINS.map(({ username, division6, kind, roles }): StaffDescription => {
    const department = departments.find((d) => d.kind === kind && d.divisionCode12.startsWith(division6));
    if (!department) throw new Error(`no ${kind} department at ${division6} for login ${username}`);
    return { username, displayName: personName(rng), departmentCode: department.code, roles };
  });
  const generated = departments.flatMap((department) => {
    const [division6, abbreviation] = department.code.split('-');
    return Array.from({ length: STAFF_PER_DEPARTMENT }, (_, index): StaffDescription => ({
      username: `${abbreviation.toLowerCase()}_${division6}_${index + 1}`,
      displayName: personName(rng),
      departmentCode: department.code,
      roles: [rng.weighted(GENERATED_ROLES, (entry) => entry.weight).role],
    }));
  });
  return [...fixed, ...generated];
}
