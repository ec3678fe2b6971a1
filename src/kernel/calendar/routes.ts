import Type from 'typebox';
import type { App } from '../http/index.ts';
import { runCommand } from '../http/index.ts';
import { OneOf } from '../http/responses.ts';
import { assertCan } from '../auth/policy.ts';
import { getCalendarYear, loadCalendar, publishCalendarYear, removeCalendarDay, setCalendarDay } from './store.ts';

const Year = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const DateParam = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });

/** A holiday, a local day off or a make-up working day (调休上班), official or set by an admin. */
const CalendarDaySchema = Type.Object({ date: Type.String(), isOffDay: Type.Boolean(), name: Type.String(), source: OneOf(['official', 'admin']) });
/** A year's arrangement: whether it is published (unknown years give provisional deadlines), the notices, the special days. */
const CalendarYearSchema = Type.Object({ year: Type.Integer(), published: Type.Boolean(), papers: Type.Array(Type.String()), days: Type.Array(CalendarDaySchema) });
const DeadlineSchema = Type.Object({ start: Type.String(), workingDays: Type.Integer(), deadline: Type.String(), provisional: Type.Boolean() });

/** 工作日历: any staff member reads the calendar and computes deadlines; admins edit it. */
export async function calendarRoutes(app: App) {
  app.get('/years/:year', { schema: { tags: ['calendar'], summary: 'A year\'s holidays and make-up working days', params: Year, response: { 200: CalendarYearSchema } } },
    async (req) => {
      assertCan(req.actor, 'org.read');
      return getCalendarYear(app.db, req.params.year);
    });

  app.put('/days/:date', {
    schema: { tags: ['calendar'], summary: 'Set a day off or a make-up working day (调休上班)', params: DateParam,
      body: Type.Object({ isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: CalendarDaySchema } },
  }, (req) => runCommand(req, setCalendarDay, { date: req.params.date, ...req.body }));

  app.delete('/days/:date', { schema: { tags: ['calendar'], summary: 'Let the weekday rule apply to a day again', params: DateParam } },
    (req) => runCommand(req, removeCalendarDay, req.params.date));

  app.post('/years/:year/publish', {
    schema: { tags: ['calendar'], summary: 'Mark a year\'s arrangement as published, linking the notice', params: Year,
      body: Type.Object({ papers: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, publishCalendarYear, { year: req.params.year, papers: req.body.papers }));

  app.get('/deadline', {
    schema: { tags: ['calendar'], summary: 'The deadline N working days after a start (the start day does not count)',
      querystring: Type.Object({ start: Type.String({ format: 'date-time' }), workingDays: Type.Integer({ minimum: 0, maximum: 3650 }) }),
      response: { 200: DeadlineSchema } },
  }, async (req) => {
    assertCan(req.actor, 'org.read');
    const calendar = await loadCalendar(app.db);
    const deadline = calendar.addWorkingDays(new Date(req.query.start), req.query.workingDays);
    return { start: req.query.start, workingDays: req.query.workingDays, deadline: deadline.due.toISOString(), provisional: deadline.provisional };
  });
}
