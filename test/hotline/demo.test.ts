import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoCity } from '../../demo/load.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { demoCategories, loadHotlineDemo, removeHotlineDemo } from '../../src/hotline/demo.ts';
import { ticketStates } from '../../src/hotline/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { ledgerCount } from './factories.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb();
  await loadDemoCity(t.db, { seed: 'hotline-demo' });
});
after(() => t.drop());

test('the hotline demo: categories, a catalogue per county, and tickets in every state, through the real commands', async () => {
  const started = Date.now();
  const summary = await withTransaction(t.db, (tx) => loadHotlineDemo(tx, { seed: 'hotline-demo', now: new Date('2026-11-20T08:00:00Z') }));
  const leaves = demoCategories.flatMap((c) => c.children ?? []).length;
  assert.equal(summary.categories, demoCategories.length + leaves);
  assert.ok(summary.dispatchRules >= demoCategories.length, `${summary.dispatchRules} rules`);
  assert.ok(summary.tickets >= 290, `${summary.tickets} tickets`);
  assert.deepEqual(Object.keys(summary.byState).sort(), [...ticketStates].sort(), JSON.stringify(summary.byState));
  const { rows: [row] } = await t.db.query<{ outside: number; undispatchable: number; called: number }>(
    `SELECT count(*) FILTER (WHERE division_code NOT LIKE '5116%')::int AS outside,
            count(*) FILTER (WHERE state = 'dispatched' AND department_id IS NULL)::int AS undispatchable,
            count(*) FILTER (WHERE called_back_at IS NOT NULL)::int AS called FROM hotline_tickets`);
  assert.deepEqual([row!.outside, row!.undispatchable], [0, 0]);
  assert.ok(row!.called > 20);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.received'), summary.tickets);
  assert.equal(await ledgerCount(t.db, 'hotline.demo.loaded'), 1);
  // Same seed, same tickets; loading again keeps the categories.
  const reload = () => withTransaction(t.db, async (tx) => {
    await removeHotlineDemo(tx);
    return loadHotlineDemo(tx, { seed: 'hotline-demo', tickets: 40, now: new Date('2026-11-20T08:00:00Z') });
  });
  const first = await reload();
  assert.equal(first.categories, 0);
  assert.deepEqual(await reload(), first);
  console.log(`hotline demo: ${summary.tickets} tickets in ${Date.now() - started} ms`, summary.byState);
});
