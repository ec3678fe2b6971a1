/**
 * RFC 9162 (RFC 6962) Merkle tree hashing, proofs and their verification. Pure: proof builders are handed
 * a node reader, so they work over whatever stores the nodes and never rehash leaves.
 *
 * A node is named by (level, index): the perfect subtree of 2^level leaves starting at leaf index·2^level.
 * Level 0 nodes are the leaf hashes. Sizes and indexes are plain numbers (safe integers, up to 2^53), so
 * the arithmetic below avoids 32-bit bitwise operators.
 */
import crypto from 'node:crypto';

export const hashSize = 32;

/** RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  return crypto.hash('sha256', Buffer.concat([Buffer.of(0x00), data]), 'buffer');
}

// One-shot hashing of one buffer is markedly faster than three update() calls; hashing is synchronous, so
// a single scratch buffer serves every call.
const nodeInput = Buffer.alloc(1 + 2 * hashSize, 0x01);

/** RFC 9162 §2.1.1: interior node = SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== hashSize || right.length !== hashSize)
    return crypto.hash('sha256', Buffer.concat([Buffer.of(0x01), left, right]), 'buffer');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + hashSize);
  return crypto.hash('sha256', nodeInput, 'buffer');
}

/** Root of the empty tree: SHA-256 of no bytes. */
export const emptyRoot: Buffer = crypto.createHash('sha256').digest();

export interface NodeId {
  level: number;
  index: number;
}

/**
 * Reads stored nodes, one hash per id in the same order. It MUST only be asked for perfect subtrees that are
 * complete in the tree being proved, and MUST return the stored hash of each.
 */
export type NodeReader = (ids: readonly NodeId[]) => Promise<readonly Uint8Array[]>;

const pow2 = Array.from({ length: 54 }, (_, level) => 2 ** level);
const two32 = 2 ** 32;

/** floor(log2(n)) for a positive safe integer (32-bit helpers only see the low word, hence the split). */
function log2Floor(n: number): number {
  const high = Math.floor(n / two32);
  return high > 0 ? 63 - Math.clz32(high) : 31 - Math.clz32(n);
}

/** Exponent of the largest power of two dividing a positive safe integer. */
function trailingZeros(n: number): number {
  const low = n >>> 0;
  if (low !== 0) return 31 - Math.clz32(low & -low);
  const high = Math.floor(n / two32);
  return 63 - Math.clz32(high & -high);
}

/** Largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
const splitPoint = (n: number) => pow2[log2Floor(n - 1)]!;

/**
 * The perfect subtrees covering leaves [begin, end), left to right, each as large as its alignment allows.
 * For the ranges a Merkle tree is made of (the whole tree, and every subtree of RFC 9162's recursive split)
 * these are descending in size, so folding them from the right gives the range's Merkle tree hash.
 */
export function perfectSubtrees(begin: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  while (begin < end) {
    const fits = log2Floor(end - begin);
    const level = begin === 0 ? fits : Math.min(fits, trailingZeros(begin));
    ids.push({ level, index: begin / pow2[level]! });
    begin += pow2[level]!;
  }
  return ids;
}

/** Merkle tree hash of a range from its perfect subtrees (left to right, hashes[begin..end)), folded from the right. */
export function rootFromSubtrees(hashes: readonly Uint8Array[], begin = 0, end = hashes.length): Buffer {
  if (end <= begin) return emptyRoot;
  const last = hashes[end - 1]!;
  // A copy, so callers never hold a view into a reader's memory; allocUnsafe + set is the fast way to copy.
  let root: Buffer = Buffer.allocUnsafe(last.length);
  root.set(last);
  for (let i = end - 2; i >= begin; i--) root = hashChildren(hashes[i]!, root);
  return root;
}

/** Hashes of leaf ranges, fetched in one read. */
async function rangeHashes(ranges: readonly (readonly [number, number])[], read: NodeReader): Promise<Buffer[]> {
  const ids: NodeId[] = [];
  const ends: number[] = [];
  for (const [begin, end] of ranges) {
    for (const id of perfectSubtrees(begin, end)) ids.push(id);
    ends.push(ids.length);
  }
  const hashes = await read(ids);
  return ends.map((end, i) => rootFromSubtrees(hashes, i === 0 ? 0 : ends[i - 1], end));
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/** Root hash of the tree of the first `size` leaves, from its stored perfect subtrees. */
export async function rootAt(size: number, read: NodeReader): Promise<Buffer> {
  assertSize('size', size);
  const ids = perfectSubtrees(0, size);
  return rootFromSubtrees(ids.length ? await read(ids) : []);
}

/** RFC 9162 §2.1.3.1: audit path for leaf `index` in the tree of `size` leaves, bottom first. */
export async function inclusionProof(index: number, size: number, read: NodeReader): Promise<Buffer[]> {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new RangeError(`index ${index} is not below size ${size}`);
  // Walk down the recursive split, keeping the sibling range at each level; the path lists them bottom up.
  const siblings: [number, number][] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = begin + splitPoint(end - begin);
    if (index < k) {
      siblings.push([k, end]);
      end = k;
    } else {
      siblings.push([begin, k]);
      begin = k;
    }
  }
  return rangeHashes(siblings.reverse(), read);
}

/** RFC 9162 §2.1.4.1: proof that the tree of size `from` is a prefix of the tree of size `to` (0 < from ≤ to). */
export async function consistencyProof(from: number, to: number, read: NodeReader): Promise<Buffer[]> {
  assertSize('from', from);
  assertSize('to', to);
  if (from === 0 || from > to) throw new RangeError(`no consistency proof from size ${from} to ${to}`);
  // SUBPROOF(m, D[begin:end], whole): `whole` stays true while the range starts at leaf 0, where the old
  // root is already known to the verifier and is left out.
  const parts: [number, number][] = [];
  let begin = 0;
  let end = to;
  let whole = true;
  while (from !== end) {
    const k = begin + splitPoint(end - begin);
    if (from <= k) {
      parts.push([k, end]);
      end = k;
    } else {
      parts.push([begin, k]);
      begin = k;
      whole = false;
    }
  }
  if (!whole) parts.push([begin, end]);
  return rangeHashes(parts.reverse(), read);
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` show `leafHash` at `index` in the tree of `size` leaves with `root`? */
export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leafHash.length !== hashSize) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show the tree of `size1` leaves with `root1` to be a prefix of the tree of
 * `size2` leaves with `root2`? A proof from the empty tree proves nothing and is refused.
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 <= 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (proof.length === 0) return false;
  // When size1 is a power of two the old root is itself a node of the new tree and the proof starts above it.
  const path = Number.isInteger(Math.log2(size1)) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/**
 * The right edge of a growing tree (one hash per set bit of its size), enough to append leaves and compute the
 * root with O(log n) memory. `onNode` sees every perfect subtree completed by an append, leaves included, so the
 * sequencer can store them and the verifier can compare them.
 */
export class Frontier {
  private constructor(
    private size_: number,
    private readonly edge: Buffer[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** Resumes from the hashes of `perfectSubtrees(0, size)`, left to right. */
  static fromSubtrees(size: number, hashes: readonly Uint8Array[]): Frontier {
    if (perfectSubtrees(0, size).length !== hashes.length) throw new RangeError(`a tree of size ${size} needs ${perfectSubtrees(0, size).length} edge hashes`);
    return new Frontier(size, hashes.map((h) => Buffer.from(h)));
  }

  get size(): number {
    return this.size_;
  }

  append(leafHash: Buffer, onNode?: (level: number, index: number, hash: Buffer) => void): void {
    let node = leafHash;
    let level = 0;
    let index = this.size_;
    onNode?.(level, index, node);
    while (isOdd(index)) {
      node = hashChildren(this.edge.pop()!, node);
      level++;
      index = (index - 1) / 2;
      onNode?.(level, index, node);
    }
    this.edge.push(node);
    this.size_++;
  }

  root(): Buffer {
    return rootFromSubtrees(this.edge);
  }
}
