/**
 * The demo city 广安市: real divisions down to township, generated communities, the departments of the
 * city and its counties, schematic grids and the demo staff. Pure data: the same seed gives the same
 * city, byte for byte. Each part draws from its own stream, so changing how one part is generated
 * leaves the others as they were.
 */
import { generateDepartments, type Department } from './departments.ts';
import { generateVillages, loadRealDivisions, type Division } from './divisions.ts';
import { layOutGeography, type DivisionCell, type Grid } from './geography.ts';
import { createRng } from './rng.ts';
import { generateStaff, type StaffDescription } from './staff.ts';

export type { Department, DepartmentKind } from './departments.ts';
export type { Division, DivisionLevel } from './divisions.ts';
export type { DivisionCell, Grid, Polygon } from './geography.ts';
export type { Role, StaffDescription } from './staff.ts';

export interface DemoCity {
  divisions: Division[];
  departments: Department[];
  grids: Grid[];
  /** Areas of the city, counties, townships and generated communities (schematic). */
  divisionGeometry: DivisionCell[];
  staff: StaffDescription[];
}

export function generateCity(seed: string): DemoCity {
  const stream = (part: string) => createRng(`${seed}/${part}`);
  const realDivisions = loadRealDivisions();
  const divisions = [...realDivisions, ...generateVillages(realDivisions, stream('villages'))];
  const departments = generateDepartments(divisions);
  const { divisionGeometry, grids } = layOutGeography(divisions, stream('geography'));
  const staff = generateStaff(departments, stream('staff'));
  return { divisions, departments, grids, divisionGeometry, staff };
}
