// The embedded PostgreSQL is the platform's own: when it dies while the platform runs, it is started again.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { keepEmbeddedPostgres } from '../../../src/kernel/db/embedded.ts';
import { createPool } from '../../../src/kernel/db/index.ts';
import { freePort, killPostgres, sleep } from '../../helpers/postgres.ts';

test('an embedded PostgreSQL killed with SIGKILL is started again, and the pool answers again by itself', { timeout: 60_000 }, async () => {
  const dataDir = path.resolve('data', `embedded-${process.pid}`);
  await fs.rm(dataDir, { recursive: true, force: true });
  const logged: string[] = [];
  const server = await keepEmbeddedPostgres(dataDir, await freePort(), { log: (line) => logged.push(line), checkMs: 200 });
  const db = createPool(server.url, 2);
  try {
    assert.equal((await db.query('SELECT 1 AS one')).rows[0].one, 1);
    // Whether a query fails in between depends on how fast the server comes back; what must hold is that it comes back.
    const killed = await killPostgres(path.join(dataDir, 'pg'));
    let answered = false;
    for (const until = Date.now() + 30_000; !answered && Date.now() < until;) {
      answered = await db.query('SELECT 1').then(() => true, () => false); // not back yet: asked again below
      if (!answered) await sleep(200);
    }
    assert.ok(answered, logged.join('\n'));
    assert.equal(logged[0], `the embedded PostgreSQL (pid ${killed}) has stopped; starting it again`);
    for (const until = Date.now() + 5_000; !logged.includes('the embedded PostgreSQL runs again') && Date.now() < until;) await sleep(50);
    assert.equal(logged.at(-1), 'the embedded PostgreSQL runs again');
    await db.end();
    await server.stop();
    await assert.rejects(fs.stat(path.join(dataDir, 'pg', 'postmaster.pid')), 'stopped: no postmaster.pid left');
  } finally {
    await db.end().catch(() => undefined); // already ended when the test got that far
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
