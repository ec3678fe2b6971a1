/**
 * 受理 as the operator's console does it: the ticket, the open tickets nearby that may be the same
 * problem (for 并单), and the department the dispatch catalogue names, in one transaction.
 */
import { routeTicket } from './catalogue.ts';
import { findDuplicates, type DuplicateSuggestion } from './duplicates.ts';
import { answerFromKnowledge } from './knowledge.ts';
import { attachPhotos } from './photos.ts';
import { actorRef, createTicket, type CreateTicket, type HotlineCtx, type Ticket } from './tickets.ts';

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

export interface IntakeExtras {
  /** Photos the operator uploaded for this report (POST /photos), ≤ 5. */
  photoIds?: string[];
  /** A consultation (咨询) answered from this knowledge-base entry: closed at once. */
  knowledgeId?: number;
}

/** 受理 with the photos attached and, for a consultation answered from the knowledge base, closed in the same transaction. */
export async function intakeWithExtras(ctx: HotlineCtx, input: CreateTicket & IntakeExtras): Promise<Intake> {
  const { photoIds, knowledgeId, ...report } = input;
  const intake = await intakeTicket(ctx, report);
  await attachPhotos(ctx, intake.ticket.id, photoIds ?? [], actorRef(ctx.actor));
  if (knowledgeId === undefined) return intake;
  return { ...intake, ticket: await answerFromKnowledge(ctx, { ticketId: intake.ticket.id, knowledgeId }) };
}
