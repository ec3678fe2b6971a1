/** What leaves the API about components and cases: the listed fields, and what the viewer may do with them. */
import type { Actor } from '../kernel/auth/index.ts';
import { can } from '../kernel/auth/index.ts';
import { caseAbilities, type CaseDetail, type CaseView } from './case-reads.ts';
import type { ComponentView } from './components.ts';
import { decideRefusal, type DisputeDetail, type DisputeView } from './disputes.ts';
import type { JurisdictionRule } from './jurisdiction-rules.ts';
import type { Desk } from './policy.ts';
import { cityopsActions } from './policy.ts';

export function presentComponent(component: ComponentView, viewer: Actor) {
  return { ...component, abilities: { edit: can(viewer, cityopsActions.manage, component) } };
}

/** What leaves the API about a case: the listed fields, with what the viewer may do next. */
export function presentCase(c: CaseView, viewer: Actor, desk: Desk) {
  return {
    id: c.id, code: c.code, source: c.source, sourceRef: c.sourceRef, kindCode: c.kindCode, kindNameZh: c.kindNameZh, kindNameEn: c.kindNameEn,
    kindType: c.kindType, urgency: c.urgency, state: c.state, outcome: c.outcome, reason: c.reason, description: c.description, address: c.address,
    lon: c.lon, lat: c.lat, gridCode: c.gridCode, gridName: c.gridName, divisionCode: c.divisionCode, divisionName: c.divisionName,
    componentCode: c.componentCode, reporterName: c.reporterName, assigneeUserId: c.assigneeUserId, assigneeName: c.assigneeName,
    workerUserId: c.workerUserId, workerName: c.workerName,
    departmentId: c.departmentId, departmentName: c.departmentName, reply: c.reply, reworkCount: c.reworkCount, hotlineTicketId: c.hotlineTicketId,
    stepStartedAt: c.stepStartedAt, warnAt: c.warnAt, dueAt: c.dueAt, warnedAt: c.warnedAt, supervisedAt: c.supervisedAt, overdue: c.overdue,
    handleDueAt: c.handleDueAt, disputeId: c.disputeId, rating: c.rating, ratingComment: c.ratingComment, createdAt: c.createdAt, updatedAt: c.updatedAt, closedAt: c.closedAt,
    abilities: caseAbilities(c, viewer, desk),
  };
}

export function presentCaseDetail(d: CaseDetail, viewer: Actor) {
  return { ...presentCase(d.view, viewer, d.desk), filingCondition: d.kind.filingCondition, closingCondition: d.kind.closingCondition,
    events: d.events, photos: d.photos, positions: d.positions,
    route: d.route && { departmentId: d.route.departmentId, departmentName: d.route.departmentName, by: d.route.by } };
}

/** What leaves the API about a jurisdiction dispute: whether the viewer may decide it, not who returned the case. */
export function presentDispute(x: DisputeView, viewer: Actor, desk: Desk) {
  const { returnerUserIds, ...fields } = x;
  return { ...fields, abilities: { decide: x.state === 'open' && decideRefusal(viewer, desk, x) === null } };
}

export function presentDisputeDetail(d: DisputeDetail, viewer: Actor) {
  return { ...presentDispute(d.view, viewer, d.desk), grids: d.grids, component: d.component, returns: d.returns };
}

export function presentRule(rule: JurisdictionRule, viewer: Actor, desk: Desk) {
  return { ...rule, abilities: { retire: rule.retiredAt === null && (desk === 'platform' || desk === 'command')
    && can(viewer, cityopsActions.disputeDecide, rule) } };
}
