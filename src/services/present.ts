/**
 * What leaves the API. Items are public. An application shows its clocks (statutory, committed, actual)
 * and the buttons its viewer may press (`abilities`); the form and materials only to the applicant and
 * the staff who may read it (the route has checked that already).
 */
import type { Actor } from '../kernel/auth/index.ts';
import { hasGrant } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { itemKinds, type ServiceItem } from './items.ts';
import { applicationHistory, pausesOf, uploadedMaterials, type Application, type ApplicationStep } from './applications.ts';
import { isApplicant, servicesActions } from './policy.ts';
import { ratingsOf, type Rating } from './ratings.ts';

export function presentItem(item: ServiceItem) {
  return {
    id: item.id, code: item.code, name: item.name, kind: item.kind, kindName: itemKinds[item.kind as keyof typeof itemKinds]?.zh,
    itemGroup: item.itemGroup ?? null, department: { id: item.departmentId, code: item.departmentCode, name: item.departmentName },
    divisionCode: item.divisionCode, implementingBody: item.implementingBody, level: item.level, legalBasis: item.legalBasis,
    conditions: item.conditions, materials: item.materials, statutoryDays: item.statutoryDays, committedDays: item.committedDays,
    fee: item.fee, visits: item.visits, fullyOnline: item.fullyOnline, steps: item.steps, lifeEvents: item.lifeEvents,
    formSchema: item.formSchema, prefill: item.prefill, issuesCredentialType: item.issuesCredentialType ?? null, online: item.online,
    guide: item.guide, applyOnline: item.online && item.formSchema !== null, updatedAt: item.updatedAt, amountKind: item.amountKind,
  };
}

/** A short line of an item for lists. */
export const presentItemSummary = (item: ServiceItem) => ({
  id: item.id, code: item.code, name: item.name, kind: item.kind, kindName: itemKinds[item.kind as keyof typeof itemKinds]?.zh,
  department: { id: item.departmentId, name: item.departmentName }, statutoryDays: item.statutoryDays, committedDays: item.committedDays,
  visits: item.visits, fullyOnline: item.fullyOnline, lifeEvents: item.lifeEvents, applyOnline: item.online && item.formSchema !== null,
});

export interface ApplicationView {
  app: Application;
  item: ServiceItem;
  history: ApplicationStep[];
  materials: Awaited<ReturnType<typeof uploadedMaterials>>;
  ratings: Rating[];
  /** working days used so far, pauses left out (null before submission) */
  elapsedDays: number | null;
}

export async function loadApplicationView(db: Queryable, app: Application, item: ServiceItem, now: Date): Promise<ApplicationView> {
  const calendar = await loadCalendar(db);
  const elapsedDays = app.actualDays ?? (app.submittedAt ? Math.max(0, calendar.elapsedWorkingDays(app.submittedAt, now, pausesOf(app))) : null);
  // One after another: `db` may be the command's single connection.
  const history = await applicationHistory(db, app.id);
  const materials = await uploadedMaterials(db, app.id);
  return { app, item, history, materials, ratings: await ratingsOf(db, app.id), elapsedDays };
}

/** What the viewer may do next; the server checks again when they do. */
function abilities(view: ApplicationView, viewer: Actor): string[] {
  const { app, item } = view;
  if (isApplicant(viewer, app)) {
    if (app.state === 'draft') return ['save', 'upload', 'submit'];
    if (app.state === 'correction') return ['save', 'upload', 'answer-correction'];
    const caseRated = view.ratings.some((r) => r.stepId === null);
    return (app.state === 'finished' || app.state === 'rejected') && !caseRated ? ['rate'] : [];
  }
  if (!hasGrant(viewer, servicesActions.handle)) return [];
  const mine = hasGrant(viewer, '*') || viewer.roles.includes('platform_admin') || viewer.departmentId === app.departmentId;
  if (!mine) return [];
  const last = app.stepIndex >= item.steps.length - 1;
  switch (app.state) {
    case 'submitted': return ['accept', 'reject', 'request-correction'];
    case 'accepted': return [last ? 'decide' : 'advance', 'request-correction'];
    case 'approved':
    case 'refused': return ['finish'];
    default: return [];
  }
}

export function presentApplication(view: ApplicationView, viewer: Actor) {
  const { app, item } = view;
  const open = app.pauses.find((p) => !p.to);
  return {
    id: app.id, receiptNumber: app.receiptNumber, state: app.state, channel: app.channel,
    item: { id: item.id, code: item.code, name: item.name, kind: item.kind, steps: item.steps, materials: item.materials,
      formSchema: item.formSchema, issuesCredentialType: item.issuesCredentialType ?? null, amountKind: item.amountKind },
    department: { id: item.departmentId, name: item.departmentName },
    applicant: { id: app.applicantId, name: app.applicantName },
    form: app.form, prefilled: app.prefilled,
    currentStep: app.state === 'accepted' ? item.steps[Math.min(app.stepIndex, item.steps.length - 1)] : null,
    signedBy: app.signedBy, reason: app.reason, amount: app.amount, correctionNote: app.correctionNote,
    clock: {
      submittedAt: app.submittedAt, statutoryDays: app.statutoryDays, committedDays: app.committedDays,
      statutoryDue: app.statutoryDue, committedDue: app.committedDue, elapsedDays: view.elapsedDays, actualDays: app.actualDays,
      paused: open !== undefined, pausedSince: open?.from ?? null, overdue: app.overdue, escalatedAt: app.escalatedAt,
      finishedAt: app.finishedAt,
    },
    materials: view.materials,
    history: view.history.map((h) => ({ id: h.id, at: h.at, action: h.action, stepKey: h.stepKey, actorName: h.actorName,
      fromState: h.fromState, toState: h.toState, note: h.note,
      // a step staff took may be rated by the applicant, once
      rateable: isApplicant(viewer, app) && h.actorId.startsWith('staff:') && !view.ratings.some((r) => r.stepId === h.id) })),
    ratings: view.ratings.map((r) => ({ id: r.id, stepId: r.stepId, level: r.level, comment: r.comment, defaulted: r.defaulted,
      ratedAt: r.ratedAt, rectificationId: r.rectificationId })),
    abilities: abilities(view, viewer),
    createdAt: app.createdAt, updatedAt: app.updatedAt,
  };
}

/** A queue line: the clocks without the form. */
export function presentApplicationRow(row: Application & { itemName: string; itemCode: string; departmentName: string }) {
  return {
    id: row.id, receiptNumber: row.receiptNumber, state: row.state, channel: row.channel,
    item: { id: row.itemId, name: row.itemName, code: row.itemCode }, department: { id: row.departmentId, name: row.departmentName },
    applicant: { name: row.applicantName }, submittedAt: row.submittedAt, statutoryDue: row.statutoryDue, committedDue: row.committedDue,
    paused: row.state === 'correction', overdue: row.overdue, actualDays: row.actualDays, finishedAt: row.finishedAt,
  };
}
