import type { Queryable } from '../db/index.ts';
import { entryColumns, entryLeafHash, type EntryRow } from './entry.ts';

/** A sequenced ledger entry: who did what to which object, why and when, and the hash of what was done. */
export interface LedgerEntry {
  index: number;
  actor: { kind: string; id: string };
  action: string;
  object: { type: string; id: string } | null;
  purpose: string | null;
  /** SHA-256 of the canonical JSON of the payload, lowercase hex. */
  payloadHash: string;
  recordedAt: Date;
  /** Leaf hash of the entry as it is stored now, base64; a proof for it verifies only if it was not changed. */
  leafHash: string;
}

export function entryFromRow(row: EntryRow): LedgerEntry {
  return {
    index: row.leaf_index,
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    // The tables require both or neither.
    object: row.object_type === null || row.object_id === null ? null : { type: row.object_type, id: row.object_id },
    purpose: row.purpose,
    payloadHash: row.payload_hash.toString('hex'),
    recordedAt: row.recorded_at,
    leafHash: entryLeafHash(row).toString('base64'),
  };
}

/** One sequenced entry, or null when no entry has that index yet. */
export async function getEntry(db: Queryable, index: number): Promise<LedgerEntry | null> {
  const { rows } = await db.query<EntryRow>(`SELECT ${entryColumns} FROM ledger_entries WHERE leaf_index = $1`, [index]);
  return rows[0] ? entryFromRow(rows[0]) : null;
}

export interface EntryPage {
  /** Number of sequenced entries. */
  size: number;
  entries: LedgerEntry[];
}

/**
 * A page of entries for the explorer: newest first from `from` (default: the newest) downwards, or oldest
 * first from `from` (default 0) upwards.
 */
export async function listEntries(db: Queryable, opts: { from?: number; limit: number; order?: 'asc' | 'desc' }): Promise<EntryPage> {
  const { rows: [count] } = await db.query<{ size: number }>('SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM ledger_entries');
  const size = count!.size;
  const desc = (opts.order ?? 'desc') === 'desc';
  const from = opts.from ?? (desc ? size - 1 : 0);
  const { rows } = await db.query<EntryRow>(
    `SELECT ${entryColumns} FROM ledger_entries WHERE leaf_index ${desc ? '<=' : '>='} $1
     ORDER BY leaf_index ${desc ? 'DESC' : 'ASC'} LIMIT $2`,
    [from, opts.limit],
  );
  return { size, entries: rows.map(entryFromRow) };
}
