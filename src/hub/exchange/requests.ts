/**
 * 共享申请: an officer asks, for one of their department's systems, for fields of a published resource (or
 * a predicate over it). 不予共享 cannot be requested; 无条件 is granted at once with the requested fields;
 * 有条件 waits for the provider's data officer, who has a number of working days (a hub setting) before
 * the request escalates to the hub administrators.
 */
import type { Actor, Ctx } from '../../kernel/auth/index.ts';
import { assertCan, hasGrant, systemActor } from '../../kernel/auth/index.ts';
import { loadCalendar } from '../../kernel/calendar/index.ts';
import type { Db, Queryable, Tx } from '../../kernel/db/index.ts';
import { withTransaction } from '../../kernel/db/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { findPublishedResource, findSystem, isHubAdmin, listSystems, type Resource } from './catalogue.ts';
import { checkTerms, issueGrant, type Grant, type GrantTerms, type MaskingRule, type SharingNames, type SharingParties } from './grants.ts';
import { assertNotOwnRequest, assertProviderOfficer, assertUnmaskingAllowed, exchangeActions, seesDepartmentRow } from './policy.ts';
import { fittingPredicates, maskingWarnings, needsOf, type MaskingWarning, type PurposeNeed } from './fitness.ts';
import { findPredicate, type Predicate } from './predicates.ts';
import { exchangeSetting } from './settings.ts';

export const requestStates = ['pending', 'approved', 'refused', 'escalated', 'withdrawn'] as const;
export type RequestState = (typeof requestStates)[number];

export interface SharingRequest extends SharingParties {
  id: number;
  fields: string[];
  scenario: string;
  state: RequestState;
  requestedBy: string;
  requestedAt: Date;
  dueAt: Date;
  escalatedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

/** A request as lists show it: with names of the resource, the system and both departments, and its grant. */
export interface RequestView extends SharingRequest, SharingNames {
  grantId: number | null;
}

const requestColumns = `q.id, q.consumer_system_id AS "consumerSystemId", q.consumer_department_id AS "consumerDepartmentId",
  q.resource_id AS "resourceId", q.predicate_id AS "predicateId", q.provider_department_id AS "providerDepartmentId", q.fields,
  q.purpose, q.legal_basis AS "legalBasis", q.scenario, q.state, q.requested_by AS "requestedBy", q.requested_at AS "requestedAt",
  q.due_at AS "dueAt", q.escalated_at AS "escalatedAt", q.decided_by AS "decidedBy", q.decided_at AS "decidedAt", q.reason`;

export interface SubmitRequest {
  systemId: number;
  resource: string;
  predicate?: string;
  fields?: string[];
  purpose: string;
  legalBasis: string;
  scenario: string;
}

const actorName = (actor: Actor) => `${actor.kind}:${actor.id}`;

async function recordEvent(tx: Queryable, request: { id: number }, at: Date, actor: Actor, event: string, note: string | null) {
  await tx.query('INSERT INTO hub_request_events (request_id, at, actor, event, note) VALUES ($1, $2, $3, $4, $5)',
    [request.id, at, actorName(actor), event, note]);
}

async function publishedResource(db: Queryable, code: string): Promise<Resource> {
  const resource = await findPublishedResource(db, code);
  if (!resource) throw new DomainError('hub.resource.not-found', { status: 404, field: 'resource', resource: code }, `resource ${code}`);
  return resource;
}

/** 提交共享申请. Returns the request; for a 无条件 resource it is approved already, with its grant. */
export async function submitRequest(ctx: Ctx, input: SubmitRequest): Promise<SharingRequest> {
  assertCan(ctx.actor, exchangeActions.request);
  const system = await findSystem(ctx.tx, input.systemId);
  if (!system) throw new DomainError('hub.system.not-found', { status: 404, field: 'systemId' }, `system ${input.systemId}`);
  if (system.departmentId !== ctx.actor.departmentId && !(await isHubAdmin(ctx.tx, ctx.actor)))
    throw new DomainError('hub.system.not-own', { status: 403, field: 'systemId' }, 'not your department\'s system');
  const resource = await publishedResource(ctx.tx, input.resource);
  if (resource.shareType === 'none')
    throw new DomainError('hub.resource.not-shareable', { status: 409, field: 'resource', resource: resource.code, shareType: resource.shareType },
      `${resource.code} is 不予共享`);
  let fields = input.fields ?? [];
  let predicateId: number | null = null;
  if (input.predicate !== undefined) {
    const predicate = await findPredicate(ctx.tx, input.predicate);
    if (!predicate || predicate.resourceId !== resource.id)
      throw new DomainError('hub.predicate.not-found', { status: 404, field: 'predicate' }, `predicate ${input.predicate}`);
    predicateId = predicate.id;
    fields = [predicate.field];
  } else {
    checkTerms(resource, resource.fields.map((f) => f.code), { fields });
  }
  const days = await exchangeSetting(ctx.tx, 'requestWorkingDays');
  const due = (await loadCalendar(ctx.tx)).addWorkingDays(ctx.now, days).due;
  const { rows } = await ctx.tx.query<SharingRequest>(
    `INSERT INTO hub_requests AS q (consumer_system_id, consumer_department_id, resource_id, predicate_id, provider_department_id, fields,
       purpose, legal_basis, scenario, state, requested_by, requested_at, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12) RETURNING ${requestColumns}`,
    [system.id, system.departmentId, resource.id, predicateId, resource.providerDepartmentId, fields, input.purpose, input.legalBasis,
      input.scenario, actorName(ctx.actor), ctx.now, due]);
  const request = rows[0]!;
  await recordEvent(ctx.tx, request, ctx.now, ctx.actor, 'requested', null);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.request.submitted', object: { type: 'hub-request', id: request.id }, purpose: input.purpose, payload: input });
  if (resource.shareType !== 'unconditional') return request;
  // 无条件共享: granted at once, as asked, by the hub itself.
  const hub = systemActor('hub.auto-grant');
  const decided = await approve({ ...ctx, actor: hub }, request, { fields });
  await appendToLedger(ctx.tx, { actor: hub, action: 'hub.request.auto-approved', object: { type: 'hub-request', id: request.id } });
  return decided;
}

export interface DecideRequest extends Partial<GrantTerms> {
  requestId: number;
  approve: boolean;
  reason?: string;
  /** 用谓词代替字段: grant this predicate of the resource instead of the requested fields. */
  predicate?: string;
  /** The approver has seen the warnings that masking defeats the purpose, and approves anyway. */
  acceptWarnings?: boolean;
}

async function lockRequest(tx: Tx, id: number): Promise<SharingRequest> {
  const { rows } = await tx.query<SharingRequest>(`SELECT ${requestColumns} FROM hub_requests q WHERE q.id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) throw notFound('hub.request', id);
  return rows[0];
}

async function approve(ctx: Ctx, request: SharingRequest, terms: GrantTerms, predicateId = request.predicateId): Promise<SharingRequest & { grant: Grant }> {
  const grant = await issueGrant(ctx, {
    ...terms, requestId: request.id, consumerSystemId: request.consumerSystemId, consumerDepartmentId: request.consumerDepartmentId,
    resourceId: request.resourceId, predicateId, providerDepartmentId: request.providerDepartmentId,
    purpose: request.purpose, legalBasis: request.legalBasis,
  });
  const decided = await settle(ctx, request, 'approved', null);
  return { ...decided, grant };
}

async function settle(ctx: Ctx, request: SharingRequest, state: RequestState, reason: string | null): Promise<SharingRequest> {
  const { rows } = await ctx.tx.query<SharingRequest>(
    `UPDATE hub_requests q SET state = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE q.id = $1 RETURNING ${requestColumns}`,
    [request.id, state, actorName(ctx.actor), ctx.now, reason]);
  await recordEvent(ctx.tx, request, ctx.now, ctx.actor, state, reason);
  return rows[0]!;
}

/**
 * 审批: the provider's data officer (or a hub administrator, e.g. once escalated) approves, possibly
 * narrowing the fields and adding masking, a row filter, a validity and a daily quota, or refuses with a reason.
 * Never the requester, nor the requesting department's hub administrator; unmasking 核心/重要 fields is the provider's.
 */
export async function decideRequest(ctx: Ctx, input: DecideRequest): Promise<SharingRequest> {
  const request = await lockRequest(ctx.tx, input.requestId);
  await assertProviderOfficer(ctx.tx, ctx.actor, exchangeActions.decide, request.providerDepartmentId);
  assertNotOwnRequest(ctx.actor, request);
  if (request.state !== 'pending' && request.state !== 'escalated')
    throw new DomainError('hub.request.decided', { status: 409, state: request.state }, `request is ${request.state}`);
  const subject = { type: 'hub-request', id: request.id };
  if (!input.approve) {
    const reason = input.reason?.trim();
    if (!reason) throw new DomainError('hub.request.reason-required', { field: 'reason' }, 'a refusal needs a reason');
    const refused = await settle(ctx, request, 'refused', reason);
    await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.request.refused', object: subject, payload: input });
    return refused;
  }
  const resource = (await findResourceById(ctx.tx, request.resourceId));
  const { requestId: _, approve: __, reason: ___, predicate: predicateCode, acceptWarnings, ...given } = input;
  if (predicateCode !== undefined) {
    const predicate = await substitutePredicate(ctx.tx, request, resource, predicateCode);
    const terms: GrantTerms = { ...given, fields: [predicate.field], masking: {} };
    checkTerms(resource, [predicate.field], terms);
    const approved = await approve(ctx, request, terms, predicate.id);
    await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.request.approved', object: subject, payload: input });
    return approved;
  }
  const terms: GrantTerms = { ...given, fields: input.fields ?? request.fields };
  checkTerms(resource, request.fields, terms, 'hub.field.not-requested');
  assertUnmaskingAllowed(ctx.actor, request.providerDepartmentId, resource.fields, terms.masking ?? {});
  // A predicate's grant answers yes or no: masking does not reach what it gives.
  const warnings = request.predicateId !== null ? [] : maskingWarnings(`${request.purpose} ${request.scenario}`, resource.fields, terms.fields, terms.masking ?? {});
  const defeating = warnings.find((w) => w.reason === 'defeats-purpose');
  if (defeating && !acceptWarnings)
    throw new DomainError('hub.masking.defeats-purpose', { status: 409, field: 'masking', value: defeating.field, need: defeating.need,
      example: defeating.example }, `masking ${defeating.field} (${defeating.rule}) leaves ${defeating.example.masked}: useless for the purpose`);
  const approved = await approve(ctx, request, terms);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.request.approved', object: subject, payload: { ...input, warnings } });
  return approved;
}

/** The predicate an approver grants instead of the fields: one of the resource's, for a request that asked for fields. */
async function substitutePredicate(db: Queryable, request: SharingRequest, resource: Resource, code: string): Promise<Predicate> {
  const predicate = await findPredicate(db, code);
  if (!predicate || predicate.resourceId !== resource.id)
    throw new DomainError('hub.predicate.not-found', { status: 404, field: 'predicate' }, `predicate ${code}`);
  if (request.predicateId !== null) throw new DomainError('hub.predicate.already', { status: 409, field: 'predicate' }, 'the request asks a predicate already');
  return predicate;
}

export interface DecisionReview {
  /** what the purpose (with its scenario) needs, as far as the hub can tell */
  needs: PurposeNeed[];
  warnings: MaskingWarning[];
  /** predicates of the resource that answer what the purpose needs: 用谓词代替字段 */
  predicates: { code: string; name: string; description: string; field: string }[];
}

/**
 * What approving with these terms would give the consumer, before the approver commits: the masking
 * warnings and the predicates that fit the purpose. For whoever may decide the request.
 */
export async function reviewDecision(db: Queryable, actor: Actor, input: { requestId: number; fields?: string[]; masking?: Record<string, MaskingRule> }): Promise<DecisionReview> {
  const { rows } = await db.query<SharingRequest>(`SELECT ${requestColumns} FROM hub_requests q WHERE q.id = $1`, [input.requestId]);
  const request = rows[0];
  if (!request) throw notFound('hub.request', input.requestId);
  await assertProviderOfficer(db, actor, exchangeActions.decide, request.providerDepartmentId);
  const resource = await findResourceById(db, request.resourceId);
  const purpose = `${request.purpose} ${request.scenario}`;
  const fields = (input.fields ?? request.fields).filter((code) => request.fields.includes(code));
  if (request.predicateId !== null) return { needs: needsOf(purpose), warnings: [], predicates: [] };
  const { rows: predicates } = await db.query<{ code: string; name: string; description: string; field: string; operator: Predicate['operator'] }>(
    'SELECT code, name, description, field, operator FROM hub_predicates WHERE resource_id = $1 ORDER BY code', [resource.id]);
  return {
    needs: needsOf(purpose),
    warnings: maskingWarnings(purpose, resource.fields, fields, input.masking ?? {}),
    predicates: fittingPredicates(purpose, resource.fields, request.fields, predicates).map(({ operator: _, ...p }) => p),
  };
}

async function findResourceById(db: Queryable, id: number): Promise<Resource> {
  const { rows } = await db.query<{ code: string }>('SELECT code FROM hub_resources WHERE id = $1', [id]);
  return publishedResource(db, rows[0]?.code ?? String(id));
}

/** 撤回: the requesting department takes back a request nobody decided yet. */
export async function withdrawRequest(ctx: Ctx, input: { requestId: number }): Promise<SharingRequest> {
  const request = await lockRequest(ctx.tx, input.requestId);
  assertCan(ctx.actor, exchangeActions.request);
  if (request.consumerDepartmentId !== ctx.actor.departmentId)
    throw new DomainError('hub.request.not-consumer', { status: 403 }, 'not your department\'s request');
  if (request.state !== 'pending' && request.state !== 'escalated')
    throw new DomainError('hub.request.decided', { status: 409, state: request.state }, `request is ${request.state}`);
  const withdrawn = await settle(ctx, request, 'withdrawn', null);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.request.withdrawn', object: { type: 'hub-request', id: request.id } });
  return withdrawn;
}

export interface RequestQuery {
  /** mine: my department's requests; to-approve: waiting for my department (and, for hub administrators, escalated ones). */
  box: 'mine' | 'to-approve';
  state?: RequestState;
}

export async function listRequests(db: Queryable, actor: Actor, query: RequestQuery): Promise<RequestView[]> {
  if (actor.departmentId === null) return [];
  const params: unknown[] = [actor.departmentId];
  let where = query.box === 'mine'
    ? `${hasGrant(actor, exchangeActions.request)} AND q.consumer_department_id = $1`
    : `${hasGrant(actor, exchangeActions.decide)} AND q.state IN ('pending', 'escalated')
       AND (q.provider_department_id = $1 OR (${await isHubAdmin(db, actor)} AND q.state = 'escalated'))`;
  if (query.state) {
    params.push(query.state);
    where += ` AND q.state = $${params.length}`;
  }
  const { rows } = await db.query<RequestView>(
    `SELECT ${requestColumns}, r.code AS "resourceCode", r.name AS "resourceName", p.code AS "predicateCode", s.name AS "systemName",
            cd.name AS "consumerDepartmentName", pd.name AS "providerDepartmentName",
            (SELECT g.id FROM hub_grants g WHERE g.request_id = q.id) AS "grantId"
       FROM hub_requests q
       JOIN hub_resources r ON r.id = q.resource_id
       JOIN hub_systems s ON s.id = q.consumer_system_id
       JOIN departments cd ON cd.id = q.consumer_department_id
       JOIN departments pd ON pd.id = q.provider_department_id
       LEFT JOIN hub_predicates p ON p.id = q.predicate_id
      WHERE ${where}
      ORDER BY ${query.box === 'to-approve' ? 'q.due_at' : 'q.requested_at DESC'} LIMIT 500`, params);
  return rows;
}

/** A request's history (提交, 同意, 不同意, 超期上报, 撤回), for the departments it concerns and hub administrators. */
export async function requestHistory(db: Queryable, actor: Actor, requestId: number) {
  const { rows: found } = await db.query<{ consumer: number; provider: number }>(
    'SELECT consumer_department_id AS consumer, provider_department_id AS provider FROM hub_requests WHERE id = $1', [requestId]);
  if (!found[0] || !seesDepartmentRow(actor, await isHubAdmin(db, actor), exchangeActions.grants, found[0])) throw notFound('hub.request', requestId);
  const { rows } = await db.query<{ at: Date; actor: string; event: string; note: string | null }>(
    'SELECT at, actor, event, note FROM hub_request_events WHERE request_id = $1 ORDER BY at', [requestId]);
  return rows;
}

/**
 * 超期上报: pending requests past their due date go to the hub administrators. Idempotent: only requests
 * still pending change, each once, with a history event and a ledger entry, in one transaction.
 */
export async function escalateOverdueRequests(db: Db, now: Date): Promise<number> {
  const sweeper = systemActor('hub.escalation');
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: number; due_at: Date }>(
      `UPDATE hub_requests SET state = 'escalated', escalated_at = $1 WHERE state = 'pending' AND due_at < $1 RETURNING id, due_at`, [now]);
    for (const row of rows) {
      await recordEvent(tx, row, now, sweeper, 'escalated', null);
      await appendToLedger(tx, { actor: sweeper, action: 'hub.request.escalated', object: { type: 'hub-request', id: row.id }, payload: { dueAt: row.due_at } });
    }
    return rows.length;
  });
}

export interface RequestOptions {
  systems: { id: number; code: string; name: string }[];
  resources: { code: string; name: string; shareType: string; providerName: string }[];
  /** The fields (and predicates) of the resource asked about, to choose from. */
  resource?: { code: string; fields: { code: string; name: string; sensitivity: string; masking: string }[]; predicates: { code: string; name: string }[] };
}

/** What the request form offers: the actor's department's systems and the published resources that may be requested. */
export async function requestOptions(db: Queryable, actor: Actor, resourceCode?: string): Promise<RequestOptions> {
  assertCan(actor, exchangeActions.request);
  const systems = (await listSystems(db, actor)).filter((s) => s.departmentId === actor.departmentId);
  const { rows: resources } = await db.query<RequestOptions['resources'][number]>(
    `SELECT r.code, r.name, r.share_type AS "shareType", d.name AS "providerName" FROM hub_resources r JOIN departments d ON d.id = r.provider_department_id
      WHERE r.published_version IS NOT NULL AND r.status <> 'retired' AND r.share_type <> 'none' ORDER BY r.code LIMIT 2000`);
  const options: RequestOptions = { systems: systems.map(({ id, code, name }) => ({ id, code, name })), resources };
  if (resourceCode) {
    const resource = await publishedResource(db, resourceCode);
    const predicates = await db.query<{ code: string; name: string }>('SELECT code, name FROM hub_predicates WHERE resource_id = $1 ORDER BY code', [resource.id]);
    options.resource = { code: resource.code, fields: resource.fields.map(({ code, name, sensitivity, masking }) => ({ code, name, sensitivity, masking })), predicates: predicates.rows };
  }
  return options;
}
