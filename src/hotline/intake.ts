/**
 * 受理 as the operator's console does it: the ticket, the open tickets nearby that may be the same
 * problem (for 并单), and the department the dispatch catalogue names, in one transaction.
 */
import { routeTicket } from './catalogue.ts';
import { findDuplicates, type DuplicateSuggestion } from './duplicates.ts';
import { createTicket, type CreateTicket, type HotlineCtx, type Ticket } from './tickets.ts';

export interface Intake {
  ticket: Ticket;
  duplicates: DuplicateSuggestion[];
  routedDepartmentId: number | null;
}

export async function intakeTicket(ctx: HotlineCtx, input: CreateTicket): Promise<Intake> {
  const ticket = await createTicket(ctx, input);
  // A citizen filing from the portal sees no other people's tickets.
  const staff = ctx.actor.kind === 'staff' || ctx.actor.kind === 'system';
  const duplicates = staff && ticket.lon !== null && ticket.lat !== null
    ? await findDuplicates(ctx.tx, ctx.actor, { categoryCode: ticket.categoryCode, categoryId: ticket.categoryId, lon: ticket.lon, lat: ticket.lat, excludeId: ticket.id })
    : [];
  return { ticket, duplicates, routedDepartmentId: await routeTicket(ctx.tx, { ancestry: ticket.categoryAncestry }, ticket.divisionCode) };
}
