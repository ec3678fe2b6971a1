import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  Frontier, consistencyProof, emptyRoot, hashChildren, hashLeaf, inclusionProof, perfectSubtrees, rootAt,
  verifyConsistency, verifyInclusion, type NodeId, type NodeReader,
} from '../../../src/kernel/ledger/merkle.ts';

const vectorsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors');
const b64 = (s: string) => Buffer.from(s, 'base64');

function vectorFiles(kind: 'inclusion' | 'consistency'): string[] {
  return (fs.readdirSync(path.join(vectorsDir, kind), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(vectorsDir, kind, f))
    .sort();
}

describe('RFC 6962 vectors (transparency-dev/merkle)', () => {
  it('accepts every valid inclusion proof and rejects every mutated one', () => {
    const files = vectorFiles('inclusion');
    assert.equal(files.length, 98);
    let accepted = 0;
    for (const file of files) {
      const v = JSON.parse(fs.readFileSync(file, 'utf8'));
      const ok = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
      assert.equal(ok, !v.wantErr, `${path.relative(vectorsDir, file)}: ${v.desc}`);
      if (ok) accepted++;
    }
    assert.equal(accepted, 6);
  });

  it('accepts every valid consistency proof and rejects every mutated one', () => {
    const files = vectorFiles('consistency');
    assert.equal(files.length, 98);
    let accepted = 0;
    for (const file of files) {
      const v = JSON.parse(fs.readFileSync(file, 'utf8'));
      const ok = verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
      assert.equal(ok, !v.wantErr, `${path.relative(vectorsDir, file)}: ${v.desc}`);
      if (ok) accepted++;
    }
    assert.equal(accepted, 6);
  });

  it('rejects a consistency proof from the empty tree', () => {
    assert.equal(verifyConsistency(0, 0, [], emptyRoot, emptyRoot), false);
    assert.equal(verifyConsistency(0, 1, [hashLeaf(Buffer.from('a'))], emptyRoot, hashLeaf(Buffer.from('a'))), false);
  });
});

// The oracle: RFC 9162 §2.1 written as plain recursion over all leaves.
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return emptyRoot;
  if (leaves.length === 1) return leaves[0]!;
  const k = 2 ** Math.ceil(Math.log2(leaves.length) - 1);
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function naivePath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = 2 ** Math.ceil(Math.log2(leaves.length) - 1);
  return m < k
    ? [...naivePath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...naivePath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

function naiveSubproof(m: number, leaves: Buffer[], whole: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return whole ? [] : [mth(leaves)];
  const k = 2 ** Math.ceil(Math.log2(n) - 1);
  return m <= k
    ? [...naiveSubproof(m, leaves.slice(0, k), whole), mth(leaves.slice(k))]
    : [...naiveSubproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

/** A reader over a list of leaves that refuses nodes not complete at `size`, as a store would not have them. */
function readerOver(leaves: Buffer[], size: number, calls: NodeId[][] = []): NodeReader {
  return async (ids) => {
    calls.push([...ids]);
    return ids.map(({ level, index }) => {
      const begin = index * 2 ** level;
      const end = begin + 2 ** level;
      assert.ok(end <= size, `node ${level}/${index} is not complete at size ${size}`);
      return mth(leaves.slice(begin, end));
    });
  };
}

function randomLeaves(n: number): Buffer[] {
  return Array.from({ length: n }, () => hashLeaf(crypto.randomBytes(8)));
}

describe('Merkle tree against the naive oracle', () => {
  const leaves = randomLeaves(300);
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 300, ...Array.from({ length: 20 }, () => 1 + crypto.randomInt(300))];

  it('computes the root from stored subtrees and from a frontier', async () => {
    for (let size = 0; size <= 300; size++) {
      const want = mth(leaves.slice(0, size));
      assert.deepEqual(await rootAt(size, readerOver(leaves, size)), want, `size ${size}`);
      const frontier = Frontier.empty();
      for (const leaf of leaves.slice(0, size)) frontier.append(leaf);
      assert.deepEqual(frontier.root(), want, `frontier size ${size}`);
    }
  });

  it('reports each completed node once, with the hash the oracle gives', () => {
    const frontier = Frontier.empty();
    const seen = new Map<string, Buffer>();
    for (const leaf of leaves.slice(0, 37)) frontier.append(leaf, (level, index, hash) => {
      assert.ok(!seen.has(`${level}/${index}`));
      seen.set(`${level}/${index}`, hash);
    });
    // 37 leaves complete 37 + 18 + 9 + 4 + 2 + 1 perfect subtrees.
    assert.equal(seen.size, 71);
    assert.deepEqual(seen.get('5/0'), mth(leaves.slice(0, 32)));
    assert.deepEqual(seen.get('2/8'), mth(leaves.slice(32, 36)));
  });

  it('resumes a frontier from the stored edge of the tree', async () => {
    const size = 150;
    const edge = perfectSubtrees(0, size);
    assert.deepEqual(edge, [{ level: 7, index: 0 }, { level: 4, index: 8 }, { level: 2, index: 36 }, { level: 1, index: 74 }]);
    const frontier = Frontier.fromSubtrees(size, await readerOver(leaves, size)(edge));
    for (const leaf of leaves.slice(size, 300)) frontier.append(leaf);
    assert.deepEqual(frontier.root(), mth(leaves));
  });

  it('builds inclusion proofs equal to RFC 9162 PATH that verify, in one read each', async () => {
    for (const size of sizes) {
      const root = mth(leaves.slice(0, size));
      for (const index of new Set([0, size - 1, crypto.randomInt(size), crypto.randomInt(size)])) {
        const calls: NodeId[][] = [];
        const proof = await inclusionProof(index, size, readerOver(leaves, size, calls));
        assert.deepEqual(proof, naivePath(index, leaves.slice(0, size)), `path ${index}/${size}`);
        assert.ok(calls.length <= 1);
        assert.equal(verifyInclusion(index, size, leaves[index]!, proof, root), true);
        assert.equal(verifyInclusion(index, size, leaves[(index + 1) % 300]!, proof, root), false);
        if (proof.length) assert.equal(verifyInclusion(index, size, leaves[index]!, proof.slice(1), root), false);
      }
    }
  });

  it('builds consistency proofs equal to RFC 9162 PROOF that verify', async () => {
    for (const size2 of sizes) {
      const root2 = mth(leaves.slice(0, size2));
      for (const size1 of new Set([1, size2, 1 + crypto.randomInt(size2), 1 + crypto.randomInt(size2)])) {
        const proof = await consistencyProof(size1, size2, readerOver(leaves, size2));
        assert.deepEqual(proof, naiveSubproof(size1, leaves.slice(0, size2), true), `proof ${size1}→${size2}`);
        const root1 = mth(leaves.slice(0, size1));
        assert.equal(verifyConsistency(size1, size2, proof, root1, root2), true);
        if (size1 < size2) {
          assert.equal(verifyConsistency(size1, size2, proof, root2, root2), false);
          assert.equal(verifyConsistency(size1, size2, proof, root1, root1), false);
        }
      }
    }
  });

  it('refuses proofs outside the tree', async () => {
    const read = readerOver(leaves, 10);
    await assert.rejects(inclusionProof(10, 10, read), RangeError);
    await assert.rejects(inclusionProof(-1, 10, read), RangeError);
    await assert.rejects(consistencyProof(0, 10, read), RangeError);
    await assert.rejects(consistencyProof(11, 10, read), RangeError);
    assert.deepEqual(await consistencyProof(10, 10, read), []);
  });
});
