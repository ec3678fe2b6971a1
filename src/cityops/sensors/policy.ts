/**
 * Who may do what with sensors: city-operations staff read devices and events in their jurisdiction; the
 * departments' administrators register, disable and re-key devices and set the rules of device types
 * (platform administrators only: types are the whole city's).
 */
export const sensorActions = {
  read: 'cityops.sensor.read',
  manage: 'cityops.sensor.manage',
  rules: 'cityops.sensor.rules',
} as const;

const s = sensorActions;
/** The roles that hold each action. */
export const sensorGrants = {
  platform_admin: [s.read, s.manage, s.rules],
  dept_admin: [s.read, s.manage],
  officer: [s.read],
  inspector: [s.read],
} as const;
