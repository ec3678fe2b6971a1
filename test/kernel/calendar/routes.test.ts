import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, makeCast, type TestApp } from '../../helpers/factories.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { seedOfficialHolidays } from '../../../src/kernel/calendar/index.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await makeCast(t.db);
  await withTransaction(t.db, (tx) => seedOfficialHolidays(tx));
});
after(() => t.close());

test('staff read a year and compute a deadline across the 2026 Spring Festival', async () => {
  const officer = await t.login('ga_officer');
  const year = (await t.app.inject({ url: '/api/v1/calendar/years/2026', headers: { cookie: officer } })).json();
  assert.equal(year.published, true);
  assert.deepEqual(year.days.filter((d: { isOffDay: boolean }) => !d.isOffDay).map((d: { date: string }) => d.date),
    ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  // Accepted Friday 2026-02-13: 02-14 (make-up Saturday) is day 1, 02-15..23 are off, 02-24.. are days 2-5.
  const res = await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-02-13T02:00:00Z&workingDays=5', headers: { cookie: officer } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().deadline, '2026-02-27T15:59:59.999Z');
  assert.equal(res.json().provisional, false);
});

test('setting a day: 401, 400 naming the field, 403, then 200 and the deadline moves', async () => {
  const body = { isOffDay: true, name: '地方假日' };
  assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-03', payload: body })).statusCode, 401);
  const admin = await t.login('admin');
  const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-03', headers: { cookie: admin }, payload: { name: 'x' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'isOffDay');
  const officer = await t.login('ga_officer');
  assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-03', headers: { cookie: officer }, payload: body })).statusCode, 403);
  const ok = await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-03', headers: { cookie: admin }, payload: body });
  assert.equal(ok.statusCode, 200);
  // Monday 2026-03-02 + 1 working day skips the new day off on Tuesday 03-03.
  const after = await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-03-02T02:00:00Z&workingDays=1', headers: { cookie: officer } });
  assert.equal(after.json().deadline, '2026-03-04T15:59:59.999Z');
  const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/calendar/days/2026-03-03', headers: { cookie: admin } });
  assert.equal(removed.statusCode, 200);
  const again = await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-03-02T02:00:00Z&workingDays=1', headers: { cookie: officer } });
  assert.equal(again.json().deadline, '2026-03-03T15:59:59.999Z');
});
