/**
 * Where a report is: the grid (and so the township and county) a point falls in. On a pool the kernel's
 * cached index answers (`gridAt`); inside a transaction that has just written grids (the demo seed) an
 * index built from that transaction's own rows does.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { Db, Queryable } from '../kernel/db/index.ts';
import { gridAt, type Polygon } from '../kernel/org/index.ts';

export interface Place {
  gridCode: string;
  divisionCode: string;
}

/** Finds the place of a point; `via` is the command's transaction, so the lookup takes no second connection. */
export type Locator = (lon: number, lat: number, via: Queryable) => Promise<Place | null>;

/** The kernel's grid lookup, its index cached per pool and refreshed when grids change. */
export function poolLocator(db: Db): Locator {
  return async (lon, lat, via) => {
    const grid = await gridAt(db, lon, lat, via);
    return grid && { gridCode: grid.code, divisionCode: grid.divisionCode };
  };
}

/** A lookup over the grids as `db` sees them now, built once; for a transaction that has just written grids. */
export async function snapshotLocator(db: Queryable): Promise<Locator> {
  const { rows } = await db.query<{ code: string; divisionCode: string; geometry: Polygon }>(
    'SELECT code, division_code AS "divisionCode", geometry FROM grids ORDER BY code');
  if (rows.length === 0) return async () => null;
  const index = new Flatbush(rows.length);
  for (const row of rows) {
    const outer = row.geometry.coordinates[0]!;
    const lons = outer.map((p) => p[0]!);
    const lats = outer.map((p) => p[1]!);
    index.add(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats));
  }
  index.finish();
  return async (lon, lat) => {
    const hit = index.search(lon, lat, lon, lat).sort((a, b) => a - b)
      .find((i) => booleanPointInPolygon([lon, lat], rows[i]!.geometry));
    return hit === undefined ? null : { gridCode: rows[hit]!.code, divisionCode: rows[hit]!.divisionCode };
  };
}
