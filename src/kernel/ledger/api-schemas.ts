/** What the ledger answers about an entry, as a schema; other modules answer with entries too (a call's evidence). */
import Type from 'typebox';
import { Nullable, Timestamp } from '../http/index.ts';

/** An entry as the explorer shows it: who did what to which object, when, and the hashes a proof covers. */
export const LedgerEntrySchema = Type.Object({
  index: Type.Integer(), actor: Type.Object({ kind: Type.String(), id: Type.String() }), action: Type.String(),
  object: Nullable(Type.Object({ type: Type.String(), id: Type.String() })), purpose: Nullable(Type.String()),
  /** SHA-256 of the canonical JSON of the payload, lowercase hex */
  payloadHash: Type.String(), recordedAt: Timestamp,
  /** the leaf hash of the entry as stored now, base64 */
  leafHash: Type.String(),
});
