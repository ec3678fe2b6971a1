import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import {
  appendToLedger, latestCheckpoint, ledgerVerifierKey, openNote, parseVerifierKey, startSequencerThread,
} from '../../../src/kernel/ledger/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

describe('ledger sequencer thread', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.drop());

  it('integrates what commands queue, signs with the installation key, and flushes and stops on request', async () => {
    const origin = 'test.yiwang.example/ledger';
    const sequencer = await startSequencerThread({ connectionString: t.url, origin, intervalMs: 3_600_000 });
    try {
      await withTransaction(t.db, async (tx) => {
        for (let i = 0; i < 300; i++)
          await appendToLedger(tx, { actor: { kind: 'staff', id: 'u1' }, action: 'test.thing.done', object: { type: 'thing', id: i }, payload: { i } });
      });
      // The first run (at start) may have come before the entries; flush must take in all of them.
      await sequencer.flush();
      const checkpoint = (await latestCheckpoint(t.db))!;
      assert.equal(checkpoint.size, 300);
      const { rows: [queue] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_queue');
      assert.equal(queue!.n, 0);
      // Signed by the key the platform publishes for that origin.
      const text = openNote(checkpoint.note, parseVerifierKey(await ledgerVerifierKey(t.db, origin)));
      assert.match(text ?? 'not signed by the published key', /^test\.yiwang\.example\/ledger\n300\n/);
    } finally {
      await sequencer.stop();
    }
    await assert.rejects(sequencer.flush(), /stopped/);
    await sequencer.stop(); // stopping twice is harmless
  });

  it('fails to start, naming the cause, when the database cannot be reached', async () => {
    const unreachable = new URL(t.url);
    unreachable.port = '1';
    unreachable.hostname = '127.0.0.1';
    await assert.rejects(startSequencerThread({ connectionString: unreachable.toString(), origin: 'x' }), /did not start: .*ECONNREFUSED/);
  });
});
