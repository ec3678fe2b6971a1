/**
 * Who may do what with components. Components are city property, not people's data, but a department
 * still sees and changes only those in its jurisdiction (the division of the component's grid).
 */
export const cityopsActions = {
  read: 'cityops.component.read',
  manage: 'cityops.component.manage',
  catalogue: 'cityops.catalogue.manage',
} as const;

const a = cityopsActions;
/** The roles that hold each action; the manifest grants them. */
export const cityopsGrants = {
  platform_admin: [a.read, a.manage, a.catalogue],
  dept_admin: [a.read, a.manage],
  officer: [a.read],
  inspector: [a.read],
} as const;
