/**
 * The stored tree: node chunks (see migrations/0005_ledger.sql), checkpoints, and proofs read from them.
 */
import type { Queryable } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { consistencyProof, hashSize, inclusionProof, type NodeId, type NodeReader } from './merkle.ts';

export const nodesPerChunk = 256;
const chunkBytes = nodesPerChunk * hashSize;
// Chunks kept in memory per database: 8192 of at most 8 KiB, all of a 1,000,000-entry tree (about 7,800).
const cachedChunksMax = 8192;

export interface ChunkKey {
  level: number;
  chunk: number;
}

export interface Chunk extends ChunkKey {
  hashes: Buffer;
}

export const chunkOf = (id: NodeId): ChunkKey => ({ level: id.level, chunk: Math.floor(id.index / nodesPerChunk) });

/** The 32-byte hash of node `id` within its chunk, or undefined when the chunk does not reach it yet. */
export function nodeInChunk(hashes: Buffer | undefined, id: NodeId): Uint8Array | undefined {
  const at = (id.index % nodesPerChunk) * hashSize;
  // A plain view: far cheaper than Buffer#subarray, and proofs take thousands of these a second.
  return hashes && hashes.length >= at + hashSize ? new Uint8Array(hashes.buffer, hashes.byteOffset + at, hashSize) : undefined;
}

/** Reads the given chunks as stored; a chunk not stored is left out. */
export async function readChunks(db: Queryable, keys: readonly ChunkKey[]): Promise<Chunk[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<Chunk>(
    `SELECT n.level, n.chunk, n.hashes FROM ledger_nodes n
     JOIN unnest($1::smallint[], $2::bigint[]) AS k (level, chunk) ON n.level = k.level AND n.chunk = k.chunk`,
    [keys.map((k) => k.level), keys.map((k) => k.chunk)],
  );
  return rows;
}

/** Stores chunks whole, replacing the stored ones; a chunk only ever grows, so nothing a proof used changes. */
export async function writeChunks(db: Queryable, chunks: readonly Chunk[]): Promise<void> {
  if (chunks.length === 0) return;
  await db.query(
    `INSERT INTO ledger_nodes (level, chunk, hashes)
     SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
     ON CONFLICT (level, chunk) DO UPDATE SET hashes = excluded.hashes`,
    [chunks.map((c) => c.level), chunks.map((c) => c.chunk), chunks.map((c) => c.hashes)],
  );
}

/** Splits consecutive node hashes of one level, the first being node `first`, into chunks. */
export function chunksOf(level: number, first: number, hashes: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = 0; at < hashes.length; at += chunkBytes) {
    chunks.push({ level, chunk: Math.floor(first / nodesPerChunk) + at / chunkBytes, hashes: hashes.subarray(at, at + chunkBytes) });
  }
  return chunks;
}

/**
 * What one process remembers of a ledger database. Nodes never change once written and checkpoints only
 * grow, so neither can go stale: a cached chunk answers for the nodes it holds, a known size stays signed.
 */
interface LedgerMemory {
  /** Cached chunks per level, by chunk number. */
  levels: Map<number, Buffer>[];
  cachedChunks: number;
  checkpointedSize: number;
}

const memories = new WeakMap<Queryable, LedgerMemory>();

function memoryOf(db: Queryable): LedgerMemory {
  let memory = memories.get(db);
  if (!memory) memories.set(db, (memory = { levels: [], cachedChunks: 0, checkpointedSize: 0 }));
  return memory;
}

function remember(memory: LedgerMemory, { level, chunk, hashes }: Chunk): void {
  const chunks = (memory.levels[level] ??= new Map());
  if (!chunks.has(chunk)) memory.cachedChunks++;
  chunks.set(chunk, hashes);
  // Over the bound, forget the oldest chunks of the lowest level first: there are the most of them, and
  // each serves the fewest proofs.
  for (let l = 0; memory.cachedChunks > cachedChunksMax; l++) {
    const lowest = memory.levels[l];
    for (const oldest of lowest?.keys() ?? []) {
      if (memory.cachedChunks <= cachedChunksMax) break;
      lowest!.delete(oldest);
      memory.cachedChunks--;
    }
  }
}

/** A node reader over the stored chunks, keeping those it read in memory. */
export function storedNodes(db: Queryable): NodeReader {
  const memory = memoryOf(db);
  const cached = (id: NodeId) => nodeInChunk(memory.levels[id.level]?.get(Math.floor(id.index / nodesPerChunk)), id);
  return async (ids) => {
    const hashes = ids.map(cached);
    const missing = ids.filter((_, i) => !hashes[i]);
    if (missing.length === 0) return hashes as Uint8Array[];
    for (const chunk of await readChunks(db, missing.map(chunkOf))) remember(memory, chunk);
    return ids.map((id, i) => {
      const hash = hashes[i] ?? cached(id);
      if (!hash) throw new Error(`ledger node ${id.level}/${id.index} is not stored`);
      return hash;
    });
  };
}

export interface Checkpoint {
  size: number;
  /** base64 */
  rootHash: string;
  /** The C2SP signed note, as published. */
  note: string;
  signedAt: Date;
}

/** The newest signed checkpoint, or null before the sequencer first ran. */
export async function latestCheckpoint(db: Queryable): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ size: number; root_hash: Buffer; note: string; signed_at: Date }>(
    'SELECT size, root_hash, note, signed_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
  const row = rows[0];
  return row ? { size: row.size, rootHash: row.root_hash.toString('base64'), note: row.note, signedAt: row.signed_at } : null;
}

/** Refuses a tree size that no checkpoint has signed: proofs are only given for published trees. */
async function assertSigned(db: Queryable, size: number, field: string): Promise<void> {
  const memory = memoryOf(db);
  if (Number.isSafeInteger(size) && size > memory.checkpointedSize)
    memory.checkpointedSize = Math.max(memory.checkpointedSize, (await latestCheckpoint(db))?.size ?? 0);
  if (!Number.isSafeInteger(size) || size < 1 || size > memory.checkpointedSize)
    throw new DomainError('ledger.bad-size', { field, size, signedSize: memory.checkpointedSize },
      `${field} must be a tree size from 1 to ${memory.checkpointedSize}, the latest signed checkpoint`);
}

export interface InclusionProof {
  index: number;
  size: number;
  /** base64 */
  leafHash: string;
  /** base64, bottom first (RFC 9162 §2.1.3.1) */
  hashes: string[];
}

/** Inclusion proof of entry `index` in the signed tree of `size` entries, from stored nodes. */
export async function inclusionProofFor(db: Queryable, index: number, size: number): Promise<InclusionProof> {
  await assertSigned(db, size, 'size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new DomainError('ledger.bad-index', { field: 'index', index, size }, `index must be from 0 to ${size - 1}`);
  const read = storedNodes(db);
  const proof = await inclusionProof(index, size, read);
  // Read after the proof: the leaf shares a chunk with its sibling, which the proof has just cached.
  const [leaf] = await read([{ level: 0, index }]);
  return { index, size, leafHash: Buffer.from(leaf!).toString('base64'), hashes: proof.map((h) => h.toString('base64')) };
}

export interface ConsistencyProof {
  from: number;
  to: number;
  /** base64 (RFC 9162 §2.1.4.1) */
  hashes: string[];
}

/** Proof that the signed tree of `from` entries is a prefix of the signed tree of `to` entries. */
export async function consistencyProofFor(db: Queryable, from: number, to: number): Promise<ConsistencyProof> {
  await assertSigned(db, to, 'to');
  if (!Number.isSafeInteger(from) || from < 1 || from > to)
    throw new DomainError('ledger.bad-size', { field: 'from', from, to }, `from must be a tree size from 1 to ${to}`);
  const proof = await consistencyProof(from, to, storedNodes(db));
  return { from, to, hashes: proof.map((h) => h.toString('base64')) };
}
