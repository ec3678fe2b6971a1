/**
 * 受理: a report from any channel becomes a ticket, here and nowhere else. Read top to bottom: who may file it,
 * the classifier's suggestion, the place, the caller, the deadlines, the values of the one statement that
 * writes the ticket (queries.ts: the row, its history event, its ledger entry, a correction, and the open
 * tickets nearby for 并单), then photos and a knowledge-base answer for an intake that has them.
 */
import { assertCan, can, type Ctx, type StatementCtx } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar } from '../kernel/calendar/index.ts';
import { checkMobile } from '../kernel/checks/index.ts';
import { readStamps } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { payloadHash } from '../kernel/ledger/index.ts';
import { hotlineConfig, requireCategoryIn, routeIn, settingIn, timeLimitIn } from './catalogue.ts';
import { currentClassifier, suggestWith } from './classification.ts';
import { EMERGENCY_NUMBERS } from './classifier/index.ts';
import type { DuplicateSuggestion } from './duplicates.ts';
import { answerFromKnowledge } from './knowledge.ts';
import { attachPhotos } from './photos.ts';
import { addressMismatchAt, placeAt } from './place.ts';
import { assertCentre, hotlineActions, isCentre } from './policy.ts';
import { intakeStatement, writeIntake, type IntakeRow } from './queries.ts';
import type { Channel, TicketKind, Urgency } from './states.ts';
import { actorRef, type Ticket } from './tickets.ts';

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

export interface IntakeExtras {
  /** Photos the operator uploaded for this report (POST /photos), ≤ 5. */
  photoIds?: string[];
  /** A consultation (咨询) answered from this knowledge-base entry: closed at once. */
  knowledgeId?: number;
}

export interface Intake {
  ticket: Ticket;
  /** Open tickets of the category nearby that staff may see (for 并单); none for a citizen or without a point. */
  duplicates: DuplicateSuggestion[];
  /** The department the dispatch catalogue names. */
  routedDepartmentId: number | null;
  /** Whether the filer is the hotline centre (the console's view of the ticket depends on it). */
  centre: boolean;
}

const centreChannels: readonly Channel[] = ['phone', 'mayor-mailbox', 'wechat'];

/**
 * 受理. The point decides the grid and division; the category and urgency decide the deadlines to reply and
 * resolve. Calls, the mayor's mailbox and WeChat are typed in by the centre; the web, the app and Open311 are
 * filed by citizens and systems themselves. The classifier reads the description: its category is used when
 * none is given, and an operator's different choice is kept as a correction to retrain on; its urgency applies
 * unless one is given, and an emergency is flagged with the number to transfer to. The classification is
 * hashed into the intake's ledger entry. Every lookup is in memory by the configuration's cache stamps.
 *
 * With a StatementCtx (no transaction) the ticket is written by one statement, shared with concurrent intakes;
 * photos and a knowledge answer are further writes, so they need a Ctx. `nearby: false` skips the duplicates
 * read for callers that show none.
 */
export async function intakeTicket(ctx: Ctx | StatementCtx, input: CreateTicket & IntakeExtras, opts: { nearby?: boolean } = {}): Promise<Intake> {
  const { photoIds, knowledgeId, ...report } = input;
  const { actor, now } = ctx;
  const db = 'tx' in ctx ? ctx.tx : ctx.db;
  const byCentre = centreChannels.includes(report.channel);
  if (byCentre) assertCan(actor, hotlineActions.intake);
  else assertCan(actor, hotlineActions.report);

  const description = report.description.trim();
  if (!description) throw new DomainError('validation', { field: 'description' }, 'describe the problem');
  const stamps = await readStamps(db, ['grids', 'divisions', 'calendar', 'hotline', 'hotline-classifier']);
  const config = await hotlineConfig(db, stamps.hotline);
  const suggestion = suggestWith(config, await currentClassifier(db, now, stamps['hotline-classifier']), description);
  const category = report.categoryCode === undefined ? suggestion.category : requireCategoryIn(config, report.categoryCode);
  if (!category) throw new DomainError('hotline.no-suggestion', { field: 'categoryCode' }, 'choose a category');
  const corrected = report.categoryCode !== undefined && suggestion.category?.id !== category.id;

  const hasPoint = report.lon !== undefined && report.lat !== undefined;
  if ((report.lon === undefined) !== (report.lat === undefined))
    throw new DomainError('validation', { field: report.lon === undefined ? 'lon' : 'lat' }, 'a point needs both lon and lat');
  const address = report.address?.trim() || null;
  if (!hasPoint && !address) throw new DomainError('hotline.location-missing', { field: 'location' }, 'give a point on the map or an address');
  let divisionCode: string;
  let gridCode: string | null = null;
  let addressMismatch = null;
  if (hasPoint) {
    const place = await placeAt(db, report.lon!, report.lat!, stamps.grids);
    if (!place) throw new DomainError('hotline.outside-city', { field: 'lon' }, `(${report.lon}, ${report.lat}) is in none of the city's grids`);
    ({ divisionCode, gridCode } = place);
    if (address) addressMismatch = await addressMismatchAt(db, address, report.lon!, report.lat!, stamps);
  } else if (report.divisionCode !== undefined) {
    if (!/^[0-9]{12}$/.test(report.divisionCode)) throw new DomainError('validation', { field: 'divisionCode' }, 'a 12-digit division code');
    divisionCode = report.divisionCode;
  } else {
    divisionCode = actor.jurisdiction.root ?? '';
    if (!divisionCode) throw new DomainError('hotline.location-missing', { field: 'divisionCode' }, 'an address needs its division');
  }
  if (byCentre) await assertCentre(db, actor, hotlineActions.intake, { divisionCode });

  const anonymous = report.anonymous === true;
  let callerName = anonymous ? null : report.callerName?.trim() || (actor.kind === 'citizen' ? actor.name : null);
  let callerPhone = anonymous ? null : report.callerPhone?.trim() || null;
  if (callerPhone !== null && !checkMobile(callerPhone).ok)
    throw new DomainError('hotline.bad-phone', { field: 'callerPhone' }, 'not a mobile number');
  if (!anonymous && callerName === null && callerPhone === null && actor.kind === 'staff')
    throw new DomainError('hotline.caller-missing', { field: 'callerName' }, 'name the caller or mark the report anonymous');
  if (anonymous) [callerName, callerPhone] = [null, null];

  const urgency = report.urgency ?? suggestion.urgency.urgency;
  const emergency = report.emergency ?? suggestion.urgency.emergency !== undefined;
  const emergencyKind = emergency ? suggestion.urgency.emergency ?? null : null;
  const limit = timeLimitIn(config, category, urgency);
  const calendar = await loadCalendar(db, stamps.calendar);
  const reply = calendar.addWorkingDays(now, limit.replyDays);
  const resolve = calendar.addWorkingDays(now, limit.resolveDays);
  const classification = { label: category.code, suggested: suggestion.category?.code ?? null, confidence: suggestion.confidence,
    corrected, urgency, emergency: emergencyKind, transferTo: emergencyKind && EMERGENCY_NUMBERS[emergencyKind] };
  const row: IntakeRow = {
    day: chinaDay(now).replaceAll('-', ''), channel: report.channel, kind: report.kind, category_id: category.id, urgency, emergency, description,
    lon: report.lon ?? null, lat: report.lat ?? null, address, address_mismatch: addressMismatch, division_code: divisionCode, grid_code: gridCode, anonymous,
    caller_name: callerName, caller_phone: callerPhone, citizen_id: actor.kind === 'citizen' ? Number(actor.id) : null,
    intake_actor: actorRef(actor), received_at: now, reply_due: reply.due, resolve_due: resolve.due,
    deadline_provisional: reply.provisional || resolve.provisional, emergency_kind: emergencyKind,
    transfer_to: emergencyKind && EMERGENCY_NUMBERS[emergencyKind], suggested_category_id: suggestion.category?.id ?? null,
    suggestion_confidence: suggestion.category ? suggestion.confidence : null, category_corrected: corrected,
    actor_kind: actor.kind, actor_id: actor.id, actor_name: actor.name,
    // One entry per intake: what was reported and how it was classified (the suggestion, whether the operator chose
    // another category, the urgency and any emergency transfer). The caller's name and phone are hashed into it, never stored in it.
    payload_hash: payloadHash({ ...report, description, divisionCode, gridCode, callerName, callerPhone, classification }),
    // 纠正: staff choosing another category than the suggestion teach the next model; citizens' picks are not kept.
    correction_text: corrected && actor.kind === 'staff' ? description : null, correction_label: category.code,
  };

  // A citizen filing from the portal sees no other people's tickets; staff get the open ones nearby, read in the same statement.
  const centre = await isCentre(db, actor);
  const staff = (actor.kind === 'staff' || actor.kind === 'system') && can(actor, hotlineActions.read);
  const nearby = opts.nearby !== false && staff ? { actor, centre, radiusMetres: settingIn(config, 'duplicateRadiusMetres') } : null;
  const { nearby: found, ...ticket } = await writeIntake<Ticket>(db, intakeStatement(nearby, []), row, !('tx' in ctx));
  const intake: Intake = { ticket, duplicates: ((found ?? []) as DuplicateSuggestion[]).map((d) => ({ ...d, receivedAt: new Date(d.receivedAt) })),
    routedDepartmentId: routeIn(config, { ancestry: ticket.categoryAncestry }, ticket.divisionCode), centre };

  if (!photoIds?.length && knowledgeId === undefined) return intake;
  if (!('tx' in ctx)) throw new Error('photos and a knowledge answer are written in the transaction of the intake');
  await attachPhotos(ctx, ticket.id, photoIds ?? [], actorRef(actor));
  return knowledgeId === undefined ? intake : { ...intake, ticket: await answerFromKnowledge(ctx, { ticketId: ticket.id, knowledgeId }) };
}

/** 受理 of a report whose filer is shown no duplicates (Open311, the public report page, imports, the demo): the ticket alone. */
export async function createTicket(ctx: Ctx, input: CreateTicket): Promise<Ticket> {
  return (await intakeTicket(ctx, input, { nearby: false })).ticket;
}
