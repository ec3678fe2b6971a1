/**
 * Full audit of the ledger: recompute every leaf from the entry rows, rebuild the tree and check it against
 * the signed checkpoints. Streams through cursors with an O(log n) frontier, so memory does not grow with
 * the log.
 */
import type { Db, Tx } from '../db/index.ts';
import { entryColumns, entryLeafHash, type EntryRow } from './entry.ts';
import { ledgerVerifierKey } from './keys.ts';
import { Frontier } from './merkle.ts';
import { openNote, parseCheckpointText, parseVerifierKey } from './note.ts';
import { nodeInChunk, nodesPerChunk } from './tree.ts';

export type LedgerVerification =
  | { ok: true; size: number }
  /** firstBadIndex is null when the fault is in the checkpoint itself rather than in an entry. */
  | { ok: false; firstBadIndex: number | null; reason: string };

export interface VerifyOptions {
  /** Called after each page of entries with how many are verified so far. */
  onProgress?: (verified: number, size: number) => void;
  /**
   * The verifier key to trust, as published (`<name>+<hash>+<key>`). Default: the key stored in this
   * database, which catches edits to rows but not someone who also replaced the key.
   */
  verifierKey?: string;
}

const entriesPerFetch = 10_000;

/** Pages of a cursor, fetching the next page while the caller works on the current one. */
async function* pages<T>(tx: Tx, cursor: string, pageSize: number): AsyncGenerator<T[]> {
  const fetch = () => {
    const page = tx.query(`FETCH ${pageSize} FROM ${cursor}`);
    page.catch(() => undefined); // an abandoned prefetch must not become an unhandled rejection
    return page;
  };
  let next = fetch();
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) return;
    next = fetch();
    yield rows as T[];
  }
}

/** Items of a cursor, one at a time. */
async function* items<T>(tx: Tx, cursor: string, pageSize: number): AsyncGenerator<T> {
  for await (const page of pages<T>(tx, cursor, pageSize)) yield* page;
}

/**
 * Checks that the log is exactly what its latest checkpoint signed: the signature, then every entry in index
 * order. Names the first entry whose row no longer matches its stored leaf hash; when rows and nodes were
 * both rewritten, names the first index after the last checkpoint that still matches.
 */
export async function verifyLedger(db: Db, opts: VerifyOptions = {}): Promise<LedgerVerification> {
  const client = await db.connect();
  try {
    // One snapshot: the sequencer may go on integrating, but we see the log as it was at one checkpoint.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return await verifySnapshot(db, client, opts);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined); // a read-only snapshot: nothing to undo if the client is gone
    client.release();
  }
}

async function verifySnapshot(db: Db, tx: Tx, opts: VerifyOptions): Promise<LedgerVerification> {
  const { rows: [latest] } = await tx.query<{ size: number; root_hash: Buffer; note: string }>(
    'SELECT size, root_hash, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
  if (!latest) {
    const { rows: [any] } = await tx.query('SELECT 1 FROM ledger_entries LIMIT 1');
    return any ? { ok: false, firstBadIndex: 0, reason: 'entries exist but no checkpoint was signed' } : { ok: true, size: 0 };
  }
  const origin = latest.note.slice(0, latest.note.indexOf('\n'));
  const verifier = parseVerifierKey(opts.verifierKey ?? (await ledgerVerifierKey(db, origin)));
  const text = openNote(latest.note, verifier);
  if (text === null) return { ok: false, firstBadIndex: null, reason: `the checkpoint of size ${latest.size} is not signed by ${verifier.name}` };
  const signed = parseCheckpointText(text);
  if (!signed || signed.size !== latest.size || !signed.rootHash.equals(latest.root_hash))
    return { ok: false, firstBadIndex: null, reason: `the stored size or root of checkpoint ${latest.size} differs from its signed note` };

  const size = latest.size;
  await tx.query(`DECLARE entries NO SCROLL CURSOR FOR
    SELECT ${entryColumns} FROM ledger_entries WHERE leaf_index < ${size} ORDER BY leaf_index`);
  await tx.query('DECLARE leaves NO SCROLL CURSOR FOR SELECT chunk, hashes FROM ledger_nodes WHERE level = 0 ORDER BY chunk');
  await tx.query(`DECLARE checkpoints NO SCROLL CURSOR FOR
    SELECT size, root_hash FROM ledger_checkpoints WHERE size > 0 AND size <= ${size} ORDER BY size`);
  const leafChunks = items<{ chunk: number; hashes: Buffer }>(tx, 'leaves', 64);
  const checkpoints = items<{ size: number; root_hash: Buffer }>(tx, 'checkpoints', 1000);

  const frontier = Frontier.empty();
  let leafChunk: { chunk: number; hashes: Buffer } | undefined;
  let checkpoint = (await checkpoints.next()).value;
  // The end of the last checkpoint that the rebuilt tree matched: entries before it are vouched for.
  let vouchedSize = 0;
  for await (const page of pages<EntryRow>(tx, 'entries', entriesPerFetch)) {
    for (const row of page) {
      const index = frontier.size;
      if (row.leaf_index !== index) return { ok: false, firstBadIndex: index, reason: `entry ${index} is missing` };
      while (leafChunk === undefined || leafChunk.chunk < Math.floor(index / nodesPerChunk))
        leafChunk = (await leafChunks.next()).value ?? { chunk: Infinity, hashes: Buffer.alloc(0) };
      const leaf = entryLeafHash(row);
      const stored = leafChunk.chunk === Math.floor(index / nodesPerChunk) ? nodeInChunk(leafChunk.hashes, { level: 0, index }) : undefined;
      if (!stored || !leaf.equals(stored))
        return { ok: false, firstBadIndex: index, reason: `entry ${index} does not match the leaf hash it was sequenced with` };
      frontier.append(leaf);
      if (checkpoint && checkpoint.size === frontier.size) {
        if (!frontier.root().equals(checkpoint.root_hash))
          return {
            ok: false, firstBadIndex: vouchedSize,
            reason: `entries ${vouchedSize}–${checkpoint.size - 1} do not give the root of the checkpoint of size ${checkpoint.size}`,
          };
        vouchedSize = checkpoint.size;
        checkpoint = (await checkpoints.next()).value;
      }
    }
    opts.onProgress?.(frontier.size, size);
  }
  if (frontier.size < size) return { ok: false, firstBadIndex: frontier.size, reason: `entry ${frontier.size} is missing` };
  return { ok: true, size };
}
