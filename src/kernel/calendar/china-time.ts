/**
 * Calendar days in China time. China Standard Time is UTC+8 all year (no daylight saving since 1991),
 * so a fixed offset is exact for every date the platform deals with. Pure and free of Node APIs, so the
 * browser can use it too.
 */

/** A calendar day in China, written 'YYYY-MM-DD'. */
export type Day = string;

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' day, or null when the text is not a real date. */
export function dayNumber(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const n = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
  // Date.UTC rolls 02-30 over into March; only a real date survives the round trip.
  return dayFromNumber(n) === day ? n : null;
}

export function dayFromNumber(n: number): Day {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of the China-time calendar day that `instant` falls on. */
export function chinaDayNumber(instant: Date): number {
  return Math.floor((instant.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

/** The China-time calendar day that `instant` falls on: 2026-02-13T17:00Z is already 2026-02-14. */
export function chinaDay(instant: Date): Day {
  return dayFromNumber(chinaDayNumber(instant));
}

/** Epoch milliseconds of 00:00 China time on day number `n`. */
export function chinaMidnight(n: number): number {
  return n * DAY_MS - CHINA_OFFSET_MS;
}
