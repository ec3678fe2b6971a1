// Start-up as an operator waits it: from the `npm start` command (a new node process) to the first answered
// HTTP request, on a data directory whose demo city is already loaded (warm). The first start that loads
// the demo city is measured too (cold), once. Prints one JSON line per figure.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { report } from './_report.ts';

const dataDir = path.resolve(process.env.YIWANG_BENCH_DATA_DIR ?? 'data/bench-startup');
const port = Number(process.env.YIWANG_BENCH_PORT ?? 3390);
const pgPort = Number(process.env.YIWANG_BENCH_PG_PORT ?? 54390);
const runs = Number(process.env.YIWANG_BENCH_RUNS ?? 3);

/** Milliseconds from spawning the start command to the first 200 of `/healthz`; then stops the platform. */
async function timeStart(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'src/cli.ts', 'start'], {
    env: { ...process.env, YIWANG_DATA_DIR: dataDir, PORT: String(port), YIWANG_PG_PORT: String(pgPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false); // not listening yet
      if (answered) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`yiwang start exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

const cold = !(await fs.stat(path.join(dataDir, 'pg', 'PG_VERSION')).catch(() => null)); // no cluster yet
if (cold) report('startup.first (loads the demo city)', await timeStart(), 'ms');
const warm: number[] = [];
for (let i = 0; i < runs; i++) warm.push(await timeStart());
warm.sort((a, b) => a - b);
report('startup.warm.median (command to first answer)', warm[Math.floor(warm.length / 2)]!, 'ms', { runs: warm.map(Math.round) });
