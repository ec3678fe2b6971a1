/**
 * Schematic geometry for the demo city. The reference data has no boundaries, so the city is drawn as a
 * rectangle near 广安's real place (lon 106.3–107.2, lat 30.0–30.9) cut into county, township and grid
 * rectangles. Every record says `schematic: true` so nobody takes the shapes for real borders.
 *
 * Cuts are made in millionths of a degree (integers), so neighbouring cells share edges exactly: cells
 * never overlap and a parent is covered by its children without gaps.
 */
import type { Division, DivisionLevel } from './divisions.ts';
import type { Rng } from './rng.ts';

/** A GeoJSON Polygon (RFC 7946): [lon, lat] positions, closed counter-clockwise exterior ring. */
export interface Polygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

/** The area of a division, for routing a point to its township (or county, or community). */
export interface DivisionCell {
  divisionCode12: string;
  level: DivisionLevel;
  schematic: true;
  geometry: Polygon;
}

/** 网格: the smallest unit of grid management, looked after by one grid worker. */
export interface Grid {
  code: string;
  name: string;
  divisionCode12: string;
  schematic: true;
  geometry: Polygon;
}

interface Rect {
  west: number;
  south: number;
  east: number;
  north: number;
}

const UNITS_PER_DEGREE = 1_000_000;
const CITY_BOUNDS: Rect = { west: 106_300_000, south: 30_000_000, east: 107_200_000, north: 30_900_000 };

/**
 * Counties in tiling order (columns west to east, north to south within a column), chosen so that each
 * sits roughly where it really is: 岳池 north-west, 广安区 centre-west, 武胜 south-west, 前锋 north-east,
 * 华蓥 east, 邻水 south-east.
 */
const COUNTY_LAYOUT = ['511621', '511602', '511622', '511603', '511681', '511623'];

/** Grids per township that has no generated communities (those get one grid per community). */
const GRIDS_PER_TOWNSHIP = { min: 2, max: 6 };

/** Cuts [0, length] into `parts` integer pieces of jittered size (0.75–1.25 of the mean); returns offsets. */
function cut(length: number, parts: number, rng: Rng): number[] {
  const weights = Array.from({ length: parts }, () => rng.float(0.75, 1.25));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  return [0, ...weights.map((weight) => Math.round((length * (cumulative += weight)) / total))];
}

/**
 * Tiles a rectangle with `count` rectangles: columns, each cut into rows. Returned column by column
 * (west to east), north to south within a column.
 */
function tile(rect: Rect, count: number, rng: Rng): Rect[] {
  const width = rect.east - rect.west;
  const height = rect.north - rect.south;
  const columns = Math.min(count, Math.max(1, Math.round(Math.sqrt((count * width) / height))));
  const columnEdges = cut(width, columns, rng);
  return Array.from({ length: columns }, (_, column) => {
    const rows = Math.floor(count / columns) + (column < count % columns ? 1 : 0);
    const rowEdges = cut(height, rows, rng);
    return Array.from({ length: rows }, (_, row) => ({
      west: rect.west + columnEdges[column],
      east: rect.west + columnEdges[column + 1],
      north: rect.north - rowEdges[row],
      south: rect.north - rowEdges[row + 1],
    }));
  }).flat();
}

function toPolygon(rect: Rect): Polygon {
  const corner = (lon: number, lat: number): [number, number] => [
    lon / UNITS_PER_DEGREE,
    lat / UNITS_PER_DEGREE,
  ];
  const { west, south, east, north } = rect;
  return {
    type: 'Polygon',
    coordinates: [
      [corner(west, south), corner(east, south), corner(east, north), corner(west, north), corner(west, south)],
    ],
  };
}

/** Lays out city, counties, townships and generated communities, and cuts every township into grids. */
export function layOutGeography(
  divisions: Division[],
  rng: Rng,
): { divisionGeometry: DivisionCell[]; grids: Grid[] } {
  const childrenOf = new Map<string, Division[]>();
  const byCode = [...divisions].sort((a, b) => (a.code12 < b.code12 ? -1 : 1));
  for (const division of byCode) {
    if (division.parentCode12 === null) continue;
    if (!childrenOf.has(division.parentCode12)) childrenOf.set(division.parentCode12, []);
    childrenOf.get(division.parentCode12)!.push(division);
  }
  const children = (division: Division) => childrenOf.get(division.code12) ?? [];

  const divisionGeometry: DivisionCell[] = [];
  const grids: Grid[] = [];
  const place = (division: Division, rect: Rect) =>
    divisionGeometry.push({
      divisionCode12: division.code12,
      level: division.level,
      schematic: true,
      geometry: toPolygon(rect),
    });
  const addGrids = (division: Division, rects: Rect[]) =>
    rects.forEach((rect, index) =>
      grids.push({
        code: `${division.code12}-G${String(index + 1).padStart(2, '0')}`,
        name: `${division.name}第${index + 1}网格`,
        divisionCode12: division.code12,
        schematic: true,
        geometry: toPolygon(rect),
      }),
    );

  const city = divisions.find((division) => division.level === 'city')!;
  place(city, CITY_BOUNDS);
  const counties = COUNTY_LAYOUT.map((code6) => {
    const county = children(city).find((division) => division.code12.startsWith(code6));
    if (!county) throw new Error(`county ${code6} missing from the divisions`);
    return county;
  });
  tile(CITY_BOUNDS, counties.length, rng).forEach((countyRect, countyIndex) => {
    const county = counties[countyIndex];
    place(county, countyRect);
    const townships = children(county);
    tile(countyRect, townships.length, rng).forEach((townshipRect, townshipIndex) => {
      const township = townships[townshipIndex];
      place(township, townshipRect);
      const villages = children(township);
      if (villages.length === 0) {
        addGrids(township, tile(townshipRect, rng.int(GRIDS_PER_TOWNSHIP.min, GRIDS_PER_TOWNSHIP.max), rng));
        return;
      }
      tile(townshipRect, villages.length, rng).forEach((villageRect, villageIndex) => {
        place(villages[villageIndex], villageRect);
        addGrids(villages[villageIndex], [villageRect]);
      });
    });
  });
  return { divisionGeometry, grids };
}
