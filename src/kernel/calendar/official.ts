/** The official holiday arrangements shipped in ./data (one holiday-cn file per notice year). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkCalendar, type SpecialDay } from './workdays.ts';

export interface HolidayYear {
  year: number;
  /** Links to the State Council notice; empty while the arrangement is not yet published. */
  papers: string[];
  days: SpecialDay[];
}

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

/** Reads every shipped year file, oldest first. */
export async function readOfficialHolidayYears(): Promise<HolidayYear[]> {
  const files = (await fs.readdir(dataDir)).filter((f) => /^\d{4}\.json$/.test(f)).sort();
  return Promise.all(files.map(async (file) => {
    const { year, papers, days } = JSON.parse(await fs.readFile(path.join(dataDir, file), 'utf8')) as HolidayYear;
    if (`${year}.json` !== file || !Array.isArray(papers) || !Array.isArray(days))
      throw new Error(`holiday file ${file} does not have the holiday-cn shape`);
    return { year, papers, days: days.map(({ date, isOffDay, name }) => ({ date, isOffDay, name })) };
  }));
}

/**
 * The calendar of the shipped arrangements alone, for code that runs without a database. A year counts as
 * known when its notice is linked. Later files win for a date listed twice: a notice may rearrange the
 * end of the previous December.
 */
export async function officialCalendar(): Promise<WorkCalendar> {
  const years = await readOfficialHolidayYears();
  return new WorkCalendar(
    years.flatMap((y) => y.days),
    years.filter((y) => y.papers.length > 0).map((y) => y.year),
  );
}
