import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { withTransaction, type Tx } from '../../src/kernel/db/index.ts';
import {
  defineEvent, defineJob, emit, enqueue, handleJob, onEvent, prepareJobs, registerSubscriptions, startJobs, type JobHandler,
} from '../../src/kernel/jobs/index.ts';

let testDb: TestDb;
before(async () => {
  testDb = await createTestDb();
  await testDb.db.query('CREATE TABLE test_handled (queue text, n int)');
});
after(async () => { await testDb.drop(); });

const greet = defineJob<{ n: number }>('test.greet');
const ticketClosed = defineEvent<{ n: number }>('test.ticket-closed');

const record = (queue: string) => async (tx: Tx, data: { n: number }) => {
  await tx.query('INSERT INTO test_handled (queue, n) VALUES ($1, $2)', [queue, data.n]);
};
const handled = async () => (await testDb.db.query<{ queue: string; n: number }>('SELECT queue, n FROM test_handled ORDER BY queue, n')).rows;

/** Waits until `check` holds, for at most 20 s (workers poll every half second here). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
}

const greetHandler = handleJob(greet, record('greet'));
const subscribers = [onEvent(ticketClosed, 'cases', record('cases')), onEvent(ticketClosed, 'stats', record('stats'))];
const handlers: JobHandler[] = [greetHandler, ...subscribers];
registerSubscriptions(subscribers);

test('a job queued in a transaction that rolls back does not exist; one that commits survives a restart and is handled once', async () => {
  await prepareJobs(testDb.db, handlers);
  await assert.rejects(withTransaction(testDb.db, async (tx) => {
    await enqueue(tx, greet, { n: 1 });
    throw new Error('the command fails');
  }), /the command fails/);
  // The platform was stopped before it could handle the job: nothing handled it yet.
  await withTransaction(testDb.db, (tx) => enqueue(tx, greet, { n: 2 }));
  assert.deepEqual(await handled(), []);

  const runner = await startJobs(testDb.db, handlers, { pollingIntervalSeconds: 0.5 });
  try {
    await until(async () => (await handled()).length > 0);
    // Another poll or two: a second delivery would show now.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await runner.stop();
  }
  assert.deepEqual(await handled(), [{ queue: 'greet', n: 2 }]);
  const { rows } = await testDb.db.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = 'test.greet'`);
  assert.deepEqual(rows.map((r) => r.state), ['completed']);
});

test('an event reaches every subscriber once, and a failing handler leaves no effect and is tried again', async () => {
  await testDb.db.query('DELETE FROM test_handled');
  let failures = 1;
  const flaky = handleJob(greet, async (tx, data) => {
    await record('greet')(tx, data);
    if (failures-- > 0) throw new Error('handler fails once');
  });
  await withTransaction(testDb.db, async (tx) => {
    await emit(tx, ticketClosed, { n: 7 });
    await enqueue(tx, greet, { n: 8 });
  });
  const runner = await startJobs(testDb.db, [flaky, ...subscribers], { pollingIntervalSeconds: 0.5, log: () => undefined });
  try {
    await until(async () => (await handled()).length >= 3);
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await runner.stop();
  }
  assert.deepEqual(await handled(), [{ queue: 'cases', n: 7 }, { queue: 'greet', n: 8 }, { queue: 'stats', n: 7 }]);
  const { rows } = await testDb.db.query<{ retries: number }>(`SELECT retry_count AS retries FROM pgboss.job WHERE name = 'test.greet' AND data->>'n' = '8'`);
  assert.deepEqual(rows, [{ retries: 1 }], 'the failed first try was rolled back and tried again');
});
