// `npm test`: typechecks the server and the console and lints (while the database starts), then runs every
// test file under test/ with node:test; the first step that fails fails the run. Arguments filter the test
// files by path, and such a run of a few files skips the checks (`npm run typecheck`, `npm run lint`).
// Database tests need a PostgreSQL server: TEST_DATABASE_URL names one; without it, an embedded PostgreSQL
// is started under data/test for the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, lockDataDir } from '../src/kernel/db/embedded.ts';
import { ensureWebBuilt } from '../src/web-build.ts';
import { StartupError } from '../src/kernel/errors.ts';

async function findTests(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  }));
  return nested.flat().sort();
}

/** A package's command line script, run with this node (the runner runs in the repository's root). */
function binOf(pkg: string, name: string): string {
  const manifest = path.resolve('node_modules', pkg, 'package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin[name]!);
}

const checks = [
  { step: 'typecheck (server)', args: [binOf('typescript', 'tsc'), '--noEmit', '-p', '.'] },
  { step: 'typecheck (web)', args: [binOf('typescript', 'tsc'), '--noEmit', '-p', 'web'] },
  { step: 'lint', args: [binOf('eslint', 'eslint'), '.'] },
  { step: 'unused code (knip)', args: [binOf('knip', 'knip'), '--no-progress'] },
];

/**
 * Runs the checks side by side, their output held back unless one fails. Resolves with the step that
 * failed first (the others are stopped then, and its output printed), or null when all passed.
 */
const running = new Set<ChildProcess>();
process.on('exit', () => { for (const child of running) child.kill(); });

function runChecks(): Promise<string | null> {
  let failed: string | null = null;
  return new Promise((resolve) => {
    for (const { step, args } of checks) {
      const started = performance.now();
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.on('close', (status) => {
        running.delete(child);
        if (failed === null && status === 0) {
          console.log(`# ${step}: passed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
        } else if (failed === null) {
          failed = step;
          for (const other of running) other.kill();
          process.stdout.write(output);
          console.log(`# ${step}: failed`);
        }
        if (running.size === 0) resolve(failed);
      });
    }
  });
}

const filters = process.argv.slice(2);
// The test files of this run share one demo city template (test/helpers/db.ts); the next run builds its own.
process.env.YIWANG_TEST_RUN = new Date().toISOString();
const files = (await findTests('test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const checking = filters.length === 0 ? runChecks() : Promise.resolve(null);

// The browser tests drive the built console.
if (files.some((f) => f.includes(`${path.sep}e2e${path.sep}`))) await ensureWebBuilt(console.log);

let stopDatabase = async () => {};
if (!process.env.TEST_DATABASE_URL) {
  const dir = path.resolve('data/test');
  const unlock = await lockDataDir(dir);
  const embedded = await startEmbeddedPostgres(dir, Number(process.env.YIWANG_TEST_PG_PORT ?? 54330), 'yiwang_test')
    .catch(async (error: unknown) => {
      // One line saying what to do (a private directory under root, a port in use), not a stack trace.
      await unlock();
      console.error(`npm test: ${error instanceof StartupError ? error.message : (error as Error).stack}`);
      process.exit(1);
    });
  process.env.TEST_DATABASE_URL = embedded.url;
  stopDatabase = async () => {
    // Clones of the template that a crashed test file left behind; this server is ours alone.
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    const leftovers = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'yiwang\\_t\\_%'");
    for (const { datname } of leftovers.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await client.end();
    await embedded.stop();
    await unlock();
  };
  console.log('# database: embedded PostgreSQL (data/test)');
} else {
  console.log(`# database: ${new URL(process.env.TEST_DATABASE_URL).host}`);
}

const failedCheck = await checking;
if (failedCheck) {
  await stopDatabase();
  console.log(`# npm test failed at: ${failedCheck}`);
  process.exit(1);
}

const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
  child.on('exit', (status) => resolve(status ?? 1));
});

await stopDatabase();
if (code !== 0) console.log('# npm test failed at: tests');
process.exit(code);
