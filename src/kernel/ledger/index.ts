/**
 * The kernel ledger. A change enters it one way: `appendToLedger` for a command's entries on its transaction,
 * `ledgerQueueSql` for entries queued by the statement that writes the change (docs/ledger.md says which
 * when). Both queue the columns `queuedValues` makes of an entry (entry.ts), the one definition of its bytes.
 */
export { appendToLedger, ledgerQueueSql, type LedgerStatementEntry } from './append.ts';
export { canonicalJson, payloadHash, type LedgerEntryInput } from './entry.ts';
export { ledgerActionLabels, registerLedgerActions, type ActionLabels } from './actions.ts';
export { getEntry, listEntries, type EntryPage, type LedgerEntry } from './entries.ts';
export { ledgerSigner, ledgerVerifierKey } from './keys.ts';
export { verifierKeyText, parseVerifierKey, openNote, parseCheckpointText, type NoteSigner } from './note.ts';
export { integrateBatch, ledgerLag, startSequencer, type LedgerLag, type Sequencer, type SequencerOptions } from './sequencer.ts';
export { startSequencerThread, type SequencerThreadOptions } from './sequencer-thread.ts';
export {
  consistencyProofFor, inclusionProofFor, latestCheckpoint,
  type Checkpoint, type ConsistencyProof, type InclusionProof,
} from './tree.ts';
export { verifyConsistency, verifyInclusion } from './merkle.ts';
export { verifyLedger, type LedgerVerification, type VerifyOptions } from './verify.ts';
