/**
 * Citizens' reports (市民上报) without staff: from the portal, a phone page, WeChat or the mayor's
 * mailbox, logged in or anonymous. The report is filed by the platform's `citizen-report` process on
 * the reporter's behalf (the centre's channels need the centre's hand otherwise), with the logged-in
 * citizen linked; the reporter gets the ticket number and a status token, the only key to the public
 * status page. Public answers carry no personal data: no caller, no staff names.
 */
import crypto from 'node:crypto';
import { systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { checkMobile } from '../kernel/checks/index.ts';
import { chinaDay } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { hotlineSetting, requireCategory } from './catalogue.ts';
import { suggestClassification } from './classification.ts';
import { findDuplicates } from './duplicates.ts';
import { limitPerHour } from './rate.ts';
import { attachPhotos, photoIdsOf, staffReach } from './photos.ts';
import type { Channel, TicketKind, TicketState } from './states.ts';
import { createTicket } from './intake.ts';
import { ticketColumns, ticketFrom } from './queries.ts';
import { actorRef, findTicket, ticketHistory, type Ticket } from './tickets.ts';

/** The process that files citizens' reports; tickets it files show it as their intake actor. */
const reportDesk = systemActor('citizen-report');

export const reportChannels = ['web', 'app', 'wechat', 'mayor-mailbox'] as const satisfies readonly Channel[];

export interface FileReport {
  channel: (typeof reportChannels)[number];
  /** Absent: a complaint (投诉). */
  kind?: TicketKind;
  description: string;
  /** Absent: the category the classifier suggests. */
  categoryCode?: string;
  lon?: number;
  lat?: number;
  address?: string;
  divisionCode?: string;
  photoIds?: string[];
  contactName?: string;
  contactPhone?: string;
  anonymous?: boolean;
  /** The reporter publishes the text, address and point (phone and ID numbers masked); otherwise the public sees the minimum. */
  public?: boolean;
  /** The client's network address, for the rate limit. */
  clientAddress: string;
}

export interface PublicDuplicate {
  number: string;
  category: { code: string; name: string };
  distanceMetres: number;
  state: TicketState;
  receivedDate: string;
}

/** Open tickets of the category near a point, as anyone may see them: no text, no people. */
export async function publicDuplicates(db: Queryable, query: { categoryCode: string; lon: number; lat: number; excludeId?: number })
  : Promise<PublicDuplicate[]> {
  const category = await requireCategory(db, query.categoryCode);
  const near = await findDuplicates(db, reportDesk, query);
  return near.map((d) => ({ number: d.number, category: { code: category.code, name: category.name },
    distanceMetres: Math.round(d.distanceMetres), state: d.state as TicketState, receivedDate: chinaDay(d.receivedAt) }));
}

/** What the public report page learns from a text: a category to offer and the urgency, nothing about tickets. */
export interface PublicSuggestion {
  category: { code: string; name: string; path: string[] } | null;
  /** 不确定: the citizen should check the category rather than take it. */
  uncertain: boolean;
  urgency: 'urgent' | 'normal';
  /** A fire, crime or medical emergency belongs with 119, 110 or 120, not in a report. */
  transferTo?: string;
}

/** Suggestions one address may ask for per report it may file: the page asks once each time typing pauses. */
const suggestionsPerReport = 30;

/** 智能分类 for citizens: the category and urgency a report's text suggests, limited per client address like reports. */
export async function suggestForReport(ctx: Ctx, input: { text: string; clientAddress: string }): Promise<PublicSuggestion> {
  const text = input.text.trim();
  if (!text) throw new DomainError('validation', { field: 'text' }, 'describe the problem');
  await limitPerHour(ctx, 'suggest', input.clientAddress, suggestionsPerReport * await hotlineSetting(ctx.tx, 'reportsPerHourPerAddress'));
  const { category, uncertain, urgency } = await suggestClassification(ctx.tx, text, ctx.now);
  return { category: category && { code: category.code, name: category.name, path: category.path }, uncertain, urgency: urgency.urgency,
    ...(urgency.transferTo ? { transferTo: urgency.transferTo } : {}) };
}

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest();

/** 市民上报: files the report, attaches its photos and hands back the number, the status token and similar open tickets nearby. */
export async function fileReport(ctx: Ctx, input: FileReport)
  : Promise<{ number: string; statusToken: string; duplicates: PublicDuplicate[]; ticket: Ticket }> {
  await limitPerHour(ctx, 'report', input.clientAddress, await hotlineSetting(ctx.tx, 'reportsPerHourPerAddress'));
  const anonymous = input.anonymous === true;
  const citizen = ctx.actor.kind === 'citizen' ? ctx.actor : null;
  const contactPhone = anonymous ? undefined : input.contactPhone?.trim() || undefined;
  if (contactPhone !== undefined && !checkMobile(contactPhone).ok)
    throw new DomainError('hotline.bad-phone', { field: 'contactPhone' }, 'not a mobile number');
  const created = await createTicket({ ...ctx, actor: reportDesk }, {
    channel: input.channel, kind: input.kind ?? 'complaint', categoryCode: input.categoryCode, description: input.description,
    lon: input.lon, lat: input.lat, address: input.address, divisionCode: input.divisionCode, anonymous,
    callerName: anonymous ? undefined : input.contactName?.trim() || citizen?.name, callerPhone: contactPhone,
  });
  if (citizen) await ctx.tx.query('UPDATE hotline_tickets SET citizen_id = $2 WHERE id = $1', [created.id, Number(citizen.id)]);
  if (input.public === true) await publishTicket(ctx, created);
  await attachPhotos(ctx, created.id, input.photoIds ?? [], actorRef(ctx.actor));
  const statusToken = crypto.randomBytes(32).toString('base64url');
  await ctx.tx.query('INSERT INTO hotline_report_tokens (ticket_id, token_hash) VALUES ($1, $2)', [created.id, tokenHash(statusToken)]);
  // The reporter's own entry: who filed (a citizen's id, or anonymous), never their contact details.
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.report.filed', object: { type: 'ticket', id: created.number }, at: ctx.now,
    payload: { ticket: created.number, channel: input.channel, photos: input.photoIds?.length ?? 0 } });
  const duplicates = created.lon === null || created.lat === null ? []
    : await publicDuplicates(ctx.tx, { categoryCode: created.categoryCode, lon: created.lon, lat: created.lat, excludeId: created.id });
  return { number: created.number, statusToken, duplicates, ticket: (await findTicket(ctx.tx, created.id))! };
}

/** 公开诉求: publishes a report by its reporter's choice at submission (what that opens: privacy.ts). */
export async function publishTicket(ctx: Ctx, ticket: { id: number; number: string }): Promise<void> {
  await ctx.tx.query('UPDATE hotline_tickets SET published = true WHERE id = $1', [ticket.id]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.ticket.published', object: { type: 'ticket', id: ticket.number }, at: ctx.now,
    payload: { ticket: ticket.number } });
}

/** Does `token` open the ticket, i.e. is it the status token handed to its reporter? */
export async function tokenMatches(db: Queryable, ticketId: number, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const { rows: [row] } = await db.query<{ hash: Buffer }>('SELECT token_hash AS hash FROM hotline_report_tokens WHERE ticket_id = $1', [ticketId]);
  return row !== undefined && crypto.timingSafeEqual(row.hash, tokenHash(token));
}

/** Who may see a ticket's photos: staff who may read it, the citizen who reported it, the holder of its status token. */
export async function photoReach(db: Queryable, actor: Actor, ticketId: number, token: string | undefined): Promise<boolean> {
  if (await tokenMatches(db, ticketId, token)) return true;
  if (actor.kind === 'citizen') {
    const ticket = await findTicket(db, ticketId);
    return ticket?.citizenId === Number(actor.id);
  }
  return staffReach(db, actor, ticketId);
}

export interface PublicStatus {
  ticket: Ticket;
  timeline: { at: Date; action: string; state: TicketState; department: string | null }[];
  photoIds: string[];
}

/**
 * 进度查询: a report's state for whoever holds its status token: the state changes with their times and
 * the departments that acted, never who they were. A wrong token and an unknown number look the same.
 */
export async function publicStatus(db: Queryable, input: { number: string; token: string }): Promise<PublicStatus> {
  const notFound = new DomainError('hotline.ticket.not-found', { status: 404, id: input.number }, `ticket ${input.number} not found`);
  const { rows: [ticket] } = await db.query<Ticket>(`SELECT ${ticketColumns} FROM ${ticketFrom} WHERE t.number = $1`, [input.number]);
  if (!ticket || !(await tokenMatches(db, ticket.id, input.token))) throw notFound;
  const timeline = (await ticketHistory(db, ticket.id))
    .filter((e) => e.fromState !== e.toState)
    .map((e) => ({ at: e.at, action: e.action, state: e.toState, department: e.departmentName }));
  return { ticket, timeline, photoIds: await photoIdsOf(db, ticket.id) };
}

/** 我的诉求: the tickets a logged-in citizen reported. */
export async function myTickets(db: Queryable, actor: Actor): Promise<Ticket[]> {
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
  if (actor.kind !== 'citizen') throw new DomainError('forbidden', { status: 403, action: 'hotline.my-tickets' }, 'for citizens');
  const { rows } = await db.query<Ticket>(
    `SELECT ${ticketColumns} FROM ${ticketFrom} WHERE t.citizen_id = $1 ORDER BY t.received_at DESC, t.id DESC LIMIT 200`, [Number(actor.id)]);
  return rows;
}
