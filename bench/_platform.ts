/** The platform as a child process for a benchmark: its own data directory and ports, started and stopped cleanly. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runningEmbeddedUrl } from '../src/kernel/db/embedded.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchPlatform {
  base: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
  login(username: string, password?: string): Promise<string>;
}

/**
 * The arguments `npm start` gives node, so a benchmark measures the platform as operators run it; then
 * BENCH_SERVER_ARGS, node flags for the run, e.g. `--cpu-prof` to profile the server under load.
 */
export function startArgs(): string[] {
  const script: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const [node, ...args] = script.split(' ');
  if (node !== 'node' || !args.includes('src/cli.ts')) throw new Error(`package.json's start script is not a node command: ${script}`);
  const extra = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...extra, ...args.map((a) => (a === 'src/cli.ts' ? path.join(root, a) : a))];
}

/** Starts `yiwang start` on a data directory under ./data (the demo loads on its first start). */
export function startPlatform(name: string, port: number, pgPort: number): Promise<BenchPlatform> {
  const dataDir = path.join(root, 'data', name);
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, YIWANG_DATA_DIR: dataDir, PORT: String(port), YIWANG_PG_PORT: String(pgPort), DATABASE_URL: '',
    ...(profileStatements ? { YIWANG_PG_SETTINGS: 'shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all' } : {}) };
  const child = spawn(process.execPath, startArgs(), { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready || !output.includes('is ready at')) return;
      ready = true;
      resolve(settled({
        base, dataDir, child,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.removeAllListeners('exit');
          child.on('exit', () => done());
          child.kill('SIGINT');
        }),
        async login(username, password = 'Yiwang@2026') {
          const res = await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
          if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
          return res.headers.get('set-cookie')!.split(';')[0]!;
        },
      }));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)));
  });
}

/**
 * The platform once the work it starts with is done (the first sweeps, a retraining of the classifier on its
 * own thread): a benchmark measures what it asks for, not the start-up. Waits until the process and its
 * database use under a tenth of a core over a second, for two minutes at most.
 */
async function settled(platform: BenchPlatform): Promise<BenchPlatform> {
  const until = Date.now() + 120_000;
  let last = cpuSeconds(platform);
  while (Date.now() < until) {
    await new Promise((done) => setTimeout(done, 1_000));
    const now = cpuSeconds(platform);
    if (now.server - last.server + now.database - last.database < 0.1) break;
    last = now;
  }
  return platform;
}

// Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux).
const ticksPerSecond = 100;

/** Parent pid, user + system CPU seconds of a process, and those of its children that ended, from /proc. */
function processStat(pid: number): { ppid: number; cpu: number; endedChildren: number } {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): state ppid … utime(14) stime(15) cutime(16) cstime(17).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
    endedChildren: (Number(fields[13]) + Number(fields[14])) / ticksPerSecond };
}

/**
 * CPU seconds used so far by a PostgreSQL cluster (the postmaster and every backend it forked, running or ended),
 * read from /proc.
 */
export function postgresCpuSeconds(clusterDir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let database = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = processStat(pid);
      // A backend that ended (a pool closing an idle connection) counts in the postmaster's ended children.
      if (pid === postmaster) database += stat.cpu + stat.endedChildren;
      else if (stat.ppid === postmaster) database += stat.cpu;
    } catch {
      // the process ended while the list was read
    }
  }
  return database;
}

/**
 * CPU seconds used so far by the platform's process and by its embedded PostgreSQL. Differences over a load run
 * give the CPU cost per call, which depends much less than throughput on other work running on a shared machine.
 */
export function cpuSeconds(platform: BenchPlatform): { server: number; database: number } {
  return { server: processStat(platform.child.pid!).cpu, database: postgresCpuSeconds(path.join(platform.dataDir, 'pg')) };
}

/** BENCH_PG_STATEMENTS=1: the database counts its statements (pg_stat_statements) and a run prints where its CPU went. */
const profileStatements = process.env.BENCH_PG_STATEMENTS === '1';

/**
 * Runs `work` and, with BENCH_PG_STATEMENTS=1, prints the statements that took most of the database's time
 * meanwhile: total and per-operation execution time, calls per operation, and the statement's start.
 * `work` calls `measuring()` when its warm-up ends, so the warm-up's statements are not counted.
 */
export async function withStatementProfile<T>(platform: BenchPlatform, label: string, work: (measuring: () => Promise<void>) => Promise<T>,
  operations: (result: T) => number): Promise<T> {
  if (!profileStatements) return work(async () => undefined);
  const db = new pg.Client({ connectionString: (await runningEmbeddedUrl(platform.dataDir))! });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const reset = async () => { await db.query('SELECT pg_stat_statements_reset()'); };
    await reset();
    const result = await work(reset);
    const ops = Math.max(1, operations(result));
    const { rows } = await db.query<{ total: number; calls: string; query: string }>(
      `SELECT total_exec_time AS total, calls, query FROM pg_stat_statements
       WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 15`);
    console.log(`-- ${label}: statements by database time, over ${ops} operations`);
    for (const row of rows)
      console.log(`--   ${(row.total / ops).toFixed(3)} ms/op  ${(Number(row.calls) / ops).toFixed(2)} calls/op  ${row.query.replace(/\s+/g, ' ').slice(0, 160)}`);
    return result;
  } finally {
    await db.end();
  }
}
