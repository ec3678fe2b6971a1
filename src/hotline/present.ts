/**
 * What leaves the API about a ticket. The caller's name and phone are masked unless the detail view
 * showed them to the intake operator or the handling department (and wrote that to the ledger); an
 * anonymous report shows no caller at all. Deadlines come with whether they are overdue now.
 */
import type { Actor } from '../kernel/auth/index.ts';
import { hasGrant } from '../kernel/auth/index.ts';
import { returnReasons, transitionsFrom, type Transition } from './states.ts';
import type { Ticket, TicketEvent, TicketView } from './tickets.ts';
import type { DuplicateSuggestion } from './duplicates.ts';
import type { Category } from './catalogue.ts';
import type { CategorySuggestion } from './classification.ts';
import type { Alert } from './deadlines.ts';
import type { KnowledgeEntry } from './knowledge.ts';
import { photoUrl } from './photos.ts';
import type { PublicStatus } from './reports.ts';

/** 张三 → 张*; 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export interface Overdue {
  accept: boolean;
  reply: boolean;
  resolve: boolean;
  any: boolean;
}

/** Which deadlines a ticket has missed by `now` (a met deadline is never overdue). */
export function overdueOf(ticket: Ticket, now: Date): Overdue {
  const open = ticket.state !== 'closed' && ticket.state !== 'merged';
  const accept = ticket.state === 'dispatched' && ticket.acceptDue !== null && ticket.acceptDue < now;
  const reply = open && ['received', 'dispatched', 'accepted', 'returned'].includes(ticket.state) && ticket.replyDue < now;
  const resolve = open && ticket.resolveDue < now;
  return { accept, reply, resolve, any: accept || reply || resolve };
}

const centreTransitions: readonly Transition[] = ['dispatch', 'redispatch', 'close', 'answer', 'callback', 'merge'];
const handlerTransitions: readonly Transition[] = ['accept', 'return', 'reply'];

/** The buttons the viewer may press on this ticket now. */
export function abilitiesOf(ticket: Ticket, viewer: Actor, centre: boolean): Transition[] {
  const admin = hasGrant(viewer, '*') || viewer.roles.includes('platform_admin');
  const handler = admin || (viewer.departmentId !== null && viewer.departmentId === ticket.departmentId && hasGrant(viewer, 'hotline.ticket.handle'));
  return transitionsFrom(ticket.state).filter((t) =>
    (centre && centreTransitions.includes(t) && (t !== 'answer' || ticket.kind === 'consultation') && (t !== 'callback' || ticket.calledBackAt === null))
    || (handler && handlerTransitions.includes(t)));
}

function iso(d: Date): string;
function iso(d: Date | null): string | null;
function iso(d: Date | null) {
  return d === null ? null : d.toISOString();
}

export function presentTicket(ticket: Ticket, viewer: Actor, opts: { showCaller?: boolean; centre?: boolean; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const caller = ticket.anonymous ? null : {
    name: ticket.callerName === null ? null : opts.showCaller ? ticket.callerName : maskName(ticket.callerName),
    phone: ticket.callerPhone === null ? null : opts.showCaller ? ticket.callerPhone : maskPhone(ticket.callerPhone),
    masked: opts.showCaller !== true,
  };
  return {
    id: ticket.id,
    number: ticket.number,
    channel: ticket.channel,
    kind: ticket.kind,
    category: { code: ticket.categoryCode, path: ticket.categoryPath },
    urgency: ticket.urgency,
    emergency: ticket.emergency,
    emergencyKind: ticket.emergencyKind,
    transferTo: ticket.transferTo,
    suggestion: ticket.suggestedCategoryCode === null ? null
      : { categoryCode: ticket.suggestedCategoryCode, confidence: ticket.suggestionConfidence, corrected: ticket.categoryCorrected },
    description: ticket.description,
    location: { lon: ticket.lon, lat: ticket.lat, address: ticket.address, divisionCode: ticket.divisionCode, gridCode: ticket.gridCode,
      addressMismatch: ticket.addressMismatch },
    anonymous: ticket.anonymous,
    caller,
    state: ticket.state,
    department: ticket.departmentId === null ? null : { id: ticket.departmentId, name: ticket.departmentName },
    mainTicketId: ticket.mainTicketId,
    reopenCount: ticket.reopenCount,
    reply: ticket.reply,
    callback: ticket.calledBackAt === null ? null : { resolved: ticket.resolved, satisfaction: ticket.satisfaction, at: iso(ticket.calledBackAt) },
    needsSupervision: ticket.needsSupervision,
    times: {
      receivedAt: iso(ticket.receivedAt), dispatchedAt: iso(ticket.dispatchedAt), acceptedAt: iso(ticket.acceptedAt),
      repliedAt: iso(ticket.repliedAt), closedAt: iso(ticket.closedAt), updatedAt: iso(ticket.updatedAt),
    },
    deadlines: { acceptDue: iso(ticket.acceptDue), replyDue: iso(ticket.replyDue), resolveDue: iso(ticket.resolveDue),
      provisional: ticket.deadlineProvisional },
    overdue: overdueOf(ticket, now),
    abilities: abilitiesOf(ticket, viewer, opts.centre ?? false),
  };
}

export function presentEvent(event: TicketEvent) {
  return {
    at: event.at.toISOString(),
    action: event.action,
    actor: { kind: event.actorKind, id: event.actorId, name: event.actorName },
    from: event.fromState,
    to: event.toState,
    department: event.departmentId === null ? null : { id: event.departmentId, name: event.departmentName },
    reasonCode: event.reasonCode,
    note: event.note,
  };
}

export function presentTicketView(view: TicketView, viewer: Actor) {
  return {
    ...presentTicket(view.ticket, viewer, { showCaller: view.showCaller, centre: view.centre }),
    routedDepartmentId: view.routedDepartmentId,
    pendingExtension: view.pendingExtension && { ...view.pendingExtension, requestedAt: view.pendingExtension.requestedAt.toISOString() },
    merged: view.merged,
    coHandlers: view.coHandlers.map((h) => ({ ...h, repliedAt: iso(h.repliedAt) })),
    mayCoReply: view.mayCoReply,
    photos: view.photoIds.map((id) => ({ id, url: photoUrl(id) })),
    history: view.history.map(presentEvent),
  };
}

/** A ticket as its reporter and the public status page see it: what happens to it, never who the people are. */
export function presentPublicTicket(ticket: Ticket) {
  const answered = ticket.state === 'replied' || ticket.state === 'closed' || (ticket.state === 'merged' && ticket.reply !== null);
  return {
    number: ticket.number,
    state: ticket.state,
    kind: ticket.kind,
    channel: ticket.channel,
    category: { code: ticket.categoryCode, path: ticket.categoryPath },
    description: ticket.description,
    address: ticket.address,
    receivedAt: iso(ticket.receivedAt),
    deadlines: { replyDue: iso(ticket.replyDue), resolveDue: iso(ticket.resolveDue) },
    department: ticket.departmentName,
    reply: answered ? ticket.reply : null,
    repliedAt: answered ? iso(ticket.repliedAt) : null,
    closedAt: iso(ticket.closedAt),
  };
}

/** The public status; photo urls carry the status token, which is what lets the reporter see them. */
export function presentPublicStatus(status: PublicStatus, token: string) {
  return {
    ...presentPublicTicket(status.ticket),
    timeline: status.timeline.map((e) => ({ at: e.at.toISOString(), action: e.action, state: e.state, department: e.department })),
    photos: status.photoIds.map((id) => ({ id, url: `${photoUrl(id)}?token=${encodeURIComponent(token)}` })),
  };
}

export function presentDuplicate(d: DuplicateSuggestion) {
  return { id: d.id, number: d.number, state: d.state, description: d.description, address: d.address, lon: d.lon, lat: d.lat,
    receivedAt: d.receivedAt.toISOString(), distanceMetres: Math.round(d.distanceMetres * 10) / 10 };
}

/** The live suggestion for the operator's console: category, alternatives, urgency and an emergency to transfer. */
export function presentSuggestion(s: CategorySuggestion) {
  const category = (c: Category) => ({ code: c.code, name: c.name, path: c.path });
  return {
    category: s.category && category(s.category),
    confidence: s.confidence,
    uncertain: s.uncertain,
    alternatives: s.alternatives.map((a) => ({ ...category(a.category), confidence: a.confidence })),
    firstLevel: s.firstLevel && { ...category(s.firstLevel.category), confidence: s.firstLevel.confidence },
    urgency: s.urgency.urgency,
    ...(s.urgency.emergency ? { emergency: s.urgency.emergency, transferTo: s.urgency.transferTo } : {}),
    matched: s.urgency.matched,
  };
}

export const returnReasonList = () => Object.entries(returnReasons).map(([code, label]) => ({ code, ...label }));

export function presentAlert(a: Alert) {
  return { id: a.id, ticketId: a.ticketId, number: a.number, kind: a.kind, deadline: a.deadline, due: a.due.toISOString(), at: a.at.toISOString(),
    departmentId: a.departmentId, read: a.read };
}

export function presentKnowledge(k: KnowledgeEntry) {
  return { id: k.id, question: k.question, answer: k.answer, keywords: k.keywords, categoryCode: k.categoryCode, active: k.active,
    updatedAt: k.updatedAt.toISOString(), score: k.score };
}
