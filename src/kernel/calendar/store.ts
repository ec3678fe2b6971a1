/** The working-day calendar in the database: loading it, importing the official arrangements, admin edits. */
import { assertCan, systemActor, type Ctx } from '../auth/index.ts';
import { readStamps, stampedCache, type Queryable } from '../db/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { appendToLedger } from '../ledger/index.ts';
import { dayNumber, type Day } from './china-time.ts';
import { readOfficialHolidayYears } from './official.ts';
import { WorkCalendar, type SpecialDay } from './workdays.ts';

export interface CalendarDay extends SpecialDay {
  source: 'official' | 'admin';
}

export interface CalendarYear {
  year: number;
  /** Whether the year's arrangement is known; unknown years give provisional deadlines. */
  published: boolean;
  papers: string[];
}

const dayColumns = `to_char(date, 'YYYY-MM-DD') AS date, is_off_day AS "isOffDay", name, source`;

const calendars = stampedCache<WorkCalendar>(4);

/**
 * The working-day calendar as the database holds it, cached by its stamp (`cache_stamps`), so a change is
 * seen as soon as it is visible to `db` (committed, or made in the same transaction) and a rolled-back
 * change never is. A command that has read the stamps already passes the calendar's.
 */
export async function loadCalendar(db: Queryable, stamp?: string): Promise<WorkCalendar> {
  return calendars(stamp ?? (await readStamps(db, ['calendar'])).calendar, async () => {
    const { rows: [loaded] } = await db.query<{ days: SpecialDay[]; years: number[] }>(`
      SELECT coalesce((SELECT json_agg(json_build_object('date', to_char(date, 'YYYY-MM-DD'), 'isOffDay', is_off_day, 'name', name))
                         FROM calendar_days), '[]') AS days,
             coalesce((SELECT json_agg(year) FROM calendar_years WHERE published), '[]') AS years`);
    return new WorkCalendar(loaded!.days, loaded!.years);
  });
}

/**
 * Imports the shipped official arrangement of every year the database does not yet hold as published, and
 * lists placeholder years as unpublished. Idempotent, and a year once imported is never imported again, so
 * an administrator's changes to its days stay. Returns the years imported.
 */
export async function seedOfficialHolidays(tx: Queryable): Promise<number[]> {
  const imported: number[] = [];
  for (const { year, papers, days } of await readOfficialHolidayYears()) {
    const published = papers.length > 0;
    const { rowCount } = await tx.query(
      `INSERT INTO calendar_years (year, published, papers) VALUES ($1, $2, $3)
       ON CONFLICT (year) DO UPDATE SET published = true, papers = EXCLUDED.papers
       WHERE EXCLUDED.published AND NOT calendar_years.published`,
      [year, published, JSON.stringify(papers)]);
    if (!published || rowCount === 0) continue;
    // A later notice may rearrange the previous December; a day an administrator set keeps its value.
    await tx.query(
      `INSERT INTO calendar_days (date, is_off_day, name, source)
       SELECT date, is_off_day, name, 'official' FROM unnest($1::date[], $2::boolean[], $3::text[]) AS d (date, is_off_day, name)
       ON CONFLICT (date) DO UPDATE SET is_off_day = EXCLUDED.is_off_day, name = EXCLUDED.name
       WHERE calendar_days.source = 'official'`,
      [days.map((d) => d.date), days.map((d) => d.isOffDay), days.map((d) => d.name)]);
    await appendToLedger(tx, {
      actor: systemActor('calendar-seed'), action: 'calendar.year.imported',
      object: { type: 'calendar-year', id: year }, payload: { year, papers, days },
    });
    imported.push(year);
  }
  return imported;
}

/** The arrangement of one year: whether it is published, and its special days in date order. */
export async function getCalendarYear(db: Queryable, year: number): Promise<CalendarYear & { days: CalendarDay[] }> {
  checkYear(year);
  const { rows: [known] } = await db.query<CalendarYear>('SELECT year, published, papers FROM calendar_years WHERE year = $1', [year]);
  const { rows: days } = await db.query<CalendarDay>(
    `SELECT ${dayColumns} FROM calendar_days WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`,
    [year]);
  return { ...(known ?? { year, published: false, papers: [] }), days };
}

/** Sets a day off (a holiday, a local day off) or a make-up working day, replacing what the day had. */
export async function setCalendarDay(ctx: Ctx, input: SpecialDay): Promise<CalendarDay> {
  assertCan(ctx.actor, 'calendar.manage');
  const date = checkDate(input.date);
  const name = input.name.trim();
  if (!name) throw new DomainError('calendar.name-required', { field: 'name' }, 'a calendar day needs a name, such as 春节 or 调休上班');
  const { rows: [day] } = await ctx.tx.query<CalendarDay>(
    `INSERT INTO calendar_days (date, is_off_day, name, source) VALUES ($1, $2, $3, 'admin')
     ON CONFLICT (date) DO UPDATE SET is_off_day = EXCLUDED.is_off_day, name = EXCLUDED.name, source = 'admin'
     RETURNING ${dayColumns}`,
    [date, input.isOffDay, name]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'calendar.day.set', object: { type: 'calendar-day', id: date },
    payload: { date, isOffDay: day.isOffDay, name }, at: ctx.now,
  });
  return day;
}

/** Removes a day's special arrangement, so the weekday rule applies to it again. */
export async function removeCalendarDay(ctx: Ctx, date: Day): Promise<CalendarDay> {
  assertCan(ctx.actor, 'calendar.manage');
  const { rows: [removed] } = await ctx.tx.query<CalendarDay>(
    `DELETE FROM calendar_days WHERE date = $1 RETURNING ${dayColumns}`, [checkDate(date)]);
  if (!removed) throw notFound('calendar-day', date);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'calendar.day.removed', object: { type: 'calendar-day', id: date },
    payload: removed, at: ctx.now,
  });
  return removed;
}

/**
 * Records that a year's arrangement is known (the State Council notice is out and its days are entered),
 * so deadlines reaching that year are no longer provisional.
 */
export async function publishCalendarYear(ctx: Ctx, input: { year: number; papers: string[] }): Promise<CalendarYear> {
  assertCan(ctx.actor, 'calendar.manage');
  checkYear(input.year);
  const papers = input.papers.map((p) => p.trim()).filter(Boolean);
  if (papers.length === 0)
    throw new DomainError('calendar.papers-required', { field: 'papers' }, 'link the notice that publishes the arrangement');
  const { rows: [year] } = await ctx.tx.query<CalendarYear>(
    `INSERT INTO calendar_years (year, published, papers) VALUES ($1, true, $2)
     ON CONFLICT (year) DO UPDATE SET published = true, papers = EXCLUDED.papers
     RETURNING year, published, papers`,
    [input.year, JSON.stringify(papers)]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'calendar.year.published', object: { type: 'calendar-year', id: input.year },
    payload: year, at: ctx.now,
  });
  return year;
}

function checkDate(date: string): Day {
  if (typeof date !== 'string' || dayNumber(date) === null)
    throw new DomainError('calendar.invalid-date', { field: 'date' }, `not a date (YYYY-MM-DD): "${date}"`);
  return date;
}

function checkYear(year: number): void {
  // The arrangements start with the 1949 national holiday regulations.
  if (!Number.isInteger(year) || year < 1949 || year > 9999)
    throw new DomainError('calendar.invalid-year', { field: 'year' }, `not a year: ${year}`);
}
