/**
 * The sequencer on a thread of its own. Integrating a batch hashes every entry and parses every row the
 * batch returns; on the main thread a batch of 2,000 entries held up the requests being served for about
 * 10 ms, four times a second under load. Here it runs beside them, with its own database connections.
 */
import type { Worker } from 'node:worker_threads';
import { typeScriptWorker } from '../threads.ts';
import type { Sequencer } from './sequencer.ts';

export interface SequencerThreadOptions {
  /** The database the platform runs on. */
  connectionString: string;
  /** The origin named in signed checkpoints. */
  origin: string;
  intervalMs?: number;
}

export type SequencerRequest = { id: number; kind: 'flush' | 'stop' };
export type SequencerReply = { ready: true } | { id: number; error?: string } | { failed: string };

/** Starts the sequencer thread; resolves once it has its signing key and runs. */
export function startSequencerThread(opts: SequencerThreadOptions): Promise<Sequencer> {
  return superviseSequencer(() => typeScriptWorker(new URL('./sequencer-worker.ts', import.meta.url).href, { workerData: opts }));
}

/**
 * Runs the thread that `spawn` starts, and starts it again when it fails: queued entries must not stay
 * unsigned until someone restarts the platform. The first start must succeed (its failure fails the
 * platform's start); later ones are retried after a pause that doubles from `restartMs` up to 30 s.
 */
export function superviseSequencer(spawn: () => Worker, restartMs = 1_000,
  log: (line: string) => void = console.error): Promise<Sequencer> {
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let worker: Worker | undefined; // the thread that is ready, while it runs
  let nextId = 0;
  let pause = restartMs;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  const ask = (kind: SequencerRequest['kind']) => new Promise<void>((resolve, reject) => {
    if (!worker) return reject(new Error('the ledger sequencer thread is not running; it is being restarted'));
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, kind } satisfies SequencerRequest);
  });

  const start = (first: boolean) => new Promise<void>((resolve, reject) => {
    const thread = spawn();
    let ready = false;
    let gone = false;
    const end = (reason: string) => {
      if (gone) return;
      gone = true;
      if (worker === thread) worker = undefined;
      const error = new Error(`the ledger sequencer thread ${reason}`);
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
      void thread.terminate();
      if (stopping) return resolve();
      if (first && !ready) return reject(new Error(`the ledger sequencer did not start: ${reason}`));
      log(`${error.message}; starting it again in ${pause} ms`);
      restartTimer = setTimeout(() => void start(false).catch((failure: unknown) => log(`the ledger sequencer could not start again: ${String(failure)}`)), pause);
      pause = Math.min(pause * 2, 30_000);
    };
    thread.on('message', (reply: SequencerReply) => {
      if ('ready' in reply) {
        ready = true;
        if (stopping) return void thread.terminate();
        worker = thread;
        pause = restartMs;
        return resolve();
      }
      if ('failed' in reply) return end(`failed: ${reply.failed}`);
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error === undefined) pending?.resolve();
      else pending?.reject(new Error(reply.error));
    });
    thread.on('error', (error) => end(`failed: ${String(error)}`));
    thread.on('exit', (code) => end(`exited with ${code}`));
  });

  return start(true).then(() => ({
    flush: () => (stopping ? Promise.reject(new Error('the ledger sequencer has stopped')) : ask('flush')),
    // A thread that dies while stopping has stopped.
    stop: () => (stopping ??= (clearTimeout(restartTimer), worker ? ask('stop').catch(() => undefined) : Promise.resolve())),
  }));
}
