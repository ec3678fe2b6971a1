import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { jurisdictionOf, type Actor } from '../../../src/kernel/auth/index.ts';
import { withTransaction, type Tx } from '../../../src/kernel/db/index.ts';
import {
  getCalendarYear, loadCalendar, publishCalendarYear, removeCalendarDay, seedOfficialHolidays, setCalendarDay,
} from '../../../src/kernel/calendar/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb();
  await withTransaction(t.db, (tx) => seedOfficialHolidays(tx));
});
after(() => t.drop());

const staff = (grants: string[]): Actor => ({
  kind: 'staff', id: '7', name: '日历管理员', roles: ['platform_admin'], grants: new Set(grants),
  jurisdiction: jurisdictionOf('511600000000'), departmentId: null,
});
const admin = staff(['calendar.manage']);
const officer = staff(['org.read']);
const inTx = <T>(fn: (tx: Tx) => Promise<T>) => withTransaction(t.db, fn);
const ctx = (tx: Tx, actor = admin) => ({ tx, actor, now: new Date('2026-03-01T02:00:00Z') });
const at = (chinaTime: string) => new Date(`${chinaTime.replace(' ', 'T')}:00+08:00`);
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const ledger = async (action: string) =>
  (await t.db.query<{ object_id: string; actor_id: string }>(
    'SELECT object_id, actor_id FROM ledger_queue WHERE action = $1 ORDER BY object_id', [action])).rows;
const codeOf = (code: string, field?: string) => (error: unknown) => {
  const e = error as { code?: string; details?: { field?: string } };
  return e.code === code && e.details?.field === field;
};

test('seeding imports the published years once and lists 2027 as unpublished', async () => {
  const years = (await t.db.query('SELECT year, published, jsonb_array_length(papers) AS papers FROM calendar_years ORDER BY year')).rows;
  assert.deepEqual(years, [
    { year: 2024, published: true, papers: 1 },
    { year: 2025, published: true, papers: 1 },
    { year: 2026, published: true, papers: 1 },
    { year: 2027, published: false, papers: 0 },
  ]);
  const count = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM calendar_days WHERE source = 'official'")).rows[0]!.n;
  assert.equal(await count(), 36 + 33 + 39);
  assert.deepEqual(await inTx((tx) => seedOfficialHolidays(tx)), []);
  assert.equal(await count(), 36 + 33 + 39);
  assert.deepEqual((await ledger('calendar.year.imported')).map((e) => [e.object_id, e.actor_id]),
    [['2024', 'calendar-seed'], ['2025', 'calendar-seed'], ['2026', 'calendar-seed']]);
});

test('the loaded calendar computes with the official arrangement and is cached while unchanged', async () => {
  const calendar = await loadCalendar(t.db);
  assert.deepEqual([...calendar.knownYears].sort(), [2024, 2025, 2026]);
  assert.deepEqual(calendar.addWorkingDays(at('2025-09-30 10:00'), 3), { due: endOf('2025-10-11'), provisional: false });
  assert.deepEqual(calendar.addWorkingDays(at('2026-02-12 10:00'), 3), { due: endOf('2026-02-24'), provisional: false });
  assert.equal(await loadCalendar(t.db), calendar);
});

test('getCalendarYear lists a year\'s days in order', async () => {
  const year = await getCalendarYear(t.db, 2026);
  assert.equal(year.published, true);
  assert.deepEqual(year.papers, ['https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm']);
  assert.equal(year.days.length, 39);
  assert.deepEqual(year.days[0], { date: '2026-01-01', isOffDay: true, name: '元旦', source: 'official' });
  assert.deepEqual(year.days.at(-1), { date: '2026-10-10', isOffDay: false, name: '国庆节', source: 'official' });
  assert.deepEqual(await getCalendarYear(t.db, 2031), { year: 2031, published: false, papers: [], days: [] });
});

test('an administrator sets a local day off; the next load sees it and the ledger records it', async () => {
  const before = await loadCalendar(t.db);
  assert.deepEqual(before.addWorkingDays(at('2026-03-02 10:00'), 4).due, endOf('2026-03-06'));
  const day = await inTx((tx) => setCalendarDay(ctx(tx), { date: '2026-03-06', isOffDay: true, name: ' 地方节日 ' }));
  assert.deepEqual(day, { date: '2026-03-06', isOffDay: true, name: '地方节日', source: 'admin' });
  const after = await loadCalendar(t.db);
  assert.notEqual(after, before);
  assert.deepEqual(after.addWorkingDays(at('2026-03-02 10:00'), 4).due, endOf('2026-03-09'));
  assert.deepEqual(await ledger('calendar.day.set'), [{ object_id: '2026-03-06', actor_id: '7' }]);
});

test('an administrator\'s change to an official day survives a new seeding', async () => {
  await inTx((tx) => setCalendarDay(ctx(tx), { date: '2026-02-14', isOffDay: true, name: '春节（本地安排）' }));
  await inTx((tx) => seedOfficialHolidays(tx));
  const { days } = await getCalendarYear(t.db, 2026);
  assert.deepEqual(days.find((d) => d.date === '2026-02-14'), { date: '2026-02-14', isOffDay: true, name: '春节（本地安排）', source: 'admin' });
  assert.equal((await loadCalendar(t.db)).isWorkingDay('2026-02-14'), false);
});

test('removing a day brings back the weekday rule; removing it twice is 404', async () => {
  assert.equal((await loadCalendar(t.db)).isWorkingDay('2026-02-28'), true);
  const removed = await inTx((tx) => removeCalendarDay(ctx(tx), '2026-02-28'));
  assert.deepEqual(removed, { date: '2026-02-28', isOffDay: false, name: '春节', source: 'official' });
  assert.equal((await loadCalendar(t.db)).isWorkingDay('2026-02-28'), false);
  assert.deepEqual(await ledger('calendar.day.removed'), [{ object_id: '2026-02-28', actor_id: '7' }]);
  await assert.rejects(inTx((tx) => removeCalendarDay(ctx(tx), '2026-02-28')),
    (e: { code?: string; status?: number }) => e.code === 'calendar-day.not-found' && e.status === 404);
});

test('a change rolled back is never seen, while its own transaction sees it', async () => {
  const before = await loadCalendar(t.db);
  await assert.rejects(inTx(async (tx) => {
    await setCalendarDay(ctx(tx), { date: '2026-03-10', isOffDay: true, name: '演练' });
    assert.equal((await loadCalendar(tx)).isWorkingDay('2026-03-10'), false);
    throw new Error('abandon');
  }), /abandon/);
  const after = await loadCalendar(t.db);
  assert.equal(after, before);
  assert.equal(after.isWorkingDay('2026-03-10'), true);
});

test('publishing 2027 makes deadlines into it final', async () => {
  assert.equal((await loadCalendar(t.db)).addWorkingDays(at('2026-12-30 10:00'), 3).provisional, true);
  const year = await inTx((tx) => publishCalendarYear(ctx(tx), { year: 2027, papers: ['https://www.gov.cn/zhengce/example-2027.htm'] }));
  assert.deepEqual(year, { year: 2027, published: true, papers: ['https://www.gov.cn/zhengce/example-2027.htm'] });
  assert.deepEqual((await loadCalendar(t.db)).addWorkingDays(at('2026-12-30 10:00'), 3), { due: endOf('2027-01-04'), provisional: false });
  assert.deepEqual(await ledger('calendar.year.published'), [{ object_id: '2027', actor_id: '7' }]);
});

test('commands refuse a caller without calendar.manage and bad input, naming the field', async () => {
  await assert.rejects(inTx((tx) => setCalendarDay(ctx(tx, officer), { date: '2026-03-11', isOffDay: true, name: 'x' })), codeOf('forbidden'));
  await assert.rejects(inTx((tx) => removeCalendarDay(ctx(tx, officer), '2026-01-01')), codeOf('forbidden'));
  await assert.rejects(inTx((tx) => publishCalendarYear(ctx(tx, officer), { year: 2028, papers: ['https://www.gov.cn/x'] })), codeOf('forbidden'));
  await assert.rejects(inTx((tx) => setCalendarDay(ctx(tx), { date: '2026-02-30', isOffDay: true, name: 'x' })), codeOf('calendar.invalid-date', 'date'));
  await assert.rejects(inTx((tx) => setCalendarDay(ctx(tx), { date: '2026-03-11', isOffDay: true, name: '  ' })), codeOf('calendar.name-required', 'name'));
  await assert.rejects(inTx((tx) => publishCalendarYear(ctx(tx), { year: 2028, papers: [] })), codeOf('calendar.papers-required', 'papers'));
  await assert.rejects(inTx((tx) => publishCalendarYear(ctx(tx), { year: 20.5, papers: ['https://www.gov.cn/x'] })), codeOf('calendar.invalid-year', 'year'));
  const { rows } = await t.db.query("SELECT 1 FROM calendar_days WHERE date = '2026-03-11'");
  assert.equal(rows.length, 0);
});
