/** 授权: what a consumer system may read of a resource (or ask of a predicate), and its revocation. */
import type { Actor, Ctx } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import type { Resource, RowFilter } from './catalogue.ts';
import { hubAdminSql, isHubAdmin, maskings } from './catalogue.ts';
import { assertProviderOfficer, departmentScope, exchangeActions } from './policy.ts';
import { ttlCache } from '../../kernel/cache.ts';
import { chinaDayBounds } from './settings.ts';

export type MaskingRule = (typeof maskings)[number];

/** Who shares what with whom, and why: a request and the grant it leads to carry these alike. */
export interface SharingParties {
  consumerSystemId: number;
  consumerDepartmentId: number;
  resourceId: number;
  predicateId: number | null;
  providerDepartmentId: number;
  purpose: string;
  legalBasis: string;
}

/** The names a list shows beside a request or a grant. */
export interface SharingNames {
  resourceCode: string;
  resourceName: string;
  predicateCode: string | null;
  systemName: string;
  consumerDepartmentName: string;
  providerDepartmentName: string;
}

export interface Grant extends SharingParties {
  id: number;
  requestId: number | null;
  fields: string[];
  masking: Record<string, MaskingRule>;
  rowFilter: RowFilter;
  validFrom: Date;
  validUntil: Date | null;
  dailyQuota: number | null;
  grantedBy: string;
  grantedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export const grantColumns = `g.id, g.request_id AS "requestId", g.consumer_system_id AS "consumerSystemId",
  g.consumer_department_id AS "consumerDepartmentId", g.resource_id AS "resourceId", g.predicate_id AS "predicateId",
  g.provider_department_id AS "providerDepartmentId", g.fields, g.masking, g.row_filter AS "rowFilter", g.purpose,
  g.legal_basis AS "legalBasis", g.valid_from AS "validFrom", g.valid_until AS "validUntil", g.daily_quota AS "dailyQuota",
  g.granted_by AS "grantedBy", g.granted_at AS "grantedAt", g.revoked_at AS "revokedAt", g.revoked_by AS "revokedBy",
  g.revoke_reason AS "revokeReason"`;

/** The terms a provider sets when granting (all optional but the fields). */
export interface GrantTerms {
  fields: string[];
  masking?: Record<string, MaskingRule>;
  rowFilter?: RowFilter;
  validFrom?: string;
  validUntil?: string;
  dailyQuota?: number;
}

/**
 * Checks terms against the resource: fields among `allowedFields`, masking rules for granted fields only,
 * row filters over the resource's own fields, a validity that ends after it starts. Names the field at fault.
 */
export function checkTerms(resource: Resource, allowedFields: readonly string[], terms: GrantTerms, fieldsError = 'hub.field.unknown'): void {
  if (terms.fields.length === 0) throw new DomainError(fieldsError, { field: 'fields' }, 'at least one field');
  for (const code of terms.fields)
    if (!allowedFields.includes(code)) throw new DomainError(fieldsError, { field: 'fields', value: code }, `field ${code}`);
  for (const [code, rule] of Object.entries(terms.masking ?? {}))
    if (!terms.fields.includes(code) || !(maskings as readonly string[]).includes(rule))
      throw new DomainError('hub.masking.invalid', { field: 'masking', value: code }, `masking of ${code}`);
  const known = new Set(resource.fields.map((f) => f.code));
  for (const [i, condition] of (terms.rowFilter ?? []).entries())
    if (!known.has(condition.field) || (condition.op === 'in') !== Array.isArray(condition.value))
      throw new DomainError('hub.row-filter.invalid', { field: `rowFilter.${i}`, value: condition.field }, 'row filter');
  if (terms.validFrom && terms.validUntil && Date.parse(terms.validUntil) <= Date.parse(terms.validFrom))
    throw new DomainError('hub.validity.invalid', { field: 'validUntil' }, 'validity ends before it starts');
}

export interface IssueGrant extends GrantTerms, SharingParties {
  requestId: number | null;
}

/** Issues a grant on the caller's transaction (from an approved request); the ledger entry goes with it. */
export async function issueGrant(ctx: Ctx, input: IssueGrant): Promise<Grant> {
  const { rows } = await ctx.tx.query<Grant>(
    `INSERT INTO hub_grants AS g (request_id, consumer_system_id, consumer_department_id, resource_id, predicate_id,
       provider_department_id, fields, masking, row_filter, purpose, legal_basis, valid_from, valid_until, daily_quota, granted_by, granted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${grantColumns}`,
    [input.requestId, input.consumerSystemId, input.consumerDepartmentId, input.resourceId, input.predicateId, input.providerDepartmentId,
      input.fields, JSON.stringify(input.masking ?? {}), JSON.stringify(input.rowFilter ?? []), input.purpose, input.legalBasis,
      input.validFrom ? new Date(input.validFrom) : ctx.now, input.validUntil ? new Date(input.validUntil) : null,
      input.dailyQuota ?? null, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  const grant = rows[0]!;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.grant.issued', object: { type: 'hub-grant', id: grant.id }, payload: grant });
  grantCache.clear();
  return grant;
}

/** 撤销授权: the provider's data officer (or a hub administrator) ends a grant at once. */
export async function revokeGrant(ctx: Ctx, input: { grantId: number; reason: string }): Promise<Grant> {
  const { rows } = await ctx.tx.query<Grant>(`SELECT ${grantColumns} FROM hub_grants g WHERE g.id = $1 FOR UPDATE`, [input.grantId]);
  const grant = rows[0];
  if (!grant) throw notFound('hub.grant', input.grantId);
  await assertProviderOfficer(ctx.tx, ctx.actor, exchangeActions.decide, grant.providerDepartmentId);
  if (grant.revokedAt) throw new DomainError('hub.grant.revoked', { status: 409 }, 'revoked already');
  const revoked = await ctx.tx.query<Grant>(
    `UPDATE hub_grants g SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE g.id = $1 RETURNING ${grantColumns}`,
    [grant.id, ctx.now, `${ctx.actor.kind}:${ctx.actor.id}`, input.reason]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.grant.revoked', object: { type: 'hub-grant', id: grant.id }, payload: input });
  grantCache.clear();
  return revoked.rows[0]!;
}

// Grants change rarely and are read on every call; issuing or revoking one in this process clears the cache.
const grantCache = ttlCache<(Grant & { approverActive: boolean })[]>(2_000);

/**
 * A grant stands while the person who approved it could still approve it: enabled, and a data officer of
 * the provider or a hub administrator. Grants the hub gave (无条件) stand.
 */
const approverActive = `(g.granted_by NOT LIKE 'staff:%' OR EXISTS (SELECT 1 FROM users u
  WHERE u.id = CASE WHEN g.granted_by LIKE 'staff:%' THEN substring(g.granted_by from 7)::bigint END
    AND ((NOT u.disabled AND 'data_officer' = ANY(u.roles) AND u.department_id = g.provider_department_id) OR ${hubAdminSql('u')})))`;

/**
 * The grant a system holds on a resource (or a predicate of it) at `now`. Deny by default: throws 403
 * naming why (none, not yet valid, expired, approver no longer entitled); revoked grants are never returned.
 */
export async function activeGrant(db: Queryable, systemId: number, resourceId: number, predicateId: number | null, now: Date): Promise<Grant> {
  const grants = await grantCache.get(`${systemId}:${resourceId}:${predicateId ?? ''}`, async () => (await db.query<Grant & { approverActive: boolean }>(
    `SELECT ${grantColumns}, ${approverActive} AS "approverActive" FROM hub_grants g
      WHERE g.consumer_system_id = $1 AND g.resource_id = $2 AND g.predicate_id IS NOT DISTINCT FROM $3 AND g.revoked_at IS NULL
      ORDER BY g.granted_at DESC`, [systemId, resourceId, predicateId])).rows);
  const current = grants.filter((g) => g.validFrom <= now && (g.validUntil === null || g.validUntil > now));
  const valid = current.find((g) => g.approverActive);
  if (valid) {
    const { approverActive: _, ...grant } = valid;
    return grant;
  }
  const code = current.length > 0 ? 'hub.grant.approver-gone' : grants.some((g) => g.validFrom > now) ? 'hub.grant.not-yet-valid'
    : grants.length > 0 ? 'hub.grant.expired' : 'hub.no-grant';
  throw new DomainError(code, { status: 403 }, 'no valid grant');
}

/** A grant as lists show it, with names and how many calls it answered today. */
export interface GrantView extends Grant, SharingNames {
  callsToday: number;
  /** the viewer's department is the party of the list's side (holder, giver, or either) */
  ours: boolean;
}

export interface GrantQuery {
  side?: 'consumer' | 'provider';
  active?: boolean;
  /** hub administrators: their own department's grants (the default) or every department's */
  departments?: 'own' | 'all';
}

/**
 * Grants the actor's department holds or gave, newest first. A hub administrator sees every department's
 * when asking for all; by default their own department's, like everyone else.
 */
export async function listGrants(db: Queryable, actor: Actor, query: GrantQuery, now = new Date()): Promise<GrantView[]> {
  const params: unknown[] = [];
  const everyDepartment = query.departments === 'all' && await isHubAdmin(db, actor);
  const columns = {
    consumer: query.side === 'provider' ? '-1' : 'g.consumer_department_id', provider: query.side === 'consumer' ? '-1' : 'g.provider_department_id',
  };
  const where = [departmentScope(actor, everyDepartment, exchangeActions.grants, columns, params)];
  params.push(actor.departmentId ?? -1);
  const ours = `(${columns.consumer} = $${params.length} OR ${columns.provider} = $${params.length})`;
  if (query.active) where.push('g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > now())');
  params.push(chinaDayBounds(now).start);
  const { rows } = await db.query<GrantView>(
    `SELECT ${grantColumns}, r.code AS "resourceCode", r.name AS "resourceName", p.code AS "predicateCode", s.name AS "systemName",
            cd.name AS "consumerDepartmentName", pd.name AS "providerDepartmentName", ${ours} AS ours,
            (SELECT count(*)::int FROM hub_evidence e WHERE e.grant_id = g.id AND e.status = 200 AND e.at >= $${params.length}) AS "callsToday"
       FROM hub_grants g
       JOIN hub_resources r ON r.id = g.resource_id
       JOIN hub_systems s ON s.id = g.consumer_system_id
       JOIN departments cd ON cd.id = g.consumer_department_id
       JOIN departments pd ON pd.id = g.provider_department_id
       LEFT JOIN hub_predicates p ON p.id = g.predicate_id
      WHERE ${where.join(' AND ')} ORDER BY g.granted_at DESC LIMIT 500`, params);
  return rows;
}
