/**
 * A loop draining a queue table in batches in this process (the ledger's sequencer, the screen's relay): at once,
 * then every `intervalMs`, and straight again while a full batch shows a backlog. Runs never overlap; after a
 * failure (the database away) the pause doubles up to 5 s, so an outage is not a flood of errors.
 */
export interface BatchLoopOptions {
  /** Takes one batch of at most `batchSize` and returns how many it took. */
  batch(): Promise<number>;
  batchSize: number;
  intervalMs: number;
  onError(error: unknown): void;
}

export interface BatchLoop {
  /** Drains the queue now, after the run under way; rejects with the run's failure. */
  drain(): Promise<void>;
  /** Finishes the run under way and stops. */
  stop(): Promise<void>;
}

export function startBatchLoop(opts: BatchLoopOptions): BatchLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // A timed run yields to stop(); a drain asked for goes on until the queue is empty.
  const drain = async (yieldToStop: boolean) => {
    while ((await opts.batch()) === opts.batchSize && !(yieldToStop && stopped));
  };
  // A failed run does not block the next (its caller was told).
  const run = (yieldToStop: boolean) => (running = running.catch(() => undefined).then(() => drain(yieldToStop)));
  let pause = opts.intervalMs;
  const tick = () => {
    run(true).then(() => { pause = opts.intervalMs; }, (error: unknown) => {
      pause = Math.min(pause * 2, Math.max(opts.intervalMs, 5_000));
      opts.onError(error);
    }).finally(() => {
      if (!stopped) timer = setTimeout(tick, pause);
    });
  };
  tick();
  return {
    drain: () => run(false),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined); // the last run's failure went to its caller
    },
  };
}
