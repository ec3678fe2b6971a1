import type { Role } from './session';

export const staffRoles: Role[] = ['platform_admin', 'dept_admin', 'officer', 'data_officer', 'inspector'];

export const roleColor: Record<Role, string> = {
  platform_admin: 'red',
  dept_admin: 'volcano',
  officer: 'blue',
  data_officer: 'cyan',
  inspector: 'purple',
  citizen: 'default',
};
