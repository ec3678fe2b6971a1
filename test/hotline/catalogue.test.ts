import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import {
  createCategory, dispatchTicket, findCategory, listTickets, overdueOf, routeTicket, setDispatchRule, setTimeLimit, timeLimitFor, createTicket,
} from '../../src/hotline/index.ts';
import { hotlineCityPerFile, ledgerCount, refusal, run, ticketInput } from './factories.ts';

const t = hotlineCityPerFile();

test('派单目录: the most specific area wins, then the nearest category', async () => {
  const garbage = (await findCategory(t.db, { code: 'CG-SRHW-LJQY' }))!;
  assert.equal(await routeTicket(t.db, garbage, '511602001000'), t.city.gaUrban);
  assert.equal(await routeTicket(t.db, garbage, '511621001000'), null);
  await run(t.db, t.city.actors.system, setDispatchRule, { categoryCode: 'CG-SRHW', divisionPrefix: '511602001', departmentId: t.city.ycUrban });
  assert.equal(await routeTicket(t.db, garbage, '511602001000'), t.city.ycUrban, 'a township rule beats the county rule');
  assert.equal(await routeTicket(t.db, garbage, '511602002000'), t.city.gaUrban);
  await run(t.db, t.city.actors.system, setDispatchRule, { categoryCode: 'CG-SRHW', divisionPrefix: '511602001', departmentId: t.city.gaUrban });
  assert.equal(await routeTicket(t.db, garbage, '511602001000'), t.city.gaUrban, 'setting a rule again replaces it');
  assert.equal(await ledgerCount(t.db, 'hotline.dispatch-rule.set'), 3);
  await assert.rejects(run(t.db, t.city.actors.operator, setDispatchRule, { categoryCode: 'CG', divisionPrefix: '5116', departmentId: t.city.gaUrban }),
    refusal('forbidden', 403));
  await assert.rejects(run(t.db, t.city.actors.system, setDispatchRule, { categoryCode: 'nope', divisionPrefix: '5116', departmentId: t.city.gaUrban }),
    refusal('hotline.category.unknown', 400, 'categoryCode'));
  await assert.rejects(run(t.db, t.city.actors.system, setDispatchRule, { categoryCode: 'CG', divisionPrefix: '5116', departmentId: 424242 }),
    refusal('hotline.department.unknown', 400, 'departmentId'));
});

test('categories: codes are unique and a path names every level', async () => {
  const made = await run(t.db, t.city.actors.system, createCategory, { code: 'CG-SRHW-GCGL', name: '公厕管理', parentCode: 'CG-SRHW' });
  assert.deepEqual(made.path, ['城乡建设与管理', '市容环卫', '公厕管理']);
  assert.equal(made.ancestry.length, 3);
  await assert.rejects(run(t.db, t.city.actors.system, createCategory, { code: 'CG', name: '重复' }), refusal('hotline.category.code-taken', 409, 'code'));
  await assert.rejects(run(t.db, t.city.actors.system, createCategory, { code: 'x y', name: '空格' }), refusal('validation', 400, 'code'));
  await assert.rejects(run(t.db, t.city.actors.system, createCategory, { code: 'CG-SRHW-WC', name: '公厕管理', parentCode: 'CG-SRHW' }),
    refusal('hotline.category.name-taken', 409, 'name'));
  await assert.rejects(run(t.db, t.city.actors.operator, createCategory, { code: 'z', name: '无权' }), refusal('forbidden', 403));
});

test('time limits: defaults per urgency, a category\'s own limit for it and its children, in working hours and days', async () => {
  const signals = (await findCategory(t.db, { code: 'JT-XHD' }))!;
  assert.deepEqual(await timeLimitFor(t.db, signals, 'urgent'), { acceptHours: 2, replyDays: 1, resolveDays: 3 });
  assert.deepEqual(await timeLimitFor(t.db, signals, 'normal'), { acceptHours: 24, replyDays: 5, resolveDays: 15 });
  await run(t.db, t.city.actors.system, setTimeLimit, { categoryCode: 'JT', urgency: 'normal', acceptHours: 4, replyDays: 2, resolveDays: 7 });
  assert.deepEqual(await timeLimitFor(t.db, signals, 'normal'), { acceptHours: 4, replyDays: 2, resolveDays: 7 });
  assert.deepEqual(await timeLimitFor(t.db, signals, 'urgent'), { acceptHours: 2, replyDays: 1, resolveDays: 3 });
  await assert.rejects(run(t.db, t.city.actors.system, setTimeLimit, { urgency: 'normal', acceptHours: 0, replyDays: 1, resolveDays: 1 }),
    refusal('validation', 400, 'acceptHours'));

  // Received Friday 2026-11-20 16:00 China time, urgent: 2 office hours to accept run into Monday 10:00.
  const friday = new Date('2026-11-20T08:00:00Z');
  const ticket = await withTransaction(t.db, (tx) => createTicket({ tx, actor: t.city.actors.operator, now: friday },
    ticketInput({ urgency: 'urgent', categoryCode: 'JT-XHD' })));
  const calendar = await loadCalendar(t.db);
  assert.equal(ticket.replyDue.toISOString(), calendar.addWorkingDays(friday, 1).due.toISOString());
  const dispatched = await withTransaction(t.db, (tx) => dispatchTicket({ tx, actor: t.city.actors.operator, now: friday }, { ticketId: ticket.id, departmentId: t.city.gaUrban }));
  assert.equal(dispatched.acceptDue!.toISOString(), '2026-11-23T02:00:00.000Z');
  assert.deepEqual(overdueOf(dispatched, new Date('2026-11-23T01:59:00Z')), { accept: false, reply: false, resolve: false, any: false });
  assert.deepEqual(overdueOf(dispatched, new Date('2026-11-23T02:01:00Z')), { accept: true, reply: false, resolve: false, any: true });
  const late = await listTickets(t.db, t.city.actors.operator, { overdue: true }, new Date('2026-11-23T02:01:00Z'));
  assert.deepEqual(late.items.map((x) => x.id), [ticket.id]);
});
