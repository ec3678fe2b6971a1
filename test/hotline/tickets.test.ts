import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTicket, listTickets, viewTicket } from '../../src/hotline/index.ts';
import { hotlineCityPerFile, ledgerCount, makeTicket, outside, refusal, run, ticketInput } from './factories.ts';
import { anonymous } from '../../src/kernel/auth/index.ts';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';

const t = hotlineCityPerFile();

test('受理: a call becomes a ticket in the grid\'s division, with deadlines in working days and a ledger entry', async () => {
  const before = await ledgerCount(t.db, 'hotline.ticket.received');
  const made = await run(t.db, t.city.actors.operator, createTicket, ticketInput());
  assert.equal(made.state, 'received');
  assert.equal(made.divisionCode, '511602001000');
  assert.equal(made.gridCode, 'G-NH-1');
  assert.deepEqual(made.categoryPath, ['城乡建设与管理', '市容环卫', '垃圾清运']);
  assert.equal(made.intakeActor, `staff:${t.city.operator}`);
  assert.match(made.number, /^\d{8}\d{6}$/);
  assert.ok(made.resolveDue > made.replyDue && made.replyDue > made.receivedAt);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.received'), before + 1);
  const history = (await run(t.db, t.city.actors.operator, viewTicket, { id: made.id })).history;
  assert.deepEqual(history.map((e) => [e.action, e.fromState, e.toState]), [['hotline.ticket.received', null, 'received']]);
});

test('deadlines skip the National Day holiday: 5 and 15 working days from 2026-09-30', async () => {
  const made = await withTransaction(t.db, (tx) =>
    createTicket({ tx, actor: t.city.actors.operator, now: new Date('2026-09-30T02:00:00Z') }, ticketInput()));
  const calendar = await loadCalendar(t.db);
  assert.equal(made.replyDue.getTime(), calendar.addWorkingDays(new Date('2026-09-30T02:00:00Z'), 5).due.getTime());
  assert.equal(made.resolveDue.getTime(), calendar.addWorkingDays(new Date('2026-09-30T02:00:00Z'), 15).due.getTime());
  assert.ok(made.replyDue.getTime() - made.receivedAt.getTime() > 7 * 86_400_000, 'the holiday week does not count');
});

test('bad intake input is refused naming the field, and nothing is written', async () => {
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_tickets')).rows[0]!.n;
  const n = await count();
  const op = t.city.actors.operator;
  await assert.rejects(run(t.db, op, createTicket, ticketInput({ lon: undefined, lat: undefined, address: undefined })),
    refusal('hotline.location-missing', 400, 'location'));
  await assert.rejects(run(t.db, op, createTicket, ticketInput(outside)), refusal('hotline.outside-city', 400, 'lon'));
  await assert.rejects(run(t.db, op, createTicket, ticketInput({ categoryCode: 'nope' })), refusal('hotline.category.unknown', 400, 'categoryCode'));
  await assert.rejects(run(t.db, op, createTicket, ticketInput({ callerPhone: '12345' })), refusal('hotline.bad-phone', 400, 'callerPhone'));
  await assert.rejects(run(t.db, op, createTicket, ticketInput({ callerName: undefined, callerPhone: undefined })),
    refusal('hotline.caller-missing', 400, 'callerName'));
  await assert.rejects(run(t.db, anonymous, createTicket, ticketInput()), refusal('unauthenticated', 401));
  await assert.rejects(run(t.db, t.city.actors.handler, createTicket, ticketInput()), refusal('hotline.not-centre', 403));
  assert.equal(await count(), n);
});

test('an anonymous report keeps no caller; an address without a point takes the division given', async () => {
  const anon = await makeTicket(t.db, { anonymous: true }, t.city.actors.operator);
  assert.deepEqual([anon.anonymous, anon.callerName, anon.callerPhone], [true, null, null]);
  const byAddress = await makeTicket(t.db, { lon: undefined, lat: undefined, divisionCode: '511602001000' }, t.city.actors.operator);
  assert.deepEqual([byAddress.divisionCode, byAddress.gridCode, byAddress.lon], ['511602001000', null, null]);
});

test('the caller is shown to the intake operator, masked for others, and each showing is on the ledger', async () => {
  const made = await makeTicket(t.db, {}, t.city.actors.operator);
  const views = await ledgerCount(t.db, 'hotline.caller.viewed');
  assert.equal((await run(t.db, t.city.actors.operator, viewTicket, { id: made.id })).showCaller, true);
  assert.equal(await ledgerCount(t.db, 'hotline.caller.viewed'), views + 1);
  // The handling department sees the ticket only once it is dispatched to it.
  await assert.rejects(run(t.db, t.city.actors.handler, viewTicket, { id: made.id }), refusal('hotline.ticket.not-found', 404));
});

test('the queue lists what the actor may see, by deadline', async () => {
  const centre = await listTickets(t.db, t.city.actors.operator, {});
  assert.ok(centre.total >= 3);
  assert.ok(centre.items.every((x, i, all) => i === 0 || all[i - 1]!.resolveDue <= x.resolveDue));
  assert.equal((await listTickets(t.db, t.city.actors.ycHandler, {})).total, 0);
});
