/**
 * Where a report is: the grid (and so the township and county) a point falls in, from the kernel's
 * in-memory grid index (`gridAt`), which also sees grids written by the caller's own transaction.
 */
import type { Queryable } from '../kernel/db/index.ts';
import { checkAddress, gridAt } from '../kernel/org/index.ts';
import type { AddressMismatch } from './tickets.ts';

export interface Place {
  gridCode: string;
  divisionCode: string;
}

/** The place of a point, through the command's transaction; `gridsStamp` when the command has read it already. */
export async function placeAt(via: Queryable, lon: number, lat: number, gridsStamp?: string): Promise<Place | null> {
  const grid = await gridAt(via, lon, lat, gridsStamp);
  return grid && { gridCode: grid.code, divisionCode: grid.divisionCode };
}

/**
 * 地址与定位不符: the typed address names another township (or, naming only a county, another county) than
 * the point lies in. The report is taken all the same (the caller may know better than the map, or the
 * other way round); the clerk sees both.
 */
export async function addressMismatchAt(via: Queryable, address: string, lon: number, lat: number,
  stamps?: { grids: string; divisions: string }): Promise<AddressMismatch | null> {
  const check = await checkAddress(via, address, lon, lat, stamps);
  return check.mismatch ? { address: check.address!.name, point: `${check.point!.countyName}${check.point!.townshipName}` } : null;
}
