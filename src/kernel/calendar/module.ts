import { defineModule } from '../module.ts';
import { calendarLedgerActions, calendarMessages } from './messages.ts';
import { calendarRoutes } from './routes.ts';
import { seedOfficialHolidays } from './store.ts';

const calendarActions = ['calendar.manage'] as const;

/** 工作日历: working days, holidays and office hours, which every deadline counts in. */
export const calendarModule = defineModule({
  name: 'calendar',
  migrations: ['0004_calendar.sql'],
  messages: calendarMessages,
  ledgerActions: calendarLedgerActions,
  permissions: { actions: calendarActions, grants: { platform_admin: ['calendar.manage'] } },
  routes: [{ prefix: '/api/v1/calendar', plugin: calendarRoutes }],
  // The official holidays are not the demo's: they stay when it is removed.
  demo: { load: async ({ tx }) => ({ holidayYears: await seedOfficialHolidays(tx) }) },
});
