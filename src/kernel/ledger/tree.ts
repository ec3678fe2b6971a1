/**
 * The stored tree: node chunks (see migrations/0005_ledger.sql), checkpoints, and proofs read from them.
 */
import type { Queryable } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { consistencyProof, hashSize, inclusionProof, type NodeId, type NodeReader } from './merkle.ts';

export const nodesPerChunk = 256;
const chunkBytes = nodesPerChunk * hashSize;
// Chunks kept in memory per database: 8192 of at most 8 KiB, all of a 1,000,000-entry tree.
const cachedChunksMax = 8192;

export interface ChunkKey {
  level: number;
  chunk: number;
}

export interface Chunk extends ChunkKey {
  hashes: Buffer;
}

export const chunkOf = (id: NodeId): ChunkKey => ({ level: id.level, chunk: Math.floor(id.index / nodesPerChunk) });
const keyOf = ({ level, chunk }: ChunkKey) => `${level}/${chunk}`;

/** The 32-byte hash of node `id` within its chunk, or undefined when the chunk does not reach it yet. */
export function nodeInChunk(hashes: Buffer | undefined, id: NodeId): Buffer | undefined {
  const at = (id.index % nodesPerChunk) * hashSize;
  return hashes && hashes.length >= at + hashSize ? hashes.subarray(at, at + hashSize) : undefined;
}

/** Reads the given chunks as stored; the map has no entry for a chunk not stored. */
export async function readChunks(db: Queryable, keys: readonly ChunkKey[]): Promise<Map<string, Buffer>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<Chunk>(
    `SELECT n.level, n.chunk, n.hashes FROM ledger_nodes n
     JOIN unnest($1::smallint[], $2::bigint[]) AS k (level, chunk) ON n.level = k.level AND n.chunk = k.chunk`,
    [keys.map((k) => k.level), keys.map((k) => k.chunk)],
  );
  return new Map(rows.map((r) => [keyOf(r), r.hashes]));
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
  chunks: Map<string, Buffer>;
  checkpointedSize: number;
}

const memories = new WeakMap<Queryable, LedgerMemory>();

function memoryOf(db: Queryable): LedgerMemory {
  let memory = memories.get(db);
  if (!memory) memories.set(db, (memory = { chunks: new Map(), checkpointedSize: 0 }));
  return memory;
}

/** A node reader over the stored chunks, with the most recently used ones kept in memory. */
export function storedNodes(db: Queryable): NodeReader {
  const { chunks: cache } = memoryOf(db);
  return async (ids) => {
    const found = new Map<string, Buffer>();
    const missing = new Map<string, ChunkKey>();
    for (const id of ids) {
      const key = keyOf(chunkOf(id));
      const cached = cache.get(key);
      if (cached && nodeInChunk(cached, id)) {
        // Map order is insertion order: moving a chunk to the end makes the first one the least recently used.
        cache.delete(key);
        cache.set(key, cached);
        found.set(key, cached);
      } else {
        missing.set(key, chunkOf(id));
      }
    }
    for (const [key, hashes] of await readChunks(db, [...missing.values()])) {
      found.set(key, hashes);
      cache.delete(key);
      cache.set(key, hashes);
      if (cache.size > cachedChunksMax) cache.delete(cache.keys().next().value!);
    }
    return ids.map((id) => {
      const hash = nodeInChunk(found.get(keyOf(chunkOf(id))), id);
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
  const [[leaf], proof] = await Promise.all([read([{ level: 0, index }]), inclusionProof(index, size, read)]);
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
