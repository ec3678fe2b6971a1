import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { appendToLedger, getEntry, integrateBatch, ledgerVerifierKey } from '../../../src/kernel/ledger/index.ts';
import { ed25519Signer, verifierKeyText } from '../../../src/kernel/ledger/note.ts';
import { verifyLedger } from '../../../src/kernel/ledger/verify.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

describe('verifyLedger', () => {
  let t: TestDb;
  const sql = (text: string, params: unknown[] = []) => t.db.query(text, params);

  before(async () => {
    t = await createTestDb();
    // 600 entries in three signed batches: checkpoints at 100, 350 and 600.
    for (const [from, count] of [[0, 100], [100, 250], [350, 250]] as const) {
      await withTransaction(t.db, async (tx) => {
        for (let i = from; i < from + count; i++)
          await appendToLedger(tx, { actor: { kind: 'staff', id: 'u1' }, action: 'test.thing.done', object: { type: 'thing', id: i }, payload: { i } });
      });
      await integrateBatch(t.db);
    }
    await sql('CREATE TABLE saved_entries AS SELECT * FROM ledger_entries');
    await sql('CREATE TABLE saved_nodes AS SELECT * FROM ledger_nodes');
    await sql('CREATE TABLE saved_checkpoints AS SELECT * FROM ledger_checkpoints');
  });
  after(() => t.drop());

  // Each test tampers with its own copy of the log.
  beforeEach(async () => {
    await sql('TRUNCATE ledger_entries, ledger_nodes, ledger_checkpoints');
    await sql('INSERT INTO ledger_entries SELECT * FROM saved_entries');
    await sql('INSERT INTO ledger_nodes SELECT * FROM saved_nodes');
    await sql('INSERT INTO ledger_checkpoints SELECT * FROM saved_checkpoints');
  });

  it('passes an untouched log and reports progress', async () => {
    const progress: number[] = [];
    assert.deepEqual(await verifyLedger(t.db, { onProgress: (done) => progress.push(done) }), { ok: true, size: 600 });
    assert.equal(progress.at(-1), 600);
  });

  it('names the entry whose action was changed by hand', async () => {
    await sql("UPDATE ledger_entries SET action = 'test.thing.never-done' WHERE leaf_index = 123");
    const result = await verifyLedger(t.db);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBadIndex, 123);
  });

  it('names the first of several changed entries, whatever column changed', async () => {
    await sql("UPDATE ledger_entries SET recorded_at = recorded_at + interval '1 millisecond' WHERE leaf_index = 401");
    await sql("UPDATE ledger_entries SET purpose = 'curiosity' WHERE leaf_index = 77");
    const result = await verifyLedger(t.db);
    assert.deepEqual(result.ok ? null : result.firstBadIndex, 77);
  });

  it('names a deleted entry', async () => {
    await sql('DELETE FROM ledger_entries WHERE leaf_index = 599');
    const result = await verifyLedger(t.db);
    assert.deepEqual(result, { ok: false, firstBadIndex: 599, reason: 'entry 599 is missing' });
  });

  it('finds a change covered up in the stored leaf hash, from the checkpoints', async () => {
    await sql("UPDATE ledger_entries SET actor_id = 'u2' WHERE leaf_index = 200");
    const forged = (await getEntry(t.db, 200))!.leafHash;
    await sql('UPDATE ledger_nodes SET hashes = overlay(hashes placing $1 from $2) WHERE level = 0 AND chunk = 0',
      [Buffer.from(forged, 'base64'), 200 * 32 + 1]);
    const result = await verifyLedger(t.db);
    // The checkpoint of size 100 still vouches for entries 0–99; the one of size 350 no longer matches.
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBadIndex, 100);
    assert.match(!result.ok ? result.reason : '', /checkpoint of size 350/);
  });

  it('refuses a checkpoint whose note was rewritten or is not signed by the trusted key', async () => {
    await sql("UPDATE ledger_checkpoints SET note = replace(note, E'\\n600\\n', E'\\n601\\n') WHERE size = 600");
    const rewritten = await verifyLedger(t.db);
    assert.deepEqual(rewritten.ok ? null : rewritten.firstBadIndex, null);
    assert.match(rewritten.ok ? '' : rewritten.reason, /not signed/);

    await sql('TRUNCATE ledger_checkpoints');
    await sql('INSERT INTO ledger_checkpoints SELECT * FROM saved_checkpoints');
    const other = ed25519Signer('yiwang.example/ledger', Buffer.alloc(32, 7));
    const untrusted = await verifyLedger(t.db, { verifierKey: verifierKeyText(other.name, other.publicKey) });
    assert.equal(untrusted.ok, false);
    assert.deepEqual(await verifyLedger(t.db, { verifierKey: await ledgerVerifierKey(t.db) }), { ok: true, size: 600 });
  });
});
