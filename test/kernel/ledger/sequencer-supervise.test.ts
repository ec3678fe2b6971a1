// The sequencer thread is started again when it dies, so queued entries do not stay unsigned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { superviseSequencer } from '../../../src/kernel/ledger/sequencer-thread.ts';

// A stand-in thread speaking the sequencer's protocol: ready, then it answers flush and stop; with `dies`,
// it exits with 1 just after saying it is ready.
const stub = (dies: boolean) => new Worker(`
  const { parentPort } = require('node:worker_threads');
  parentPort.postMessage({ ready: true });
  if (${dies}) setTimeout(() => process.exit(1), 20);
  else parentPort.on('message', (r) => { parentPort.postMessage({ id: r.id }); if (r.kind === 'stop') parentPort.close(); });`, { eval: true });

test('a sequencer thread that dies is started again after a pause, and then flushes', async () => {
  let spawned = 0;
  const logged: string[] = [];
  const sequencer = await superviseSequencer(() => stub(spawned++ === 0), 50, (line) => logged.push(line));
  await new Promise((resolve) => setTimeout(resolve, 40));
  await assert.rejects(sequencer.flush(), /not running; it is being restarted/);
  for (const until = Date.now() + 10_000; ;) {
    const flushed = await sequencer.flush().then(() => true, () => false); // still restarting: asked again below
    if (flushed) break;
    assert.ok(Date.now() < until, 'the sequencer thread was not started again');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(spawned, 2);
  assert.match(logged[0]!, /exited with 1; starting it again in 50 ms/);
  await sequencer.stop();
});

test('a first start that fails still fails the platform start', async () => {
  const failing = () => new Worker(`require('node:worker_threads').parentPort.postMessage({ failed: 'no key' })`, { eval: true });
  await assert.rejects(superviseSequencer(failing, 50, () => undefined), /did not start: failed: no key/);
});
