// `yiwang hotline import`: the same import as the API, from a file, as the `cli` system actor.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { makeHotlineCity } from './factories.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
let t: TestDb;
let dir: string;
before(async () => {
  t = await createTestDb();
  await makeHotlineCity(t.db);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yiwang-import-'));
});
after(async () => {
  await t.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

function yiwang(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
    cwd: root, env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c; });
  child.stderr.on('data', (c: Buffer) => { stderr += c; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

test('yiwang hotline import <file> --layout nyc311 prints the report and keeps the good rows', async () => {
  const categories = path.join(dir, 'categories.json');
  await fs.writeFile(categories, JSON.stringify({ 'Dirty Conditions': 'CG-SRHW-LJQY', 'Noise - Residential': 'HB-ZYRM' }));
  const run = await yiwang(['hotline', 'import', path.join(here, 'fixtures/nyc311-guang-an.csv'), '--layout', 'nyc311', '--categories', categories]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.imported, 2);
  assert.deepEqual(report.rejected.find((r: { row: number }) => r.row === 5), { row: 5, field: 'Latitude', reason: 'outside-city' });
  const { rows } = await t.db.query(`SELECT original_id FROM hotline_tickets WHERE imported_from = 'nyc311' ORDER BY original_id`);
  assert.deepEqual(rows.map((r) => r.original_id), ['90000001', '90000002']);

  const bad = await yiwang(['hotline', 'import', path.join(here, 'fixtures/nyc311-guang-an.csv'), '--layout', 'lagos']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^yiwang: unknown layout lagos \(layout\)$/m);
});
