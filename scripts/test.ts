// `npm test`: runs every test file under test/ with node:test. Database tests need a PostgreSQL server:
// TEST_DATABASE_URL names one; without it, an embedded PostgreSQL is started under data/test for the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, lockDataDir } from '../src/kernel/db/embedded.ts';
import { ensureWebBuilt } from '../src/web-build.ts';

async function findTests(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  }));
  return nested.flat().sort();
}

const filters = process.argv.slice(2);
const files = (await findTests('test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

// The browser tests drive the built console.
if (files.some((f) => f.includes(`${path.sep}e2e${path.sep}`))) await ensureWebBuilt(console.log);

let stopDatabase = async () => {};
if (!process.env.TEST_DATABASE_URL) {
  const dir = path.resolve('data/test');
  const unlock = await lockDataDir(dir);
  const embedded = await startEmbeddedPostgres(dir, Number(process.env.YIWANG_TEST_PG_PORT ?? 54330), 'yiwang_test');
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

const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
  child.on('exit', (status) => resolve(status ?? 1));
});

await stopDatabase();
process.exit(code);
