/**
 * Date-times that callers type into filters and files. `new Date` rolls an impossible day over
 * (2026-02-30 becomes 2 March), so a filter would silently mean another day; here only a real
 * calendar date and a real time of day are read.
 */
import { dayNumber } from '../kernel/calendar/index.ts';

const w3cDateTime = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A W3C date or date-time (2026-11-24, 2026-11-24T08:00:00+08:00), or null when it is malformed or
 * names a day or time that does not exist. `requireZone` refuses a time without an offset.
 */
export function parseDateTime(text: string, opts: { requireZone?: boolean } = {}): Date | null {
  const m = w3cDateTime.exec(text);
  if (!m || dayNumber(m[1]!) === null) return null;
  const [, , hour, minute, second, zone] = m;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return null;
  if (opts.requireZone && (hour === undefined || zone === undefined)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
