import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptTicket, answerTicket, callbackTicket, closeTicket, dispatchTicket, redispatchTicket, replyTicket, returnTicket, ticketHistory,
} from '../../src/hotline/index.ts';
import type { DomainError } from '../../src/kernel/errors.ts';
import { hotlineCityPerFile, ledgerCount, makeTicket, memberOf, refusal, run } from './factories.ts';

const t = hotlineCityPerFile();

test('派单 → 签收 → 答复 → 办结 → 回访: each step moves the state, keeps history and writes the ledger', async () => {
  const { operator, handler } = t.city.actors;
  const made = await makeTicket(t.db, {}, operator);
  const dispatched = await run(t.db, operator, dispatchTicket, { ticketId: made.id });
  assert.equal(dispatched.state, 'dispatched');
  assert.equal(dispatched.departmentId, t.city.gaUrban, 'the catalogue routes 城市管理 in 广安区 to its 城管局');
  assert.ok(dispatched.acceptDue! > dispatched.dispatchedAt!);
  const accepted = await run(t.db, handler, acceptTicket, { ticketId: made.id });
  assert.equal(accepted.state, 'accepted');
  const replied = await run(t.db, handler, replyTicket, { ticketId: made.id, reply: '已安排清运，当日清理完毕' });
  assert.deepEqual([replied.state, replied.reply], ['replied', '已安排清运，当日清理完毕']);
  const closed = await run(t.db, operator, closeTicket, { ticketId: made.id });
  assert.equal(closed.state, 'closed');
  const called = await run(t.db, operator, callbackTicket, { ticketId: made.id, resolved: true, satisfaction: 'satisfied', note: '垃圾还是没人来清' });
  assert.deepEqual([called.state, called.resolved, called.satisfaction, called.reopenCount], ['closed', true, 'satisfied', 0]);
  // The entry publishes the satisfaction and the tone of the caller's words, never the words.
  const { rows: [entry] } = await t.db.query(`SELECT facts FROM ledger_queue WHERE action = 'hotline.ticket.called-back'`);
  assert.deepEqual([entry.facts.satisfaction, entry.facts.resolved, entry.facts.noteTone, entry.facts.note], ['satisfied', true, 'negative', undefined]);
  const history = await ticketHistory(t.db, made.id);
  assert.deepEqual(history.map((e) => e.toState), ['received', 'dispatched', 'accepted', 'replied', 'closed', 'closed']);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.called-back'), 1);
  await assert.rejects(run(t.db, operator, callbackTicket, { ticketId: made.id, resolved: true, satisfaction: 'satisfied' }),
    refusal('hotline.already-called-back', 409, 'state'));
});

test('transitions the state machine does not allow give 409 naming the state, and change nothing', async () => {
  const { operator, handler } = t.city.actors;
  const made = await makeTicket(t.db, {}, operator);
  await assert.rejects(run(t.db, operator, closeTicket, { ticketId: made.id }), (e: DomainError) => {
    assert.deepEqual([e.code, e.status, e.details.field, e.details.state], ['hotline.bad-state', 409, 'state', 'received']);
    return true;
  });
  await run(t.db, operator, dispatchTicket, { ticketId: made.id });
  await assert.rejects(run(t.db, handler, replyTicket, { ticketId: made.id, reply: 'x' }), refusal('hotline.bad-state', 409, 'state'));
  assert.equal((await ticketHistory(t.db, made.id)).length, 2);
});

test('退单 needs a reason code; the centre reviews and 改派 to another department', async () => {
  const { operator, handler, ycHandler } = t.city.actors;
  const made = await makeTicket(t.db, {}, operator);
  await run(t.db, operator, dispatchTicket, { ticketId: made.id });
  await assert.rejects(run(t.db, handler, returnTicket, { ticketId: made.id }), refusal('hotline.reason-required', 400, 'reasonCode'));
  await assert.rejects(run(t.db, handler, returnTicket, { ticketId: made.id, reasonCode: 'bored' }), refusal('validation', 400, 'reasonCode'));
  await assert.rejects(run(t.db, ycHandler, returnTicket, { ticketId: made.id, reasonCode: 'not-our-duty' }), refusal('forbidden', 403));
  const returned = await run(t.db, handler, returnTicket, { ticketId: made.id, reasonCode: 'not-our-duty', note: '属供电公司' });
  assert.equal(returned.state, 'returned');
  await assert.rejects(run(t.db, handler, redispatchTicket, { ticketId: made.id, departmentId: t.city.ycUrban }), refusal('hotline.not-centre', 403));
  const again = await run(t.db, operator, redispatchTicket, { ticketId: made.id, departmentId: t.city.ycUrban });
  assert.deepEqual([again.state, again.departmentId], ['dispatched', t.city.ycUrban]);
  const history = await ticketHistory(t.db, made.id);
  assert.deepEqual(history.map((e) => [e.action, e.reasonCode]).slice(2),
    [['hotline.ticket.returned', 'not-our-duty'], ['hotline.ticket.redispatched', null]]);
  // Only the department it is with may accept it now.
  await assert.rejects(run(t.db, handler, acceptTicket, { ticketId: made.id }), refusal('hotline.not-handler', 403));
});

test('a dispatch with no catalogue entry asks for a department', async () => {
  const made = await makeTicket(t.db, { lon: undefined, lat: undefined, divisionCode: '511621000000' });
  await assert.rejects(run(t.db, t.city.actors.system, dispatchTicket, { ticketId: made.id }), refusal('hotline.no-route', 400, 'departmentId'));
  await assert.rejects(run(t.db, t.city.actors.system, dispatchTicket, { ticketId: made.id, departmentId: 999999 }),
    refusal('hotline.department.unknown', 400, 'departmentId'));
});

test('回访 unresolved reopens (重办) with new deadlines, at most maxReopens times, then marks for supervision', async () => {
  const { operator, handler } = t.city.actors;
  const made = await makeTicket(t.db, { urgency: 'urgent' }, operator);
  await run(t.db, operator, dispatchTicket, { ticketId: made.id });
  for (let round = 0; round < 3; round++) {
    await run(t.db, handler, acceptTicket, { ticketId: made.id });
    await run(t.db, handler, replyTicket, { ticketId: made.id, reply: `第${round + 1}次答复` });
    await run(t.db, operator, closeTicket, { ticketId: made.id });
    const after = await run(t.db, operator, callbackTicket, { ticketId: made.id, resolved: false, satisfaction: 'dissatisfied' });
    if (round < 2) {
      assert.deepEqual([after.state, after.reopenCount, after.calledBackAt, after.departmentId], ['dispatched', round + 1, null, t.city.gaUrban]);
    } else {
      assert.deepEqual([after.state, after.reopenCount, after.needsSupervision, after.satisfaction], ['closed', 2, true, 'dissatisfied']);
    }
  }
});

test('a consultation is answered and closed at once; other kinds are not', async () => {
  const { operator } = t.city.actors;
  const question = await makeTicket(t.db, { kind: 'consultation', description: '垃圾分类投放时间？' }, operator);
  const answered = await run(t.db, operator, answerTicket, { ticketId: question.id, answer: '每日7:00-9:00、18:00-20:00' });
  assert.deepEqual([answered.state, answered.reply], ['closed', '每日7:00-9:00、18:00-20:00']);
  const complaint = await makeTicket(t.db, {}, operator);
  await assert.rejects(run(t.db, operator, answerTicket, { ticketId: complaint.id, answer: 'x' }),
    refusal('hotline.direct-answer-consultation-only', 409, 'kind'));
});

test('whoever answered a ticket does not close it nor call back: another member of the centre does', async () => {
  const { operator } = t.city.actors;
  const colleague = memberOf(t.city.centreDept, ['officer'], '511600000000', 'colleague');
  const made = await makeTicket(t.db, {}, operator);
  await run(t.db, operator, dispatchTicket, { ticketId: made.id, departmentId: t.city.centreDept });
  await run(t.db, operator, acceptTicket, { ticketId: made.id });
  await run(t.db, operator, replyTicket, { ticketId: made.id, reply: '中心已直接协调处理' });
  await assert.rejects(run(t.db, operator, closeTicket, { ticketId: made.id }), refusal('hotline.own-reply', 403));
  assert.equal((await run(t.db, colleague, closeTicket, { ticketId: made.id })).state, 'closed');
  await assert.rejects(run(t.db, operator, callbackTicket, { ticketId: made.id, resolved: true, satisfaction: 'satisfied' }), refusal('hotline.own-reply', 403));
  assert.equal((await run(t.db, colleague, callbackTicket, { ticketId: made.id, resolved: true, satisfaction: 'satisfied' })).satisfaction, 'satisfied');
});
