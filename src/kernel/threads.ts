/**
 * Work on a thread of its own, for CPU-bound steps that would otherwise hold up every request the process
 * serves (a training of the hotline classifier takes tens of seconds of CPU).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the TypeScript module at `entry` (a file URL). Node 20 does not apply the
 * TypeScript loader to a worker's entry module, so the worker starts from a line of JavaScript that imports
 * the entry through the loader's API.
 */
export function typeScriptWorker(entry: string, options: WorkerOptions = {}): Worker {
  return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`,
    { ...options, eval: true });
}

/**
 * Calls the function `exportName` of the module at `entry` on a new thread with `input` (copied by structured
 * clone, as is what it returns) and resolves with its result; the thread ends with the call.
 */
export function runOnThread<O>(entry: string, exportName: string, input: unknown): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const worker = typeScriptWorker(new URL('./thread-call.ts', import.meta.url).href, { workerData: { entry, exportName, input } });
    let settled = false;
    worker.once('message', (reply: { result: O } | { error: string }) => {
      settled = true;
      if ('error' in reply) reject(new Error(reply.error));
      else resolve(reply.result);
    });
    worker.once('error', (error) => { settled = true; reject(error); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`the thread running ${exportName} exited with ${code} before answering`)); });
  });
}
