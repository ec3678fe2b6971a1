import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { demoCategories, loadHotlineDemo, removeHotlineDemo } from '../../src/hotline/demo.ts';
import { ticketStates } from '../../src/hotline/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { ledgerCount } from './factories.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb({ demo: true });
});
after(() => t.drop());

test('the demo city comes with the hotline demo: categories, a catalogue per county, and tickets in every state, through the real commands', async () => {
  const started = Date.now();
  const count = async (sql: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;
  assert.equal(await count('hotline_categories'), demoCategories.length);
  const roots = demoCategories.filter((c) => c.parentCode === undefined).length;
  assert.ok(await count('hotline_dispatch_rules') >= roots);
  const tickets = await count('hotline_tickets');
  assert.ok(tickets >= 290, `${tickets} tickets`);
  const states = (await t.db.query<{ state: string }>('SELECT DISTINCT state FROM hotline_tickets')).rows.map((r) => r.state);
  assert.deepEqual(states.sort(), [...ticketStates].sort());
  const { rows: [row] } = await t.db.query<{ outside: number; undispatchable: number; called: number }>(
    `SELECT count(*) FILTER (WHERE division_code NOT LIKE '5116%')::int AS outside,
            count(*) FILTER (WHERE state = 'dispatched' AND department_id IS NULL)::int AS undispatchable,
            count(*) FILTER (WHERE called_back_at IS NOT NULL)::int AS called FROM hotline_tickets`);
  assert.deepEqual([row!.outside, row!.undispatchable], [0, 0]);
  assert.ok(row!.called > 20);
  // One entry per ticket; the oversight demo's generated history adds acts about tickets of its own, numbered apart.
  const received = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_queue WHERE action = 'hotline.ticket.received' AND object_id IN (SELECT number FROM hotline_tickets)`);
  assert.equal(received.rows[0]!.n, tickets);
  assert.equal(await ledgerCount(t.db, 'hotline.demo.loaded'), 1);
  // Same seed, same tickets; loading again keeps the categories.
  const reload = () => withTransaction(t.db, async (tx) => {
    await removeHotlineDemo(tx);
    return loadHotlineDemo(tx, { seed: 'hotline-demo', tickets: 40, now: new Date('2026-11-20T08:00:00Z') });
  });
  const first = await reload();
  assert.equal(first.categories, 0);
  assert.deepEqual(await reload(), first);
  console.log(`hotline demo reloaded twice in ${Date.now() - started} ms`);
});
