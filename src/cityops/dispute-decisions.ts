/**
 * Deciding a jurisdiction dispute (管辖争议裁定): the command centre names the unit, with the reason; the case is
 * dispatched to it at once, placed in the grid across the line when the unit serves that side. Made into a
 * rule (成为规则), the decision routes the next case of this component, this place or this grid without a
 * dispute. Neither a candidate unit nor whoever returned the case decides. One transaction: the dispute, the
 * case's step, the rule, and a ledger entry for each.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { dispatchTo, lockCase, type Case } from './cases.ts';
import { decideRefusal, getDispute } from './disputes.ts';
import { insertRule, RULE_RADIUS, type NewRule, type RuleScope } from './jurisdiction-rules.ts';
import { deskKinds, deskOf } from './policy.ts';

export interface DecideDispute {
  disputeId: number;
  departmentId: number;
  reason: string;
  /** 成为规则: make the decision a rule for this component, this place (a radius around the point) or this grid. */
  rule?: { scope: RuleScope; radiusM?: number; anyKind?: boolean } | null;
}

const notFound = (id: number) => new DomainError('cityops.dispute.not-found', { status: 404 }, `no dispute ${id}`);

/** Decides an open dispute: the unit must serve the case's area or a grid around its point. */
export async function decideDispute(ctx: Ctx, input: DecideDispute): Promise<{ disputeId: number; caseId: number; ruleId: number | null }> {
  const { rows } = await ctx.tx.query<{ caseId: number; state: string }>(
    'SELECT case_id::int AS "caseId", state FROM cityops_disputes WHERE id = $1 FOR UPDATE', [input.disputeId]);
  if (!rows[0]) throw notFound(input.disputeId);
  const detail = await getDispute(ctx.tx, ctx.actor, input.disputeId, ctx.now);
  const { view } = detail;
  const refusal = decideRefusal(ctx.actor, await deskOf(ctx.tx, ctx.actor), view);
  if (refusal) throw refusal;
  if (view.state !== 'open') throw new DomainError('cityops.dispute.decided', { status: 409, field: 'state' }, `dispute ${input.disputeId} is decided already`);
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('cityops.case.reason-required', { field: 'reason' });
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('cityops.case.unknown-department', { field: 'departmentId' }, `no department ${input.departmentId}`);
  if (Object.values(deskKinds).includes(department.kind as never))
    throw new DomainError('cityops.case.not-a-unit', { field: 'departmentId' }, `${department.name} is a desk of city operations, not a handling unit`);
  const c = await lockCase(ctx, view.caseId);
  const serves = (divisionCode: string) => divisionCode.startsWith(divisionPrefix(department.divisionCode));
  // Across the line: the first grid around the point on the unit's side.
  const across = serves(c.divisionCode) ? null : detail.grids.features.find((g) => serves(g.properties.divisionCode));
  if (!serves(c.divisionCode) && !across)
    throw new DomainError('cityops.case.unit-outside-area', { field: 'departmentId', divisionCode: c.divisionCode, departmentDivision: department.divisionCode },
      `${department.name} serves neither the case's area nor a grid around its point`);
  const home = across ? { gridCode: across.properties.code, divisionCode: across.properties.divisionCode } : null;
  const rule = input.rule ? ruleOf(c, input.rule, { departmentId: department.id, reason, disputeId: input.disputeId, home }) : null;
  if (rule?.scope === 'grid' && home)
    throw new DomainError('cityops.dispute.rule-grid', { field: 'rule.scope' }, `${department.name} does not serve the case's grid: make the rule for the place`);
  const moved = await dispatchTo(ctx, c, { departmentId: department.id, by: 'dispute', note: reason, home, payload: { disputeId: input.disputeId } });
  const ruleId = rule ? await insertRule(ctx, rule) : null;
  await ctx.tx.query(
    `UPDATE cityops_disputes SET state = 'decided', decided_department_id = $2, decision_reason = $3, decided_by = $4, decided_by_name = $5, decided_at = $6,
       placed_grid_code = $7, rule_id = $8 WHERE id = $1`,
    [input.disputeId, department.id, reason, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.actor.name, ctx.now, home?.gridCode ?? null, ruleId]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.dispute.decided', object: { type: 'cityops-dispute', id: String(input.disputeId) },
    at: ctx.now, payload: { caseId: moved.id, departmentId: department.id, reason, placedIn: home, ruleId, candidates: view.candidates.map((d) => d.id) } });
  return { disputeId: input.disputeId, caseId: moved.id, ruleId };
}

/** The rule a decision makes, refusing a scope the case cannot have (a component rule for a case without one) or a radius out of range. */
function ruleOf(c: Case, rule: NonNullable<DecideDispute['rule']>, decided: { departmentId: number; reason: string; disputeId: number;
  home: { gridCode: string; divisionCode: string } | null }): NewRule {
  const kindCode = rule.anyKind ? null : c.kindCode;
  const base = { kindCode, componentCode: null, gridCode: null, lon: null, lat: null, radiusM: null, divisionCode: c.divisionCode, ...decided };
  if (rule.scope === 'component') {
    if (!c.componentCode) throw new DomainError('cityops.dispute.rule-component', { field: 'rule.scope' }, 'the case names no component');
    return { ...base, scope: 'component', componentCode: c.componentCode, home: null };
  }
  if (rule.scope === 'grid') {
    if (!c.gridCode) throw new DomainError('cityops.dispute.rule-grid', { field: 'rule.scope' }, 'the case lies in no grid');
    return { ...base, scope: 'grid', gridCode: c.gridCode, home: null };
  }
  const radiusM = rule.radiusM ?? RULE_RADIUS.default;
  if (!Number.isInteger(radiusM) || radiusM < RULE_RADIUS.min || radiusM > RULE_RADIUS.max)
    throw new DomainError('cityops.dispute.rule-radius', { field: 'rule.radiusM' }, `a radius is ${RULE_RADIUS.min} to ${RULE_RADIUS.max} m`);
  return { ...base, scope: 'place', lon: c.lon, lat: c.lat, radiusM };
}
