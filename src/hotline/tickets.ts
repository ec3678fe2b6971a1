/**
 * Tickets (工单): reading with history, the work queue, and the one helper every transition goes through,
 * which writes the row, the history event and the ledger entry together. Intake (受理) is intake.ts.
 */
import { assertCan, hasGrant, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaDay } from '../kernel/calendar/index.ts';
import { prepared, withValuePlans, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { containsPattern } from '../kernel/like.ts';
import { appendToLedger, jurisdictionFactNames, jurisdictionFacts } from '../kernel/ledger/index.ts';
import { routeTicket } from './catalogue.ts';
import type { Emergency } from './classifier/index.ts';
import { canRead, coHandlerScope, hotlineActions, isCentre, seesCaller, ticketScope } from './policy.ts';
import { ticketColumns, ticketFrom } from './queries.ts';
import { coHandlersOf, coReplyStates, isCoHandler, photoIdsOf, type CoHandler } from './ticket-reads.ts';
import { openStates, type Channel, type Satisfaction, type TicketKind, type TicketState, type Urgency } from './states.ts';

/** What a typed address and the point on the map each say the place is (names, e.g. 广安区 and 岳池县九龙街道). */
export interface AddressMismatch {
  address: string;
  point: string;
}

export interface Ticket {
  id: number;
  number: string;
  channel: Channel;
  kind: TicketKind;
  categoryId: number;
  categoryCode: string;
  /** Category ids from the root down, for the catalogue and time-limit lookups. */
  categoryAncestry: number[];
  categoryPath: string[];
  urgency: Urgency;
  emergency: boolean;
  /** Which emergency the text reads as, and the number (119/110/120) to transfer the caller to: shown, not dialled. */
  emergencyKind: Emergency | null;
  transferTo: string | null;
  /** 智能分类: what the classifier suggested at intake, how sure it was, and whether the operator chose another. */
  suggestedCategoryCode: string | null;
  suggestionConfidence: number | null;
  categoryCorrected: boolean | null;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  divisionCode: string;
  gridCode: string | null;
  /** The typed address names another township (or county) than the point's: what each said at intake. */
  addressMismatch: AddressMismatch | null;
  anonymous: boolean;
  callerName: string | null;
  callerPhone: string | null;
  citizenId: number | null;
  intakeActor: string;
  state: TicketState;
  departmentId: number | null;
  departmentName: string | null;
  mainTicketId: number | null;
  reopenCount: number;
  reply: string | null;
  resolved: boolean | null;
  satisfaction: Satisfaction | null;
  needsSupervision: boolean;
  receivedAt: Date;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  repliedAt: Date | null;
  closedAt: Date | null;
  calledBackAt: Date | null;
  acceptDue: Date | null;
  replyDue: Date;
  resolveDue: Date;
  deadlineProvisional: boolean;
  updatedAt: Date;
}

export const actorRef = (actor: Actor) => `${actor.kind}:${actor.id}`;

/** 工单编号: the China-time day of receipt and the id, e.g. 20261124000042. */
export const ticketNumber = (id: number, receivedAt: Date) => `${chinaDay(receivedAt).replaceAll('-', '')}${String(id).padStart(6, '0')}`;

export async function findTicket(db: Queryable, id: number, opts: { lock?: boolean } = {}): Promise<Ticket | null> {
  const { rows } = await db.query<Ticket>(`SELECT ${ticketColumns} FROM ${ticketFrom} WHERE t.id = $1${opts.lock ? ' FOR UPDATE OF t' : ''}`, [id]);
  return rows[0] ?? null;
}

const ticketNotFound = (id: number | string) =>
  new DomainError('hotline.ticket.not-found', { status: 404, id }, `ticket ${id} not found`);

/** The ticket, locked for the rest of the transaction; 404 when there is none. */
export async function lockTicket(db: Queryable, id: number): Promise<Ticket> {
  const ticket = await findTicket(db, id, { lock: true });
  if (!ticket) throw ticketNotFound(id);
  return ticket;
}

export interface TicketEvent {
  id: number;
  at: Date;
  actorKind: string;
  actorId: string;
  actorName: string;
  action: string;
  fromState: TicketState | null;
  toState: TicketState;
  departmentId: number | null;
  departmentName: string | null;
  reasonCode: string | null;
  note: string | null;
}

async function recordEvent(ctx: Ctx, ticketId: number, e: {
  action: string; from: TicketState | null; to: TicketState; departmentId?: number | null; reasonCode?: string; note?: string;
}): Promise<void> {
  await ctx.tx.query(
    `INSERT INTO hotline_ticket_events (ticket_id, at, actor_kind, actor_id, actor_name, action, from_state, to_state, department_id, reason_code, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [ticketId, ctx.now, ctx.actor.kind, ctx.actor.id, ctx.actor.name, e.action, e.from, e.to, e.departmentId ?? null,
      e.reasonCode ?? null, e.note ?? null]);
}

/** Columns a transition may set, by their names in the table. */
type TicketPatch = Partial<Record<'state' | 'department_id' | 'main_ticket_id' | 'reopen_count' | 'reply' | 'resolved' | 'satisfaction'
  | 'needs_supervision' | 'dispatched_at' | 'accepted_at' | 'replied_at' | 'closed_at' | 'called_back_at' | 'accept_due' | 'reply_due'
  | 'resolve_due' | 'deadline_provisional', unknown>>;

/**
 * Moves a ticket: MUST be called with the ticket locked (lockTicket) and the transition checked. Writes the
 * row, one history event and one ledger entry, all in the command's transaction.
 */
export async function moveTicket(ctx: Ctx, ticket: Ticket, move: {
  action: string; to: TicketState; set?: TicketPatch; reasonCode?: string; note?: string; payload?: unknown;
  /** Members of `payload` published on the ledger beside the jurisdiction facts, for the oversight rules. */
  publish?: readonly string[];
  /** The department the history event names, when another than the ticket's acts (协办). */
  eventDepartmentId?: number;
}): Promise<Ticket> {
  const set: TicketPatch = { ...move.set, state: move.to };
  const columns = Object.keys(set);
  const { rows: [moved] } = await ctx.tx.query<Ticket>(
    `WITH t AS (UPDATE hotline_tickets SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = $${columns.length + 2}
                 WHERE id = $1 RETURNING *)
     SELECT ${ticketColumns} FROM t JOIN hotline_categories c ON c.id = t.category_id`,
    [ticket.id, ...Object.values(set), ctx.now]);
  const departmentId = move.eventDepartmentId ?? ('department_id' in set ? (set.department_id as number | null) : ticket.departmentId);
  await recordEvent(ctx, ticket.id, { action: move.action, from: ticket.state, to: move.to, departmentId,
    reasonCode: move.reasonCode, note: move.note });
  // Where the act falls is published, for the rule on acts outside one's jurisdiction.
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: move.action, object: { type: 'ticket', id: ticket.number }, at: ctx.now,
    payload: { ticket: ticket.number, from: ticket.state, to: move.to, ...(move.payload ?? {}), ...jurisdictionFacts(ctx.actor, moved!.divisionCode) },
    publish: move.publish ? [...jurisdictionFactNames, ...move.publish] : jurisdictionFactNames });
  return moved!;
}

export async function ticketHistory(db: Queryable, ticketId: number): Promise<TicketEvent[]> {
  const { rows } = await db.query<TicketEvent>(
    `SELECT e.id::int, e.at, e.actor_kind AS "actorKind", e.actor_id AS "actorId", e.actor_name AS "actorName", e.action,
        e.from_state AS "fromState", e.to_state AS "toState", e.department_id::int AS "departmentId", d.name AS "departmentName",
        e.reason_code AS "reasonCode", e.note
       FROM hotline_ticket_events e LEFT JOIN departments d ON d.id = e.department_id
      WHERE e.ticket_id = $1 ORDER BY e.id`, [ticketId]);
  return rows;
}

export interface TicketView {
  ticket: Ticket;
  history: TicketEvent[];
  merged: { id: number; number: string }[];
  /** The department the catalogue names for this ticket, while it waits to be dispatched. */
  routedDepartmentId: number | null;
  pendingExtension: { days: number; reason: string; requestedAt: Date } | null;
  showCaller: boolean;
  centre: boolean;
  /** 协办 departments with their opinions, and whether the viewer's department is one still to give it. */
  coHandlers: CoHandler[];
  mayCoReply: boolean;
  photoIds: string[];
}

/**
 * A ticket with its history, as the actor may see it. Showing the caller's details (to the intake
 * operator or the handling department) is itself a ledger entry.
 */
export async function viewTicket(ctx: Ctx, input: { id: number }): Promise<TicketView> {
  assertCan(ctx.actor, hotlineActions.read);
  const ticket = await findTicket(ctx.tx, input.id);
  const centre = await isCentre(ctx.tx, ctx.actor);
  // Outside the actor's reach, a ticket is not there.
  if (!ticket || !(canRead(ctx.actor, ticket, centre) || (hasGrant(ctx.actor, hotlineActions.read)
    && await isCoHandler(ctx.tx, ticket.id, ctx.actor.departmentId)))) throw ticketNotFound(input.id);
  const showCaller = !ticket.anonymous && (ticket.callerName !== null || ticket.callerPhone !== null) && seesCaller(ctx.actor, ticket);
  if (showCaller)
    await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.caller.viewed', object: { type: 'ticket', id: ticket.number },
      purpose: 'handling the ticket', at: ctx.now, payload: { ticket: ticket.number } });
  const { rows: merged } = await ctx.tx.query<{ id: number; number: string }>(
    'SELECT id::int, number FROM hotline_tickets WHERE main_ticket_id = $1 ORDER BY id', [ticket.id]);
  const routedDepartmentId = ticket.state === 'received' || ticket.state === 'returned'
    ? await routeTicket(ctx.tx, { ancestry: ticket.categoryAncestry }, ticket.divisionCode) : null;
  const { rows: [pendingExtension] } = await ctx.tx.query<{ days: number; reason: string; requestedAt: Date }>(
    `SELECT days, reason, requested_at AS "requestedAt" FROM hotline_extensions WHERE ticket_id = $1 AND decision IS NULL`, [ticket.id]);
  const coHandlers = await coHandlersOf(ctx.tx, ticket.id);
  const mayCoReply = coHandlers.some((h) => h.departmentId === ctx.actor.departmentId && h.reply === null)
    && coReplyStates.includes(ticket.state);
  return { ticket, history: await ticketHistory(ctx.tx, ticket.id), merged, routedDepartmentId, pendingExtension: pendingExtension ?? null,
    showCaller, centre, coHandlers, mayCoReply, photoIds: await photoIdsOf(ctx.tx, ticket.id) };
}

export interface TicketQuery {
  state?: TicketState[];
  departmentId?: number;
  categoryCode?: string;
  divisionCode?: string;
  overdue?: boolean;
  /** Only tickets with an extension request waiting for the centre (延期审核). */
  extensionPending?: boolean;
  q?: string;
  sort?: 'deadline' | 'newest';
  /** `co`: the tickets the actor's department co-handles (协办) instead of its own queue. */
  role?: 'main' | 'co';
  limit?: number;
  offset?: number;
}

/** A queue counts its tickets up to this many; beyond, `total` says "at least" (`totalCapped`). */
export const queueCountCap = 1_000;

/** A ticket in the work queue; a returned one with the department's reason code and note (退单原因), for the centre's review. */
export type QueuedTicket = Ticket & { returnReason: { code: string; note: string | null } | null };

/** Tickets by id, in the order given, with the reason of the last return of one sent back. */
const ticketsInOrderSql = `SELECT ${ticketColumns},
    CASE WHEN t.state = 'returned' THEN (SELECT json_build_object('code', e.reason_code, 'note', e.note) FROM hotline_ticket_events e
                                          WHERE e.ticket_id = t.id AND e.action = 'hotline.ticket.returned' ORDER BY e.id DESC LIMIT 1) END AS "returnReason"
  FROM unnest($1::bigint[]) WITH ORDINALITY AS p (id, ord) JOIN ${ticketFrom} ON t.id = p.id
 ORDER BY p.ord`;

/**
 * The work queue: tickets the actor may see (the centre: its jurisdiction; a department: what is
 * dispatched to it), filtered, by deadline first unless asked for the newest. The page's ids come first
 * from the index alone, then the rows of those ids; the count stops at `queueCountCap`.
 */
export async function listTickets(db: Queryable, actor: Actor, query: TicketQuery, now = new Date())
  : Promise<{ total: number; totalCapped: boolean; items: QueuedTicket[]; centre: boolean }> {
  assertCan(actor, hotlineActions.read);
  const centre = await isCentre(db, actor);
  const params: unknown[] = [];
  const where = [query.role === 'co' ? coHandlerScope(actor, params) : ticketScope(actor, centre, params)];
  if (query.state?.length) {
    params.push(query.state);
    where.push(`t.state = ANY($${params.length})`);
    // Spelled out so the planner may use the open-ticket index (hotline_tickets_open_queue).
    if (query.state.every((s) => openStates.includes(s))) where.push(`t.state NOT IN ('closed', 'merged')`);
  }
  if (query.departmentId !== undefined) { params.push(query.departmentId); where.push(`t.department_id = $${params.length}`); }
  if (query.categoryCode !== undefined) {
    params.push(query.categoryCode);
    where.push(`t.category_id IN (SELECT k.id FROM hotline_categories k, hotline_categories p
      WHERE p.code = $${params.length} AND p.id = ANY(k.ancestry))`);
  }
  if (query.divisionCode !== undefined) { params.push(`${query.divisionCode.replace(/(000)+$/, '')}%`); where.push(`t.division_code LIKE $${params.length}`); }
  if (query.q) { params.push(containsPattern(query.q)); where.push(`(t.description ILIKE $${params.length} OR t.number LIKE $${params.length} OR t.address ILIKE $${params.length})`); }
  if (query.extensionPending) where.push('EXISTS (SELECT 1 FROM hotline_extensions x WHERE x.ticket_id = t.id AND x.decision IS NULL)');
  if (query.overdue) {
    params.push(now);
    const p = `$${params.length}`;
    where.push(`((t.state = 'dispatched' AND t.accept_due < ${p}) OR (t.state IN ('received','dispatched','accepted','returned') AND t.reply_due < ${p})
      OR (t.state NOT IN ('closed','merged') AND t.resolve_due < ${p}))`);
  }
  const condition = where.join(' AND ');
  const order = query.sort === 'newest' ? 't.received_at DESC, t.id DESC' : 't.resolve_due, t.id';
  // Ordered as the page, so that a count over a large queue walks the page's index from the queue's start
  // rather than the table from its start, where a department's open tickets may not be.
  const count = `SELECT count(*)::int FROM (SELECT 1 FROM hotline_tickets t WHERE ${condition} ORDER BY ${order} LIMIT ${queueCountCap + 1}) q`;
  // The page's ids and the capped count, planned for their values: a generic plan guessed 2 rows for a department
  // of 50,000 open tickets and sorted all of them for each page (76 ms, against 0.07 ms walking hotline_tickets_open_queue).
  const { rows: [page] } = await withValuePlans(db, (db) => db.query<{ ids: number[]; counted: number }>(
    `SELECT array(SELECT t.id::int FROM hotline_tickets t WHERE ${condition} ORDER BY ${order}
                   LIMIT $${params.length + 1} OFFSET $${params.length + 2}) AS ids, (${count}) AS counted`,
    [...params, query.limit ?? 50, query.offset ?? 0]));
  // Their rows by a prepared statement, planned once: planning the two together for each page took 2.3 ms.
  const { ids, counted } = page!;
  const items = ids.length === 0 ? [] : (await db.query<QueuedTicket>(prepared(ticketsInOrderSql, [ids]))).rows;
  return { total: Math.min(counted, queueCountCap), totalCapped: counted > queueCountCap, items, centre };
}
