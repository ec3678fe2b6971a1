/**
 * 主办/协办: a ticket is dispatched to one main department and, where the matter crosses duties, to
 * co-handling departments besides. Co-handlers see the ticket in their queue (`role=co`) and give their
 * opinion (协办意见) once; the main department replies to the caller whenever it is ready, and the
 * co-handlers' opinions stand beside its reply in the ticket and its history.
 */
import { assertCan, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { hotlineActions } from './policy.ts';
import { actorRef, lockTicket, moveTicket, type Ticket } from './tickets.ts';
import { coReplyStates } from './ticket-reads.ts';

export { coHandlersOf, coReplyStates, isCoHandler, type CoHandler } from './ticket-reads.ts';

const MAX_CO_HANDLERS = 10;

/**
 * Checks the co-handling departments named at (re)dispatch: known departments, none twice, not the main
 * one. Returns their names, for the history note.
 */
export async function checkCoDepartments(db: Queryable, ids: readonly number[], mainDepartmentId: number): Promise<string[]> {
  const field = 'coDepartmentIds';
  if (ids.length > MAX_CO_HANDLERS) throw new DomainError('validation', { field }, `at most ${MAX_CO_HANDLERS} co-handling departments`);
  if (new Set(ids).size !== ids.length) throw new DomainError('validation', { field }, 'a department is named twice');
  if (ids.includes(mainDepartmentId)) throw new DomainError('hotline.co-handler-is-main', { field }, 'the main department cannot co-handle');
  const { rows } = await db.query<{ id: number; name: string }>('SELECT id::int, name FROM departments WHERE id = ANY($1::bigint[])', [ids]);
  const unknown = ids.find((id) => !rows.some((r) => r.id === id));
  if (unknown !== undefined) throw new DomainError('hotline.department.unknown', { field, id: unknown }, `no department ${unknown}`);
  return ids.map((id) => rows.find((r) => r.id === id)!.name);
}

/** A department that becomes the main one stops co-handling (its opinion, if given, stays on record). */
export async function dropCoHandler(ctx: Ctx, ticketId: number, departmentId: number): Promise<void> {
  await ctx.tx.query('DELETE FROM hotline_co_handlers WHERE ticket_id = $1 AND department_id = $2 AND reply IS NULL', [ticketId, departmentId]);
}

/**
 * Sets the co-handlers named at (re)dispatch: new ones are added; on re-dispatch, ones no longer named
 * leave unless they have given their opinion already (it stays part of the record).
 */
export async function assignCoHandlers(ctx: Ctx, ticketId: number, ids: readonly number[]): Promise<void> {
  await ctx.tx.query('DELETE FROM hotline_co_handlers WHERE ticket_id = $1 AND reply IS NULL AND NOT (department_id = ANY($2::bigint[]))',
    [ticketId, ids]);
  await ctx.tx.query(
    `INSERT INTO hotline_co_handlers (ticket_id, department_id, assigned_at) SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
    [ticketId, ids, ctx.now]);
}

/** 协办意见: a co-handling department gives its opinion, once, while the ticket is open. */
export async function coReplyTicket(ctx: Ctx, input: { ticketId: number; text: string }): Promise<Ticket> {
  const ticket = await lockTicket(ctx.tx, input.ticketId);
  assertCan(ctx.actor, hotlineActions.handle);
  const departmentId = ctx.actor.departmentId ?? 0;
  const { rows: [row] } = await ctx.tx.query<{ reply: string | null }>(
    'SELECT reply FROM hotline_co_handlers WHERE ticket_id = $1 AND department_id = $2 FOR UPDATE', [ticket.id, departmentId]);
  if (!row) throw new DomainError('hotline.not-co-handler', { status: 403 }, 'your department does not co-handle this ticket');
  if (!coReplyStates.includes(ticket.state))
    throw new DomainError('hotline.bad-state', { status: 409, field: 'state', state: ticket.state, transition: 'co-reply' },
      `cannot give an opinion on a ${ticket.state} ticket`);
  if (row.reply !== null) throw new DomainError('hotline.co-replied', { status: 409, field: 'text' }, 'your department has given its opinion');
  const text = input.text?.trim();
  if (!text) throw new DomainError('validation', { field: 'text' }, 'text is required');
  if (text.length > 4000) throw new DomainError('validation', { field: 'text' }, 'text is longer than 4000');
  await ctx.tx.query('UPDATE hotline_co_handlers SET reply = $3, replied_by = $4, replied_at = $5 WHERE ticket_id = $1 AND department_id = $2',
    [ticket.id, departmentId, text, actorRef(ctx.actor), ctx.now]);
  return moveTicket(ctx, ticket, { action: 'hotline.ticket.co-replied', to: ticket.state, note: text, eventDepartmentId: departmentId,
    payload: { departmentId, text } });
}
