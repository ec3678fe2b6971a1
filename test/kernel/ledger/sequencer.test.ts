import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createPool, withTransaction, type Db } from '../../../src/kernel/db/index.ts';
import { DomainError } from '../../../src/kernel/errors.ts';
import {
  appendToLedger, consistencyProofFor, getEntry, inclusionProofFor, integrateBatch, latestCheckpoint, ledgerVerifierKey,
  listEntries, openNote, parseCheckpointText, parseVerifierKey, payloadHash, startSequencer, verifyConsistency, verifyInclusion,
} from '../../../src/kernel/ledger/index.ts';
import { hashLeaf } from '../../../src/kernel/ledger/merkle.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

const b64 = (s: string) => Buffer.from(s, 'base64');

async function appendMany(db: Db, count: number, from = 0): Promise<void> {
  await withTransaction(db, async (tx) => {
    for (let i = from; i < from + count; i++) {
      await appendToLedger(tx, {
        actor: { kind: 'staff', id: `u${i % 7}` }, action: 'test.thing.done', object: { type: 'thing', id: i },
        purpose: i % 3 ? undefined : '审批', payload: { i }, at: new Date(Date.UTC(2025, 0, 1, 8, 0, 0, i)),
      });
    }
  });
}

/** Recomputes the root of the first `size` leaves naively from the entry rows, through the public leaf hashes. */
async function naiveRoot(db: Db, size: number): Promise<Buffer> {
  const leaves: Buffer[] = [];
  for (let i = 0; i < size; i++) leaves.push(b64((await getEntry(db, i))!.leafHash));
  const mth = (l: Buffer[]): Buffer => {
    if (l.length === 1) return l[0]!;
    const k = 2 ** Math.ceil(Math.log2(l.length) - 1);
    return crypto.createHash('sha256').update(Buffer.from([1])).update(mth(l.slice(0, k))).update(mth(l.slice(k))).digest();
  };
  return mth(leaves);
}

describe('ledger sequencer', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.drop());

  it('signs the empty tree on first run', async () => {
    assert.equal(await latestCheckpoint(t.db), null);
    assert.deepEqual(await integrateBatch(t.db), { integrated: 0, size: 0 });
    const checkpoint = (await latestCheckpoint(t.db))!;
    assert.equal(checkpoint.size, 0);
    assert.equal(checkpoint.rootHash, crypto.createHash('sha256').digest('base64'));
    assert.deepEqual(await integrateBatch(t.db), { integrated: 0, size: 0 });
  });

  it('keeps no entry from a transaction that rolled back', async () => {
    await assert.rejects(withTransaction(t.db, async (tx) => {
      await appendToLedger(tx, { actor: { kind: 'staff', id: 'u1' }, action: 'test.thing.undone' });
      throw new Error('the change failed');
    }), /the change failed/);
    assert.deepEqual(await integrateBatch(t.db), { integrated: 0, size: 0 });
  });

  it('numbers entries contiguously in queue order and signs a checkpoint that verifies with node:crypto', async () => {
    await appendMany(t.db, 10);
    assert.deepEqual(await integrateBatch(t.db, undefined, { maxEntries: 4 }), { integrated: 4, size: 4 });
    assert.deepEqual(await integrateBatch(t.db), { integrated: 6, size: 10 });
    const { entries, size } = await listEntries(t.db, { limit: 100, order: 'asc' });
    assert.equal(size, 10);
    assert.deepEqual(entries.map((e) => e.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(entries.map((e) => e.object?.id), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(entries[3]!.payloadHash, payloadHash({ i: 3 }).toString('hex'));
    assert.equal(entries[3]!.recordedAt.toISOString(), '2025-01-01T08:00:00.003Z');
    assert.equal(entries[0]!.purpose, '审批');
    // The leaf covers exactly the bytes docs/ledger.md describes.
    const leafBytes = `[4,"staff","u4","test.thing.done","thing","4",null,"${payloadHash({ i: 4 }).toString('hex')}","2025-01-01T08:00:00.004Z"]`;
    assert.equal(entries[4]!.leafHash, hashLeaf(Buffer.from(leafBytes)).toString('base64'));

    const checkpoint = (await latestCheckpoint(t.db))!;
    const [body, signatureLine] = checkpoint.note.split('\n\n');
    assert.equal(body, `yiwang.example/ledger\n10\n${checkpoint.rootHash}`);
    assert.equal(checkpoint.rootHash, (await naiveRoot(t.db, 10)).toString('base64'));
    // Verify the signature by hand from the published key text, as an outside verifier would.
    const keyText = await ledgerVerifierKey(t.db);
    const [name, keyHashHex] = keyText.split('+');
    const keyB64 = keyText.slice(`${name}+${keyHashHex}+`.length);
    assert.equal(name, 'yiwang.example/ledger');
    const rawKey = b64(keyB64!);
    assert.equal(rawKey[0], 0x01);
    assert.equal(crypto.createHash('sha256').update(`${name}\n`).update(rawKey).digest().subarray(0, 4).toString('hex'), keyHashHex);
    const match = /^\u2014 (\S+) (\S+)\n$/u.exec(signatureLine!)!;
    assert.equal(match[1], name);
    const blob = b64(match[2]!);
    assert.equal(blob.subarray(0, 4).toString('hex'), keyHashHex);
    const publicKey = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawKey.subarray(1).toString('base64url') }, format: 'jwk' });
    assert.equal(crypto.verify(null, Buffer.from(`${body}\n`), publicKey, blob.subarray(4)), true);
    assert.equal(crypto.verify(null, Buffer.from(`${body.replace('\n10\n', '\n11\n')}\n`), publicKey, blob.subarray(4)), false);
    assert.equal(openNote(checkpoint.note, parseVerifierKey(keyText)), `${body}\n`);
  });

  it('gives inclusion and consistency proofs from stored nodes that verify against the checkpoints', async () => {
    const first = (await latestCheckpoint(t.db))!;
    // Enough entries to fill several node chunks (256 nodes each) at levels 0 and 1.
    await appendMany(t.db, 700, 10);
    await integrateBatch(t.db, undefined, { maxEntries: 300 });
    await integrateBatch(t.db, undefined, { maxEntries: 100 });
    await integrateBatch(t.db);
    const second = (await latestCheckpoint(t.db))!;
    assert.equal(second.size, 710);
    assert.equal(second.rootHash, (await naiveRoot(t.db, 710)).toString('base64'));
    assert.deepEqual(parseCheckpointText(openNote(second.note, parseVerifierKey(await ledgerVerifierKey(t.db)))!)?.size, 710);

    for (const index of [0, 9, 255, 256, 511, 512, 709]) {
      const proof = await inclusionProofFor(t.db, index, 710);
      assert.equal(proof.leafHash, (await getEntry(t.db, index))!.leafHash);
      assert.equal(verifyInclusion(index, 710, b64(proof.leafHash), proof.hashes.map(b64), b64(second.rootHash)), true, `index ${index}`);
    }
    const old = await inclusionProofFor(t.db, 7, 10);
    assert.equal(verifyInclusion(7, 10, b64(old.leafHash), old.hashes.map(b64), b64(first.rootHash)), true);

    const consistency = await consistencyProofFor(t.db, 10, 710);
    assert.equal(verifyConsistency(10, 710, consistency.hashes.map(b64), b64(first.rootHash), b64(second.rootHash)), true);
    assert.equal(verifyConsistency(10, 710, consistency.hashes.map(b64), b64(second.rootHash), b64(second.rootHash)), false);
  });

  it('refuses proofs for trees no checkpoint signed, naming the field', async () => {
    const refusal = (field: string) => (error: unknown) => error instanceof DomainError && error.details.field === field && error.status === 400;
    await assert.rejects(inclusionProofFor(t.db, 0, 711), refusal('size'));
    await assert.rejects(inclusionProofFor(t.db, 0, 0), refusal('size'));
    await assert.rejects(inclusionProofFor(t.db, 710, 710), refusal('index'));
    await assert.rejects(inclusionProofFor(t.db, -1, 710), refusal('index'));
    await assert.rejects(consistencyProofFor(t.db, 1, 711), refusal('to'));
    await assert.rejects(consistencyProofFor(t.db, 0, 710), refusal('from'));
    await assert.rejects(consistencyProofFor(t.db, 12, 11), refusal('from'));
  });

  it('lists entries newest first for the explorer', async () => {
    const page = await listEntries(t.db, { limit: 3 });
    assert.deepEqual(page.entries.map((e) => e.index), [709, 708, 707]);
    assert.deepEqual((await listEntries(t.db, { from: 5, limit: 3 })).entries.map((e) => e.index), [5, 4, 3]);
    assert.equal(await getEntry(t.db, 710), null);
  });

  it('lets two sequencers run at once without gaps or duplicates, and signs while entries arrive', async () => {
    const a = startSequencer(t.db, { intervalMs: 20, maxEntries: 50 });
    const b = startSequencer(t.db, { intervalMs: 20, maxEntries: 50 });
    try {
      await Promise.all(Array.from({ length: 8 }, (_, w) => appendMany(t.db, 100, 1000 + w * 100)));
      await Promise.all([a.flush(), b.flush()]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const { rows } = await t.db.query<{ n: number; lo: number; hi: number; objects: number }>(
      'SELECT count(*)::int AS n, min(leaf_index) AS lo, max(leaf_index) AS hi, count(DISTINCT object_id)::int AS objects FROM ledger_entries');
    assert.deepEqual(rows[0], { n: 1510, lo: 0, hi: 1509, objects: 1510 });
    const checkpoint = (await latestCheckpoint(t.db))!;
    assert.equal(checkpoint.size, 1510);
    assert.equal(checkpoint.rootHash, (await naiveRoot(t.db, 1510)).toString('base64'));
    const { rows: [queue] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_queue');
    assert.equal(queue!.n, 0);
    // Batches of at most 50: the 800 new entries were signed in at least 16 checkpoints as they arrived.
    const { rows: [signed] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_checkpoints WHERE size > 710');
    assert.ok(signed!.n >= 16, `${signed!.n} checkpoints`);
  });
});

it('pauses longer and longer while its runs fail (the database away), instead of failing every interval', async () => {
  const away = createPool('postgres://nobody:x@127.0.0.1:9/none', 1);
  const failures: number[] = [];
  const sequencer = startSequencer(away, { intervalMs: 20, onError: () => void failures.push(Date.now()) });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await sequencer.stop();
  await away.end();
  // 20 ms doubling: 40, 80, 160, 320, 640 ms between failures, so about 6 in 1.5 s rather than 75.
  assert.ok(failures.length >= 3 && failures.length <= 8, `${failures.length} failures`);
  const gaps = failures.slice(1).map((at, i) => at - failures[i]!);
  assert.ok(gaps.at(-1)! > 3 * gaps[0]!, `gaps ${gaps.join(', ')} ms`);
});
