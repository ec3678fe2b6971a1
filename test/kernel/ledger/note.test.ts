import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import {
  checkpointText, ed25519Signer, keyHash, openNote, parseCheckpointText, parseVerifierKey, signNote, verifierKeyText,
} from '../../../src/kernel/ledger/note.ts';

// The example key pair and note of the reference implementation, golang.org/x/mod/sumdb/note (note_test.go).
// Ed25519 signatures are deterministic, so ours must match it byte for byte.
const goSignerKey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const goVerifierKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const goNote = `${goText}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
// PRIVATE+KEY+<name>+<key hash>+<base64(0x01 || seed)>; the base64 part may contain '+'.
const goSeed = Buffer.from(goSignerKey.split('+').slice(4).join('+'), 'base64').subarray(1);

describe('signed notes', () => {
  const signer = ed25519Signer('PeterNeumann', goSeed);

  it('derives the reference verifier key and key hash', () => {
    assert.equal(verifierKeyText(signer.name, signer.publicKey), goVerifierKey);
    assert.equal(keyHash('PeterNeumann', signer.publicKey).toString('hex'), 'c74f20a3');
  });

  it('signs the reference note byte for byte', () => {
    assert.equal(signNote(goText, signer), goNote);
  });

  it('opens a note signed by the key and refuses a changed one', () => {
    const verifier = parseVerifierKey(goVerifierKey);
    assert.equal(openNote(goNote, verifier), goText);
    assert.equal(openNote(goNote.replace('cryptography', 'cryptographY'), verifier), null);
    assert.equal(openNote(goNote.replace('x08go', 'x08gp'), verifier), null);
    const otherKey = ed25519Signer('PeterNeumann', crypto.randomBytes(32));
    assert.equal(openNote(goNote, parseVerifierKey(verifierKeyText(otherKey.name, otherKey.publicKey))), null);
  });

  it('accepts a cosignature by another key beside ours', () => {
    const witness = ed25519Signer('witness.example', crypto.randomBytes(32));
    const cosigned = goNote + signNote(goText, witness).slice(goText.length + 1);
    assert.equal(openNote(cosigned, parseVerifierKey(goVerifierKey)), goText);
  });

  it('refuses malformed verifier keys', () => {
    for (const bad of [
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong key hash
      'PeterNeumann+c74f20a3+AhpcQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // not an Ed25519 key
      'PeterNeumann+c74f20a3', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    ]) assert.throws(() => parseVerifierKey(bad), RangeError, bad);
  });
});

describe('checkpoints', () => {
  it('writes and reads the tlog-checkpoint body', () => {
    const rootHash = crypto.createHash('sha256').update('x').digest();
    const text = checkpointText({ origin: 'yiwang.example/ledger', size: 1234, rootHash });
    assert.equal(text, `yiwang.example/ledger\n1234\n${rootHash.toString('base64')}\n`);
    assert.deepEqual(parseCheckpointText(text), { origin: 'yiwang.example/ledger', size: 1234, rootHash });
    assert.equal(parseCheckpointText('yiwang.example/ledger\n012\nAAAA\n'), null);
    assert.equal(parseCheckpointText('yiwang.example/ledger\n12\n'), null);
  });
});
