/**
 * Who owns a case (谁来处置): a jurisdiction rule first (管辖规则), then the component's 权属, then the dispatch
 * catalogue of the case's area. There is no single owner (管辖争议) when the case's point lies within
 * BOUNDARY_METRES of a grid whose area the catalogue gives to another unit, or when the component it names
 * has no department serving the area: the candidates then go to the command centre's disputes queue.
 */
import { readStamps, type Queryable } from '../kernel/db/index.ts';
import { gridAt, type Grid } from '../kernel/org/index.ts';
import { catalogueRoute, componentOwner, type Route } from './case-kinds.ts';
import { matchRule } from './jurisdiction-rules.ts';

/** A point this close to the edge of a grid of another catalogue unit is on the line between the two. */
export const BOUNDARY_METRES = 30;
export const disputeReasons = ['boundary', 'no-owner', 'returned'] as const;
export type DisputeReason = (typeof disputeReasons)[number];

export interface CaseWhere {
  kindCode: string;
  divisionCode: string;
  componentCode: string | null;
  gridCode: string | null;
  lon: number;
  lat: number;
}

export type Ownership =
  | { kind: 'single'; route: Route }
  | { kind: 'disputed'; reasons: DisputeReason[]; candidateIds: number[]; gridCodes: string[] }
  | { kind: 'none' };

const RINGS = [BOUNDARY_METRES / 2, BOUNDARY_METRES];
const BEARINGS = 16;

/**
 * The grids within BOUNDARY_METRES of a point, the one holding it first: each found by the grid lookup at
 * points on two circles around it (every 22.5°), so a line closer than the radius is crossed by one of them.
 */
export async function gridsNear(db: Queryable, lon: number, lat: number): Promise<Grid[]> {
  const { grids: stamp } = await readStamps(db, ['grids']);
  const found = new Map<string, Grid>();
  const here = await gridAt(db, lon, lat, stamp);
  if (here) found.set(here.code, here);
  const metresPerDegree = 111_320;
  for (const r of RINGS) {
    for (let i = 0; i < BEARINGS; i++) {
      const angle = (2 * Math.PI * i) / BEARINGS;
      const grid = await gridAt(db, lon + (r * Math.sin(angle)) / (metresPerDegree * Math.cos((lat * Math.PI) / 180)),
        lat + (r * Math.cos(angle)) / metresPerDegree, stamp);
      if (grid && !found.has(grid.code)) found.set(grid.code, grid);
    }
  }
  return [...found.values()];
}

/** The owner of a case, or its candidates when no single one can be named. */
export async function findOwner(db: Queryable, c: CaseWhere): Promise<Ownership> {
  const rule = await matchRule(db, c);
  if (rule) return { kind: 'single', route: { departmentId: rule.departmentId, departmentName: rule.departmentName, by: 'rule', home: rule.home } };
  let noOwner = false;
  if (c.componentCode) {
    const { known, owner } = await componentOwner(db, c.componentCode, c.divisionCode);
    if (owner) return { kind: 'single', route: owner };
    noOwner = known;
  }
  const near = await gridsNear(db, c.lon, c.lat);
  const divisions = [...new Set([c.divisionCode, ...near.map((g) => g.divisionCode)])];
  // One after another: a dispatch asks inside its transaction, on one connection.
  const routes = [];
  for (const d of divisions) routes.push(await catalogueRoute(db, c.kindCode, d));
  const [own, ...others] = routes;
  const candidateIds = [...new Set([own, ...others].filter((r) => r !== null).map((r) => r.departmentId))];
  const gridCodes = [...new Set([...(c.gridCode ? [c.gridCode] : []), ...near.map((g) => g.code)])];
  const reasons: DisputeReason[] = [...(candidateIds.length > 1 ? ['boundary' as const] : []), ...(noOwner ? ['no-owner' as const] : [])];
  if (reasons.length > 0 && candidateIds.length > 0) return { kind: 'disputed', reasons, candidateIds, gridCodes };
  if (own) return { kind: 'single', route: own };
  return { kind: 'none' };
}

/**
 * Where a case would go now without anyone choosing: the rule's, the owner's or the catalogue's unit; null
 * when none names one, or when several could (a dispute).
 */
export async function routeCase(db: Queryable, c: CaseWhere): Promise<Route | null> {
  const owner = await findOwner(db, c);
  return owner.kind === 'single' ? owner.route : null;
}
