/** The demo city's organisation: its divisions (with their areas), departments and grids. */
import { divisionPrefix } from '../checks/index.ts';
import type { DemoContext } from '../module.ts';

export async function loadOrgDemo({ tx, city }: DemoContext) {
  const geometryOf = new Map(city.divisionGeometry.map((cell) => [cell.divisionCode12, JSON.stringify(cell.geometry)]));
  const d = city.divisions;
  await tx.query(
    `INSERT INTO divisions (code, name, level, parent_code, generated, geometry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::jsonb[])`,
    [d.map((x) => x.code12), d.map((x) => x.name), d.map((x) => x.level), d.map((x) => x.parentCode12), d.map((x) => x.generated),
      d.map((x) => geometryOf.get(x.code12) ?? null)]);

  const p = city.departments;
  await tx.query(
    `INSERT INTO departments (code, name, short_name, kind, division_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [p.map((x) => x.code), p.map((x) => x.name), p.map((x) => x.shortName), p.map((x) => x.kind), p.map((x) => x.divisionCode12)]);

  const g = city.grids;
  await tx.query(
    `INSERT INTO grids (code, name, division_code, schematic, geometry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::jsonb[])`,
    [g.map((x) => x.code), g.map((x) => x.name), g.map((x) => x.divisionCode12), g.map((x) => x.schematic), g.map((x) => JSON.stringify(x.geometry))]);
  return { divisions: d.length, departments: p.length, grids: g.length };
}

/** Removes the city's grids, departments and divisions, once every module's rows in them are gone. */
export async function resetOrgDemo({ tx, city, cityCode }: DemoContext) {
  const under = `${divisionPrefix(cityCode)}%`;
  const deleted = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount ?? 0;
  return {
    grids: await deleted('DELETE FROM grids WHERE division_code LIKE $1', [under]),
    departments: await deleted('DELETE FROM departments WHERE division_code LIKE $1', [under]),
    // The province stays when something else hangs off it: another city, or a department of its own.
    divisions: await deleted('DELETE FROM divisions WHERE code LIKE $1', [under]) + await deleted(
      `DELETE FROM divisions p WHERE code = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM divisions c WHERE c.parent_code = p.code)
         AND NOT EXISTS (SELECT 1 FROM departments d WHERE d.division_code = p.code)`,
      [city.divisions.filter((d) => d.level === 'province').map((d) => d.code12)]),
  };
}
