import crypto from 'node:crypto';
import type { Queryable } from '../db/index.ts';

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

export interface EntryRow {
  leaf_index: number;
  actor_kind: string;
  actor_id: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  purpose: string | null;
  payload_hash: Buffer;
  recorded_at: Date;
}

export const entryColumns = 'leaf_index, actor_kind, actor_id, action, object_type, object_id, purpose, payload_hash, recorded_at';

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

/**
 * The text a leaf hash covers: leaf hash = SHA-256(0x00 || UTF-8 of this text). Outside verifiers recompute
 * it, so it MUST NOT change; docs/ledger.md states the same. It is a JSON array without whitespace, strings
 * escaped as JSON.stringify (and RFC 8785) does:
 *   [index, actor kind, actor id, action, object type|null, object id|null, purpose|null,
 *    payload hash as 64 lowercase hex digits, recorded at as ISO 8601 UTC with milliseconds]
 * e.g. [7,"staff","42","hotline.ticket.returned","ticket","T-1",null,"1f8a…62c1","2025-03-01T08:30:00.000Z"]
 * (docs/ledger.md works this example through to its leaf hash).
 */
export function leafText(row: EntryRow): string {
  return JSON.stringify([
    row.leaf_index, row.actor_kind, row.actor_id, row.action, row.object_type, row.object_id, row.purpose,
    row.payload_hash.toString('hex'), row.recorded_at.toISOString(),
  ]);
}

/** RFC 9162 leaf hash of an entry. U+0000 encodes as the single byte 0x00, so hashing the string is exact. */
export const entryLeafHash = (row: EntryRow): Buffer => crypto.hash('sha256', `\u0000${leafText(row)}`, 'buffer');

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
