// The operator's experience of `yiwang start`: clear one-line refusals, clean stop, data reused.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDb } from './helpers/db.ts';
import { createTestApp } from './helpers/factories.ts';
import { adult, callGateway, grantFor, makeExchange } from './hub/exchange/factories.ts';
import { integrateBatch } from '../src/kernel/ledger/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

interface Run { code: number | null; output: string }

/** Runs `yiwang <args>`; with `until`, sends Ctrl-C (SIGINT, or `signal`) once that text has appeared. */
function yiwang(args: string[], env: Record<string, string>, until?: string, signal: NodeJS.Signals = 'SIGINT'): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
    cwd: root, env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (until && output.includes(until)) {
        until = undefined;
        child.kill(signal);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // A start that never gets ready must fail the test, not hang it.
    const limit = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, output });
    });
  });
}

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yiwang-cli-'));
  await fs.chmod(dir, 0o755); // the embedded PostgreSQL runs as another user under root
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function occupyPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const oneLine = (output: string) => output.trim().split('\n').filter((l) => l.startsWith('yiwang:'));

test('an unreachable DATABASE_URL gives one line saying what to do', async () => {
  const run = await yiwang(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
  assert.equal(run.code, 1);
  assert.match(run.output, /^yiwang: cannot reach the database at 127\.0\.0\.1:9 .*Check DATABASE_URL/m);
  assert.doesNotMatch(run.output, /\n\s+at /, 'no stack trace');
});

test('a second start on a data directory in use is refused with one line', async () => {
  const dir = await tempDir();
  await fs.writeFile(path.join(dir, 'yiwang.pid'), String(process.pid)); // this test process holds it
  const run = await yiwang(['start'], { YIWANG_DATA_DIR: dir });
  assert.equal(run.code, 1);
  assert.deepEqual(oneLine(run.output), [`yiwang: Yiwang is already running on ${dir} (pid ${process.pid}). Stop it first, or set YIWANG_DATA_DIR to another directory.`]);
});

test('a busy port for the embedded database or for HTTP is named, with the variable to change', async () => {
  const busy = await occupyPort();
  cleanups.push(busy.close);
  const dir = await tempDir();
  const pg = await yiwang(['start'], { YIWANG_DATA_DIR: dir, YIWANG_PG_PORT: String(busy.port) });
  assert.equal(pg.code, 1);
  assert.deepEqual(oneLine(pg.output), [`yiwang: port ${busy.port} for the embedded database is in use. Stop what uses it or set YIWANG_PG_PORT to a free port.`]);

  const testDb = await createTestDb();
  cleanups.push(testDb.drop);
  const http = await yiwang(['start'], { DATABASE_URL: testDb.url, PORT: String(busy.port) });
  assert.equal(http.code, 1);
  assert.ok(oneLine(http.output).includes(`yiwang: port ${busy.port} is in use. Stop what uses it or start with PORT=<another port>.`), http.output);
});

/** The data directory and ports the first start below made and loaded the demo into; the kill test reuses them. */
let started: Record<string, string> | undefined;

test('start on a fresh data directory loads the demo; Ctrl-C stops cleanly; the next start reuses the data', async () => {
  const dir = await tempDir();
  const free = await occupyPort();
  await free.close();
  const env = { YIWANG_DATA_DIR: dir, PORT: String(free.port), YIWANG_PG_PORT: String(free.port + 1) };
  const first = await yiwang(['start'], env, 'is ready at');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /loading the demo city/);
  assert.match(first.output, new RegExp(`ready at http://127\\.0\\.0\\.1:${free.port}`));
  assert.match(first.output, /admin +/);
  assert.match(first.output, /stopping…/);
  await assert.rejects(fs.stat(path.join(dir, 'yiwang.pid')), 'the lock is released on stop');

  const second = await yiwang(['start'], env, 'is ready at');
  assert.equal(second.code, 0, second.output);
  assert.doesNotMatch(second.output, /loading the demo city/);
  started = env;

  const verify = await yiwang(['ledger', 'verify'], env);
  assert.equal(verify.code, 0, verify.output);
  const size = Number(/ledger verified: (\d+) entries/.exec(verify.output)?.[1]);
  assert.ok(size > 1, verify.output);
  const checkpoint = await yiwang(['ledger', 'checkpoint'], env);
  assert.equal(checkpoint.output.split('\n')[1], String(size));
  const entry = JSON.parse((await yiwang(['ledger', 'entry', '0'], env)).output);
  assert.equal(entry.index, 0);
  const inclusion = JSON.parse((await yiwang(['ledger', 'proof', 'inclusion', '0'], env)).output);
  assert.equal(inclusion.leafHash, entry.leafHash);
  assert.equal(inclusion.size, size);
  const consistency = JSON.parse((await yiwang(['ledger', 'proof', 'consistency', '1', String(size)], env)).output);
  assert.equal(consistency.to, size);
  const bad = await yiwang(['ledger', 'proof', 'consistency', '0', String(size)], env);
  assert.equal(bad.code, 1);
  assert.match(bad.output, /^yiwang: from must be a tree size from 1 to \d+ \(from\)$/m);
});

test('after the platform is killed (kill -9), its embedded PostgreSQL left running, the next start takes over and answers', async () => {
  // On the data the test above loaded: a second demo load would add minutes and test nothing more.
  assert.ok(started, 'the start test above ran and passed');
  const env = started;
  const dir = env.YIWANG_DATA_DIR!;
  const killed = await yiwang(['start'], env, 'is ready at', 'SIGKILL');
  assert.equal(killed.code, null, killed.output);
  const postmaster = Number((await fs.readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  assert.doesNotThrow(() => process.kill(postmaster, 0), 'the database outlived the platform');

  const again = await yiwang(['start'], env, 'is ready at');
  assert.equal(again.code, 0, again.output);
  assert.doesNotMatch(again.output, /loading the demo city|in use/);
  assert.throws(() => process.kill(postmaster, 0), 'the orphaned server was stopped');
  const verify = await yiwang(['ledger', 'verify'], env);
  assert.equal(verify.code, 0, verify.output);
});

test('ledger verify and verify-evidence exit 0 on a clean log and 2 with one line naming what was tampered with', async () => {
  const t = await createTestApp();
  cleanups.push(() => t.close());
  const x = await makeExchange(t);
  await grantFor(t, x, x.people.code);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await callGateway(t, x.token, x.people.code, { subject: adult })).json().messageId);
  await integrateBatch(t.db);
  const env = { DATABASE_URL: t.url };
  const verify = async (command: string) => yiwang(['ledger', command], env);
  assert.deepEqual([(await verify('verify')).code, (await verify('verify-evidence')).code], [0, 0]);

  await t.db.query(`UPDATE hub_evidence SET hidden_until = '2099-01-01' WHERE message_id = $1`, [ids[0]]);
  await t.db.query('DELETE FROM hub_evidence WHERE message_id = $1', [ids[1]]);
  const evidence = await verify('verify-evidence');
  assert.equal(evidence.code, 2, evidence.output);
  const index = (await t.db.query(`SELECT leaf_index FROM ledger_entries WHERE object_id = $1`, [ids[1]])).rows[0].leaf_index;
  assert.deepEqual(oneLine(evidence.output), []);
  assert.ok(evidence.output.trim().split('\n').includes(
    `evidence verification FAILED: changed ${ids[0]}; record missing for ledger entry ${index} (${ids[1]})`), evidence.output);

  await t.db.query(`UPDATE ledger_entries SET purpose = 'curiosity' WHERE leaf_index = $1`, [index]);
  const ledger = await verify('verify');
  assert.equal(ledger.code, 2, ledger.output);
  assert.match(ledger.output, new RegExp(`^ledger verification FAILED at index ${index}: `, 'm'));
});
