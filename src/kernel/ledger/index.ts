import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { prepared, type Queryable } from '../db/index.ts';

export interface LedgerEntryInput {
  actor: Pick<Actor, 'kind' | 'id'>;
  action: string;
  object?: { type: string; id: string | number };
  purpose?: string;
  /** What was done, hashed into the entry; the content itself stays in the module's own tables. */
  payload?: unknown;
  at?: Date;
}

/** JSON with object keys sorted, so that equal payloads hash equally whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  ) ?? 'null';
}

export const payloadHash = (payload: unknown) => crypto.createHash('sha256').update(canonicalJson(payload ?? null)).digest();

/**
 * Queues ledger entries, one or several in one statement (in the order given). MUST be called with the
 * transaction of the change they record, so the change and its evidence commit or roll back together; the
 * sequencer gives each an index a moment later.
 */
export async function appendToLedger(tx: Queryable, entries: LedgerEntryInput | readonly LedgerEntryInput[]): Promise<void> {
  const list: readonly LedgerEntryInput[] = Array.isArray(entries) ? entries : [entries as LedgerEntryInput];
  const params: unknown[] = [];
  const rows = list.map((entry) => {
    params.push(entry.actor.kind, entry.actor.id, entry.action, entry.object?.type ?? null,
      entry.object === undefined ? null : String(entry.object.id), entry.purpose ?? null, payloadHash(entry.payload), entry.at ?? new Date());
    return `(${Array.from({ length: 8 }, (_, i) => `$${params.length - 7 + i}`).join(', ')})`;
  });
  await tx.query(prepared(
    `INSERT INTO ledger_queue (actor_kind, actor_id, action, object_type, object_id, purpose, payload_hash, recorded_at)
     VALUES ${rows.join(', ')}`, params));
}

export { ledgerActionLabels, registerLedgerActions, type ActionLabels } from './actions.ts';
export { getEntry, listEntries, type EntryPage, type LedgerEntry } from './entries.ts';
export { ledgerSigner, ledgerVerifierKey } from './keys.ts';
export { verifierKeyText, parseVerifierKey, openNote, parseCheckpointText, type NoteSigner } from './note.ts';
export { integrateBatch, startSequencer, type Sequencer, type SequencerOptions } from './sequencer.ts';
export {
  consistencyProofFor, inclusionProofFor, latestCheckpoint,
  type Checkpoint, type ConsistencyProof, type InclusionProof,
} from './tree.ts';
export { verifyConsistency, verifyInclusion } from './merkle.ts';
export { verifyLedger, type LedgerVerification, type VerifyOptions } from './verify.ts';
