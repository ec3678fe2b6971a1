export { chinaDay, chinaDayNumber, chinaMidnight, dayFromNumber, dayNumber, type Day } from './china-time.ts';
export { WorkCalendar, type Deadline, type OfficeHours, type Pause } from './workdays.ts';
export { officialCalendar } from './official.ts';
export {
  getCalendarYear, loadCalendar, publishCalendarYear, removeCalendarDay, seedOfficialHolidays, setCalendarDay,
  type CalendarDay, type CalendarYear,
} from './store.ts';
