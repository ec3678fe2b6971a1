/**
 * Tickets (工单): intake from every channel (受理), reading with history, and the one helper every
 * transition goes through, which writes the row, the history event and the ledger entry together.
 */
import { assertCan, hasGrant, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar } from '../kernel/calendar/index.ts';
import { checkMobile } from '../kernel/checks/index.ts';
import { prepared, readStamps, StatementGroups, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { containsPattern } from '../kernel/like.ts';
import { appendToLedger, ledgerQueueRowsSql, payloadHash } from '../kernel/ledger/index.ts';
import { hotlineConfig, requireCategoryIn, routeTicket, timeLimitIn, type HotlineConfig } from './catalogue.ts';
import { correctionSql, currentClassifier, suggestWith } from './classification.ts';
import { EMERGENCY_NUMBERS, type Emergency } from './classifier/index.ts';
import { placeAt } from './place.ts';
import { coHandlersOf, coReplyStates, isCoHandler, photoIdsOf, type CoHandler } from './ticket-reads.ts';
import { assertCentre, canRead, coHandlerScope, hotlineActions, isCentre, seesCaller, ticketScope } from './policy.ts';
import { openStates, type Channel, type Satisfaction, type TicketKind, type TicketState, type Urgency } from './states.ts';

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

export const ticketColumns = `t.id::int, t.number, t.channel, t.kind, t.category_id::int AS "categoryId", c.code AS "categoryCode", c.ancestry::int[] AS "categoryAncestry",
  (SELECT array_agg(a.name ORDER BY array_position(c.ancestry, a.id)) FROM hotline_categories a WHERE a.id = ANY(c.ancestry)) AS "categoryPath",
  t.urgency, t.emergency, t.emergency_kind AS "emergencyKind", t.transfer_to AS "transferTo",
  (SELECT s.code FROM hotline_categories s WHERE s.id = t.suggested_category_id) AS "suggestedCategoryCode",
  t.suggestion_confidence AS "suggestionConfidence", t.category_corrected AS "categoryCorrected", t.description, t.lon, t.lat, t.address, t.division_code AS "divisionCode", t.grid_code AS "gridCode",
  t.anonymous, t.caller_name AS "callerName", t.caller_phone AS "callerPhone", t.citizen_id::int AS "citizenId",
  t.intake_actor AS "intakeActor", t.state, t.department_id::int AS "departmentId",
  (SELECT d.name FROM departments d WHERE d.id = t.department_id) AS "departmentName",
  t.main_ticket_id::int AS "mainTicketId", t.reopen_count AS "reopenCount", t.reply, t.resolved, t.satisfaction,
  t.needs_supervision AS "needsSupervision", t.received_at AS "receivedAt", t.dispatched_at AS "dispatchedAt",
  t.accepted_at AS "acceptedAt", t.replied_at AS "repliedAt", t.closed_at AS "closedAt", t.called_back_at AS "calledBackAt",
  t.accept_due AS "acceptDue", t.reply_due AS "replyDue", t.resolve_due AS "resolveDue",
  t.deadline_provisional AS "deadlineProvisional", t.updated_at AS "updatedAt"`;
export const ticketFrom = 'hotline_tickets t JOIN hotline_categories c ON c.id = t.category_id';

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

export interface CreateTicket {
  channel: Channel;
  kind: TicketKind;
  /** Absent: the category the classifier suggests from the description. */
  categoryCode?: string;
  /** Absent: urgent when the description reads as urgent, else normal. */
  urgency?: Urgency;
  /** Fire, crime, medical: to be transferred to 110/119/120. */
  emergency?: boolean;
  description: string;
  lon?: number;
  lat?: number;
  address?: string;
  /** For a report with an address but no point: the division it is in. */
  divisionCode?: string;
  anonymous?: boolean;
  callerName?: string;
  callerPhone?: string;
}

const centreChannels: readonly Channel[] = ['phone', 'mayor-mailbox', 'wechat'];

/**
 * 受理: a report from any channel becomes a ticket. The point decides the grid and division; the
 * category and urgency decide the deadlines to reply and resolve. Calls, the mayor's mailbox and WeChat
 * are typed in by the centre; the web, the app and Open311 are filed by citizens and systems themselves.
 * The classifier reads the description: its category is used when none is given, and an operator's
 * different choice is kept as a correction to retrain on; its urgency applies unless one is given, and an
 * emergency is flagged with the number to transfer to. The classification is hashed into the intake's ledger entry.
 */
export async function createTicket(ctx: Ctx, input: CreateTicket): Promise<Ticket> {
  return (await createTicketWith(ctx, input)).ticket;
}

/**
 * A read that runs in the statement writing the ticket, its rows returned as JSON (intake's duplicates
 * nearby), so a busy intake makes one round trip to the database for its ticket, not two. It reads the
 * ticket's values as SQL expressions (`row`): one statement may write many tickets (see intakeGroups).
 */
export type ReadAlongside = (row: { categoryId: string; lon: string; lat: string }, config: HotlineConfig, params: unknown[]) => string | null;

/** The values of one ticket in the intake statement, one array per column across the tickets it writes. */
const intakeColumns = {
  day: 'text', channel: 'text', kind: 'text', category_id: 'bigint', urgency: 'text', emergency: 'boolean', description: 'text',
  lon: 'float8', lat: 'float8', address: 'text', division_code: 'text', grid_code: 'text', anonymous: 'boolean', caller_name: 'text',
  caller_phone: 'text', citizen_id: 'bigint', intake_actor: 'text', received_at: 'timestamptz', reply_due: 'timestamptz',
  resolve_due: 'timestamptz', deadline_provisional: 'boolean', emergency_kind: 'text', transfer_to: 'text', suggested_category_id: 'bigint',
  suggestion_confidence: 'float8', category_corrected: 'boolean', actor_kind: 'text', actor_id: 'text', actor_name: 'text',
  payload_hash: 'bytea', correction_text: 'text', correction_label: 'text',
} as const;
type IntakeRow = Record<keyof typeof intakeColumns, unknown>;
const intakeColumnNames = Object.keys(intakeColumns) as (keyof typeof intakeColumns)[];

/**
 * The statement writing tickets, for every number of them: each ticket's id, its number (received day + id),
 * the row, its first history event, its ledger entry, the operator's correction if any, the row as read back
 * and the read alongside. `params` holds the read's own values; the tickets' arrays follow them.
 */
function intakeStatement(read: string | null, params: unknown[]): string {
  const arrays = intakeColumnNames.map((name, i) => `$${params.length + i + 1}::${intakeColumns[name]}[]`);
  const ledger = ledgerQueueRowsSql('created t JOIN n ON n.id = t.id ORDER BY n.ord', {
    actorKind: 'n.actor_kind', actorId: 'n.actor_id', action: `'hotline.ticket.received'`, objectType: `'ticket'`, objectId: 't.number',
    purpose: 'NULL', payloadHash: 'n.payload_hash', recordedAt: 'n.received_at',
  });
  return `WITH n AS (
       SELECT nextval(pg_get_serial_sequence('hotline_tickets', 'id')) AS id, i.*
         FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS i (${intakeColumnNames.join(', ')}, ord)),
     created AS (
       INSERT INTO hotline_tickets (id, number, channel, kind, category_id, urgency, emergency, description, lon, lat, address,
         division_code, grid_code, anonymous, caller_name, caller_phone, citizen_id, intake_actor, state, received_at,
         reply_due, resolve_due, deadline_provisional, updated_at, emergency_kind, transfer_to, suggested_category_id, suggestion_confidence,
         category_corrected)
       SELECT id, day || lpad(id::text, greatest(6, length(id::text)), '0'), channel, kind, category_id, urgency, emergency, description, lon, lat,
         address, division_code, grid_code, anonymous, caller_name, caller_phone, citizen_id, intake_actor, 'received', received_at,
         reply_due, resolve_due, deadline_provisional, received_at, emergency_kind, transfer_to, suggested_category_id, suggestion_confidence,
         category_corrected
         FROM n
       RETURNING *),
     event AS (
       INSERT INTO hotline_ticket_events (ticket_id, at, actor_kind, actor_id, actor_name, action, from_state, to_state)
       SELECT id, received_at, actor_kind, actor_id, actor_name, 'hotline.ticket.received', NULL, 'received' FROM n),
     ledger AS (${ledger}),
     correction AS (${correctionSql({ text: 'n.correction_text', label: 'n.correction_label', ticketId: 'n.id', at: 'n.received_at' },
       'n WHERE n.correction_text IS NOT NULL')})
     SELECT n.ord, ${ticketColumns},
       ${read ? `CASE WHEN n.lon IS NOT NULL THEN (SELECT json_agg(a) FROM (${read}) a) END` : 'NULL'} AS alongside
       FROM created t JOIN n ON n.id = t.id JOIN hotline_categories c ON c.id = t.category_id`;
}

type Written = Ticket & { alongside: unknown[] | null };

/**
 * Concurrent intakes of one shape (the same read alongside) written by one statement: one executor start, one
 * set of constraint checks and one commit for a busy second's tickets instead of one each.
 */
const intakeGroups = new StatementGroups<{ text: string; params: unknown[] }, IntakeRow, Written>(async (db, { text, params }, rows) => {
  const { rows: written } = await db.query<Written & { ord: number }>(prepared(text, [...params, ...intakeColumnNames.map((name) => rows.map((r) => r[name]))]));
  const byOrder = new Map(written.map(({ ord, ...ticket }) => [Number(ord), ticket]));
  return rows.map((_, i) => byOrder.get(i + 1)!);
});

/** 受理 as createTicket, with a read alongside; every lookup is in memory by the configuration's cache stamps. */
export async function createTicketWith<R = unknown>(ctx: Ctx, input: CreateTicket, alongside?: ReadAlongside): Promise<{ ticket: Ticket; alongside: R[]; config: HotlineConfig }> {
  const { tx, actor, now } = ctx;
  const byCentre = centreChannels.includes(input.channel);
  if (byCentre) assertCan(actor, hotlineActions.intake);
  else assertCan(actor, hotlineActions.report);

  const description = input.description.trim();
  if (!description) throw new DomainError('validation', { field: 'description' }, 'describe the problem');
  const stamps = await readStamps(tx, ['grids', 'calendar', 'hotline', 'hotline-classifier']);
  const config = await hotlineConfig(tx, stamps.hotline);
  const suggestion = suggestWith(config, await currentClassifier(tx, now, stamps['hotline-classifier']), description);
  const category = input.categoryCode === undefined ? suggestion.category : requireCategoryIn(config, input.categoryCode);
  if (!category) throw new DomainError('hotline.no-suggestion', { field: 'categoryCode' }, 'choose a category');
  const corrected = input.categoryCode !== undefined && suggestion.category?.id !== category.id;

  const hasPoint = input.lon !== undefined && input.lat !== undefined;
  if ((input.lon === undefined) !== (input.lat === undefined))
    throw new DomainError('validation', { field: input.lon === undefined ? 'lon' : 'lat' }, 'a point needs both lon and lat');
  const address = input.address?.trim() || null;
  if (!hasPoint && !address) throw new DomainError('hotline.location-missing', { field: 'location' }, 'give a point on the map or an address');
  let divisionCode: string;
  let gridCode: string | null = null;
  if (hasPoint) {
    const place = await placeAt(tx, input.lon!, input.lat!, stamps.grids);
    if (!place) throw new DomainError('hotline.outside-city', { field: 'lon' }, `(${input.lon}, ${input.lat}) is in none of the city's grids`);
    ({ divisionCode, gridCode } = place);
  } else if (input.divisionCode !== undefined) {
    if (!/^[0-9]{12}$/.test(input.divisionCode)) throw new DomainError('validation', { field: 'divisionCode' }, 'a 12-digit division code');
    divisionCode = input.divisionCode;
  } else {
    divisionCode = actor.jurisdiction.root ?? '';
    if (!divisionCode) throw new DomainError('hotline.location-missing', { field: 'divisionCode' }, 'an address needs its division');
  }
  if (byCentre) await assertCentre(tx, actor, hotlineActions.intake, { divisionCode });

  const anonymous = input.anonymous === true;
  let callerName = anonymous ? null : input.callerName?.trim() || (actor.kind === 'citizen' ? actor.name : null);
  let callerPhone = anonymous ? null : input.callerPhone?.trim() || null;
  if (callerPhone !== null && !checkMobile(callerPhone).ok)
    throw new DomainError('hotline.bad-phone', { field: 'callerPhone' }, 'not a mobile number');
  if (!anonymous && callerName === null && callerPhone === null && actor.kind === 'staff')
    throw new DomainError('hotline.caller-missing', { field: 'callerName' }, 'name the caller or mark the report anonymous');
  if (anonymous) [callerName, callerPhone] = [null, null];

  const urgency = input.urgency ?? suggestion.urgency.urgency;
  const emergency = input.emergency ?? suggestion.urgency.emergency !== undefined;
  const emergencyKind = emergency ? suggestion.urgency.emergency ?? null : null;
  const limit = timeLimitIn(config, category, urgency);
  const calendar = await loadCalendar(tx, stamps.calendar);
  const reply = calendar.addWorkingDays(now, limit.replyDays);
  const resolve = calendar.addWorkingDays(now, limit.resolveDays);
  const classification = { label: category.code, suggested: suggestion.category?.code ?? null, confidence: suggestion.confidence,
    corrected, urgency, emergency: emergencyKind, transferTo: emergencyKind && EMERGENCY_NUMBERS[emergencyKind] };
  const row: IntakeRow = {
    day: chinaDay(now).replaceAll('-', ''), channel: input.channel, kind: input.kind, category_id: category.id, urgency, emergency, description,
    lon: input.lon ?? null, lat: input.lat ?? null, address, division_code: divisionCode, grid_code: gridCode, anonymous,
    caller_name: callerName, caller_phone: callerPhone, citizen_id: actor.kind === 'citizen' ? Number(actor.id) : null,
    intake_actor: actorRef(actor), received_at: now, reply_due: reply.due, resolve_due: resolve.due,
    deadline_provisional: reply.provisional || resolve.provisional, emergency_kind: emergencyKind,
    transfer_to: emergencyKind && EMERGENCY_NUMBERS[emergencyKind], suggested_category_id: suggestion.category?.id ?? null,
    suggestion_confidence: suggestion.category ? suggestion.confidence : null, category_corrected: corrected,
    actor_kind: actor.kind, actor_id: actor.id, actor_name: actor.name,
    // One entry per intake: what was reported and how it was classified (the suggestion, whether the operator chose
    // another category, the urgency and any emergency transfer). The caller's name and phone are hashed into it, never stored in it.
    payload_hash: payloadHash({ ...input, description, divisionCode, gridCode, callerName, callerPhone, classification }),
    // 纠正: staff choosing another category than the suggestion teach the next model; citizens' picks are not kept.
    correction_text: corrected && actor.kind === 'staff' ? description : null, correction_label: category.code,
  };
  const params: unknown[] = [];
  const read = alongside?.({ categoryId: 'n.category_id', lon: 'n.lon', lat: 'n.lat' }, config, params) ?? null;
  const shape = { text: intakeStatement(read, params), params };
  // Outside a transaction the statement is the whole command, so it may be one with other intakes' (group commit).
  const { alongside: found, ...ticket } = ctx.oneStatement
    ? await intakeGroups.submit(tx, JSON.stringify(shape), shape, row)
    : (await intakeGroups.run(tx, shape, [row]))[0]!;
  return { ticket, alongside: (found ?? []) as R[], config };
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
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: move.action, object: { type: 'ticket', id: ticket.number }, at: ctx.now,
    payload: { ticket: ticket.number, from: ticket.state, to: move.to, ...(move.payload ?? {}) } });
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

/**
 * The work queue: tickets the actor may see (the centre: its jurisdiction; a department: what is
 * dispatched to it), filtered, by deadline first unless asked for the newest. The page's ids come first
 * from the index alone, then the rows of those ids; the count stops at `queueCountCap`.
 */
export async function listTickets(db: Queryable, actor: Actor, query: TicketQuery, now = new Date())
  : Promise<{ total: number; totalCapped: boolean; items: Ticket[]; centre: boolean }> {
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
  const count = `SELECT count(*)::int FROM (SELECT 1 FROM hotline_tickets t WHERE ${condition} LIMIT ${queueCountCap + 1}) q`;
  const order = query.sort === 'newest' ? 't.received_at DESC, t.id DESC' : 't.resolve_due, t.id';
  // One round trip: the page's ids in order from the index, then the rows of those ids, with the capped count.
  const { rows } = await db.query<Ticket & { counted: number }>(
    `WITH page AS (SELECT array(SELECT t.id FROM hotline_tickets t WHERE ${condition} ORDER BY ${order}
                                 LIMIT $${params.length + 1} OFFSET $${params.length + 2}) AS ids)
     SELECT ${ticketColumns}, (${count}) AS counted
       FROM page, unnest(page.ids) WITH ORDINALITY AS p (id, ord) JOIN ${ticketFrom} ON t.id = p.id
      ORDER BY p.ord`, [...params, query.limit ?? 50, query.offset ?? 0]);
  // A page past the end has no rows to carry the count.
  const counted = rows[0]?.counted ?? (await db.query<{ count: number }>(count, params)).rows[0]!.count;
  const items = rows.map(({ counted: _, ...ticket }) => ticket);
  return { total: Math.min(counted, queueCountCap), totalCapped: counted > queueCountCap, items, centre };
}
