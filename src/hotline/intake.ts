/**
 * 受理 as the operator's console does it: the ticket, the open tickets nearby that may be the same
 * problem (for 并单), and the department the dispatch catalogue names, in one transaction.
 */
import { can, type Ctx } from '../kernel/auth/index.ts';
import { routeIn, settingIn } from './catalogue.ts';
import { nearbyOpenTicketsSql, type DuplicateSuggestion } from './duplicates.ts';
import { hotlineActions, isCentre } from './policy.ts';
import { answerFromKnowledge } from './knowledge.ts';
import { attachPhotos } from './photos.ts';
import { actorRef, createTicketWith, type CreateTicket, type Ticket } from './tickets.ts';

export interface Intake {
  ticket: Ticket;
  duplicates: DuplicateSuggestion[];
  routedDepartmentId: number | null;
}

export async function intakeTicket(ctx: Ctx, input: CreateTicket): Promise<Intake> {
  const { tx, actor } = ctx;
  // A citizen filing from the portal sees no other people's tickets.
  const staff = (actor.kind === 'staff' || actor.kind === 'system') && can(actor, hotlineActions.read);
  const centre = staff && await isCentre(tx, actor);
  // Read for a ticket with a point only: the statement skips it for a ticket without one.
  const { ticket, alongside, config } = await createTicketWith<DuplicateSuggestion>(ctx, input, (row, config, params) =>
    staff
      ? nearbyOpenTicketsSql(actor, centre, { ...row, radiusMetres: `$${params.push(settingIn(config, 'duplicateRadiusMetres'))}::float8`,
        excludeId: '0', limit: '5' }, params)
      : null);
  const duplicates = alongside.map((d) => ({ ...d, receivedAt: new Date(d.receivedAt) }));
  return { ticket, duplicates, routedDepartmentId: routeIn(config, { ancestry: ticket.categoryAncestry }, ticket.divisionCode) };
}

export interface IntakeExtras {
  /** Photos the operator uploaded for this report (POST /photos), ≤ 5. */
  photoIds?: string[];
  /** A consultation (咨询) answered from this knowledge-base entry: closed at once. */
  knowledgeId?: number;
}

/** 受理 with the photos attached and, for a consultation answered from the knowledge base, closed in the same transaction. */
export async function intakeWithExtras(ctx: Ctx, input: CreateTicket & IntakeExtras): Promise<Intake> {
  const { photoIds, knowledgeId, ...report } = input;
  const intake = await intakeTicket(ctx, report);
  await attachPhotos(ctx, intake.ticket.id, photoIds ?? [], actorRef(ctx.actor));
  if (knowledgeId === undefined) return intake;
  return { ...intake, ticket: await answerFromKnowledge(ctx, { ticketId: intake.ticket.id, knowledgeId }) };
}
