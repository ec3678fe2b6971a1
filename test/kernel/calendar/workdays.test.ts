import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chinaDay } from '../../../src/kernel/calendar/china-time.ts';
import { officialCalendar } from '../../../src/kernel/calendar/official.ts';
import { WorkCalendar, type OfficeHours, type Pause } from '../../../src/kernel/calendar/workdays.ts';

const calendar = await officialCalendar();
/** An instant given in China time, e.g. at('2025-09-30 10:00'). */
const at = (chinaTime: string) => new Date(`${chinaTime.replace(' ', 'T')}:00+08:00`);
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const withLunch: OfficeHours = { dayStart: '09:00', dayEnd: '17:00', lunch: { from: '12:00', to: '13:30' } };

test('the shipped arrangements 2024-2026 are known, the 2027 placeholder is not', () => {
  assert.deepEqual([...calendar.knownYears].sort(), [2024, 2025, 2026]);
});

test('isWorkingDay applies holidays, make-up days and the weekday rule', () => {
  const cases: [string, boolean][] = [
    ['2025-09-28', true], // Sunday, 调休 for 国庆节、中秋节
    ['2025-09-30', true],
    ['2025-10-01', false],
    ['2025-10-08', false], // Wednesday, last day of the break
    ['2025-10-09', true],
    ['2025-10-11', true], // Saturday, 调休
    ['2025-10-12', false],
    ['2026-02-14', true], // Saturday, 调休 for 春节
    ['2026-02-15', false],
    ['2026-02-23', false], // Monday, last day of 春节
    ['2026-02-24', true],
    ['2026-02-28', true], // Saturday, 调休
    ['2026-03-01', false],
    ['2026-03-02', true],
    ['2024-02-04', true], // Sunday, 调休 in 2024
    ['2027-02-08', true], // a Monday of an unpublished year: weekday rule
  ];
  for (const [day, working] of cases) assert.equal(calendar.isWorkingDay(day), working, day);
  assert.throws(() => calendar.isWorkingDay('2026-02-30'), RangeError);
});

test('addWorkingDays starts counting the next working day and ends at the end of the last one', () => {
  const cases: [string, number, string][] = [
    // 2025 October break: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked.
    ['2025-09-26 10:00', 5, '2025-10-10'], // 09-28, 09-29, 09-30, 10-09, 10-10
    ['2025-09-27 10:00', 1, '2025-09-28'], // accepted on a Saturday, the make-up Sunday is day 1
    ['2025-09-30 10:00', 3, '2025-10-11'], // 10-09, 10-10, then the make-up Saturday
    ['2025-09-30 10:00', 5, '2025-10-14'],
    ['2025-10-03 10:00', 1, '2025-10-09'], // accepted during the holiday
    // 2026 春节: 02-15..02-23 off, Saturdays 02-14 and 02-28 worked.
    ['2026-02-12 10:00', 3, '2026-02-24'], // 02-13, 02-14, 02-24
    ['2026-02-13 10:00', 5, '2026-02-27'],
    ['2026-02-13 10:00', 6, '2026-02-28'],
    ['2026-02-13 10:00', 7, '2026-03-02'],
    ['2026-03-02 10:00', 0, '2026-03-02'], // 即办: by the end of the same day
    ['2025-12-29 10:00', 3, '2026-01-04'], // 12-30, 12-31, then Sunday 01-04 (元旦 调休)
  ];
  for (const [start, n, due] of cases) {
    const deadline = calendar.addWorkingDays(at(start), n);
    assert.deepEqual(deadline, { due: endOf(due), provisional: false }, `${start} + ${n}`);
    assert.equal(calendar.workingDaysBetween(at(start), deadline.due), n, `${start} .. ${due}`);
  }
  assert.throws(() => calendar.addWorkingDays(at('2026-03-02 10:00'), -1), RangeError);
  assert.throws(() => calendar.addWorkingDays(at('2026-03-02 10:00'), 1.5), RangeError);
});

test('days are China-time days, not UTC days', () => {
  // 2026-02-13T17:00Z is 01:00 on Saturday 02-14 in China, a make-up working day.
  const lateFriday = new Date('2026-02-13T17:00:00Z');
  assert.equal(chinaDay(lateFriday), '2026-02-14');
  assert.equal(calendar.isWorkingDay(chinaDay(lateFriday)), true);
  assert.deepEqual(calendar.addWorkingDays(lateFriday, 1).due, endOf('2026-02-24'));
  assert.deepEqual(calendar.addWorkingDays(new Date('2026-02-13T15:59:59Z'), 1).due, endOf('2026-02-14'));
  assert.equal(calendar.addWorkingDays(lateFriday, 1).due.toISOString(), '2026-02-24T15:59:59.999Z');
});

test('workingDaysBetween counts whole working days after a up to b, negative when reversed', () => {
  const cases: [string, string, number][] = [
    ['2025-09-30 17:00', '2025-10-08 09:00', 0],
    ['2025-09-30 17:00', '2025-10-11 09:00', 3],
    ['2026-02-13 09:00', '2026-03-02 09:00', 7],
    ['2026-03-02 09:00', '2026-03-02 18:00', 0],
    ['2026-03-02 18:00', '2026-02-13 09:00', -7],
  ];
  for (const [a, b, days] of cases) assert.equal(calendar.workingDaysBetween(at(a), at(b)), days, `${a} .. ${b}`);
});

test('a deadline reaching into a year without a published arrangement is provisional', () => {
  const cases: [string, number, string, boolean][] = [
    ['2026-11-02 10:00', 5, '2026-11-09', false],
    // 2027 is unknown: its 01-01 counts by the weekday rule, as an ordinary Friday.
    ['2026-12-30 10:00', 3, '2027-01-04', true],
    // December may still be rearranged by the 2027 notice.
    ['2026-12-01 10:00', 1, '2026-12-02', true],
    ['2023-12-28 10:00', 1, '2023-12-29', true],
  ];
  for (const [start, n, due, provisional] of cases)
    assert.deepEqual(calendar.addWorkingDays(at(start), n), { due: endOf(due), provisional }, `${start} + ${n}`);
  const empty = new WorkCalendar([], []);
  assert.equal(empty.addWorkingDays(at('2026-10-01 10:00'), 1).provisional, true);
  assert.deepEqual(empty.addWorkingDays(at('2026-10-01 10:00'), 1).due, endOf('2026-10-02'));
});

test('days an administrator adds change the count', () => {
  const local = new WorkCalendar([{ date: '2026-03-06', isOffDay: true, name: '地方节日' }], [2026]);
  assert.deepEqual(local.addWorkingDays(at('2026-03-02 10:00'), 4).due, endOf('2026-03-09'));
});

test('addWorkingHours skips nights, weekends, holidays and the lunch break', () => {
  const cases: [string, number, OfficeHours | undefined, string][] = [
    ['2026-03-06 15:00', 4, undefined, '2026-03-09 11:00'], // Friday 2h, Monday 2h
    ['2025-09-30 16:00', 3, undefined, '2025-10-09 11:00'], // over the October break
    ['2026-02-13 16:00', 2, undefined, '2026-02-14 10:00'], // into a make-up Saturday
    ['2026-03-07 10:00', 1, undefined, '2026-03-09 10:00'], // started on a Saturday
    ['2026-03-09 07:00', 1, undefined, '2026-03-09 10:00'], // started before opening
    ['2026-03-09 09:00', 8, undefined, '2026-03-09 17:00'], // a full day ends at closing, not next morning
    ['2026-03-06 17:00', 0, undefined, '2026-03-09 09:00'], // zero hours: the next office moment
    ['2026-03-09 10:30', 0.5, undefined, '2026-03-09 11:00'],
    ['2026-03-06 11:00', 3, withLunch, '2026-03-06 15:30'], // 11-12, then 13:30-15:30
    ['2026-03-06 16:00', 4, withLunch, '2026-03-09 12:00'], // ends at the start of lunch
    ['2026-03-06 12:30', 1, withLunch, '2026-03-06 14:30'], // started in the lunch break
  ];
  for (const [start, hours, office, due] of cases) {
    const deadline = calendar.addWorkingHours(at(start), hours, office);
    assert.deepEqual(deadline, { due: at(due), provisional: false }, `${start} + ${hours}h`);
    assert.equal(calendar.workingHoursBetween(at(start), deadline.due, office), hours, `${start} .. ${due}`);
  }
  assert.throws(() => calendar.addWorkingHours(at('2026-03-06 11:00'), 1, { dayStart: '17:00', dayEnd: '09:00' }), RangeError);
  assert.throws(() => calendar.addWorkingHours(at('2026-03-06 11:00'), 1, { dayStart: '9:00', dayEnd: '17:00' }), RangeError);
});

test('workingHoursBetween counts office time only, negative when reversed', () => {
  const cases: [string, string, OfficeHours | undefined, number][] = [
    ['2026-03-06 15:00', '2026-03-09 11:00', undefined, 4],
    ['2025-09-30 16:00', '2025-10-09 11:00', undefined, 3],
    ['2026-03-07 08:00', '2026-03-08 20:00', undefined, 0],
    ['2026-03-06 11:00', '2026-03-06 15:30', withLunch, 3],
    ['2026-03-09 11:00', '2026-03-06 15:00', undefined, -4],
  ];
  for (const [a, b, office, hours] of cases) assert.equal(calendar.workingHoursBetween(at(a), at(b), office), hours, `${a} .. ${b}`);
});

test('pauses for 补正 stop the clock and move the deadline', () => {
  const start = at('2026-03-02 10:00'); // Monday; 5 working days end 03-09
  const pause = (from: string, to?: string): Pause => ({ from: at(from), to: to ? at(to) : null });
  const cases: [string, Pause[], string | null][] = [
    ['no pause', [], '2026-03-09'],
    ['Wed to Fri: Thu and Fri paused', [pause('2026-03-04 10:00', '2026-03-06 15:00')], '2026-03-11'],
    ['resumed the same day', [pause('2026-03-04 10:00', '2026-03-04 16:00')], '2026-03-09'],
    ['overlapping pauses merge', [pause('2026-03-05 09:00', '2026-03-09 10:00'), pause('2026-03-04 10:00', '2026-03-06 15:00')], '2026-03-12'],
    ['started before acceptance', [pause('2026-02-27 10:00', '2026-03-03 10:00')], '2026-03-10'],
    ['still waiting', [pause('2026-03-04 10:00')], null],
    ['paused after the limit ran out', [pause('2026-03-10 10:00', '2026-03-12 10:00')], '2026-03-09'],
    ['still waiting after the limit ran out', [pause('2026-03-10 10:00')], '2026-03-09'],
    ['paused on the last day', [pause('2026-03-09 16:00', '2026-03-10 09:30')], '2026-03-10'],
  ];
  for (const [name, pauses, due] of cases) {
    const deadline = calendar.deadlineWithPauses(start, 5, pauses);
    assert.deepEqual(deadline, due === null ? null : { due: endOf(due), provisional: false }, name);
    if (deadline) assert.equal(calendar.elapsedWorkingDays(start, deadline.due, pauses), 5, name);
  }
  assert.throws(() => calendar.deadlineWithPauses(start, 5, [pause('2026-03-05 10:00', '2026-03-04 10:00')]), RangeError);
});

test('a pause across 春节 moves the deadline past the make-up Saturday', () => {
  const start = at('2026-02-10 10:00'); // 5 working days: 02-11, 02-12, 02-13, 02-14, 02-24
  assert.deepEqual(calendar.addWorkingDays(start, 5).due, endOf('2026-02-24'));
  // Paused 02-12 to 02-25 covers 02-13, 02-14, 02-24, 02-25: four working days more, the last on Saturday 02-28.
  const pauses = [{ from: at('2026-02-12 09:00'), to: at('2026-02-25 10:00') }];
  assert.deepEqual(calendar.deadlineWithPauses(start, 5, pauses), { due: endOf('2026-02-28'), provisional: false });
});

test('elapsedWorkingDays leaves out the paused days, an open pause up to now', () => {
  const start = at('2026-03-02 10:00');
  const cases: [string, Pause[], number][] = [
    ['2026-03-06 16:00', [], 4],
    ['2026-03-06 16:00', [{ from: at('2026-03-04 10:00'), to: at('2026-03-06 15:00') }], 2],
    ['2026-03-10 12:00', [{ from: at('2026-03-04 10:00') }], 2], // 03-05, 03-06, 03-09, 03-10 paused
    ['2026-03-04 12:00', [{ from: at('2026-03-05 10:00') }], 2], // pause not begun yet
  ];
  for (const [now, pauses, days] of cases) assert.equal(calendar.elapsedWorkingDays(start, at(now), pauses), days, now);
});
