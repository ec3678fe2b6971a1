/**
 * 共享网关: a consumer system reads a resource (call) or asks a predicate (ask) under a grant. Every step
 * denies by default; every outcome about a known consumer (answered or refused) becomes one evidence record,
 * and nothing is answered before its record is written (`answerOnRecord`, the one place of that rule).
 * Read top to bottom: the HTTP gateway (`HttpGateway`: evidence by group commit, row reads batched), the
 * in-process entries for other modules (`callResource`, `askPredicate`, `evaluatePredicateInBulk`: evidence
 * on the caller's transaction), then the checks of a call and of a question, step by step.
 */
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Actor, Ctx } from '../../kernel/auth/index.ts';
import { checkCreditCode, checkResidentId } from '../../kernel/checks/index.ts';
import type { Db, Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { secret } from '../../kernel/secrets.ts';
import {
  findPublishedResource, findSystem, maskValue, readRows, readRowsAfter, readRowsOf, systemOfActor, type Field, type Resource, type RowFilter, type System,
} from './catalogue.ts';
import { EvidenceWriter, evidenceStatement, writeEvidence, type EvidenceRecord } from './evidence.ts';
import { activeGrant, type Grant } from './grants.ts';
import { RowReader, type RowRead } from './lookups.ts';
import { evaluatePredicate, findPredicate, predicateParam, type Answer, type Predicate } from './predicates.ts';
import { ttlCache } from '../../kernel/cache.ts';
import { chinaDayBounds, exchangeSetting, sha256Json } from './settings.ts';

/** Who calls: a consumer system, and the actor acting for it (its API token, or an officer of its department). */
export interface Caller {
  system: System;
  actor: Actor;
}

/** Why data is used: the purpose and the case it is for, both required, on every evidence record. */
export interface Purpose {
  purpose: string;
  caseId: string;
}

export interface CallInput {
  resource: string;
  subject?: string;
  key?: string;
  purpose: string;
  caseId: string;
  fields?: string[];
}

export interface CallAnswer {
  messageId: string;
  requestHash: string;
  data: Record<string, unknown>[];
}

export interface AskInput {
  predicate: string;
  subject: string;
  param?: string;
  purpose: string;
  caseId: string;
}

export interface AskAnswer {
  answer: Answer;
  asOf: string;
  messageId: string;
  requestHash: string;
}

/** What happened: the evidence to write, and either the answer or the refusal to give once it is written. */
export interface Outcome<T> {
  evidence: EvidenceRecord;
  answer?: T;
  refusal?: DomainError;
  failure?: unknown;
}

/**
 * The HTTP gateway (`/hub/v1/call`, `/hub/v1/ask`) for a system's API token: the token's system, the exchange
 * (performCall, performAsk below), its evidence, then the answer. The row reads of concurrent calls are batched
 * (RowReader) and their evidence group-committed (EvidenceWriter): a call answers only once its record committed.
 */
export class HttpGateway {
  private readonly writer: EvidenceWriter;
  private readonly reader: RowReader;

  constructor(private readonly db: Db) {
    this.writer = new EvidenceWriter(db);
    this.reader = new RowReader(db);
  }

  // The purpose is read once the caller is known: a request without a valid token is 401 whatever else it carries.
  async call(actor: Actor, input: Omit<CallInput, keyof Purpose>, purpose: () => Purpose): Promise<CallAnswer> {
    const caller = await gatewayCaller(this.db, actor);
    const outcome = await performCall(this.db, caller, { ...input, ...purpose() }, new Date(), this.reader.read);
    return answerOnRecord(() => this.writer.write(outcome.evidence, actor), outcome);
  }

  async ask(actor: Actor, input: Omit<AskInput, keyof Purpose>, purpose: () => Purpose): Promise<AskAnswer> {
    const caller = await gatewayCaller(this.db, actor);
    const outcome = await performAsk(this.db, caller, { ...input, ...purpose() }, new Date(), this.reader.read);
    return answerOnRecord(() => this.writer.write(outcome.evidence, actor), outcome);
  }

  /** Resolves when every record handed in so far is written or failed (on shutdown). */
  drained(): Promise<void> {
    return this.writer.drained();
  }
}

const systemCache = ttlCache<System | null>(5_000);
const resourceCache = ttlCache<Resource | null>(5_000);

/** The system a bearer token speaks for: 401 without a token, 403 for a token tied to no system. */
export async function gatewayCaller(db: Queryable, actor: Actor): Promise<Caller> {
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'an API token is required');
  const system = await systemCache.get(actor.id, () => systemOfActor(db, actor));
  if (!system) throw new DomainError('hub.not-a-system', { status: 403 }, 'the token is tied to no system');
  return { system, actor };
}

/**
 * For in-process callers: a token's system, or for an officer the department's system that holds a grant
 * on the resource (any of its systems otherwise, so that the refusal is evidenced against it).
 */
async function callerFor(db: Queryable, actor: Actor, resourceId: number | null): Promise<Caller> {
  if (actor.kind !== 'staff') return gatewayCaller(db, actor);
  const { rows } = await db.query<{ id: number }>(
    `SELECT s.id FROM hub_systems s
       LEFT JOIN hub_grants g ON g.consumer_system_id = s.id AND g.resource_id = $2 AND g.revoked_at IS NULL
      WHERE s.department_id = $1 ORDER BY (g.id IS NULL), s.id LIMIT 1`, [actor.departmentId, resourceId]);
  const system = rows[0] ? await findSystem(db, rows[0].id) : null;
  if (!system) throw new DomainError('hub.no-system', { status: 403 }, 'the department has no system');
  return { system, actor };
}

const cachedResource = (db: Queryable, code: string) => resourceCache.get(code, () => findPublishedResource(db, code));

async function requireResource(db: Queryable, code: string): Promise<Resource> {
  const resource = await cachedResource(db, code);
  if (!resource) throw new DomainError('hub.resource.not-found', { status: 404, field: 'resource', resource: code }, `resource ${code}`);
  return resource;
}

/** A resident ID (person) or unified social credit code (company), normalised; 400 naming `subject` otherwise. */
function checkSubject(resource: Resource, subject: string, now: Date): string {
  const checked = resource.subjectKind === 'company' ? checkCreditCode(subject) : resource.subjectKind === 'person' ? checkResidentId(subject, now) : null;
  if (checked?.ok) return checked.value;
  throw new DomainError('hub.subject.invalid', { field: 'subject', reason: checked?.reason ?? 'no-subject' }, checked?.message ?? 'the resource has no subject');
}

// A key is a code or a number: letters, digits and - _ . only, so nothing reaches a query or a mapping as syntax.
const keyPattern = /^[\p{L}\p{N}_.-]{1,64}$/u;

// Per-system calls in the current second (限流), and per-grant calls answered today (每日限额). In-process.
const windows = new Map<number, { second: number; count: number }>();
const quotaUse = new Map<number, { day: string; used: number }>();

async function takeRate(db: Queryable, systemId: number, now: Date): Promise<void> {
  const limit = await exchangeSetting(db, 'systemCallsPerSecond');
  const second = Math.floor(now.getTime() / 1000);
  const window = windows.get(systemId);
  if (!window || window.second !== second) windows.set(systemId, { second, count: 1 });
  else if (++window.count > limit) throw new DomainError('hub.rate-limited', { status: 429, retryAfter: 1, limit }, 'rate limit');
}

/** Reserves `calls` of the grant's daily quota (one per answer); returns how to give them back when the exchange fails later. */
async function reserveQuota(db: Queryable, grant: Grant, now: Date, calls = 1): Promise<() => void> {
  if (grant.dailyQuota === null) return () => undefined;
  const { day, start, next } = chinaDayBounds(now);
  let use = quotaUse.get(grant.id);
  if (!use || use.day !== day) {
    // The first call of the day in this process counts what is on record already.
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM hub_evidence WHERE grant_id = $1 AND status = 200 AND at >= $2', [grant.id, start]);
    use = quotaUse.get(grant.id)?.day === day ? quotaUse.get(grant.id)! : { day, used: rows[0]!.n };
    quotaUse.set(grant.id, use);
  }
  if (use.used + calls > grant.dailyQuota) {
    const retryAfter = Math.ceil((next.getTime() - now.getTime()) / 1000);
    throw new DomainError('hub.quota-exceeded', { status: 429, retryAfter, quota: grant.dailyQuota }, 'daily quota used up');
  }
  use.used += calls;
  const reserved = use;
  return () => void (reserved.used -= calls);
}

/** A new evidence record of one exchange by `system`, answered until a check refuses it. */
const newEvidence = (system: System, request: { purpose: string; caseId: string; hashed: unknown }, now: Date): EvidenceRecord => ({
  messageId: crypto.randomUUID(), at: now, consumerSystemId: system.id, consumerDepartmentId: system.departmentId,
  providerDepartmentId: null, resourceId: null, predicateId: null, grantId: null, grantPurpose: null, subject: null, key: null, param: null, fields: [],
  purpose: request.purpose, caseId: request.caseId, legalBasis: null, requestHash: sha256Json({ system: system.code, ...(request.hashed as object) }),
  responseHash: null, status: 200, code: 'ok', durationMs: 0,
});

function requirePurpose(request: { purpose: string; caseId: string }): void {
  if (!request.purpose.trim() || !request.caseId.trim())
    throw new DomainError('hub.purpose.required', { field: request.purpose.trim() ? 'caseId' : 'purpose' }, 'purpose and case id');
}

/** Runs one exchange: evidence is filled in as the checks pass, and a refusal ends it with its status. */
async function exchange<T>(caller: Caller, request: { purpose: string; caseId: string; hashed: unknown }, now: Date,
  body: (evidence: EvidenceRecord) => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  const evidence = newEvidence(caller.system, request, now);
  const outcome: Outcome<T> = { evidence };
  try {
    requirePurpose(request);
    outcome.answer = await body(evidence);
  } catch (error) {
    if (error instanceof DomainError) {
      outcome.refusal = error;
      evidence.status = error.status;
      evidence.code = error.code;
    } else {
      outcome.failure = error;
      evidence.status = 500;
      evidence.code = 'internal';
    }
  }
  evidence.durationMs = performance.now() - started;
  return outcome;
}

// 'hash' masking is an HMAC under a platform key, so a consumer cannot reverse it by hashing every possible ID.
const maskingKey = ttlCache<Buffer>(3_600_000);
const maskingKeyOf = (db: Queryable) => maskingKey.get('key', () => secret(db, 'hub-masking-hmac', () => crypto.randomBytes(32)));

function project(row: Record<string, unknown>, fields: Field[], overrides: Grant['masking'], hashKey: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const rule = overrides[field.code] ?? field.masking;
    if (rule !== 'drop') out[field.code] = maskValue(row[field.code] ?? null, rule, hashKey);
  }
  return out;
}

// In-process callers read on their own transaction; the HTTP gateway passes a RowReader's batched read.
const readOn = (db: Queryable): RowRead => (resource, query) => readRows(db, resource, query);

/** One read of a resource: grant, projection to granted fields, masking, row filter, quota and rate limit. */
export function performCall(db: Queryable, caller: Caller, input: CallInput, now: Date, read = readOn(db)): Promise<Outcome<CallAnswer>> {
  const hashed = { resource: input.resource, subject: input.subject ?? null, key: input.key ?? null, fields: input.fields ?? null, purpose: input.purpose, caseId: input.caseId };
  return exchange(caller, { ...input, hashed }, now, async (evidence) => {
    await takeRate(db, caller.system.id, now);
    const resource = await requireResource(db, input.resource);
    evidence.resourceId = resource.id;
    evidence.providerDepartmentId = resource.providerDepartmentId;
    if (input.subject !== undefined) evidence.subject = checkSubject(resource, input.subject, now);
    else if (input.key !== undefined) {
      if (!keyPattern.test(input.key)) throw new DomainError('hub.key.invalid', { field: 'key' }, 'key');
      evidence.key = input.key;
    } else throw new DomainError('hub.subject.required', { field: 'subject' }, 'subject or key');
    const grant = await activeGrant(db, caller.system.id, resource.id, null, now);
    evidence.grantId = grant.id;
    evidence.legalBasis = grant.legalBasis;
    evidence.grantPurpose = grant.purpose;
    const wanted = input.fields ?? grant.fields;
    const outside = wanted.find((code) => !grant.fields.includes(code));
    if (outside !== undefined) throw new DomainError('hub.field.not-granted', { status: 403, field: 'fields', value: outside }, `field ${outside}`);
    const fields = resource.fields.filter((f) => wanted.includes(f.code));
    const release = await reserveQuota(db, grant, now);
    try {
      const rows = await read(resource, { subject: evidence.subject ?? undefined, key: evidence.key ?? undefined, filter: grant.rowFilter, limit: 100 });
      const hashKey = await maskingKeyOf(db);
      const data = rows.map((row) => project(row, fields, grant.masking, hashKey));
      evidence.fields = fields.filter((f) => (grant.masking[f.code] ?? f.masking) !== 'drop').map((f) => f.code);
      evidence.responseHash = sha256Json(data);
      return { messageId: evidence.messageId, requestHash: evidence.requestHash, data };
    } catch (error) {
      release();
      throw error;
    }
  });
}

// 防探测: questions per consumer system × subject today, and the parameters tried per predicate. In-process.
let probeDay = '';
const probes = new Map<string, { count: number; params: Map<number, Set<string>> }>();

async function checkProbing(db: Queryable, systemId: number, subject: string, predicateId: number, param: string | null, now: Date): Promise<void> {
  const { day } = chinaDayBounds(now);
  if (day !== probeDay) {
    probes.clear();
    probeDay = day;
  }
  const key = `${systemId}|${subject}`;
  const seen = probes.get(key) ?? { count: 0, params: new Map<number, Set<string>>() };
  probes.set(key, seen);
  const perDay = await exchangeSetting(db, 'askPerSubjectPerDay');
  if (seen.count >= perDay) throw new DomainError('hub.ask.subject-limit', { status: 429, retryAfter: Math.ceil((chinaDayBounds(now).next.getTime() - now.getTime()) / 1000), limit: perDay }, 'per-subject limit');
  if (param !== null) {
    const tried = seen.params.get(predicateId) ?? new Set<string>();
    const distinct = await exchangeSetting(db, 'askDistinctParamsPerSubject');
    if (!tried.has(param) && tried.size >= distinct)
      throw new DomainError('hub.ask.probing', { status: 403, field: 'param', limit: distinct }, 'too many distinct parameters for one subject');
    tried.add(param);
    seen.params.set(predicateId, tried);
  }
  seen.count++;
}

/** The predicate and its resource, noted on the evidence; 404 naming `predicate` when there is none. */
async function requirePredicate(db: Queryable, code: string, evidence: EvidenceRecord): Promise<{ predicate: Predicate; resource: Resource }> {
  const predicate = await findPredicate(db, code);
  if (!predicate) throw new DomainError('hub.predicate.not-found', { status: 404, field: 'predicate' }, `predicate ${code}`);
  evidence.predicateId = predicate.id;
  const resource = await requireResource(db, predicate.resourceCode);
  evidence.resourceId = resource.id;
  evidence.providerDepartmentId = resource.providerDepartmentId;
  return { predicate, resource };
}

/** The system's grant on the predicate (deny by default), noted on the evidence. */
async function grantOf(db: Queryable, system: System, resource: Resource, predicate: Predicate, now: Date, evidence: EvidenceRecord): Promise<Grant> {
  const grant = await activeGrant(db, system.id, resource.id, predicate.id, now);
  evidence.grantId = grant.id;
  evidence.legalBasis = grant.legalBasis;
  evidence.grantPurpose = grant.purpose;
  return grant;
}

/** One yes/no question: grant on the predicate, parameter check, anti-probing, quota; the answer, never the value. */
export function performAsk(db: Queryable, caller: Caller, input: AskInput, now: Date, read = readOn(db)): Promise<Outcome<AskAnswer>> {
  const hashed = { predicate: input.predicate, subject: input.subject, param: input.param ?? null, purpose: input.purpose, caseId: input.caseId };
  return exchange(caller, { ...input, hashed }, now, async (evidence) => {
    await takeRate(db, caller.system.id, now);
    const { predicate, resource } = await requirePredicate(db, input.predicate, evidence);
    evidence.subject = checkSubject(resource, input.subject, now);
    const grant = await grantOf(db, caller.system, resource, predicate, now, evidence);
    const param = predicateParam(predicate, input.param);
    evidence.param = param;
    await checkProbing(db, caller.system.id, evidence.subject, predicate.id, param, now);
    const release = await reserveQuota(db, grant, now);
    try {
      const rows = await read(resource, { subject: evidence.subject, filter: grant.rowFilter, limit: 20 });
      const answer = evaluatePredicate(predicate, param, rows, chinaDayBounds(now).day);
      const asOf = now.toISOString();
      evidence.responseHash = sha256Json({ answer, asOf });
      return { answer, asOf, messageId: evidence.messageId, requestHash: evidence.requestHash };
    } catch (error) {
      release();
      throw error;
    }
  });
}

/**
 * No data without evidence, the one implementation: writes the evidence (`write`), then gives the answer, or
 * throws the refusal (or failure). When the evidence is not written nothing is answered: 503
 * `hub.evidence-unavailable`. Every way out of the gateway (HTTP, in-process, in bulk) ends here.
 */
export async function answerOnRecord<T>(write: () => Promise<unknown>, outcome: { answer?: T; refusal?: DomainError; failure?: unknown }): Promise<T> {
  try {
    await write();
  } catch (cause) {
    throw new DomainError('hub.evidence-unavailable', { status: 503 }, `evidence not written: ${String(cause)}`);
  }
  if (outcome.refusal) throw outcome.refusal;
  if (outcome.failure !== undefined) throw outcome.failure;
  return outcome.answer!;
}

/**
 * Reads a resource for another module (prefill): the same checks and evidence as `POST /hub/v1/call`, for
 * `caller` (by default the actor's system: a token's, or an officer's department's). Evidence goes on
 * `ctx.tx`, so it commits with the caller's command; a refusal throws, and rolls back with it.
 */
export async function callResource(ctx: Ctx, input: CallInput, caller?: Caller): Promise<CallAnswer> {
  const by = caller ?? await callerFor(ctx.tx, ctx.actor, (await cachedResource(ctx.tx, input.resource))?.id ?? null);
  const outcome = await performCall(ctx.tx, by, input, ctx.now);
  return answerOnRecord(() => writeEvidence(ctx.tx, [{ record: outcome.evidence, actor: ctx.actor }]), outcome);
}

/** Asks a predicate for another module (yes/no conditions), as `GET /hub/v1/ask` does; evidence on `ctx.tx`. */
export async function askPredicate(ctx: Ctx, input: AskInput, caller?: Caller): Promise<AskAnswer> {
  const by = caller ?? await callerFor(ctx.tx, ctx.actor, (await findPredicate(ctx.tx, input.predicate))?.resourceId ?? null);
  const outcome = await performAsk(ctx.tx, by, input, ctx.now);
  return answerOnRecord(() => writeEvidence(ctx.tx, [{ record: outcome.evidence, actor: ctx.actor }]), outcome);
}

export interface BulkAsk {
  /** the consumer system asking; it must hold a grant on the predicate */
  systemId: number;
  predicate: string;
  purpose: string;
  caseId: string;
  /** rows to consider besides the grant's own row filter, e.g. `division_code prefix 511602` */
  filter?: RowFilter;
  /** only these subjects (a later rule of a policy asks only who passed the earlier ones); every subject otherwise */
  subjects?: string[];
}

// Evidence of a bulk question goes in statements of this many records (one multi-row insert each).
const bulkEvidenceBatch = 5_000;

/**
 * Asks one predicate about many subjects at once, for another module (不来即享): the question `GET /hub/v1/ask`
 * answers, over every subject of the resource within the grant's row filter (and `filter`), with one
 * evidence record per subject answered, written on `ctx.tx` in bulk. The predicate's fixed parameter only;
 * only answers leave the hub. Refusals throw (403 without a valid grant, 429 over the daily quota, 503 when
 * the evidence cannot be written) and nothing is answered.
 */
export async function evaluatePredicateInBulk(ctx: Ctx, input: BulkAsk): Promise<Map<string, Answer>> {
  const started = performance.now();
  const system = await findSystem(ctx.tx, input.systemId);
  if (!system) throw new DomainError('hub.system.not-found', { status: 404, field: 'systemId' }, `system ${input.systemId}`);
  requirePurpose(input);
  const template = newEvidence(system, { ...input, hashed: null }, ctx.now);
  const { predicate, resource } = await requirePredicate(ctx.tx, input.predicate, template);
  const grant = await grantOf(ctx.tx, system, resource, predicate, ctx.now, template);
  template.param = predicateParam(predicate, undefined);
  const field = resource.subjectField;
  if (resource.kind !== 'table' || !field)
    throw new DomainError('hub.bulk.not-supported', { status: 409, field: 'predicate' }, `${resource.code} is not a register of subjects held by the hub`);
  const filter = [...grant.rowFilter, ...(input.filter ?? [])];
  const rowsOf = new Map<string, Record<string, unknown>[]>();
  if (input.subjects) for (const [subject, rows] of await readRowsOf(ctx.tx, resource, { by: 'subject', values: input.subjects, filter, limit: 20 }))
    if (rows.length > 0) rowsOf.set(subject, rows);
  if (!input.subjects) for (const row of await readRows(ctx.tx, resource, { filter, limit: 1_000_000 })) {
    const subject = row[field];
    if (typeof subject !== 'string') continue;
    const rows = rowsOf.get(subject);
    if (rows) rows.push(row);
    else rowsOf.set(subject, [row]);
  }
  const release = await reserveQuota(ctx.tx, grant, ctx.now, rowsOf.size);
  const today = chinaDayBounds(ctx.now).day;
  const asOf = ctx.now.toISOString();
  const answers = new Map<string, Answer>();
  for (const [subject, rows] of rowsOf) answers.set(subject, evaluatePredicate(predicate, template.param, rows, today));
  // Each record carries its share of the time the whole question took; three answers, three response hashes.
  template.durationMs = (performance.now() - started) / Math.max(1, answers.size);
  const responseHashes = new Map<Answer, string>();
  const responseHash = (answer: Answer) => responseHashes.get(answer) ?? responseHashes.set(answer, sha256Json({ answer, asOf })).get(answer)!;
  const subjects = [...answers.keys()];
  return answerOnRecord(async () => {
    // Each batch's records and ledger hashes are computed while the previous batch's statement runs.
    let written: Promise<unknown> = Promise.resolve();
    try {
      for (let i = 0; i < subjects.length; i += bulkEvidenceBatch) {
        const statement = evidenceStatement(subjects.slice(i, i + bulkEvidenceBatch).map((subject) => ({ actor: ctx.actor, record: {
          ...template, messageId: crypto.randomUUID(), subject, responseHash: responseHash(answers.get(subject)!),
          requestHash: sha256Json({ system: system.code, predicate: predicate.code, subject, param: template.param, purpose: input.purpose, caseId: input.caseId }),
        } })));
        await written;
        written = ctx.tx.query(statement);
        written.catch(() => undefined); // awaited on the next turn; a failure fails the question there
      }
      await written;
    } catch (cause) {
      release();
      throw cause;
    }
  }, { answer: answers });
}

export interface ChangesInput {
  resource: string;
  /** the last row id already read (0 the first time) */
  after: number;
  limit: number;
  purpose: string;
  caseId: string;
}

export interface ChangesAnswer {
  messageId: string;
  /** granted fields, masked as granted, with the row's key and id (the next `after`) */
  rows: { rowId: number; key: string | null; data: Record<string, unknown> }[];
}

/**
 * 增量读取: a consumer system reads a batch of the rows added or changed since `after`, for another module that
 * keeps a copy (the base libraries). The grant's fields, masking and row filter apply as to a call; the batch is
 * one evidence record (no single subject), written on `ctx.tx`, and counts once against the daily quota.
 */
export async function readResourceChanges(ctx: Ctx, input: ChangesInput, caller: Caller): Promise<ChangesAnswer> {
  const hashed = { resource: input.resource, after: input.after, limit: input.limit, purpose: input.purpose, caseId: input.caseId };
  const outcome = await exchange(caller, { ...input, hashed }, ctx.now, async (evidence) => {
    const resource = await requireResource(ctx.tx, input.resource);
    evidence.resourceId = resource.id;
    evidence.providerDepartmentId = resource.providerDepartmentId;
    const grant = await activeGrant(ctx.tx, caller.system.id, resource.id, null, ctx.now);
    evidence.grantId = grant.id;
    evidence.legalBasis = grant.legalBasis;
    evidence.grantPurpose = grant.purpose;
    const fields = resource.fields.filter((f) => grant.fields.includes(f.code));
    const release = await reserveQuota(ctx.tx, grant, ctx.now);
    try {
      const hashKey = await maskingKeyOf(ctx.tx);
      const rows = (await readRowsAfter(ctx.tx, resource, { after: input.after, filter: grant.rowFilter, limit: input.limit }))
        .map((row) => ({ ...row, data: project(row.data, fields, grant.masking, hashKey) }));
      evidence.fields = fields.filter((f) => (grant.masking[f.code] ?? f.masking) !== 'drop').map((f) => f.code);
      evidence.responseHash = sha256Json(rows);
      return { messageId: evidence.messageId, rows };
    } catch (error) {
      release();
      throw error;
    }
  });
  return answerOnRecord(() => writeEvidence(ctx.tx, [{ record: outcome.evidence, actor: ctx.actor }]), outcome);
}
