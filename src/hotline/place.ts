/**
 * Where a report is: the grid (and so the township and county) a point falls in, from the kernel's
 * in-memory grid index (`gridAt`), which also sees grids written by the caller's own transaction.
 */
import type { Queryable } from '../kernel/db/index.ts';
import { gridAt } from '../kernel/org/index.ts';

export interface Place {
  gridCode: string;
  divisionCode: string;
}

/** The place of a point, through the command's transaction; `gridsStamp` when the command has read it already. */
export async function placeAt(via: Queryable, lon: number, lat: number, gridsStamp?: string): Promise<Place | null> {
  const grid = await gridAt(via, lon, lat, gridsStamp);
  return grid && { gridCode: grid.code, divisionCode: grid.divisionCode };
}
