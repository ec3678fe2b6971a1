/**
 * The sequencer: the one writer of the tree. Commands only queue entries (fast, inside their own
 * transaction); the sequencer numbers a batch of them, extends the tree, stores the new nodes and signs a
 * checkpoint, all in one transaction, as Tessera separates sequencing from integration.
 */
import { withTransaction, type Db, type Queryable, type Tx } from '../db/index.ts';
import { startBatchLoop } from '../jobs/index.ts';
import { entryColumns, entryLeafHash, type EntryRow } from './entry.ts';
import { ledgerSigner } from './keys.ts';
import { Frontier, perfectSubtrees } from './merkle.ts';
import { checkpointText, signNote, type NoteSigner } from './note.ts';
import { chunkOf, chunksOf, nodeInChunk, nodesPerChunk, readChunks, writeChunks, type Chunk } from './tree.ts';

// Held for the whole integration transaction, so two processes never extend the tree at once.
const sequencerLock = 7105;
const defaultBatchSize = 4096;

/** The right edge of the stored tree of `size` leaves: its frontier and the last, growing chunk of each level. */
async function loadEdge(tx: Tx, size: number): Promise<{ frontier: Frontier; tails: Map<number, Buffer> }> {
  const lastChunks = [];
  for (let level = 0; Math.floor(size / 2 ** level) > 0; level++) lastChunks.push(chunkOf({ level, index: Math.floor(size / 2 ** level) - 1 }));
  const tails = new Map((await readChunks(tx, lastChunks)).map((c) => [c.level, c.hashes]));
  const edge = perfectSubtrees(0, size).map((id) => {
    const hash = nodeInChunk(tails.get(id.level), id);
    if (!hash) throw new Error(`ledger node ${id.level}/${id.index} is not stored; the tree cannot be extended`);
    return hash;
  });
  return { frontier: Frontier.fromSubtrees(size, edge), tails };
}

/**
 * Integrates up to `maxEntries` queued entries, in queue order, and signs a checkpoint of the new tree.
 * The first call on an empty log signs the checkpoint of the empty tree. Safe to call from several
 * processes: they take turns.
 */
export async function integrateBatch(db: Db, signer?: NoteSigner, opts: { maxEntries?: number } = {}): Promise<{ integrated: number; size: number }> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [sequencerLock]);
    const { rows: [last] } = await tx.query<{ size: number }>('SELECT size FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
    const size = last?.size ?? 0;
    const { rows } = await tx.query<EntryRow>(
      `WITH batch AS (
         DELETE FROM ledger_queue WHERE id IN (SELECT id FROM ledger_queue ORDER BY id LIMIT $2) RETURNING *)
       INSERT INTO ledger_entries (${entryColumns}, facts)
       SELECT $1::bigint + row_number() OVER (ORDER BY id) - 1, actor_kind, actor_id, action, object_type, object_id,
              purpose, payload_hash, recorded_at, facts
       FROM batch
       RETURNING ${entryColumns}`,
      [size, opts.maxEntries ?? defaultBatchSize],
    );
    if (rows.length === 0 && last) return { integrated: 0, size };
    rows.sort((a, b) => a.leaf_index - b.leaf_index);

    const { frontier, tails } = await loadEdge(tx, size);
    // New nodes per level, consecutive from the first one this batch completes at that level.
    const added = new Map<number, { first: number; hashes: Buffer[] }>();
    for (const row of rows) {
      frontier.append(entryLeafHash(row), (level, index, hash) => {
        const run = added.get(level);
        if (run) run.hashes.push(hash);
        else added.set(level, { first: index, hashes: [hash] });
      });
    }
    const chunks: Chunk[] = [];
    for (const [level, { first, hashes }] of added) {
      // A level whose last chunk is partly filled continues it; otherwise the new nodes start a chunk.
      const head = first % nodesPerChunk === 0 ? [] : [tails.get(level)!];
      chunks.push(...chunksOf(level, first - (first % nodesPerChunk), Buffer.concat([...head, ...hashes])));
    }
    await writeChunks(tx, chunks);

    const noteSigner = signer ?? (await ledgerSigner(tx));
    const rootHash = frontier.root();
    const note = signNote(checkpointText({ origin: noteSigner.name, size: frontier.size, rootHash }), noteSigner);
    await tx.query('INSERT INTO ledger_checkpoints (size, root_hash, note, signed_at) VALUES ($1, $2, $3, clock_timestamp())',
      [frontier.size, rootHash, note]);
    return { integrated: rows.length, size: frontier.size };
  });
}

export interface SequencerOptions {
  /** Pause between runs when the queue is drained; default 200 ms. */
  intervalMs?: number;
  /** Checkpoint signer; default the installation's key under the configured origin. */
  signer?: NoteSigner;
  maxEntries?: number;
  /** Called when a run fails; the sequencer carries on after a pause that grows while runs keep failing. */
  onError?: (error: unknown) => void;
}

export interface Sequencer {
  /** Integrates everything queued so far; resolves once it is signed. */
  flush(): Promise<void>;
  /** Finishes the batch under way and stops. */
  stop(): Promise<void>;
}

/**
 * Runs the sequencer in this process: at once, then every `intervalMs`, and straight again while a full
 * batch shows a backlog, so a checkpoint is signed well within a second of an entry being queued.
 */
export function startSequencer(db: Db, opts: SequencerOptions = {}): Sequencer {
  const maxEntries = opts.maxEntries ?? defaultBatchSize;
  const loop = startBatchLoop({
    batch: async () => (await integrateBatch(db, opts.signer, { maxEntries })).integrated, batchSize: maxEntries,
    intervalMs: opts.intervalMs ?? 200, onError: opts.onError ?? ((error: unknown) => console.error('ledger sequencer:', error)),
  });
  return { flush: loop.drain, stop: loop.stop };
}

export interface LedgerLag {
  /** Entries queued but not yet integrated and signed (counted up to 1,000,000). */
  queued: number;
  /** How long the oldest of them has waited, in seconds; 0 when none waits. */
  oldestSeconds: number;
}

/** How far the sequencer is behind: a growing lag means entries stay unsigned (the sequencer is down or stuck). */
export async function ledgerLag(db: Queryable): Promise<LedgerLag> {
  const { rows: [lag] } = await db.query<LedgerLag>(`SELECT
      (SELECT count(*) FROM (SELECT 1 FROM ledger_queue LIMIT 1000000) q)::int AS queued,
      coalesce(extract(epoch FROM clock_timestamp() - (SELECT queued_at FROM ledger_queue ORDER BY id LIMIT 1)), 0)::float8 AS "oldestSeconds"`);
  return lag!;
}
