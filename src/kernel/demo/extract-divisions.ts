/**
 * Regenerates src/kernel/demo/data/divisions-511600.json from the NBS 2023 division tables kept in the shared
 * reference data (../shared/reference/divisions beside the repository). The app never runs this: it
 * reads the committed JSON. Run with `npx tsx src/kernel/demo/extract-divisions.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

/** One row of the shipped division file; codes are 12 digits (GB/T 2260 + township + village). */
export interface DivisionRecord {
  code12: string;
  name: string;
  level: DivisionLevel;
  parentCode12: string | null;
}

export const DEMO_PROVINCE = '51';
export const DEMO_CITY = '5116';

export const referenceDivisionsDir = new URL('../../../../shared/reference/divisions/', import.meta.url);
export const shippedDivisionsFile = new URL('./data/divisions-511600.json', import.meta.url);

/** Pads a 2-, 4-, 6- or 9-digit NBS code to the 12-digit form. */
export const toCode12 = (code: string) => code.padEnd(12, '0');

interface NbsRow {
  code: string;
  name: string;
  cityCode?: string;
  areaCode?: string;
}

const readRows = (dir: URL, file: string): NbsRow[] =>
  JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as NbsRow[];

/** The demo city's province, city, counties and townships, ordered by level then code. */
export function extractDivisions(dir: URL = referenceDivisionsDir): DivisionRecord[] {
  const byCode = (a: NbsRow, b: NbsRow) => a.code.localeCompare(b.code);
  const province = readRows(dir, 'provinces.json').find((row) => row.code === DEMO_PROVINCE);
  const city = readRows(dir, 'cities.json').find((row) => row.code === DEMO_CITY);
  if (!province || !city) throw new Error(`division ${DEMO_CITY} not found in ${fileURLToPath(dir)}`);
  const counties = readRows(dir, 'areas.json').filter((row) => row.cityCode === DEMO_CITY).sort(byCode);
  const townships = readRows(dir, 'streets.json').filter((row) => row.cityCode === DEMO_CITY).sort(byCode);
  const record = (row: NbsRow, level: DivisionLevel, parent: string | null): DivisionRecord => ({
    code12: toCode12(row.code),
    name: row.name,
    level,
    parentCode12: parent === null ? null : toCode12(parent),
  });
  return [
    record(province, 'province', null),
    record(city, 'city', DEMO_PROVINCE),
    ...counties.map((row) => record(row, 'county', DEMO_CITY)),
    ...townships.map((row) => record(row, 'township', row.areaCode!)),
  ];
}

/** One record per line, so a regeneration shows up as a readable diff. */
export const formatDivisions = (records: DivisionRecord[]) =>
  `[\n${records.map((record) => `  ${JSON.stringify(record)}`).join(',\n')}\n]\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const records = extractDivisions();
  writeFileSync(shippedDivisionsFile, formatDivisions(records));
  console.log(`wrote ${records.length} divisions to ${fileURLToPath(shippedDivisionsFile)}`);
}
