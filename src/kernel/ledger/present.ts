import type { LedgerEntry } from './entries.ts';

/** An entry as the explorer shows it: everything the leaf hash covers, and the leaf hash to ask proofs for. */
export function presentEntry(entry: LedgerEntry) {
  return {
    index: entry.index,
    actor: { kind: entry.actor.kind, id: entry.actor.id },
    action: entry.action,
    object: entry.object && { type: entry.object.type, id: entry.object.id },
    purpose: entry.purpose,
    payloadHash: entry.payloadHash,
    recordedAt: entry.recordedAt.toISOString(),
    leafHash: entry.leafHash,
  };
}
