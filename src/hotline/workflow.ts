/**
 * The ticket's way through the departments: 派单, 签收, 退单, 改派, 答复, 办结, direct answers to
 * consultations, and 回访 with 重办. Each command locks the ticket, checks who acts, checks the state
 * machine, then moves the ticket (row, history and ledger in one transaction).
 */
import { hasGrant, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { toneOf } from './callback-tone.ts';
import { hotlineSetting, routeTicket, timeLimitFor } from './catalogue.ts';
import { assignCoHandlers, checkCoDepartments, dropCoHandler } from './cohandling.ts';
import { assertCentre, assertHandler, hotlineActions } from './policy.ts';
import { assertTransition, returnReasons, satisfactions, type Satisfaction } from './states.ts';
import { lockTicket, moveTicket, type Ticket } from './tickets.ts';

async function departmentFor(ctx: Ctx, ticket: Ticket, departmentId: number | undefined): Promise<number> {
  const id = departmentId ?? await routeTicket(ctx.tx, { ancestry: ticket.categoryAncestry }, ticket.divisionCode);
  if (id === null) throw new DomainError('hotline.no-route', { field: 'departmentId' }, 'the dispatch catalogue names no department here');
  if (!(await findDepartment(ctx.tx, id))) throw new DomainError('hotline.department.unknown', { field: 'departmentId' }, `no department ${id}`);
  return id;
}

/** The deadline to accept (签收), in working hours from now. */
async function acceptDue(ctx: Ctx, ticket: Ticket): Promise<Date> {
  const limit = await timeLimitFor(ctx.tx, { ancestry: ticket.categoryAncestry }, ticket.urgency);
  return (await loadCalendar(ctx.tx)).addWorkingHours(ctx.now, limit.acceptHours).due;
}

export interface DispatchTicket {
  ticketId: number;
  /** Absent: the department the dispatch catalogue names. */
  departmentId?: number;
  /** 协办: departments that co-handle besides the main one; on re-dispatch, absent keeps the current ones. */
  coDepartmentIds?: number[];
  note?: string;
}

/**
 * Sets the co-handlers named at (re)dispatch, after checking them, and returns the history note naming
 * them; without a list, the new main department only stops co-handling.
 */
async function setCoHandling(ctx: Ctx, input: DispatchTicket, departmentId: number): Promise<string | undefined> {
  if (input.coDepartmentIds === undefined) {
    await dropCoHandler(ctx, input.ticketId, departmentId);
    return input.note;
  }
  const names = await checkCoDepartments(ctx.tx, input.coDepartmentIds, departmentId);
  await assignCoHandlers(ctx, input.ticketId, input.coDepartmentIds);
  return names.length ? [input.note, `协办: ${names.join('、')}`].filter(Boolean).join('; ') : input.note;
}

/** 派单: the centre sends a received ticket to the responsible department. */
export async function dispatchTicket(ctx: Ctx, input: DispatchTicket): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.dispatch, ticket);
  assertTransition(ticket.state, 'dispatch');
  const departmentId = await departmentFor(ctx, ticket, input.departmentId);
  const note = await setCoHandling(ctx, input, departmentId);
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.dispatched', to: 'dispatched', note,
    set: { department_id: departmentId, dispatched_at: ctx.now, accept_due: await acceptDue(ctx, ticket) },
    payload: { departmentId, coDepartmentIds: input.coDepartmentIds } });
}

/** 签收: the department takes the ticket on. */
export async function acceptTicket(ctx: Ctx, input: { ticketId: number }): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  assertHandler(ctx.actor, ticket);
  assertTransition(ticket.state, 'accept');
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.accepted', to: 'accepted', set: { accepted_at: ctx.now } });
}

export interface ReturnTicket {
  ticketId: number;
  reasonCode?: string;
  note?: string;
}

/** 退单: the department hands the ticket back to the centre, with a reason code, for review. */
export async function returnTicket(ctx: Ctx, input: ReturnTicket): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  assertHandler(ctx.actor, ticket);
  assertTransition(ticket.state, 'return');
  if (!input.reasonCode) throw new DomainError('hotline.reason-required', { field: 'reasonCode' }, 'a return needs a reason code');
  if (!(input.reasonCode in returnReasons))
    throw new DomainError('validation', { field: 'reasonCode', allowed: Object.keys(returnReasons) }, `unknown reason ${input.reasonCode}`);
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.returned', to: 'returned', reasonCode: input.reasonCode, note: input.note,
    payload: { reasonCode: input.reasonCode, note: input.note } });
}

/**
 * 异议审核 → 改派: the centre reviews a return and dispatches the ticket again, to another department
 * (return upheld) or the same one (return refused).
 */
export async function redispatchTicket(ctx: Ctx, input: DispatchTicket): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.dispatch, ticket);
  assertTransition(ticket.state, 'redispatch');
  const departmentId = await departmentFor(ctx, ticket, input.departmentId);
  const note = await setCoHandling(ctx, input, departmentId);
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.redispatched', to: 'dispatched', note,
    set: { department_id: departmentId, dispatched_at: ctx.now, accepted_at: null, accept_due: await acceptDue(ctx, ticket) },
    payload: { from: ticket.departmentId, departmentId, coDepartmentIds: input.coDepartmentIds } });
}

const requiredText = (value: string | undefined, field: string, max = 4000): string => {
  const text = value?.trim();
  if (!text) throw new DomainError('validation', { field }, `${field} is required`);
  if (text.length > max) throw new DomainError('validation', { field }, `${field} is longer than ${max}`);
  return text;
};

/** 答复: the department answers the caller (办理结果). */
export async function replyTicket(ctx: Ctx, input: { ticketId: number; reply: string }): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  assertHandler(ctx.actor, ticket);
  assertTransition(ticket.state, 'reply');
  const reply = requiredText(input.reply, 'reply');
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.replied', to: 'replied', set: { reply, replied_at: ctx.now }, payload: { reply } });
}

/**
 * Whoever answered a ticket (答复) does not close it nor call the caller back about it: the answer is
 * checked by another pair of eyes, also when the centre handles a ticket itself.
 */
async function assertNotOwnReply(ctx: Ctx, ticket: Ticket): Promise<void> {
  if (hasGrant(ctx.actor, '*')) return; // the platform's own processes (imports, demo seeding) are nobody's pair of eyes
  const { rowCount } = await ctx.tx.query(
    `SELECT 1 FROM hotline_ticket_events WHERE ticket_id = $1 AND action = 'hotline.ticket.replied' AND actor_kind = $2 AND actor_id = $3 LIMIT 1`,
    [ticket.id, ctx.actor.kind, ctx.actor.id]);
  if (rowCount) throw new DomainError('hotline.own-reply', { status: 403 }, 'you answered this ticket; someone else closes it and calls back');
}

/** 办结: the centre closes a replied ticket; tickets merged into it close with it and get the same reply. */
export async function closeTicket(ctx: Ctx, input: { ticketId: number; note?: string }): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.close, ticket);
  await assertNotOwnReply(ctx, ticket);
  assertTransition(ticket.state, 'close');
  const closed = await moveTicket(ctx, ticket, { action: 'hotline.ticket.closed', to: 'closed', note: input.note, set: { closed_at: ctx.now } });
  const { rows } = await ctx.tx.query<{ id: number }>(
    `SELECT id::int FROM hotline_tickets WHERE main_ticket_id = $1 AND state = 'merged' ORDER BY id`, [ticket.id]);
  for (const { id } of rows)
    await moveTicket(ctx, await lockTicket(ctx.tx, id), { action: 'hotline.ticket.closed', to: 'closed', note: `并单 ${ticket.number}`,
      set: { reply: closed.reply, replied_at: closed.repliedAt, closed_at: ctx.now, department_id: closed.departmentId }, payload: { main: ticket.number } });
  return closed;
}

/** A consultation (咨询) the centre answers at once, from the knowledge base: received → closed. */
export async function answerTicket(ctx: Ctx, input: { ticketId: number; answer: string }): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.close, ticket);
  assertTransition(ticket.state, 'answer');
  if (ticket.kind !== 'consultation')
    throw new DomainError('hotline.direct-answer-consultation-only', { status: 409, field: 'kind', kind: ticket.kind }, 'only a consultation');
  const answer = requiredText(input.answer, 'answer');
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.answered', to: 'closed',
    set: { reply: answer, replied_at: ctx.now, closed_at: ctx.now }, payload: { answer } });
}

export interface CallbackTicket {
  ticketId: number;
  resolved: boolean;
  satisfaction: Satisfaction;
  note?: string;
}

const satisfactionWords = { satisfied: '满意', 'basically-satisfied': '基本满意', dissatisfied: '不满意' } as const;

/**
 * 回访: the centre asks the caller whether the problem was solved and how satisfied they are. Unresolved
 * or dissatisfied reopens the ticket (重办) with new deadlines, at most `maxReopens` times; after that the
 * ticket stays closed and is marked for supervision (督办).
 */
export async function callbackTicket(ctx: Ctx, input: CallbackTicket): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.callback, ticket);
  await assertNotOwnReply(ctx, ticket);
  assertTransition(ticket.state, 'callback');
  if (ticket.calledBackAt !== null)
    throw new DomainError('hotline.already-called-back', { status: 409, field: 'state', state: ticket.state }, 'called back already');
  if (!satisfactions.includes(input.satisfaction))
    throw new DomainError('validation', { field: 'satisfaction', allowed: satisfactions }, `unknown satisfaction ${input.satisfaction}`);
  const good = input.resolved && input.satisfaction !== 'dissatisfied';
  const maxReopens = await hotlineSetting(ctx.tx, 'maxReopens');
  const supervise = !good && ticket.reopenCount >= maxReopens;
  // The history note is read by people, in the words of the callback form.
  const summary = `${input.resolved ? '已解决' : '未解决'}，${satisfactionWords[input.satisfaction as keyof typeof satisfactionWords]}${input.note ? `：${input.note}` : ''}`;
  const answered = await moveTicket(ctx, ticket, { action: 'hotline.ticket.called-back', to: 'closed', note: summary,
    set: { resolved: input.resolved, satisfaction: input.satisfaction, called_back_at: ctx.now, needs_supervision: supervise },
    // The satisfaction is published beside the tone of the caller's words (not the words), for the rule on the two disagreeing.
    payload: { resolved: input.resolved, satisfaction: input.satisfaction, note: input.note, noteTone: toneOf(input.note) },
    publish: ['resolved', 'satisfaction', 'noteTone'] });
  if (good || supervise) return answered;

  // 重办: back to the department that handled it (or to the centre's desk when nobody did), with new deadlines.
  const limit = await timeLimitFor(ctx.tx, { ancestry: ticket.categoryAncestry }, ticket.urgency);
  const calendar = await loadCalendar(ctx.tx);
  const reply = calendar.addWorkingDays(ctx.now, limit.replyDays);
  const resolve = calendar.addWorkingDays(ctx.now, limit.resolveDays);
  const toDepartment = answered.departmentId !== null;
  return moveTicket(ctx, answered, { action: 'hotline.ticket.reopened', to: toDepartment ? 'dispatched' : 'received',
    set: { reopen_count: ticket.reopenCount + 1, dispatched_at: toDepartment ? ctx.now : null, accepted_at: null, replied_at: null,
      closed_at: null, called_back_at: null, resolved: null, satisfaction: null,
      accept_due: toDepartment ? calendar.addWorkingHours(ctx.now, limit.acceptHours).due : null,
      reply_due: reply.due, resolve_due: resolve.due, deadline_provisional: reply.provisional || resolve.provisional },
    payload: { reopenCount: ticket.reopenCount + 1 } });
}
