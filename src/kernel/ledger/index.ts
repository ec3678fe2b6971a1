/**
 * The kernel ledger. A change enters it one way: `appendToLedger` for a command's entries on its transaction,
 * `ledgerQueueSql` for entries queued by the statement that writes the change (docs/ledger.md says which
 * when). Both queue the columns `queuedValues` makes of an entry (entry.ts), the one definition of its bytes.
 */
export { appendToLedger, ledgerQueueSql, type LedgerStatementEntry } from './append.ts';
export { canonicalJson, jurisdictionFactNames, jurisdictionFacts, payloadHash, type LedgerEntryInput } from './entry.ts';
export { getEntry, listEntries, type LedgerEntry } from './entries.ts';
export { ledgerVerifierKey } from './keys.ts';
export { verifierKeyText, parseVerifierKey, openNote, parseCheckpointText } from './note.ts';
export { integrateBatch, ledgerLag, startSequencer, type LedgerLag, type Sequencer } from './sequencer.ts';
export { startSequencerThread } from './sequencer-thread.ts';
export { consistencyProofFor, inclusionProofFor, latestCheckpoint, type Checkpoint } from './tree.ts';
export { verifyConsistency, verifyInclusion } from './merkle.ts';
export { verifyLedger } from './verify.ts';
export { LedgerEntrySchema } from './api-schemas.ts';
