import dayjs, { type Dayjs } from 'dayjs';

/** Today on the city's calendar (China time), whatever time zone the browser is in. */
export const chinaToday = (): Dayjs => dayjs(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()));

/** A date range picker's default: from `days` China-time days back to today. */
export function chinaDaysBack(days: number): [Dayjs, Dayjs] {
  const today = chinaToday();
  return [today.subtract(days, 'day'), today];
}
