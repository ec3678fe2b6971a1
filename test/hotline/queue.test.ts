import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { listTickets } from '../../src/hotline/index.ts';
import { makeHotlineCity } from './factories.ts';

let t: TestDb;
let city: Awaited<ReturnType<typeof makeHotlineCity>>;
const open = 1_005;
before(async () => {
  t = await createTestDb();
  city = await makeHotlineCity(t.db);
  // 1,005 open tickets with the 城管局, deadlines one hour apart (the last one first), and 20 closed ones due earliest.
  await t.db.query(
    `INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, division_code, intake_actor, state, department_id,
       received_at, reply_due, resolve_due, updated_at)
     SELECT 'Q' || i, 'phone', 'complaint', (SELECT id FROM hotline_categories WHERE code = 'CG-SRHW-LJQY'), 'normal', '垃圾', '511602001000', 'staff:1',
       CASE WHEN i <= $2 THEN 'accepted' ELSE 'closed' END, $1, now(), now(),
       CASE WHEN i <= $2 THEN timestamptz '2026-12-01' + ($2 - i) * interval '1 hour' ELSE timestamptz '2026-01-01' END, now()
       FROM generate_series(1, $2 + 20) i`, [city.gaUrban, open]);
});
after(() => t.drop());

test('the queue: open tickets by deadline, a page at any offset, the count capped at 1,000', async () => {
  const query = { state: ['dispatched', 'accepted', 'returned'] as const, sort: 'deadline' as const, limit: 50 };
  const first = await listTickets(t.db, city.actors.handler, { ...query, state: [...query.state] });
  assert.deepEqual([first.total, first.totalCapped, first.items.length], [1000, true, 50]);
  assert.deepEqual(first.items.slice(0, 3).map((x) => x.number), [`Q${open}`, `Q${open - 1}`, `Q${open - 2}`], 'nearest deadline first');
  const deep = await listTickets(t.db, city.actors.handler, { ...query, state: [...query.state], offset: 1000 });
  assert.deepEqual(deep.items.map((x) => x.number), ['Q5', 'Q4', 'Q3', 'Q2', 'Q1']);
  const past = await listTickets(t.db, city.actors.handler, { ...query, state: [...query.state], offset: 2000 });
  assert.deepEqual([past.items, past.total, past.totalCapped], [[], 1000, true], 'a page past the end still counts');
  const closed = await listTickets(t.db, city.actors.handler, { state: ['closed'] });
  assert.deepEqual([closed.total, closed.totalCapped], [20, false]);
  assert.equal((await listTickets(t.db, city.actors.ycHandler, { ...query, state: [...query.state] })).total, 0);
});
