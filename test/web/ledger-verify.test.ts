// The console's in-browser ledger checks (web/src/ledger/verify.ts) against the same vectors and the same
// signer as the server, so a browser that says "verified" agrees with RFC 9162 and with the ledger.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  entryLeafData, fromBase64, hashLeaf, parseCheckpoint, parseVerifierKey, rootFromInclusionProof, sameBytes, verifyCheckpointSignature,
} from '../../web/src/ledger/verify.ts';
import { checkpointText, ed25519Signer, signNote, verifierKeyText } from '../../src/kernel/ledger/note.ts';
import { leafText, type EntryRow } from '../../src/kernel/ledger/entry.ts';

const vectorsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../kernel/ledger/vectors/inclusion');

describe('inclusion proofs in the browser', () => {
  it('accepts every valid transparency-dev inclusion vector and rejects every mutated one', async () => {
    const files = (fs.readdirSync(vectorsDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length > 90);
    let accepted = 0;
    for (const file of files) {
      const v = JSON.parse(fs.readFileSync(path.join(vectorsDir, file), 'utf8'));
      const root = await rootFromInclusionProof(v.leafIdx, v.treeSize, fromBase64(v.leafHash ?? ''), (v.proof ?? []).map(fromBase64));
      const ok = root !== null && sameBytes(root, fromBase64(v.root ?? ''));
      assert.equal(ok, !v.wantErr, `${file}: ${v.desc}`);
      if (ok) accepted++;
    }
    assert.equal(accepted, 6);
  });

  it('rebuilds the leaf bytes of an entry exactly as the ledger hashes them', async () => {
    const payloadHash = crypto.createHash('sha256').update('{"a":1}').digest();
    const leafData = (r: EntryRow) => Buffer.from(leafText(r), 'utf8');
    const row: EntryRow = { leaf_index: 7, actor_kind: 'staff', actor_id: '42', action: 'auth.user.created', object_type: 'user', object_id: '9',
      purpose: '人员管理 "quoted"', payload_hash: payloadHash, recorded_at: new Date('2026-03-01T08:30:00.123Z') };
    const entry = { index: 7, actor: { kind: 'staff', id: '42' }, action: 'auth.user.created', object: { type: 'user', id: '9' },
      purpose: '人员管理 "quoted"', payloadHash: payloadHash.toString('hex'), recordedAt: '2026-03-01T08:30:00.123Z', leafHash: '' };
    assert.deepEqual(Buffer.from(entryLeafData(entry)), leafData(row));
    const withoutObject = entryLeafData({ ...entry, object: null, purpose: null });
    assert.deepEqual(Buffer.from(withoutObject), leafData({ ...row, object_type: null, object_id: null, purpose: null }));
    assert.equal((await hashLeaf(entryLeafData(entry))).length, 32);
  });
});

describe('checkpoint signatures in the browser', () => {
  const signer = ed25519Signer('yiwang.example/ledger', crypto.createHash('sha256').update('test seed').digest());
  const key = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
  const note = signNote(checkpointText({ origin: signer.name, size: 12, rootHash: crypto.createHash('sha256').update('root').digest() }), signer);

  it('reads the checkpoint and accepts the ledger\'s own signature', async () => {
    const checkpoint = parseCheckpoint(note);
    assert.equal(checkpoint.origin, 'yiwang.example/ledger');
    assert.equal(checkpoint.size, 12);
    assert.equal(checkpoint.signatures[0]!.keyName, signer.name);
    assert.deepEqual(await verifyCheckpointSignature(checkpoint, key), { ok: true });
  });

  it('refuses a changed body, a signature by another key and a verifier key with the wrong hash', async () => {
    const changed = parseCheckpoint(note.replace('\n12\n', '\n13\n'));
    assert.deepEqual(await verifyCheckpointSignature(changed, key), { ok: false, reason: 'bad-signature' });
    const other = ed25519Signer('someone.else/log', crypto.randomBytes(32));
    const otherKey = parseVerifierKey(verifierKeyText(other.name, other.publicKey));
    assert.deepEqual(await verifyCheckpointSignature(parseCheckpoint(note), otherKey), { ok: false, reason: 'no-signature' });
    assert.deepEqual(await verifyCheckpointSignature(parseCheckpoint(note), { ...key, keyHash: new Uint8Array(4) }),
      { ok: false, reason: 'key-hash-mismatch' });
  });

  it('throws on text that is not a checkpoint', () => {
    assert.throws(() => parseCheckpoint('origin\n12\n'), /signature block/);
    assert.throws(() => parseCheckpoint('origin\nsize\nroot\n\n— k AAAA\n'), /malformed/);
  });
});
