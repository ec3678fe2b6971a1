/** The body of the sequencer thread (sequencer-thread.ts): its own pool, the signing key, then the sequencer. */
import { parentPort, workerData } from 'node:worker_threads';
import { createPool } from '../db/index.ts';
import { ledgerSigner } from './keys.ts';
import { startSequencer } from './sequencer.ts';
import type { SequencerRequest, SequencerThreadOptions } from './sequencer-thread.ts';

const opts = workerData as SequencerThreadOptions;
const port = parentPort!;
// One connection: the sequencer does all its work in one transaction at a time.
const db = createPool(opts.connectionString, 1);
try {
  const sequencer = startSequencer(db, { signer: await ledgerSigner(db, opts.origin), intervalMs: opts.intervalMs });
  port.on('message', (request: SequencerRequest) => {
    const done = request.kind === 'flush' ? sequencer.flush() : sequencer.stop().then(() => db.end());
    done.then(() => port.postMessage({ id: request.id }), (error: unknown) => port.postMessage({ id: request.id, error: String(error) }))
      .finally(() => { if (request.kind === 'stop') port.close(); });
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ failed: String(error) });
  await db.end().catch(() => undefined); // the failure to start is the one reported
}
