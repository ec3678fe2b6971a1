import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepDeadlines } from '../../src/hotline/index.ts';
import { hotlineAppPerFile, ticketInput } from './factories.ts';

const t = hotlineAppPerFile(['operator', 'handler', 'yc_handler']);
const { call } = t;

test('GET /alerts and POST /alerts/{id}/read: the department\'s alerts, read marks per reader, 404 outside its desk', async () => {
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  await call('POST', `/tickets/${id}/dispatch`, 'operator', {});
  const ticket = (await call('GET', `/tickets/${id}`, 'operator')).json();
  // Long after every deadline: reminders for accept, reply and resolve, and the supervision.
  await sweepDeadlines(t.db, new Date(new Date(ticket.deadlines.resolveDue).getTime() + 30 * 86_400_000));
  assert.equal((await call('GET', '/alerts')).statusCode, 401);
  assert.equal((await call('GET', '/alerts?unread=maybe', 'handler')).json().field, 'unread');
  const alerts = (await call('GET', '/alerts?unread=true', 'handler')).json().items;
  assert.deepEqual(alerts.map((a: { deadline: string; kind: string }) => `${a.deadline}:${a.kind}`).sort(),
    ['accept:reminder', 'reply:reminder', 'resolve:reminder', 'resolve:supervision']);
  const first = alerts[0];
  assert.deepEqual(Object.keys(first).sort(), ['at', 'deadline', 'departmentId', 'due', 'id', 'kind', 'number', 'read', 'ticketId']);
  assert.deepEqual([first.ticketId, first.number, first.read], [id, ticket.number, false]);
  assert.equal((await call('GET', '/alerts', 'yc_handler')).json().items.length, 0);
  assert.equal((await call('POST', `/alerts/${first.id}/read`, 'yc_handler')).statusCode, 404);
  assert.deepEqual((await call('POST', `/alerts/${first.id}/read`, 'handler')).json(), { id: first.id, read: true });
  assert.equal((await call('GET', '/alerts?unread=true', 'handler')).json().items.length, 3);
  assert.equal((await call('GET', '/alerts?unread=true', 'operator')).json().items.length, 4, 'the centre reads its own');
  assert.equal((await call('GET', `/tickets/${id}`, 'operator')).json().needsSupervision, true);
});
