/**
 * The sequencer on a thread of its own. Integrating a batch hashes every entry and parses every row the
 * batch returns; on the main thread a batch of 2,000 entries held up the requests being served for about
 * 10 ms, four times a second under load. Here it runs beside them, with its own database connections.
 */
import { Worker } from 'node:worker_threads';
import type { Sequencer } from './sequencer.ts';

export interface SequencerThreadOptions {
  /** The database the platform runs on. */
  connectionString: string;
  /** The origin named in signed checkpoints. */
  origin: string;
  intervalMs?: number;
}

export type SequencerRequest = { id: number; kind: 'flush' | 'stop' };
type Reply = { ready: true } | { id: number; error?: string } | { failed: string };

/** Starts the sequencer thread; resolves once it has its signing key and runs. */
export function startSequencerThread(opts: SequencerThreadOptions): Promise<Sequencer> {
  // Node 20 does not apply the TypeScript loader to a worker's entry module, so the worker starts from a
  // line of JavaScript that imports the entry through the loader's API.
  const entry = new URL('./sequencer-worker.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`,
    { eval: true, workerData: opts });
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited = false;
  let started = false;
  let stopping: Promise<void> | undefined;
  const ask = (kind: SequencerRequest['kind']) => new Promise<void>((resolve, reject) => {
    if (exited) return reject(new Error('the ledger sequencer thread has exited'));
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, kind } satisfies SequencerRequest);
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        started = true;
        return resolve({
          flush: () => (stopping ? Promise.reject(new Error('the ledger sequencer has stopped')) : ask('flush')),
          stop: () => (stopping ??= ask('stop')),
        });
      }
      if ('failed' in reply) return reject(new Error(`the ledger sequencer did not start: ${reply.failed}`));
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error === undefined) pending?.resolve();
      else pending?.reject(new Error(reply.error));
    });
    // Before it is ready a failure fails the start; after, entries would stay queued unsigned, so say so loudly.
    worker.on('error', (error) => {
      reject(error);
      if (started) console.error('ledger sequencer thread failed:', error);
    });
    worker.on('exit', (code) => {
      exited = true;
      const error = new Error(`the ledger sequencer thread exited with ${code}`);
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
      reject(error);
      if (started && !stopping) console.error(`${error.message}; queued ledger entries are not being signed until the platform restarts`);
    });
  });
}
