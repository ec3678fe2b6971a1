/**
 * Where a report is: the grid (and so the township and county) a point falls in. On a pool the kernel's
 * cached index answers (`gridAt`); inside a transaction that has just written grids (the demo seed) an
 * index built from that transaction's own rows does.
 */
import type { Db, Queryable } from '../kernel/db/index.ts';
import { gridAt, gridLocator, type Grid } from '../kernel/org/index.ts';

export interface Place {
  gridCode: string;
  divisionCode: string;
}

const placeOf = (grid: Grid | null): Place | null => grid && { gridCode: grid.code, divisionCode: grid.divisionCode };

/** Finds the place of a point; `via` is the command's transaction, so the lookup takes no second connection. */
export type Locator = (lon: number, lat: number, via: Queryable) => Promise<Place | null>;

/** The kernel's grid lookup, its index cached per pool and refreshed when grids change. */
export function poolLocator(db: Db): Locator {
  return async (lon, lat, via) => placeOf(await gridAt(db, lon, lat, via));
}

/** A lookup over the grids as `db` sees them now, built once; for a transaction that has just written grids. */
export async function snapshotLocator(db: Queryable): Promise<Locator> {
  const locate = await gridLocator(db);
  return async (lon, lat) => placeOf(locate(lon, lat));
}
