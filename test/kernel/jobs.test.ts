import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { runSweep, startSweeps, type Sweep } from '../../src/kernel/jobs/index.ts';

let testDb: TestDb;
before(async () => { testDb = await createTestDb(); });
after(async () => { await testDb.drop(); });

test('a sweep runs with the time it is given and reports what it handled', async () => {
  const seen: Date[] = [];
  const sweep: Sweep = { name: 'test.seen', everyMs: 1000, run: async (_db, now) => { seen.push(now); return 3; } };
  const at = new Date('2026-03-02T09:00:00+08:00');
  assert.equal(await runSweep(testDb.db, sweep, at), 3);
  assert.deepEqual(seen, [at]);
});

test('while one process runs a sweep, another skips it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let calls = 0;
  const slow: Sweep = { name: 'test.slow', everyMs: 1000, run: async () => { calls++; await gate; return 1; } };
  const first = runSweep(testDb.db, slow);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await runSweep(testDb.db, slow), null, 'the second run is skipped');
  release();
  assert.equal(await first, 1);
  assert.equal(calls, 1);
  assert.equal(await runSweep(testDb.db, slow), 1, 'once the first run ended the lock is free again');
});

test('sweeps run at start, then on their interval until stopped', async () => {
  let hourly = 0;
  const slow = startSweeps(testDb.db, [{ name: 'test.hourly', everyMs: 3_600_000, run: async () => ++hourly }]);
  await new Promise((r) => setTimeout(r, 100));
  await slow.stop();
  assert.equal(hourly, 1, 'what fell due while stopped is handled at start, not an interval later');
  let runs = 0;
  const runner = startSweeps(testDb.db, [{ name: 'test.tick', everyMs: 20, run: async () => ++runs }]);
  await new Promise((r) => setTimeout(r, 150));
  await runner.stop();
  const afterStop = runs;
  assert.ok(afterStop >= 2, `ran ${afterStop} times in 150 ms`);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(runs, afterStop, 'no run after stop');
});

test('more sweeps than the pool has connections start together without starving it: a few run at a time, each once, the rest in turn', async () => {
  // Each holds its lock's connection and takes another for its work, as real sweeps do; a pool of 20 would
  // deadlock until its timeout if all 24 ran at once.
  let running = 0;
  let most = 0;
  const ran: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const sweeps: Sweep[] = Array.from({ length: 24 }, (_, i) => ({
    name: `test.many.${i}`, everyMs: 3_600_000,
    run: async (db) => {
      most = Math.max(most, ++running);
      await db.query('SELECT 1');
      await gate;
      running--;
      ran.push(`test.many.${i}`);
      return 1;
    },
  }));
  const runner = startSweeps(testDb.db, sweeps);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(running, 4, 'four run, twenty wait their turn');
  release();
  await new Promise((r) => setTimeout(r, 300));
  await runner.stop();
  assert.equal(most, 4);
  assert.deepEqual([...ran].sort(), sweeps.map((s) => s.name).sort(), 'every sweep ran once');
});
