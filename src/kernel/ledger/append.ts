/**
 * The two ways into the ledger, both queuing the columns `queuedValues` makes of an entry (entry.ts): a
 * command's entries on its transaction (`appendToLedger`), or entries queued by the very statement that
 * writes the change (`ledgerQueueSql`), for a path that writes in one statement (a group commit, a
 * data-modifying CTE). The sequencer gives each an index a moment later.
 */
import type { Actor } from '../auth/actor.ts';
import { prepared, type Queryable } from '../db/index.ts';
import { queuedColumns, queuedTypes, queuedValues, type LedgerEntryInput } from './entry.ts';

/**
 * Queues a command's ledger entries, one or several in one statement (in the order given). MUST be called
 * with the transaction of the change they record, so the change and its evidence commit or roll back together.
 */
export async function appendToLedger(tx: Queryable, entries: LedgerEntryInput | readonly LedgerEntryInput[]): Promise<void> {
  const params: unknown[] = [];
  await tx.query(prepared(ledgerQueueSql(Array.isArray(entries) ? entries : [entries as LedgerEntryInput], params), params));
}

/**
 * An entry of a statement that writes the change: its values as for `appendToLedger`, or read from the rows of
 * the statement (`from`) where a field is given as SQL: `idSql` for the object (a number the insert made),
 * `actorSql`, `payloadHashSql` (the row's `payloadHash(payload)`) and `atSql` for rows that each record their
 * own act (a group commit of many commands).
 */
export type LedgerStatementEntry = {
  action: string;
  purpose?: string;
  object?: { type: string; id: string | number } | { type: string; idSql: string };
  payload?: unknown;
  publish?: readonly string[];
  payloadHashSql?: string;
  at?: Date;
  atSql?: string;
} & ({ actor: Pick<Actor, 'kind' | 'id'> } | { actorSql: { kind: string; id: string } });

const queueInto = `INSERT INTO ledger_queue (${queuedColumns.join(', ')})`;

/**
 * The statement that queues `entries`, its values appended to `params`, to run as a part of the statement
 * that writes the change (a CTE), so that both commit together even outside a transaction. Without `from`, one
 * entry per element, one array per column: the same statement (and prepared plan) for one entry or a thousand.
 * With `from` (the rows written), each element queues one entry per row, its SQL fields read from the row;
 * an `ORDER BY` in `from` sets the entries' queue order.
 */
export function ledgerQueueSql(entries: readonly LedgerStatementEntry[], params: unknown[], from?: string): string {
  const value = (v: unknown, type: string) => `$${params.push(v)}::${type}`;
  if (!from) {
    const rows = entries.map((entry) => queuedValues(valuesOf(entry)));
    // Most commands record one entry: plain values spare the client and the server the arrays' text form
    // (one-entry transactions of 32 clients: 0.87 of the bare commit rate with arrays, 0.91 with values).
    if (rows.length === 1) return `${queueInto} VALUES (${queuedTypes.map((type, i) => value(rows[0]![i], type)).join(', ')})`;
    return `${queueInto} SELECT * FROM unnest(${queuedTypes.map((type, i) => value(rows.map((r) => r[i]), `${type}[]`)).join(', ')})`;
  }
  return `${queueInto} ${entries.map((entry) => {
    const values = queuedValues(valuesOf(entry, true));
    const sql = [
      'actorSql' in entry ? entry.actorSql.kind : undefined, 'actorSql' in entry ? entry.actorSql.id : undefined, undefined, undefined,
      entry.object && 'idSql' in entry.object ? `(${entry.object.idSql})::text` : undefined, undefined, entry.payloadHashSql, entry.atSql,
    ];
    return `SELECT ${queuedTypes.map((type, i) => sql[i] ?? value(values[i], type)).join(', ')} FROM ${from}`;
  }).join(' UNION ALL ')}`;
}

/** The entry's own values; the fields given as SQL only stand in for theirs (read from the rows instead). */
function valuesOf(entry: LedgerStatementEntry, fromRows = false): LedgerEntryInput {
  const bySql = 'actorSql' in entry || (entry.object !== undefined && 'idSql' in entry.object) || entry.payloadHashSql !== undefined
    || entry.atSql !== undefined;
  if (bySql && !fromRows) throw new Error('an entry field given as SQL needs the rows it is read from');
  const object = entry.object && ('idSql' in entry.object ? { type: entry.object.type, id: '' } : entry.object);
  if (entry.publish?.length && entry.payloadHashSql !== undefined) throw new Error('a payload hashed in SQL has no members to publish');
  return { actor: 'actor' in entry ? entry.actor : { kind: 'system', id: '' }, action: entry.action, object, purpose: entry.purpose,
    payload: entry.payloadHashSql === undefined ? entry.payload : null, publish: entry.publish, at: entry.at };
}
