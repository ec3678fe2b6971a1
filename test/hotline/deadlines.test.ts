import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { timersOf } from '../../src/kernel/module.ts';
import { modules } from '../../src/modules.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { createTicket, dispatchTicket, findTicket, ticketHistory } from '../../src/hotline/index.ts';
import { listAlerts, markAlertRead, sweepDeadlines, workingClock } from '../../src/hotline/deadlines.ts';
import { hotlineCityPerFile, ledgerCount, refusal, run, ticketInput } from './factories.ts';
import type { Actor } from '../../src/kernel/auth/index.ts';

const t = hotlineCityPerFile();

const at = <I, R>(now: Date, actor: Actor, command: (ctx: { tx: never; actor: Actor; now: Date }, input: I) => Promise<R>, input: I) =>
  withTransaction(t.db, (tx) => command({ tx: tx as never, actor, now }, input));
const minute = 60_000;

test('the sweep is registered to run every minute', () => {
  const sweep = timersOf(modules).find((s) => s.name === 'hotline.deadlines');
  assert.equal(sweep?.everyMs, 60_000);
});

test('预警 at 80 % of the working time, 催办 after the deadline, 督办 a working day after the resolve deadline; each once', async () => {
  const { operator } = t.city.actors;
  // Tuesday 2026-11-24, 10:00 China time.
  const received = new Date('2026-11-24T02:00:00Z');
  const ticket = await at(received, operator, createTicket, ticketInput());
  const dispatched = await at(received, operator, dispatchTicket, { ticketId: ticket.id });
  const calendar = await loadCalendar(t.db);
  // 24 working hours to accept: 80 % is 19.2 working hours after dispatch.
  const warnAt = calendar.addWorkingHours(received, 19.2).due;
  assert.equal(dispatched.acceptDue!.getTime(), calendar.addWorkingHours(received, 24).due.getTime());

  assert.equal(await sweepDeadlines(t.db, new Date(warnAt.getTime() - minute)), 0, 'nothing before 80 %');
  assert.equal(await sweepDeadlines(t.db, new Date(warnAt.getTime() + minute)), 1);
  assert.equal(await sweepDeadlines(t.db, new Date(warnAt.getTime() + 2 * minute)), 0, 'never twice');
  assert.equal(await ledgerCount(t.db, 'hotline.deadline.warning'), 1);

  assert.equal(await sweepDeadlines(t.db, new Date(dispatched.acceptDue!.getTime() + minute)), 1, 'the accept reminder (催办)');
  assert.equal(await ledgerCount(t.db, 'hotline.deadline.reminder'), 1);

  // Long after the resolve deadline: reply and resolve reminders and the supervision; no late warnings.
  const supervisionAt = calendar.addWorkingHours(ticket.resolveDue, 8).due;
  assert.equal(await sweepDeadlines(t.db, new Date(ticket.resolveDue.getTime() + minute)), 2, 'reply and resolve reminders');
  assert.equal((await findTicket(t.db, ticket.id))!.needsSupervision, false);
  assert.equal(await sweepDeadlines(t.db, new Date(supervisionAt.getTime() + minute)), 1, 'the supervision (督办)');
  assert.equal(await sweepDeadlines(t.db, new Date(supervisionAt.getTime() + 10 * minute)), 0);
  assert.equal((await findTicket(t.db, ticket.id))!.needsSupervision, true);
  assert.equal(await ledgerCount(t.db, 'hotline.deadline.supervision'), 1);

  const history = (await ticketHistory(t.db, ticket.id)).map((e) => e.action).filter((a) => a.startsWith('hotline.deadline.'));
  assert.deepEqual(history, ['hotline.deadline.warning', 'hotline.deadline.reminder', 'hotline.deadline.reminder', 'hotline.deadline.reminder',
    'hotline.deadline.supervision']);

  // The department sees its alerts, another county's none, the centre all; each reader marks their own read.
  const mine = await listAlerts(t.db, t.city.actors.handler, {});
  assert.deepEqual(mine.map((a) => `${a.deadline}:${a.kind}`).sort(),
    ['accept:reminder', 'accept:warning', 'reply:reminder', 'resolve:reminder', 'resolve:supervision']);
  assert.ok(mine.every((a) => a.number === ticket.number && a.departmentId === t.city.gaUrban && !a.read));
  assert.deepEqual(await listAlerts(t.db, t.city.actors.ycHandler, {}), []);
  assert.equal((await listAlerts(t.db, operator, {})).length, 5);
  await run(t.db, t.city.actors.handler, markAlertRead, { id: mine[0]!.id });
  assert.equal((await listAlerts(t.db, t.city.actors.handler, { unread: true })).length, 4);
  assert.equal((await listAlerts(t.db, operator, { unread: true })).length, 5);
  await assert.rejects(run(t.db, t.city.actors.ycHandler, markAlertRead, { id: mine[0]!.id }), refusal('hotline.alert.not-found', 404));
});

test('a warning share set to 50 % warns at half the working time; weekends do not count', async () => {
  await t.db.query(`UPDATE hotline_settings SET value = '0.5' WHERE name = 'warningShare'`);
  try {
    // Friday 2026-11-27, 16:00 China time: half of the 24 working hours to accept (office hours 9–17) falls on Monday afternoon.
    const received = new Date('2026-11-27T08:00:00Z');
    const ticket = await at(received, t.city.actors.operator, createTicket, ticketInput());
    await at(received, t.city.actors.operator, dispatchTicket, { ticketId: ticket.id });
    const calendar = await loadCalendar(t.db);
    const warnAt = calendar.addWorkingHours(received, 12).due;
    assert.ok(warnAt.getTime() - received.getTime() > 2 * 86_400_000, 'the weekend does not count');
    const warnings = async () => (await ticketHistory(t.db, ticket.id)).filter((e) => e.action === 'hotline.deadline.warning').map((e) => e.note);
    await sweepDeadlines(t.db, new Date(warnAt.getTime() - minute));
    assert.deepEqual(await warnings(), []);
    await sweepDeadlines(t.db, new Date(warnAt.getTime() + minute));
    assert.deepEqual(await warnings(), [`签收预警: ${calendar.addWorkingHours(received, 24).due.toISOString()}`]);
  } finally {
    await t.db.query(`UPDATE hotline_settings SET value = '0.8' WHERE name = 'warningShare'`);
  }
});

test('the working clock gives the calendar\'s working hours between any two instants', async () => {
  const calendar = await loadCalendar(t.db);
  const clock = workingClock(calendar, new Date('2026-06-01T00:00:00Z'));
  const start = new Date('2025-12-20T00:00:00Z').getTime();
  for (let i = 0; i < 200; i++) {
    // A spread of instants over the 2026 Spring Festival and National Day holidays, at any minute of the day.
    const a = new Date(start + ((i * 7_919) % 330) * 86_400_000 + ((i * 131) % 1_440) * 60_000);
    const b = new Date(a.getTime() + ((i * 37) % 40) * 86_400_000 + ((i * 17) % 1_440) * 60_000);
    assert.ok(Math.abs(clock(b) - clock(a) - calendar.workingHoursBetween(a, b)) < 1e-6, `${a.toISOString()} → ${b.toISOString()}`);
  }
});
