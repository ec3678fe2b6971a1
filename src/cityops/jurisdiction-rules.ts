/**
 * 管辖规则: a jurisdiction dispute's decision made general, so that the next case of the same place routes at
 * once: this component (部件), this place (a radius around the disputed point: a stretch of road, a corner on
 * the line between two areas) or this grid, for the case's kind or any kind, belongs to this unit. Routing
 * (ownership.ts) consults the live rules before component ownership and the catalogue; a
 * retired rule stays listed with who retired it and why.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { hasGrant, inJurisdiction } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { assertDesk, cityopsActions as a, deskOf, seesJurisdiction } from './policy.ts';

export const ruleScopes = ['component', 'place', 'grid'] as const;
export type RuleScope = (typeof ruleScopes)[number];
/** A place rule's radius: wide enough for a stretch of road, narrow enough not to swallow a neighbourhood. */
export const RULE_RADIUS = { min: 10, max: 300, default: 30 } as const;

export interface JurisdictionRule {
  id: number;
  scope: RuleScope;
  kindCode: string | null;
  kindNameZh: string | null;
  componentCode: string | null;
  gridCode: string | null;
  gridName: string | null;
  lon: number | null;
  lat: number | null;
  radiusM: number | null;
  homeGridCode: string | null;
  divisionCode: string;
  divisionName: string | null;
  departmentId: number;
  departmentName: string;
  reason: string;
  disputeId: number | null;
  createdByName: string;
  createdAt: Date;
  retiredAt: Date | null;
  retiredByName: string | null;
  retiredReason: string | null;
}

const ruleFrom = `SELECT r.id::int, r.scope, r.kind_code AS "kindCode", k.name_zh AS "kindNameZh", r.component_code AS "componentCode",
    r.grid_code AS "gridCode", g.name AS "gridName", r.lon, r.lat, r.radius_m AS "radiusM", r.home_grid_code AS "homeGridCode",
    r.division_code AS "divisionCode", dv.name AS "divisionName", r.department_id::int AS "departmentId", d.name AS "departmentName", r.reason,
    r.dispute_id::int AS "disputeId", r.created_by_name AS "createdByName", r.created_at AS "createdAt", r.retired_at AS "retiredAt",
    r.retired_by_name AS "retiredByName", r.retired_reason AS "retiredReason"
  FROM cityops_jurisdiction_rules r JOIN departments d ON d.id = r.department_id LEFT JOIN cityops_case_kinds k ON k.code = r.kind_code
  LEFT JOIN grids g ON g.code = r.grid_code LEFT JOIN divisions dv ON dv.code = r.division_code`;

export interface RuleMatch {
  id: number;
  scope: RuleScope;
  departmentId: number;
  departmentName: string;
  departmentDivision: string;
  home: { gridCode: string; divisionCode: string } | null;
}

/**
 * The live rule for a case, if any: a component's rule first, then the nearest place whose radius holds the
 * point, then the grid's; a rule for the case's kind before one for any kind, the newest first.
 */
export async function matchRule(db: Queryable, c: { kindCode: string; componentCode: string | null; gridCode: string | null; lon: number; lat: number }):
  Promise<RuleMatch | null> {
  const { rows } = await db.query<RuleMatch & { homeGridCode: string | null; homeDivisionCode: string | null }>(
    `SELECT r.id::int, r.scope, r.department_id::int AS "departmentId", d.name AS "departmentName", d.division_code AS "departmentDivision",
            r.home_grid_code AS "homeGridCode", r.home_division_code AS "homeDivisionCode"
       FROM cityops_jurisdiction_rules r JOIN departments d ON d.id = r.department_id,
            LATERAL (SELECT sqrt(((r.lat - $5) * 111320) ^ 2 + ((r.lon - $4) * 111320 * cos(radians($5))) ^ 2) AS m) AS far
      WHERE r.retired_at IS NULL AND (r.kind_code IS NULL OR r.kind_code = $1)
        AND ((r.scope = 'component' AND r.component_code = $2) OR (r.scope = 'grid' AND r.grid_code = $3)
          OR (r.scope = 'place' AND far.m <= r.radius_m))
      ORDER BY array_position(ARRAY['component', 'place', 'grid'], r.scope), (r.kind_code IS NULL), CASE WHEN r.scope = 'place' THEN far.m END,
               r.created_at DESC, r.id DESC
      LIMIT 1`,
    [c.kindCode, c.componentCode, c.gridCode, c.lon, c.lat]);
  const r = rows[0];
  if (!r) return null;
  const { homeGridCode, homeDivisionCode, ...rule } = r;
  return { ...rule, home: homeGridCode && homeDivisionCode ? { gridCode: homeGridCode, divisionCode: homeDivisionCode } : null };
}

/** What a decision makes into a rule. */
export interface NewRule {
  scope: RuleScope;
  kindCode: string | null;
  componentCode: string | null;
  gridCode: string | null;
  lon: number | null;
  lat: number | null;
  radiusM: number | null;
  home: { gridCode: string; divisionCode: string } | null;
  divisionCode: string;
  departmentId: number;
  reason: string;
  disputeId: number;
}

/** Stores a rule a decision made (dispute-decisions.ts checks the decider and the unit), with its ledger entry. */
export async function insertRule(ctx: Ctx, rule: NewRule): Promise<number> {
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO cityops_jurisdiction_rules (scope, kind_code, component_code, grid_code, lon, lat, radius_m, home_grid_code, home_division_code, division_code,
       department_id, reason, dispute_id, created_by, created_by_name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id::int`,
    [rule.scope, rule.kindCode, rule.componentCode, rule.gridCode, rule.lon, rule.lat, rule.radiusM, rule.home?.gridCode ?? null, rule.home?.divisionCode ?? null,
      rule.divisionCode, rule.departmentId, rule.reason, rule.disputeId, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.actor.name, ctx.now]);
  const id = rows[0]!.id;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.jurisdiction-rule.created', object: { type: 'jurisdiction-rule', id: String(id) },
    at: ctx.now, payload: { ...rule } });
  return id;
}

/** Refuses (403) a reader who does not see a whole jurisdiction's cases (centres and overseers). */
export async function assertReadsDisputes(db: Queryable, actor: Actor): Promise<void> {
  if (!hasGrant(actor, a.caseRead) || !seesJurisdiction(actor, await deskOf(db, actor)))
    throw new DomainError('forbidden', { status: 403, action: a.caseRead }, 'jurisdiction disputes are for the centres and overseers');
}

/** The rules of the actor's jurisdiction (by the area of the case each came from), live first, newest first. */
export async function listRules(db: Queryable, actor: Actor, filter: { retired?: boolean }): Promise<JurisdictionRule[]> {
  await assertReadsDisputes(db, actor);
  const params: unknown[] = [];
  const where = [inJurisdiction('r.division_code', actor.jurisdiction, params)];
  if (filter.retired !== undefined) where.push(filter.retired ? 'r.retired_at IS NOT NULL' : 'r.retired_at IS NULL');
  return (await db.query<JurisdictionRule>(`${ruleFrom} WHERE ${where.join(' AND ')} ORDER BY (r.retired_at IS NOT NULL), r.created_at DESC, r.id DESC LIMIT 500`,
    params)).rows;
}

export async function findRule(db: Queryable, id: number): Promise<JurisdictionRule | null> {
  return (await db.query<JurisdictionRule>(`${ruleFrom} WHERE r.id = $1`, [id])).rows[0] ?? null;
}

/** Retires a rule (the command centre), with the reason: routing no longer consults it; it stays listed. */
export async function retireRule(ctx: Ctx, input: { id: number; reason: string }): Promise<JurisdictionRule> {
  const { rows } = await ctx.tx.query<{ divisionCode: string; retiredAt: Date | null }>(
    'SELECT division_code AS "divisionCode", retired_at AS "retiredAt" FROM cityops_jurisdiction_rules WHERE id = $1 FOR UPDATE', [input.id]);
  const rule = rows[0];
  if (!rule || !ctx.actor.jurisdiction.covers(rule.divisionCode))
    throw new DomainError('cityops.jurisdiction-rule.not-found', { status: 404 }, `no rule ${input.id}`);
  await assertDesk(ctx.tx, ctx.actor, a.disputeDecide, 'command', rule);
  if (rule.retiredAt !== null) throw new DomainError('cityops.jurisdiction-rule.retired', { status: 409, field: 'id' }, `rule ${input.id} is retired already`);
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('cityops.case.reason-required', { field: 'reason' });
  await ctx.tx.query('UPDATE cityops_jurisdiction_rules SET retired_at = $2, retired_by_name = $3, retired_reason = $4 WHERE id = $1',
    [input.id, ctx.now, ctx.actor.name, reason]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.jurisdiction-rule.retired', object: { type: 'jurisdiction-rule', id: String(input.id) },
    at: ctx.now, payload: { reason } });
  return (await findRule(ctx.tx, input.id))!;
}
