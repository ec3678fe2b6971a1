/**
 * Working-day calendar (工作日). Monday to Friday are working days and Saturday and Sunday are off,
 * except for the special days of the State Council arrangement: holidays off and make-up working days
 * (调休上班), which fall on weekends. Days are China-time calendar days; every function taking an
 * instant first finds the China-time day it falls on.
 *
 * Counting days follows 民法典 art. 201 and 行政许可法 art. 82: the day of the start (受理之日) is not
 * counted, counting begins with the next working day, and holidays do not count. A deadline of n working
 * days is the end of the n-th working day, 23:59:59.999 China time, so "受理后5个工作日内" is met by anything
 * done on the fifth working day.
 *
 * A year whose arrangement is not yet published is computed by the weekday rule alone. A deadline that
 * reaches into such a year comes back with `provisional: true`, so it can be shown as such and computed
 * again once the year is published. December counts as reaching into the next year, because a notice
 * may move late-December days for New Year (the 2019 notice made 2018-12-29 a working day).
 */
import { chinaDayNumber, chinaMidnight, dayFromNumber, dayNumber, HOUR_MS, type Day } from './china-time.ts';

/** A day the arrangement sets apart from the weekday rule: a holiday off, or a make-up working day. */
export interface SpecialDay {
  date: Day;
  isOffDay: boolean;
  name: string;
}

export interface Deadline {
  due: Date;
  /** True when the computation crossed a year whose arrangement is not known yet. */
  provisional: boolean;
}

/** A stop of the clock while waiting on the applicant (补正); `to` is absent while still waiting. */
export interface Pause {
  from: Date;
  to?: Date | null;
}

/** Office hours as 'HH:MM' China time, with an optional lunch break that does not count. */
export interface OfficeHours {
  dayStart: string;
  dayEnd: string;
  lunch?: { from: string; to: string };
}

export const standardOfficeHours: OfficeHours = { dayStart: '09:00', dayEnd: '17:00' };

export class WorkCalendar {
  /** Years whose official arrangement is known (published). */
  readonly knownYears: ReadonlySet<number>;
  readonly #specialDays: ReadonlyMap<number, SpecialDay>;

  constructor(specialDays: Iterable<SpecialDay>, knownYears: Iterable<number>) {
    const byDay = new Map<number, SpecialDay>();
    for (const day of specialDays) byDay.set(toDayNumber(day.date), day);
    this.#specialDays = byDay;
    this.knownYears = new Set(knownYears);
  }

  isWorkingDay(day: Day): boolean {
    return this.#isWorking(toDayNumber(day));
  }

  /** The deadline n working days after `start`: the end of the n-th working day after its day (n = 0: end of that day). */
  addWorkingDays(start: Date, n: number): Deadline {
    assertCount(n);
    const startDay = chinaDayNumber(start);
    return this.#deadlineAtEndOf(startDay, this.#nthWorkingDayAfter(startDay, n));
  }

  /**
   * Working days after the day of `a` up to and including the day of `b`, so that
   * workingDaysBetween(a, addWorkingDays(a, n).due) = n. Negative when b is before a.
   */
  workingDaysBetween(a: Date, b: Date): number {
    const from = chinaDayNumber(a);
    const to = chinaDayNumber(b);
    return to < from ? -this.#countWorking(to, from) : this.#countWorking(from, to);
  }

  /**
   * The moment when `hours` of office time have passed since `start`. Time outside office hours, in the
   * lunch break and on days off does not count; zero hours gives the first office moment at or after start.
   */
  addWorkingHours(start: Date, hours: number, office: OfficeHours = standardOfficeHours): Deadline {
    if (!(Number.isFinite(hours) && hours >= 0)) throw new RangeError(`hours must be a non-negative number, got ${hours}`);
    const spans = officeSpans(office);
    const startDay = chinaDayNumber(start);
    let left = Math.round(hours * HOUR_MS);
    for (let day = startDay; ; day++) {
      if (!this.#isWorking(day)) continue;
      const midnight = chinaMidnight(day);
      for (const [open, close] of spans) {
        const from = Math.max(start.getTime(), midnight + open);
        const until = midnight + close;
        if (from >= until) continue;
        if (left <= until - from) return this.#deadline(startDay, day, from + left);
        left -= until - from;
      }
    }
  }

  /** Office hours (fractional) between two instants; negative when b is before a. */
  workingHoursBetween(a: Date, b: Date, office: OfficeHours = standardOfficeHours): number {
    if (b < a) return -this.workingHoursBetween(b, a, office);
    const spans = officeSpans(office);
    let total = 0;
    for (let day = chinaDayNumber(a); day <= chinaDayNumber(b); day++) {
      if (!this.#isWorking(day)) continue;
      const midnight = chinaMidnight(day);
      for (const [open, close] of spans)
        total += Math.max(0, Math.min(b.getTime(), midnight + close) - Math.max(a.getTime(), midnight + open));
    }
    return total / HOUR_MS;
  }

  /**
   * Working days used of a time limit by `now`: workingDaysBetween(start, now) less the working days spent
   * paused. A pause counts like an acceptance: the day it starts still counts, the day the clock restarts
   * does not, so a pause covers the working days after its start day up to and including its end day.
   */
  elapsedWorkingDays(start: Date, now: Date, pauses: readonly Pause[]): number {
    let days = this.workingDaysBetween(start, now);
    for (const [from, to] of mergePauses(start, pauses)) {
      const until = Math.min(to, now.getTime());
      if (until > from) days -= this.#countWorking(dayOf(from), dayOf(until));
    }
    return days;
  }

  /**
   * The deadline of n working days from `start` with the clock stopped during `pauses`: each pause that
   * began before the time limit ran out moves the deadline later by the working days it covered (counted
   * as in elapsedWorkingDays). Null while such a pause is still open, since the clock is stopped.
   */
  deadlineWithPauses(start: Date, n: number, pauses: readonly Pause[]): Deadline | null {
    assertCount(n);
    const startDay = chinaDayNumber(start);
    let dueDay = this.#nthWorkingDayAfter(startDay, n);
    for (const [from, to] of mergePauses(start, pauses)) {
      if (dayOf(from) > dueDay) break;
      if (to === Infinity) return null;
      dueDay = this.#nthWorkingDayAfter(dueDay, this.#countWorking(dayOf(from), dayOf(to)));
    }
    return this.#deadlineAtEndOf(startDay, dueDay);
  }

  #isWorking(day: number): boolean {
    const special = this.#specialDays.get(day);
    if (special) return !special.isOffDay;
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6;
  }

  #nthWorkingDayAfter(day: number, n: number): number {
    let d = day;
    for (let left = n; left > 0; ) if (this.#isWorking(++d)) left--;
    return d;
  }

  /** Working days d with after < d <= upTo. */
  #countWorking(after: number, upTo: number): number {
    let count = 0;
    for (let d = after + 1; d <= upTo; d++) if (this.#isWorking(d)) count++;
    return count;
  }

  #deadlineAtEndOf(startDay: number, dueDay: number): Deadline {
    return this.#deadline(startDay, dueDay, chinaMidnight(dueDay + 1) - 1);
  }

  #deadline(startDay: number, dueDay: number, due: number): Deadline {
    return { due: new Date(due), provisional: !this.#settled(startDay, dueDay) };
  }

  /** Whether every day from `from` to `to` lies in known years, December included (see the file comment). */
  #settled(from: number, to: number): boolean {
    const last = dayFromNumber(to);
    const lastYear = Number(last.slice(0, 4));
    for (let year = Number(dayFromNumber(from).slice(0, 4)); year <= lastYear; year++)
      if (!this.knownYears.has(year)) return false;
    return last.slice(5, 7) !== '12' || this.knownYears.has(lastYear + 1);
  }
}

function toDayNumber(day: Day): number {
  const n = dayNumber(day);
  if (n === null) throw new RangeError(`not a day (YYYY-MM-DD): "${day}"`);
  return n;
}

const dayOf = (instant: number) => chinaDayNumber(new Date(instant));

function assertCount(n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`a number of working days must be a whole number ≥ 0, got ${n}`);
}

function minutesOfDay(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not a time of day (HH:MM): "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The office spans of a day as [open, close] milliseconds after midnight, in order. */
function officeSpans(office: OfficeHours): [number, number][] {
  const bounds = (office.lunch
    ? [office.dayStart, office.lunch.from, office.lunch.to, office.dayEnd]
    : [office.dayStart, office.dayEnd]
  ).map((t) => minutesOfDay(t) * 60_000);
  if (bounds.some((t, i) => i > 0 && t <= bounds[i - 1]))
    throw new RangeError('office hours must run in order: day start, lunch from, lunch to, day end');
  const spans: [number, number][] = [];
  for (let i = 0; i < bounds.length; i += 2) spans.push([bounds[i], bounds[i + 1]]);
  return spans;
}

/** Pauses as [from, to] epoch milliseconds from `start` on, in order, overlaps merged; an open pause ends at Infinity. */
function mergePauses(start: Date, pauses: readonly Pause[]): [number, number][] {
  const spans = pauses
    .map(({ from, to }): [number, number] => {
      const end = to ? to.getTime() : Infinity;
      if (end < from.getTime()) throw new RangeError(`a pause cannot end (${to!.toISOString()}) before it starts (${from.toISOString()})`);
      return [Math.max(from.getTime(), start.getTime()), end];
    })
    .filter(([from, to]) => to > from)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
