/**
 * The demo city's components: a deterministic 200,000 spread over every grid, drawn from the demo seed.
 * Kinds are weighted as a survey of a Chinese city finds them (manhole covers, street lights and trees
 * most), states mostly intact, departments those of the kind's department kind in the grid's county (the
 * city's when the county has none). Rows go in 5,000 per statement (unnest of arrays).
 */
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { createRng, type DemoCity } from '../kernel/demo/index.ts';
import { findDepartmentByCode } from '../kernel/org/index.ts';
import { listCatalogue, prepareCatalogue } from './catalogue.ts';
import type { ComponentState } from './components.ts';

export const DEMO_COMPONENTS = 200_000;
// Small enough that one statement stays well within the pool's statement timeout on a busy machine.
const BATCH = 5_000;

/** Relative frequency of a kind in a survey; kinds not named here count 1. */
const kindWeights: Record<string, number> = {
  '0101': 8, '0102': 10, '0103': 12, '0104': 14, '0105': 6, '0106': 4, '0107': 8, '0111': 4, '0114': 3, '0117': 30, '0122': 4,
  '0203': 3, '0205': 3, '0206': 8, '0208': 6, '0301': 2, '0303': 16, '0305': 8, '0402': 40, '0407': 3, '0501': 2,
};
const stateWeights: [ComponentState, number][] = [['intact', 92], ['damaged', 5], ['occupied', 2], ['missing', 1]];

interface Columns {
  code: string[]; classCode: string[]; kindCode: string[]; divisionCode: string[]; gridCode: string[]; lon: number[]; lat: number[];
  state: string[]; competent: (number | null)[]; owner: (number | null)[]; maintainer: (number | null)[]; surveyedOn: string[];
}

const emptyColumns = (): Columns => ({ code: [], classCode: [], kindCode: [], divisionCode: [], gridCode: [], lon: [], lat: [], state: [],
  competent: [], owner: [], maintainer: [], surveyedOn: [] });

async function insertBatch(tx: Tx, c: Columns): Promise<void> {
  await tx.query(
    `INSERT INTO cityops_components (code, class_code, kind_code, division_code, grid_code, lon, lat, state, competent_department_id,
       owner_department_id, maintainer_department_id, surveyed_on, source)
     SELECT *, 'demo' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[],
       $9::bigint[], $10::bigint[], $11::bigint[], $12::date[])`,
    [c.code, c.classCode, c.kindCode, c.divisionCode, c.gridCode, c.lon, c.lat, c.state, c.competent, c.owner, c.maintainer, c.surveyedOn]);
}

/** Department ids of the demo city by `kind/county code (12 digits)`. */
async function departmentIds(tx: Tx, city: DemoCity): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const department of city.departments) {
    const found = await findDepartmentByCode(tx, department.code);
    if (found) ids.set(`${department.kind}/${department.divisionCode12}`, found.id);
  }
  return ids;
}

export async function loadComponentsDemo(tx: Tx, { seed, city, cityCode }: { seed: string; city: DemoCity; cityCode: string }) {
  const rng = createRng(`${seed}/cityops/components`);
  // The platform loads the catalogue at start; a demo loaded straight after migrating needs it too.
  await prepareCatalogue(tx);
  const kinds = (await listCatalogue(tx)).flatMap((c) => c.kinds).filter((k) => k.active);
  const departments = await departmentIds(tx, city);
  const departmentFor = (kind: string | null, county: string) =>
    kind === null ? null : departments.get(`${kind}/${county}`) ?? departments.get(`${kind}/${cityCode}`) ?? null;
  const grids = city.grids.map((grid) => {
    const ring = grid.geometry.coordinates[0]!;
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    return { grid, box: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as const };
  });
  const serials = new Map<string, number>();
  let columns = emptyColumns();
  for (let i = 0; i < DEMO_COMPONENTS; i++) {
    const { grid, box } = rng.pick(grids);
    const kind = rng.weighted(kinds, (k) => kindWeights[`${k.classCode}${k.code}`] ?? 1);
    const county = `${grid.divisionCode12.slice(0, 6)}000000`;
    const prefix = `${county.slice(0, 6)}${kind.classCode}${kind.code}`;
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    const department = departmentFor(kind.departmentKind, county);
    columns.code.push(`${prefix}${String(serial).padStart(6, '0')}`);
    columns.classCode.push(kind.classCode);
    columns.kindCode.push(kind.code);
    columns.divisionCode.push(grid.divisionCode12);
    columns.gridCode.push(grid.code);
    // Demo grids are rectangles: a uniform point in the box lies in the grid.
    columns.lon.push(Math.round(rng.float(box[0], box[2]) * 1e6) / 1e6);
    columns.lat.push(Math.round(rng.float(box[1], box[3]) * 1e6) / 1e6);
    columns.state.push(rng.weighted(stateWeights, ([, w]) => w)[0]);
    columns.competent.push(department);
    // Utilities companies own and keep their kinds (电力, 通信 …): no department of the city does.
    columns.owner.push(department);
    columns.maintainer.push(department);
    columns.surveyedOn.push(`2025-${String(rng.int(3, 11)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`);
    if (columns.code.length === BATCH) {
      await insertBatch(tx, columns);
      columns = emptyColumns();
    }
  }
  if (columns.code.length > 0) await insertBatch(tx, columns);
  return { components: DEMO_COMPONENTS };
}

export async function removeComponentsDemo(tx: Tx, cityCode: string) {
  const { rowCount } = await tx.query(`DELETE FROM cityops_components WHERE source = 'demo' AND division_code LIKE $1`,
    [`${divisionPrefix(cityCode)}%`]);
  return { components: rowCount ?? 0 };
}
