export { chinaDay, chinaDayNumber, chinaMidnight, dayFromNumber, dayNumber, type Day } from './china-time.ts';
export {
  standardOfficeHours, WorkCalendar, type Deadline, type OfficeHours, type Pause, type SpecialDay,
} from './workdays.ts';
export { officialCalendar, readOfficialHolidayYears, type HolidayYear } from './official.ts';
export {
  getCalendarYear, loadCalendar, publishCalendarYear, removeCalendarDay, seedOfficialHolidays, setCalendarDay,
  type CalendarDay, type CalendarYear,
} from './store.ts';
export { calendarLedgerActions, calendarMessages } from './messages.ts';
