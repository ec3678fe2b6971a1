/**
 * 地名: places found by name for the map's search box (counties, townships, communities, grids, and
 * addresses that name them), and the division a typed address names, so that an address and a point on
 * the map that disagree are caught. Public like the boundaries: names and shapes, no people.
 */
import { readStamps, stampedCache, type Db, type Queryable } from '../db/index.ts';
import { listBoundaries, type BoundaryFeature, type BoundaryLevel } from './boundaries.ts';
import { gridAt } from './grids.ts';

export interface Place {
  code: string;
  name: string;
  level: BoundaryLevel;
  /** The names above it, from the county down (广安区 › 浓洄街道 for a community of 浓洄街道). */
  within: string[];
  /** Where its label sits, and the box the map shows when the place is picked. */
  lon: number;
  lat: number;
  bbox: [number, number, number, number];
}

/** A division named in an address, and the county and township the point lies in. */
export interface AddressCheck {
  address: { code: string; name: string; level: 'county' | 'township' | 'village' } | null;
  point: { countyCode: string; countyName: string; townshipCode: string; townshipName: string } | null;
  /** Both known and in different townships (or, for an address naming only a county, different counties). */
  mismatch: boolean;
}

const searchLevels: BoundaryLevel[] = ['county', 'township', 'community', 'grid'];

/** The largest part's outer ring, whose mean vertex sits inside the gently bent cells the map draws. */
function outerRing(feature: BoundaryFeature): number[][] {
  const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  return parts.map((p) => p[0]!).reduce((a, b) => (b.length > a.length ? b : a));
}

const placesOf = new WeakMap<BoundaryFeature[], Place[]>();

async function allPlaces(db: Db): Promise<Place[]> {
  const levels = await Promise.all(searchLevels.map((level) => listBoundaries(db, { level })));
  const features = levels.flatMap((l) => l.features);
  // All levels' collections are rebuilt together when the grids or divisions change; the places with them.
  const key = levels[0]!.features;
  const cached = placesOf.get(key);
  if (cached) return cached;
  const nameOf = new Map(features.filter((f) => f.properties.level !== 'grid').map((f) => [f.properties.code, f.properties]));
  const within = (parentCode: string | null): string[] => {
    const parent = parentCode === null ? undefined : nameOf.get(parentCode);
    return parent ? [...within(parent.parentCode), parent.name] : [];
  };
  const places = features.map((f): Place => {
    const ring = outerRing(f);
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    const mean = (xs: number[]) => Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 1e6) / 1e6;
    return { code: f.properties.code, name: f.properties.name, level: f.properties.level, within: within(f.properties.parentCode),
      lon: mean(lons), lat: mean(lats), bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] };
  });
  placesOf.set(key, places);
  return places;
}

/**
 * Places for a search: names holding the text first (exact, then starting with it, then containing it,
 * larger places before smaller), then, for a typed address, the places it names, most specific first.
 */
export async function searchPlaces(db: Db, text: string, limit = 10): Promise<Place[]> {
  const q = text.trim();
  if (!q) return [];
  const places = await allPlaces(db);
  const rank = (p: Place): number => {
    if (p.name === q) return 0;
    if (p.name.startsWith(q)) return 1;
    if (p.name.includes(q)) return 2;
    // An address holding the name: the deeper the place, and the more of its parents named too, the better.
    if (p.level !== 'grid' && p.name.length >= 2 && q.includes(p.name)) return 3 - searchLevels.indexOf(p.level) / 10 - p.within.filter((n) => q.includes(n)).length / 100;
    return Infinity;
  };
  return places.map((p) => ({ p, r: rank(p) })).filter(({ r }) => r !== Infinity)
    .sort((a, b) => a.r - b.r || searchLevels.indexOf(a.p.level) - searchLevels.indexOf(b.p.level) || a.p.code.localeCompare(b.p.code))
    .slice(0, limit).map(({ p }) => p);
}

type NamedDivision = NonNullable<AddressCheck['address']>;

interface DivisionNames {
  /** Counties, townships and communities with names of two characters or more, by their first character. */
  byFirstChar: Map<string, NamedDivision[]>;
  nameOf: Map<string, string>;
}

/** By the divisions' stamp: every intake with an address looks names up, and the divisions rarely change. */
const divisionNames = stampedCache<DivisionNames>(4);

async function buildDivisionNames(via: Queryable): Promise<DivisionNames> {
  const { rows } = await via.query<NamedDivision>(
    `SELECT code, name, level FROM divisions WHERE level IN ('county', 'township', 'village')`);
  const byFirstChar = new Map<string, NamedDivision[]>();
  for (const d of rows) {
    if (d.name.length < 2) continue;
    const bucket = byFirstChar.get(d.name[0]!);
    if (bucket) bucket.push(d);
    else byFirstChar.set(d.name[0]!, [d]);
  }
  return { byFirstChar, nameOf: new Map(rows.map((d) => [d.code, d.name])) };
}

/**
 * The division an address names: of the counties, townships and communities whose names it holds, the
 * one with most of its parents named too, then the most specific. Null when it names none.
 */
function divisionOfAddress({ byFirstChar }: DivisionNames, address: string): NamedDivision | null {
  const named = new Set<NamedDivision>();
  for (let i = 0; i < address.length; i++)
    for (const d of byFirstChar.get(address[i]!) ?? []) if (address.startsWith(d.name, i)) named.add(d);
  const rows = [...named];
  const prefix = (code: string, level: string) => code.slice(0, level === 'county' ? 6 : level === 'township' ? 9 : 12);
  const depth = { county: 0, township: 1, village: 2 };
  const score = (d: NamedDivision) =>
    rows.filter((other) => other !== d && d.code.startsWith(prefix(other.code, other.level))).length * 10 + depth[d.level];
  // Ties go to the smaller code, whatever order the names were found in.
  return rows.reduce<NamedDivision | null>((best, d) =>
    (best === null || score(d) > score(best) || (score(d) === score(best) && d.code < best.code) ? d : best), null);
}

/**
 * Does the typed address name the township (or county) the point is in? A command that has read the grids'
 * and divisions' stamps already passes them; then nothing is read from the database.
 */
export async function checkAddress(via: Queryable, address: string, lon: number, lat: number,
  stamps?: { grids: string; divisions: string }): Promise<AddressCheck> {
  const { grids, divisions } = stamps ?? (await readStamps(via, ['grids', 'divisions']));
  const names = await divisionNames(divisions, () => buildDivisionNames(via));
  const named = divisionOfAddress(names, address);
  const grid = await gridAt(via, lon, lat, grids);
  let point: AddressCheck['point'] = null;
  if (grid) {
    const [countyCode, townshipCode] = [grid.divisionCode.slice(0, 6).padEnd(12, '0'), grid.divisionCode.slice(0, 9).padEnd(12, '0')];
    point = { countyCode, countyName: names.nameOf.get(countyCode) ?? '', townshipCode, townshipName: names.nameOf.get(townshipCode) ?? '' };
  }
  const compared = named?.level === 'county' ? 6 : 9;
  const mismatch = named !== null && point !== null && named.code.slice(0, compared) !== point.townshipCode.slice(0, compared);
  return { address: named, point, mismatch };
}
