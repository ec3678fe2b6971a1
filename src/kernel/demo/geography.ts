/**
 * Generated geometry for the demo city. The reference data has no boundaries (and no boundary data with a
 * licence that allows shipping it was at hand), so the city is laid out near 广安's real place (lon
 * 106.3–107.2, lat 30.0–30.9) as nested cells: counties, townships, communities and grids, each cut from
 * its parent. The straight cuts are then bent by one smooth displacement of the whole plane, so borders
 * wind like real ones while every level still nests exactly. Every record says `schematic: true` so
 * nobody takes the shapes for real borders.
 *
 * Cuts are made in millionths of a degree (integers) and every edge carries every corner that lies on
 * it, so neighbouring cells share the very same vertices before and after bending: cells never overlap
 * and a parent is covered by its children without gaps.
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

/** Spacing of the extra vertices on straight cuts, so that bending curves them. */
const VERTEX_SPACING = 4_000;

/**
 * The bend: a sum of plane waves for each coordinate. A wave of length L and amplitude A tilts the plane
 * by at most 2πA/L; the tilts of each coordinate add up to under 0.55, so the displacement moves any two
 * points apart by less than their distance (its Jacobian has norm < 0.78 < 1) and the map stays
 * one-to-one: bent cells can neither overlap nor open gaps. Long waves give the broad shapes, short ones
 * the wiggles of a border.
 */
function bendOf(rng: Rng): (x: number, y: number) => [number, number] {
  const waves = (): { kx: number; ky: number; phase: number; amplitude: number }[] =>
    [[300_000, 0.2], [110_000, 0.15], [40_000, 0.12], [15_000, 0.08]].map(([length, tilt]) => {
      const angle = rng.float(0, 2 * Math.PI);
      const k = (2 * Math.PI) / length;
      return { kx: k * Math.cos(angle), ky: k * Math.sin(angle), phase: rng.float(0, 2 * Math.PI), amplitude: tilt / k };
    });
  const [alongX, alongY] = [waves(), waves()];
  const displace = (w: ReturnType<typeof waves>, x: number, y: number) =>
    w.reduce((sum, { kx, ky, phase, amplitude }) => sum + amplitude * Math.sin(kx * x + ky * y + phase), 0);
  return (x, y) => [Math.round(x + displace(alongX, x, y)), Math.round(y + displace(alongY, x, y))];
}

/**
 * Draws cells as bent polygons. Each straight side gets every corner of any cell lying on it and
 * vertices every VERTEX_SPACING on a grid shared by the whole city, so two cells meeting along a side
 * (or part of one) list the same vertices there, and bending keeps them together.
 */
function drawer(rects: Rect[], rng: Rng): (rect: Rect) => Polygon {
  const bend = bendOf(rng);
  const onLine = (lines: Map<number, Set<number>>, line: number, at: number) => {
    if (!lines.has(line)) lines.set(line, new Set());
    lines.get(line)!.add(at);
  };
  const vertical = new Map<number, Set<number>>(); // x -> ys of corners on the line x
  const horizontal = new Map<number, Set<number>>(); // y -> xs of corners on the line y
  for (const { west, south, east, north } of rects) {
    for (const x of [west, east]) for (const y of [south, north]) { onLine(vertical, x, y); onLine(horizontal, y, x); }
  }
  // The positions strictly between `from` and `to` on a line, in the order from `from` to `to`.
  const between = (corners: Set<number>, from: number, to: number): number[] => {
    const [low, high] = from < to ? [from, to] : [to, from];
    const inside = new Set([...corners].filter((c) => c > low && c < high));
    for (let c = (Math.floor(low / VERTEX_SPACING) + 1) * VERTEX_SPACING; c < high; c += VERTEX_SPACING) inside.add(c);
    const sorted = [...inside].sort((a, b) => a - b);
    return from < to ? sorted : sorted.reverse();
  };
  const degrees = ([x, y]: [number, number]): [number, number] => [x / UNITS_PER_DEGREE, y / UNITS_PER_DEGREE];
  return ({ west, south, east, north }) => {
    // Counter-clockwise: along the south side eastwards, up the east side, back along the north, down the west.
    const straight: [number, number][] = [
      [west, south], ...between(horizontal.get(south)!, west, east).map((x): [number, number] => [x, south]),
      [east, south], ...between(vertical.get(east)!, south, north).map((y): [number, number] => [east, y]),
      [east, north], ...between(horizontal.get(north)!, east, west).map((x): [number, number] => [x, north]),
      [west, north], ...between(vertical.get(west)!, north, south).map((y): [number, number] => [west, y]),
    ];
    const bent = straight.map(([x, y]) => bend(x, y))
      .filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]); // rounding may join neighbours
    return { type: 'Polygon', coordinates: [[...bent, bent[0]!].map(degrees)] };
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

  const cells: { division: Division; rect: Rect }[] = [];
  const gridCells: { division: Division; index: number; rect: Rect }[] = [];
  const place = (division: Division, rect: Rect) => cells.push({ division, rect });
  const addGrids = (division: Division, rects: Rect[]) =>
    rects.forEach((rect, index) => gridCells.push({ division, index, rect }));

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
  const draw = drawer([...cells, ...gridCells].map((cell) => cell.rect), rng);
  const divisionGeometry: DivisionCell[] = cells.map(({ division, rect }) => ({
    divisionCode12: division.code12,
    level: division.level,
    schematic: true,
    geometry: draw(rect),
  }));
  const grids: Grid[] = gridCells.map(({ division, index, rect }) => ({
    code: `${division.code12}-G${String(index + 1).padStart(2, '0')}`,
    name: `${division.name}第${index + 1}网格`,
    divisionCode12: division.code12,
    schematic: true,
    geometry: draw(rect),
  }));
  return { divisionGeometry, grids };
}
