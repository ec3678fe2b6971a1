import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { acceptTicket, decideExtension, dispatchTicket, listTickets, requestExtension, ticketHistory } from '../../src/hotline/index.ts';
import { hotlineCityPerFile, ledgerCount, makeTicket, memberOf, refusal, run } from './factories.ts';

const t = hotlineCityPerFile();

test('延期: the department asks, the centre approves, and the deadline to resolve moves by working days', async () => {
  const { operator, handler } = t.city.actors;
  const made = await makeTicket(t.db, {}, operator);
  await run(t.db, operator, dispatchTicket, { ticketId: made.id });
  await assert.rejects(run(t.db, handler, requestExtension, { ticketId: made.id, days: 5, reason: '需协调施工单位' }),
    refusal('hotline.bad-state', 409, 'state'));
  const accepted = await run(t.db, handler, acceptTicket, { ticketId: made.id });
  await assert.rejects(run(t.db, handler, requestExtension, { ticketId: made.id, days: 0, reason: 'x' }), refusal('validation', 400, 'days'));
  await assert.rejects(run(t.db, handler, requestExtension, { ticketId: made.id, days: 5, reason: ' ' }), refusal('validation', 400, 'reason'));
  await run(t.db, handler, requestExtension, { ticketId: made.id, days: 5, reason: '需协调施工单位' });
  await assert.rejects(run(t.db, handler, requestExtension, { ticketId: made.id, days: 3, reason: '再次' }), refusal('hotline.extension-pending', 409, 'state'));
  assert.deepEqual((await listTickets(t.db, operator, { extensionPending: true })).items.map((x) => x.id), [made.id]);
  await assert.rejects(run(t.db, handler, decideExtension, { ticketId: made.id, approve: true }), refusal('hotline.not-centre', 403));
  const approved = await run(t.db, operator, decideExtension, { ticketId: made.id, approve: true, note: '同意' });
  const calendar = await loadCalendar(t.db);
  assert.equal(approved.resolveDue.toISOString(), calendar.addWorkingDays(accepted.resolveDue, 5).due.toISOString());
  assert.equal(approved.state, 'accepted');
  assert.equal((await listTickets(t.db, operator, { extensionPending: true })).total, 0);
  await assert.rejects(run(t.db, operator, decideExtension, { ticketId: made.id, approve: false, note: '无需延期' }), refusal('hotline.no-extension', 409, 'state'));
  // A refusal leaves the deadline where it was.
  await run(t.db, handler, requestExtension, { ticketId: made.id, days: 10, reason: '材料未到' });
  await assert.rejects(run(t.db, operator, decideExtension, { ticketId: made.id, approve: false, note: ' ' }),
    refusal('hotline.extension.reason-required', 400, 'note'), 'a refusal names its reason');
  const refused = await run(t.db, operator, decideExtension, { ticketId: made.id, approve: false, note: '材料已到，请按期办结' });
  assert.equal(refused.resolveDue.toISOString(), approved.resolveDue.toISOString());
  assert.deepEqual((await ticketHistory(t.db, made.id)).map((e) => e.action).slice(3), ['hotline.extension.requested', 'hotline.extension.approved',
    'hotline.extension.requested', 'hotline.extension.refused']);
  assert.equal(await ledgerCount(t.db, 'hotline.extension.approved'), 1);
});

test('nobody decides their own extension: when the centre handles a ticket itself, another member of the centre decides', async () => {
  const { operator } = t.city.actors;
  const colleague = memberOf(t.city.centreDept, ['officer'], '511600000000', 'colleague');
  const made = await makeTicket(t.db, {}, operator);
  await run(t.db, operator, dispatchTicket, { ticketId: made.id, departmentId: t.city.centreDept });
  await run(t.db, operator, acceptTicket, { ticketId: made.id });
  await run(t.db, operator, requestExtension, { ticketId: made.id, days: 5, reason: '需协调施工单位' });
  await assert.rejects(run(t.db, operator, decideExtension, { ticketId: made.id, approve: true }), refusal('hotline.own-extension', 403));
  const decided = await run(t.db, colleague, decideExtension, { ticketId: made.id, approve: false, note: '请按期办结' });
  assert.equal(decided.resolveDue?.getTime(), made.resolveDue?.getTime(), 'refused: the deadline stays');
});
