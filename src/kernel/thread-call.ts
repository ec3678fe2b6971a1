/** The body of a thread started by `runOnThread` (threads.ts): one call of one exported function, then the answer. */
import { parentPort, workerData } from 'node:worker_threads';

const { entry, exportName, input } = workerData as { entry: string; exportName: string; input: unknown };
try {
  const module = (await import(entry)) as Record<string, (input: unknown) => unknown>;
  parentPort!.postMessage({ result: await module[exportName]!(input) });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
