/**
 * 调用存证: one record per gateway call or question, answered or refused, written to hub_evidence and to
 * the ledger in the same statement. The HTTP gateway writes through an EvidenceWriter (group commit):
 * the records of concurrent calls go in one statement every few milliseconds and each call answers only
 * after its batch committed, so a call whose evidence is lost returns no data (fail closed).
 */
import type { Actor } from '../../kernel/auth/index.ts';
import { prepared, StatementGroups, type Db, type Queryable } from '../../kernel/db/index.ts';
import { appendToLedger, ledgerQueueSql, payloadHash } from '../../kernel/ledger/index.ts';

export interface EvidenceRecord {
  messageId: string;
  at: Date;
  consumerSystemId: number;
  consumerDepartmentId: number;
  providerDepartmentId: number | null;
  resourceId: number | null;
  predicateId: number | null;
  grantId: number | null;
  /** The purpose the grant was approved for, beside the purpose the call states. */
  grantPurpose: string | null;
  subject: string | null;
  key: string | null;
  param: string | null;
  fields: string[];
  purpose: string;
  caseId: string;
  legalBasis: string | null;
  requestHash: string;
  responseHash: string | null;
  /** HTTP status of the answer, and the problem code or 'ok'. */
  status: number;
  code: string;
  durationMs: number;
}

/**
 * The record as the ledger hashes it; rebuilt from the stored row it hashes the same (durations in ms to 3 places).
 * A record without a grant leaves `grantPurpose` out, as records did before it was kept.
 */
export function evidencePayload(r: EvidenceRecord) {
  return { ...r, grantPurpose: r.grantPurpose ?? undefined, at: r.at.toISOString(), durationMs: Math.round(r.durationMs * 1000) / 1000 };
}

const ledgerActionOf = (r: EvidenceRecord) =>
  `hub.${r.predicateId === null ? 'call' : 'ask'}.${r.status === 200 ? 'answered' : 'refused'}`;

/**
 * A record and who made the call. `consumerCall`: a consumer system's own call through the gateway's API, which states
 * the purpose its grant was approved for (the case id says which case); only its entry publishes the grant's purpose,
 * for the rule comparing the two. The platform's own calls (一网通办 prefill and conditions, 不来即享, the base
 * libraries) state the item, policy or reason they serve under a grant made for all of them, so theirs is not compared.
 */
export type EvidenceEntry = { record: EvidenceRecord; actor: Pick<Actor, 'kind' | 'id'>; consumerCall?: boolean };

/**
 * Writes evidence records and their ledger entries in one statement, so they are written together even
 * outside a transaction (the group commit), or in the caller's transaction when it has one.
 */
export async function writeEvidence(db: Queryable, entries: EvidenceEntry[]): Promise<void> {
  if (entries.length > 0) await db.query(evidenceStatement(entries));
}

/**
 * The statement `writeEvidence` runs, with the ledger hashes computed: a bulk writer builds the next one
 * while the previous runs.
 */
export function evidenceStatement(entries: EvidenceEntry[]): ReturnType<typeof prepared> {
  const col = <T>(pick: (r: EvidenceRecord) => T) => entries.map((e) => pick(e.record));
  const params: unknown[] = [col((r) => r.messageId), col((r) => r.at), col((r) => r.consumerSystemId), col((r) => r.consumerDepartmentId),
    col((r) => r.providerDepartmentId), col((r) => r.resourceId), col((r) => r.predicateId), col((r) => r.grantId),
    col((r) => r.subject), col((r) => r.key), col((r) => r.param), col((r) => r.fields.join(',')), col((r) => r.purpose),
    col((r) => r.caseId), col((r) => r.legalBasis), col((r) => r.requestHash), col((r) => r.responseHash),
    col((r) => r.status), col((r) => r.code), col((r) => evidencePayload(r).durationMs), col((r) => r.grantPurpose)];
  const ledger = ledgerQueueSql(entries.map(({ record, actor, consumerCall }) => ({
    actor, action: ledgerActionOf(record), object: { type: 'hub-message', id: record.messageId },
    purpose: record.purpose, payload: evidencePayload(record), publish: consumerCall ? ['grantPurpose'] : undefined, at: record.at,
  })), params);
  return prepared(
    `WITH evidence AS (
       INSERT INTO hub_evidence (message_id, at, consumer_system_id, consumer_department_id, provider_department_id, resource_id,
         predicate_id, grant_id, subject, lookup_key, param, fields, purpose, case_id, legal_basis, request_hash, response_hash,
         status, code, duration_ms, grant_purpose)
       SELECT m, a, cs, cd, pd, r, p, g, s, k, pa, string_to_array(f, ','), pu, ca, lb, rq, rs, st, co, du, gp
         FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
           $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
           $18::int[], $19::text[], $20::numeric[], $21::text[])
           AS t (m, a, cs, cd, pd, r, p, g, s, k, pa, f, pu, ca, lb, rq, rs, st, co, du, gp))
     ${ledger}`, params);
}

/**
 * Group commit of evidence. `write` resolves once the record's statement committed and rejects when it did not
 * (the gateway then answers 503, see answerOnRecord). One statement at a time: the records that arrive while it
 * commits form the next (with three at a time the gateway's p99 was 27–36 ms, with one 25–26 ms).
 */
export class EvidenceWriter {
  private readonly groups: StatementGroups<null, EvidenceEntry, undefined>;

  constructor(private readonly db: Db, opts = { maxRows: 400, maxInFlight: 1 }) {
    this.groups = new StatementGroups(async (on, _shape, entries) => {
      await writeEvidence(on, entries);
      return entries.map(() => undefined);
    }, opts);
  }

  async write(record: EvidenceRecord, actor: Pick<Actor, 'kind' | 'id'>): Promise<void> {
    await this.groups.submit(this.db, 'evidence', null, { record, actor, consumerCall: true });
  }

  /** Resolves when every record handed in so far is written or failed (on shutdown). */
  drained(): Promise<void> {
    return this.groups.drained();
  }
}

/** A stored hub_evidence row (SELECT *) as the record its ledger entry hashed. */
export interface EvidenceRow {
  message_id: string; at: Date; consumer_system_id: number; consumer_department_id: number; provider_department_id: number | null;
  resource_id: number | null; predicate_id: number | null; grant_id: number | null; grant_purpose: string | null; subject: string | null; lookup_key: string | null;
  param: string | null; fields: string[]; purpose: string; case_id: string; legal_basis: string | null; request_hash: string;
  response_hash: string | null; status: number; code: string; duration_ms: number;
  hidden_until: Date | null; hidden_reason: string | null; hidden_by: string | null;
}

export function evidenceFromRow(row: EvidenceRow): EvidenceRecord {
  return {
    messageId: row.message_id, at: row.at, consumerSystemId: row.consumer_system_id, consumerDepartmentId: row.consumer_department_id,
    providerDepartmentId: row.provider_department_id, resourceId: row.resource_id, predicateId: row.predicate_id, grantId: row.grant_id,
    grantPurpose: row.grant_purpose,
    subject: row.subject, key: row.lookup_key, param: row.param, fields: row.fields, purpose: row.purpose, caseId: row.case_id,
    legalBasis: row.legal_basis, requestHash: row.request_hash, responseHash: row.response_hash, status: row.status, code: row.code,
    durationMs: row.duration_ms,
  };
}

/** The hash the ledger entry of this stored record must carry (hex); it differs once the row was changed by hand. */
export const recordHash = (row: EvidenceRow) => payloadHash(evidencePayload(evidenceFromRow(row))).toString('hex');

/** What a hide act (暂不告知) sets on a row, as its `hub.evidence.hidden` ledger entry hashes it. */
export function hidePayload(row: { message_id: string; hidden_until: Date; hidden_reason: string | null; hidden_by: string | null }) {
  return { messageId: row.message_id, hiddenUntil: row.hidden_until.toISOString(), reason: row.hidden_reason, by: row.hidden_by };
}

/**
 * 暂不告知: hides a call from its subject until `until`, and records the act with everything it set, so the
 * verifier can tell a hide from an edit. Called by the hide command and the demo loader.
 */
export async function hideRecord(tx: Queryable, actor: Pick<Actor, 'kind' | 'id'>, input: { messageId: string; until: Date; reason: string }): Promise<void> {
  const row = { message_id: input.messageId, hidden_until: input.until, hidden_reason: input.reason, hidden_by: `${actor.kind}:${actor.id}` };
  await tx.query('UPDATE hub_evidence SET hidden_until = $2, hidden_reason = $3, hidden_by = $4 WHERE message_id = $1',
    [row.message_id, row.hidden_until, row.hidden_reason, row.hidden_by]);
  await appendToLedger(tx, { actor, action: 'hub.evidence.hidden', object: { type: 'hub-message', id: input.messageId }, payload: hidePayload(row) });
}

export interface EvidenceVerification {
  checked: number;
  /** Rows that differ from what their entries hashed: a field edited, or hiding set or changed without a hide act. */
  changed: string[];
  /** Rows without a ledger entry. */
  unrecorded: string[];
  /** Ledger entries of calls whose row is gone, with the entry's index (null while still queued). */
  missing: { messageId: string; index: number | null }[];
}

const evidenceEntries = (actions: string) => `
  SELECT object_id, payload_hash, leaf_index AS idx, 0 AS src FROM ledger_entries WHERE object_type = 'hub-message' AND action ${actions}
  UNION ALL
  SELECT object_id, payload_hash, id, 1 FROM ledger_queue WHERE object_type = 'hub-message' AND action ${actions}`;

/**
 * Proves the evidence from the ledger both ways, in one snapshot: every row against the payload hash of its
 * call's entry (sequenced or still queued), its hiding against the latest hide act, and every call entry
 * against a row, unless a removal (`hub.evidence.removed`) was recorded. Streams, so memory stays flat.
 */
export async function verifyEvidence(db: Db): Promise<EvidenceVerification> {
  const client = await db.connect();
  const result: EvidenceVerification = { checked: 0, changed: [], unrecorded: [], missing: [] };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE evidence NO SCROLL CURSOR FOR
      WITH calls AS (${evidenceEntries("~ '^hub\\.(call|ask)\\.'")}),
      hides AS (SELECT DISTINCT ON (object_id) object_id, payload_hash FROM (${evidenceEntries("= 'hub.evidence.hidden'")}) h
                ORDER BY object_id, src DESC, idx DESC),
      removals AS (SELECT DISTINCT object_id FROM (${evidenceEntries("= 'hub.evidence.removed'")}) r)
      SELECT e.*, c.object_id AS entry_id, c.payload_hash AS ledger_hash, c.idx, c.src, h.payload_hash AS hide_hash, r.object_id IS NOT NULL AS removed
        FROM hub_evidence e
        FULL JOIN calls c ON c.object_id = e.message_id::text
        LEFT JOIN hides h ON h.object_id = e.message_id::text
        LEFT JOIN removals r ON r.object_id = c.object_id`);
    for (;;) {
      const { rows } = await client.query<EvidenceRow & { entry_id: string | null; ledger_hash: Buffer | null; idx: string | null; src: number | null;
        hide_hash: Buffer | null; removed: boolean }>('FETCH 5000 FROM evidence');
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.message_id === null) {
          if (!row.removed) result.missing.push({ messageId: row.entry_id!, index: row.src === 0 ? Number(row.idx) : null });
          continue;
        }
        result.checked++;
        // Hiding is set only by a hide act, and exactly as its latest act recorded it.
        const hidingOk = row.hidden_until === null
          ? row.hide_hash === null && row.hidden_reason === null && row.hidden_by === null
          : row.hide_hash !== null && row.hide_hash.equals(payloadHash(hidePayload({ ...row, hidden_until: row.hidden_until })));
        if (row.ledger_hash === null) result.unrecorded.push(row.message_id);
        else if (row.removed || !hidingOk || row.ledger_hash.toString('hex') !== recordHash(row))
          result.changed.push(row.message_id);
      }
    }
    return result;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined); // a read-only snapshot: nothing to undo if the client is gone
    client.release();
  }
}
