/**
 * 延期: the handling department asks for more working days to resolve a ticket it has accepted; the
 * centre approves (the deadline to resolve moves by that many working days) or refuses.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { assertCentre, assertHandler, hotlineActions } from './policy.ts';
import { actorRef, lockTicket, moveTicket, type Ticket } from './tickets.ts';

export interface RequestExtension {
  ticketId: number;
  days: number;
  reason: string;
}

export async function requestExtension(ctx: Ctx, input: RequestExtension): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  assertHandler(ctx.actor, ticket);
  if (ticket.state !== 'accepted')
    throw new DomainError('hotline.bad-state', { status: 409, field: 'state', state: ticket.state, transition: 'extend' },
      `cannot ask to extend a ${ticket.state} ticket`);
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 60)
    throw new DomainError('validation', { field: 'days' }, 'an extension is 1 to 60 working days');
  const reason = input.reason?.trim();
  if (!reason) throw new DomainError('validation', { field: 'reason' }, 'say why more time is needed');
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO hotline_extensions (ticket_id, days, reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (ticket_id) WHERE decision IS NULL DO NOTHING`, [ticket.id, input.days, reason, actorRef(ctx.actor), ctx.now]);
  if (!rowCount) throw new DomainError('hotline.extension-pending', { status: 409, field: 'state', state: ticket.state }, 'a request waits already');
  return moveTicket(ctx, ticket, { action: 'hotline.extension.requested', to: ticket.state, note: `${input.days}: ${reason}`,
    payload: { days: input.days, reason } });
}

export interface DecideExtension {
  ticketId: number;
  approve: boolean;
  note?: string;
}

export async function decideExtension(ctx: Ctx, input: DecideExtension): Promise<Ticket> {
  // The department is told why it gets no more time: a refusal names its reason.
  if (!input.approve && !input.note?.trim()) throw new DomainError('hotline.extension.reason-required', { field: 'note' }, 'a refusal needs a reason');
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.dispatch, ticket);
  const { rows: [pending] } = await ctx.tx.query<{ id: number; days: number; requestedBy: string }>(
    'SELECT id::int, days, requested_by AS "requestedBy" FROM hotline_extensions WHERE ticket_id = $1 AND decision IS NULL FOR UPDATE', [ticket.id]);
  if (!pending) throw new DomainError('hotline.no-extension', { status: 409, field: 'state', state: ticket.state }, 'no request waits');
  // Nobody grants themselves more time: when the centre handles a ticket itself, another member decides.
  if (pending.requestedBy === actorRef(ctx.actor))
    throw new DomainError('hotline.own-extension', { status: 403 }, 'you asked for this extension; someone else decides it');
  await ctx.tx.query('UPDATE hotline_extensions SET decision = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1',
    [pending.id, input.approve ? 'approved' : 'refused', actorRef(ctx.actor), ctx.now, input.note ?? null]);
  const due = input.approve ? (await loadCalendar(ctx.tx)).addWorkingDays(ticket.resolveDue, pending.days) : null;
  return moveTicket(ctx, ticket, {
    action: input.approve ? 'hotline.extension.approved' : 'hotline.extension.refused', to: ticket.state, note: input.note,
    set: due ? { resolve_due: due.due, deadline_provisional: ticket.deadlineProvisional || due.provisional } : {},
    payload: { days: pending.days, approve: input.approve, note: input.note },
  });
}
