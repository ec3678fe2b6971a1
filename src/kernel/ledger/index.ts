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

/**
 * JSON with object keys sorted, so that equal payloads hash equally whatever order they were built in. The
 * text is exactly `JSON.stringify` of the value with every object rebuilt with its keys sorted, which is how
 * every stored hash was made: array-index keys ("2", "10") come first in numeric order, as a rebuilt object
 * holds them, then the other keys in code-unit order. Written out here because that replacer rebuilt every
 * object and was a tenth of the gateway's CPU.
 */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value, '') ?? 'null';
}

const arrayIndex = /^(?:0|[1-9][0-9]*)$/;
const isArrayIndex = (key: string) => arrayIndex.test(key) && Number(key) < 4294967295;
const startsWithDigit = (key: string) => key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;

/** JSON text of `value`, or undefined where JSON.stringify leaves a property out. */
function canonicalValue(value: unknown, key: string | number): string | undefined {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint') && typeof (value as { toJSON?: unknown }).toJSON === 'function')
    value = (value as { toJSON: (key: string) => unknown }).toJSON(String(key));
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    // The holes of a sparse array read as undefined, which JSON writes as null.
    let text = '[';
    for (let i = 0; i < value.length; i++) text += `${i === 0 ? '' : ','}${canonicalValue(value[i], i) ?? 'null'}`;
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  // Array-index keys are rare in payloads: only they need the second ordering.
  const ordered = keys.some((k) => startsWithDigit(k) && isArrayIndex(k))
    ? [...keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))] : keys;
  let text = '{';
  for (const k of ordered) {
    const member = canonicalValue((value as Record<string, unknown>)[k], k);
    if (member !== undefined) text += `${text.length === 1 ? '' : ','}${JSON.stringify(k)}:${member}`;
  }
  return `${text}}`;
}

export const payloadHash = (payload: unknown) => crypto.createHash('sha256').update(canonicalJson(payload ?? null)).digest();

/**
 * Queues ledger entries, one or several in one statement (in the order given). MUST be called with the
 * transaction of the change they record, so the change and its evidence commit or roll back together; the
 * sequencer gives each an index a moment later.
 */
export async function appendToLedger(tx: Queryable, entries: LedgerEntryInput | readonly LedgerEntryInput[]): Promise<void> {
  const params: unknown[] = [];
  await tx.query(prepared(ledgerQueueSql(Array.isArray(entries) ? entries : [entries as LedgerEntryInput], params), params));
}

/** An entry's object named by an SQL expression over the rows of the statement that writes the change. */
export interface LedgerObjectSql {
  type: string;
  idSql: string;
}

/**
 * The statement that queues `entries`, its values appended to `params`, for a command that writes its
 * change and the change's ledger entries in one statement (a data-modifying CTE), so that they commit
 * together even outside a transaction. With `from` (the CTE of the rows written), one entry is queued per
 * row and an object id may be an expression over that row, e.g. a number the insert made.
 */
export function ledgerQueueSql(entries: readonly (Omit<LedgerEntryInput, 'object'> & { object?: LedgerEntryInput['object'] | LedgerObjectSql })[],
  params: unknown[], from?: string): string {
  const value = (v: unknown, type: string) => {
    params.push(v);
    return `$${params.length}::${type}`;
  };
  const rows = entries.map((entry) => {
    const object = entry.object;
    const objectSql = object !== undefined && 'idSql' in object ? `(${object.idSql})::text` : null;
    if (objectSql && !from) throw new Error('an object id given as SQL needs the rows it is read from');
    const objectId = object === undefined || objectSql ? null : String((object as { id: string | number }).id);
    return { objectSql, values: [entry.actor.kind, entry.actor.id, entry.action, object?.type ?? null, objectId, entry.purpose ?? null,
      payloadHash(entry.payload), entry.at ?? new Date()] };
  });
  // Without rows to read from, one array per column: the same statement (and prepared plan) for one entry or a thousand.
  if (!from) return `${queueInto} SELECT * FROM unnest(${queueTypes.map((type, i) => value(rows.map((r) => r.values[i]), `${type}[]`)).join(', ')})`;
  return `${queueInto} ${rows.map(({ objectSql, values }) =>
    `SELECT ${values.map((v, i) => (i === 4 && objectSql ? objectSql : value(v, queueTypes[i]!))).join(', ')} FROM ${from}`).join(' UNION ALL ')}`;
}

const queueTypes = ['text', 'text', 'text', 'text', 'text', 'text', 'bytea', 'timestamptz'] as const;
const queueInto = 'INSERT INTO ledger_queue (actor_kind, actor_id, action, object_type, object_id, purpose, payload_hash, recorded_at)';

/** An entry's columns as SQL expressions over a row; `payloadHash` is the row's `payloadHash(payload)`. */
export interface LedgerRowSql {
  actorKind: string; actorId: string; action: string; objectType: string; objectId: string; purpose: string; payloadHash: string; recordedAt: string;
}

/**
 * Queues one entry per row of `from`, every column an expression over the row: for one statement that writes
 * many changes (a group commit), each with its own entry. `ORDER BY` in `from` sets the entries' queue order.
 */
export function ledgerQueueRowsSql(from: string, entry: LedgerRowSql): string {
  const { actorKind, actorId, action, objectType, objectId, purpose, payloadHash: hash, recordedAt } = entry;
  return `${queueInto} SELECT ${actorKind}, ${actorId}, ${action}, ${objectType}, ${objectId}, ${purpose}, ${hash}, ${recordedAt} FROM ${from}`;
}

export { getEntry, listEntries, type LedgerEntry } from './entries.ts';
export { ledgerVerifierKey } from './keys.ts';
export { verifierKeyText, parseVerifierKey, openNote, parseCheckpointText } from './note.ts';
export { integrateBatch, ledgerLag, startSequencer, type LedgerLag, type Sequencer } from './sequencer.ts';
export { startSequencerThread } from './sequencer-thread.ts';
export { consistencyProofFor, inclusionProofFor, latestCheckpoint, type Checkpoint } from './tree.ts';
export { verifyConsistency, verifyInclusion } from './merkle.ts';
export { verifyLedger } from './verify.ts';
