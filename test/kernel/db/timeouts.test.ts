// One locked table must not take the platform down: waits for its lock fail fast with 503 and free their
// connections, other endpoints keep answering, and /readyz asks over a connection of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createPool, databaseUnavailable, dbTimeouts, type Db } from '../../../src/kernel/db/index.ts';
import { prepareClassifier } from '../../../src/hotline/classification.ts';
import { buildApp } from '../../../src/server.ts';
import type { App } from '../../../src/kernel/http/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeHotlineCity, ticketInput } from '../../hotline/factories.ts';
import { testPassword } from '../../helpers/factories.ts';

let t: TestDb;
let pool: Db;
let app: App;
let cookie: string;
before(async () => {
  t = await createTestDb();
  await makeHotlineCity(t.db);
  // As the platform does at start: intake under the lock then waits for the lock only, not for a first training.
  await prepareClassifier(t.db);
  // A small pool, so that the locked table's requests could fill it.
  pool = createPool(t.url, 3, { statementTimeoutMs: 30_000, lockTimeoutMs: 300 });
  app = await buildApp({ db: pool, logLevel: 'silent' });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'operator', password: testPassword } });
  cookie = `yw_session=${login.cookies.find((c) => c.name === 'yw_session')!.value}`;
});
after(async () => {
  await app.close();
  await pool.end();
  await t.drop();
});

/** Runs `fn` while another session holds `table` locked against everyone. */
async function whileLocked<T>(table: string, fn: () => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: t.url });
  await holder.connect();
  try {
    await holder.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return await fn();
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
}

test('every connection gets the statement and lock timeouts, from the environment or the documented defaults', async () => {
  assert.deepEqual(dbTimeouts(), { statementTimeoutMs: 30_000, lockTimeoutMs: 2_000 });
  process.env.YIWANG_DB_LOCK_TIMEOUT_MS = '750';
  try {
    assert.equal(dbTimeouts().lockTimeoutMs, 750);
    process.env.YIWANG_DB_LOCK_TIMEOUT_MS = 'soon';
    assert.throws(() => dbTimeouts(), /YIWANG_DB_LOCK_TIMEOUT_MS must be a whole number of milliseconds/);
  } finally {
    delete process.env.YIWANG_DB_LOCK_TIMEOUT_MS;
  }
  const { rows } = await pool.query("SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l");
  assert.deepEqual(rows[0], { s: '30s', l: '300ms' });
});

test('a wait for a locked table fails after the lock timeout as "the database is busy"', async () => {
  await whileLocked('hotline_tickets', async () => {
    const started = Date.now();
    const error = await pool.query('SELECT count(*) FROM hotline_tickets').catch((e: unknown) => e);
    assert.equal((error as { code?: string }).code, '55P03');
    assert.ok(databaseUnavailable(error));
    assert.ok(Date.now() - started < 2_000);
  });
  assert.equal(databaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
});

test('with the tickets table locked, intake answers 503 + Retry-After fast, and other endpoints and /readyz still answer', async () => {
  await whileLocked('hotline_tickets', async () => {
    const started = Date.now();
    const intake = Array.from({ length: 6 }, () =>
      app.inject({ method: 'POST', url: '/api/v1/hotline/tickets', headers: { cookie }, payload: ticketInput() }));
    const [me, ready] = await Promise.all([
      app.inject({ url: '/api/v1/auth/me', headers: { cookie } }),
      app.inject({ url: '/readyz' }),
    ]);
    assert.equal(me.statusCode, 200);
    assert.equal(ready.statusCode, 200);
    for (const res of await Promise.all(intake)) {
      assert.deepEqual([res.statusCode, res.json().code, res.headers['retry-after']], [503, 'unavailable', '1']);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    }
    assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
  });
  const after = await app.inject({ method: 'POST', url: '/api/v1/hotline/tickets', headers: { cookie }, payload: ticketInput() });
  assert.equal(after.statusCode, 201);
});

test('/readyz reports the ledger lag and turns 503 once an entry has waited beyond the limit; /metrics shows it', async () => {
  const strict = await buildApp({ db: pool, logLevel: 'silent', ledgerLagLimitSeconds: 0 });
  try {
    // No sequencer runs here: the intake above left entries queued.
    const ready = await strict.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().status, 'ledger not signing');
    assert.ok(ready.json().ledger.queued > 0);
    assert.equal(ready.json().ledger.limitSeconds, 0);
    const relaxed = (await app.inject({ url: '/readyz' })).json();
    assert.deepEqual([relaxed.status, relaxed.ledger.limitSeconds], ['ready', 30]);
    const metrics = await strict.inject({ url: '/metrics' });
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(metrics.body, /^yiwang_db_up 1$/m);
    assert.match(metrics.body, /^yiwang_db_pool_connections\{state="max"\} 3$/m);
    assert.match(metrics.body, new RegExp(`^yiwang_ledger_queued_entries ${ready.json().ledger.queued}$`, 'm'));
    assert.match(metrics.body, /^yiwang_ledger_oldest_unsigned_seconds \d+(\.\d+)?$/m);
  } finally {
    await strict.close();
  }
});

test('/metrics answers this host freely and another host only with the metrics token', async () => {
  const guarded = await buildApp({ db: pool, logLevel: 'silent', metricsToken: 'scrape-secret-2026' });
  try {
    const from = (remoteAddress: string, authorization?: string) =>
      guarded.inject({ url: '/metrics', remoteAddress, headers: authorization ? { authorization } : {} });
    assert.equal((await from('127.0.0.1')).statusCode, 200);
    assert.equal((await from('::1')).statusCode, 200);
    for (const auth of [undefined, 'Bearer wrong', 'Bearer scrape-secret-202', 'Basic scrape-secret-2026']) {
      const res = await from('203.0.113.7', auth);
      assert.equal(res.statusCode, 403, String(auth));
      assert.doesNotMatch(res.body, /yiwang_db_up/);
    }
    const scraped = await from('203.0.113.7', 'Bearer scrape-secret-2026');
    assert.equal(scraped.statusCode, 200);
    assert.match(scraped.body, /^yiwang_db_up 1$/m);
    // Without a configured token no other host reads them, whatever it sends.
    assert.equal((await app.inject({ url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer ' } })).statusCode, 403);
  } finally {
    await guarded.close();
  }
});

test('connection failures, shutdowns and timeouts count as "the database is away"; faults of a statement do not', () => {
  const error = (message: string, extra: object = {}) => Object.assign(new Error(message), extra);
  for (const away of [error('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }), error('read ECONNRESET', { code: 'ECONNRESET' }),
    error('terminating connection due to administrator command', { code: '57P01' }), error('the database system is starting up', { code: '57P03' }),
    error('connection failure', { code: '08006' }), error('Connection terminated unexpectedly'), error('timeout exceeded when trying to connect'),
    error('connect ENOENT /data/pg/.s.PGSQL.54320', { code: 'ENOENT', syscall: 'connect' }),
    error('canceling statement due to statement timeout', { code: '57014' })])
    assert.ok(databaseUnavailable(away), away.message);
  for (const fault of [error('duplicate key', { code: '23505' }), error('invalid input syntax', { code: '22P02' }),
    error('no such file', { code: 'ENOENT', syscall: 'open' }), error('boom'), 'not an error'])
    assert.equal(databaseUnavailable(fault), false, String(fault));
});
