/** Helpers for single statements: naming a prepared statement, telling a database outage from a wrong statement. */
import crypto from 'node:crypto';
import type pg from 'pg';

// Connection lost or refused, server shutting down or not accepting connections, no connection in time, or
// a lock or statement timeout: the database is away or busy, not the request at fault.
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300', '55P03', '57014']);
const unavailableMessages = /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed|Cannot use a pool after calling end|the database system is (starting up|shutting down|in recovery mode)/;

/** True when `error` says the database is away or busy (answer 503 and retry), rather than that a statement is wrong. */
export function databaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  // A Unix socket that is not there: the embedded server is down.
  if (code === 'ENOENT' && (error as { syscall?: unknown }).syscall === 'connect') return true;
  return unavailableMessages.test(error.message);
}

/**
 * A statement run as a prepared statement, named by its text: each connection parses and plans it once
 * (a generic plan, see createPool), so a statement run many times a second skips both. Write it so one
 * plan suits every call: constants in the text where a partial index depends on them. The text must hold no values, only placeholders: each
 * distinct text is a statement on every connection.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `p${crypto.createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return { name, text, values };
}
const preparedNames = new Map<string, string>();
