/**
 * The bytes of a ledger entry, defined once: what a writer queues (`queuedValues`, the nine columns of
 * `ledger_queue`), the payload hash it carries (`payloadHash` over `canonicalJson`), and the leaf text the
 * sequencer hashes and a checkpoint signs (`leafText`). Both writers (append.ts) and the sequencer build on these.
 */
import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.ts';

export interface LedgerEntryInput {
  actor: Pick<Actor, 'kind' | 'id'>;
  action: string;
  object?: { type: string; id: string | number };
  purpose?: string;
  /** What was done, hashed into the entry; the content itself stays in the module's own tables. */
  payload?: unknown;
  /**
   * Members of the payload (an object) also stored in clear beside its hash (`facts`), for what reads the log
   * (the oversight rules): short, non-personal facts such as a division code or an item code. The leaf covers
   * them through the payload hash, so anyone holding the payload can check them; nothing else of it is stored.
   */
  publish?: readonly string[];
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

/** The columns an entry is queued with, in order, and their SQL types. */
export const queuedColumns = ['actor_kind', 'actor_id', 'action', 'object_type', 'object_id', 'purpose', 'payload_hash', 'recorded_at', 'facts'] as const;
export const queuedTypes = ['text', 'text', 'text', 'text', 'text', 'text', 'bytea', 'timestamptz', 'jsonb'] as const;

/**
 * An entry as the values of `queuedColumns`: the payload hashed, the object id as text, the time of the act (now by
 * default), and the published members of the payload as JSON text (null when none).
 */
export function queuedValues(entry: LedgerEntryInput): unknown[] {
  return [entry.actor.kind, entry.actor.id, entry.action, entry.object?.type ?? null, entry.object === undefined ? null : String(entry.object.id),
    entry.purpose ?? null, entry.payload == null ? noPayloadHash : payloadHash(entry.payload), entry.at ?? new Date(), factsOf(entry)];
}

/**
 * Where an act falls, as an entry publishes it: the division of the object acted on and the actor's jurisdiction
 * (the prefix of the division codes it covers, null for none). A rule compares the two (a decision outside one's
 * jurisdiction); a writer spreads these into the payload and publishes `jurisdictionFactNames`.
 */
export const jurisdictionFacts = (actor: Pick<Actor, 'jurisdiction'>, divisionCode: string) =>
  ({ division: divisionCode, actorJurisdiction: actor.jurisdiction.prefix });
export const jurisdictionFactNames = ['division', 'actorJurisdiction'] as const;

/** The published members of an entry's payload, as JSON text; a name the payload lacks is a mistake of the writer. */
function factsOf(entry: LedgerEntryInput): string | null {
  if (!entry.publish?.length) return null;
  const payload = entry.payload as Record<string, unknown> | null | undefined;
  const facts: Record<string, unknown> = {};
  for (const name of entry.publish) {
    if (payload == null || !(name in payload)) throw new Error(`${entry.action}: published member ${name} is not in the payload`);
    facts[name] = payload[name];
  }
  return canonicalJson(facts);
}

// Many entries carry no payload (and a statement's rows carry their own hash): hashed once.
const noPayloadHash = payloadHash(null);

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

