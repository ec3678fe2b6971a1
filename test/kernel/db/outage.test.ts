// A database outage under write load, on a PostgreSQL of this test's own (killed with SIGKILL mid-load):
// the process lives, requests get 503 while the database is away, everything recovers by itself once it is
// back, no acknowledged ticket is lost and the ledger stays consistent across the outage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../../src/kernel/db/embedded.ts';
import { createPool, migrate } from '../../../src/kernel/db/index.ts';
import {
  consistencyProofFor, latestCheckpoint, startSequencerThread, verifyConsistency, verifyLedger,
} from '../../../src/kernel/ledger/index.ts';
import { buildApp } from '../../../src/server.ts';
import { prepareClassifier } from '../../../src/hotline/classification.ts';
import { makeHotlineCity, ticketInput } from '../../hotline/factories.ts';
import { testPassword } from '../../helpers/factories.ts';
import { freePort, killPostgres, sleep } from '../../helpers/postgres.ts';

test('PostgreSQL killed under 100 tickets/s: 503 while away, recovery by itself, no acknowledged ticket lost, the ledger consistent', { timeout: 90_000 }, async () => {
  const dataDir = path.resolve('data', `outage-${process.pid}`);
  await fs.rm(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => void crashes.push(error);
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  let server = await startEmbeddedPostgres(dataDir, port);
  const db = createPool(server.url);
  const app = await buildApp({ db, logLevel: 'silent' });
  const sequencer = await (async () => {
    await migrate(db);
    await makeHotlineCity(db);
    // As `npm start` does before it listens: intake then never waits for the first model.
    await prepareClassifier(db);
    return startSequencerThread({ connectionString: server.url, origin: 'outage.test/ledger', intervalMs: 100 });
  })();
  try {
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'operator', password: testPassword } });
    const cookie = `yw_session=${login.cookies.find((c) => c.name === 'yw_session')!.value}`;

    // A steady 100 intakes a second, each answer kept with the phase it was sent in.
    type Answer = { phase: string; status: number; id?: number; number?: string; code?: string; retryAfter?: string };
    const answers: Answer[] = [];
    const inFlight = new Set<Promise<void>>();
    let phase = 'before';
    const send = () => {
      const sentIn = phase;
      const call = app.inject({ method: 'POST', url: '/api/v1/hotline/tickets', headers: { cookie }, payload: ticketInput() }).then((res) => {
        const body = res.json();
        answers.push({ phase: sentIn, status: res.statusCode, id: res.statusCode === 201 ? body.id : undefined, number: body.number, code: body.code,
          retryAfter: res.headers['retry-after'] as string | undefined });
      });
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    };
    const load = setInterval(send, 10);

    // Under way: some tickets acknowledged (and more in flight) before the database dies.
    for (const until = Date.now() + 20_000; answers.filter((a) => a.status === 201).length < 50 && Date.now() < until;) await sleep(50);
    await sequencer.flush();
    const before = (await latestCheckpoint(db))!;
    phase = 'outage';
    await killPostgres(path.join(dataDir, 'pg'));
    await sleep(3_000);
    phase = 'restarting';
    server = await startEmbeddedPostgres(dataDir, port);
    phase = 'back';
    const back = Date.now();
    while (!answers.some((a) => a.phase === 'back' && a.status === 201) && Date.now() - back < 15_000) await sleep(100);
    const recoveredMs = Date.now() - back;
    await sleep(1_000);
    clearInterval(load);
    await Promise.all(inFlight);

    assert.deepEqual(crashes, [], 'no unhandled error: the process would have died');
    assert.ok(recoveredMs < 10_000, `intake answered 201 again ${recoveredMs} ms after the database came back`);
    const byStatus = (p: string) => {
      const counts: Record<number, number> = {};
      for (const a of answers) if (a.phase === p) counts[a.status] = (counts[a.status] ?? 0) + 1;
      return counts;
    };
    assert.ok(byStatus('before')[201]! >= 50, JSON.stringify(byStatus('before')));
    const failures = answers.filter((a) => a.status !== 201);
    assert.ok(failures.length > 0, 'the outage was seen');
    assert.deepEqual([...new Set(failures.map((a) => `${a.status} ${a.code} retry-after ${a.retryAfter}`))], ['503 unavailable retry-after 1']);
    assert.ok(byStatus('back')[201]! > 0);

    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.id!);
    const { rows: [stored] } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_tickets WHERE id = ANY($1)', [acknowledged]);
    assert.equal(stored!.n, acknowledged.length, 'every acknowledged ticket is stored');

    // The sequencer thread signs again by itself; then the log verifies and extends the checkpoint from before.
    for (const until = Date.now() + 20_000; ;) {
      const queued = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_queue')).rows[0]!.n;
      if (queued === 0) break;
      assert.ok(Date.now() < until, `${queued} ledger entries still unsigned`);
      await sleep(200);
    }
    const after = (await latestCheckpoint(db))!;
    const { rows: [received] } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_entries WHERE action = 'hotline.ticket.received' AND object_id = ANY($1)",
      [answers.filter((a) => a.status === 201).map((a) => a.number!)]);
    assert.equal(received!.n, acknowledged.length, 'every acknowledged ticket has its ledger entry');
    assert.deepEqual(await verifyLedger(db), { ok: true, size: after.size });
    const proof = await consistencyProofFor(db, before.size, after.size);
    assert.ok(verifyConsistency(before.size, after.size, proof.hashes.map((h) => Buffer.from(h, 'base64')),
      Buffer.from(before.rootHash, 'base64'), Buffer.from(after.rootHash, 'base64')));
    const ready = await app.inject({ url: '/readyz' });
    assert.deepEqual([ready.statusCode, ready.json().ledger.queued], [200, 0]);
  } finally {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await sequencer.stop();
    await app.close();
    await db.end();
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
