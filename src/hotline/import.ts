/**
 * Import of historical tickets from CSV, in the NYC 311 open-data layout (`nyc311`: Unique Key, Created
 * Date, Closed Date, Agency, Complaint Type, Descriptor, Status, Latitude, Longitude, …) or Yiwang's own
 * (`yiwang`). Each row is checked on its own: a row without a point and without an address in a known
 * division, a point outside the city, a category that is unknown or cannot be suggested confidently, a
 * bad date or an id imported before is reported with its reason, and the good rows are kept. Imported
 * tickets keep their original id and are marked with the layout they came from; they get a history event
 * each, while the import as a whole is one ledger entry (with the SHA-256 of the file).
 */
import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { readStamps } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment, findDepartmentByCode } from '../kernel/org/index.ts';
import { findCategory, routeTicket, timeLimitFor, type Category, type TimeLimit } from './catalogue.ts';
import { parseDateTime } from './dates.ts';
import { suggestClassification } from './classification.ts';
import { placeAt, type Place } from './place.ts';
import { assertCentreOrAdmin } from './policy.ts';
import { channels, ticketKinds, type Channel, type TicketKind, type TicketState } from './states.ts';
import { actorRef, ticketNumber } from './tickets.ts';

export const importLayouts = ['nyc311', 'yiwang'] as const;
export type ImportLayout = (typeof importLayouts)[number];

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * The IANA time zone of a layout's local times (NYC 311 writes New York wall-clock time without an offset);
 * null when the layout's times carry their own offset.
 */
export const layoutTimeZones: Record<ImportLayout, string | null> = { nyc311: 'America/New_York', yiwang: null };

/** Below this confidence a suggested category is no suggestion: an import has no operator to correct it. */
export const MIN_IMPORT_CONFIDENCE = 0.5;

export interface ImportTickets {
  layout: ImportLayout;
  csv: string;
  /** Source category (NYC: Complaint Type) → category code; unmapped ones are classified from the text. */
  categories?: Record<string, string>;
  /** Source department (NYC: Agency) → department id or code; unmapped ones go by the dispatch catalogue. */
  departments?: Record<string, number | string>;
  /** The division of rows that have an address but no point. */
  divisionCode?: string;
}

export interface RowRejection {
  /** Row number in the file, the header being row 1. */
  row: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  imported: number;
  rejected: RowRejection[];
}

/** A source row in Yiwang's terms, with the column each value came from (for the report). */
interface SourceRow {
  originalId: string;
  receivedAt: string;
  closedAt: string;
  closed: boolean;
  channel: string;
  kind: string;
  categoryText: string;
  categoryCode: string | undefined;
  description: string;
  lon: string;
  lat: string;
  address: string;
  department: string;
  reply: string;
}

const columnNames: Record<ImportLayout, Record<keyof SourceRow | 'location', string>> = {
  nyc311: { originalId: 'Unique Key', receivedAt: 'Created Date', closedAt: 'Closed Date', closed: 'Status', channel: 'Open Data Channel Type',
    kind: 'Complaint Type', categoryText: 'Complaint Type', categoryCode: 'Complaint Type', description: 'Descriptor', lon: 'Longitude',
    lat: 'Latitude', address: 'Incident Address', department: 'Agency', reply: 'Resolution Description', location: 'Latitude' },
  yiwang: { originalId: 'originalId', receivedAt: 'receivedAt', closedAt: 'closedAt', closed: 'closedAt', channel: 'channel', kind: 'kind',
    categoryText: 'categoryCode', categoryCode: 'categoryCode', description: 'description', lon: 'lon', lat: 'lat', address: 'address',
    department: 'departmentCode', reply: 'reply', location: 'lat' },
};

const nycChannels: Record<string, Channel> = { PHONE: 'phone', ONLINE: 'web', MOBILE: 'app' };

function sourceRow(layout: ImportLayout, r: Record<string, string>, categories: Record<string, string>): SourceRow {
  if (layout === 'yiwang')
    return { originalId: r.originalId ?? '', receivedAt: r.receivedAt ?? '', closedAt: r.closedAt ?? '', closed: Boolean(r.closedAt),
      channel: r.channel || 'phone', kind: r.kind || 'complaint', categoryText: r.description ?? '', categoryCode: r.categoryCode || undefined,
      description: r.description ?? '', lon: r.lon ?? '', lat: r.lat ?? '', address: r.address ?? '', department: r.departmentCode ?? '',
      reply: r.reply ?? '' };
  const type = r['Complaint Type'] ?? '';
  return {
    originalId: r['Unique Key'] ?? '', receivedAt: r['Created Date'] ?? '', closedAt: r['Closed Date'] ?? '',
    closed: r.Status === 'Closed' || Boolean(r['Closed Date']), channel: nycChannels[r['Open Data Channel Type'] ?? ''] ?? 'phone',
    kind: 'complaint', categoryText: `${type} ${r.Descriptor ?? ''}`, categoryCode: categories[type],
    description: [type, r.Descriptor].filter(Boolean).join(': '), lon: r.Longitude ?? '', lat: r.Latitude ?? '',
    address: [r['Incident Address'], r.City].filter(Boolean).join(', '), department: r.Agency ?? '', reply: r['Resolution Description'] ?? '',
  };
}

const nycDate = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) (AM|PM)$/;

/**
 * NYC's `MM/DD/YYYY hh:mm:ss AM` (a local time without zone, read in the layout's time zone, daylight saving
 * included) or ISO 8601 with a zone.
 */
export function parseImportDate(text: string, layout: ImportLayout): Date | null {
  if (layout === 'yiwang') return parseDateTime(text, { requireZone: true });
  const m = nycDate.exec(text);
  if (!m) return null;
  const [, mm, dd, yyyy, hh, mi, ss, half] = m;
  const [month, day, hour12] = [Number(mm), Number(dd), Number(hh)];
  if (hour12 < 1 || hour12 > 12 || Number(mi) > 59 || Number(ss) > 59) return null;
  // Date.UTC rolls 02/30 over to March: a real date reads back the same month and day.
  const probe = new Date(Date.UTC(Number(yyyy), month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const hour = (hour12 % 12) + (half === 'PM' ? 12 : 0);
  return dayjs.tz(`${yyyy}-${mm}-${dd}T${String(hour).padStart(2, '0')}:${mi}:${ss}`, layoutTimeZones[layout]!).toDate();
}

class RowError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(reason);
  }
}

/** A ticket ready to insert. */
interface ImportedTicket {
  row: number;
  source: SourceRow;
  receivedAt: Date;
  closedAt: Date | null;
  category: Category;
  place: Place | null;
  divisionCode: string;
  departmentId: number | null;
  channel: Channel;
  kind: TicketKind;
}

/** Imports the rows of a CSV file; good rows are kept, each bad one is reported with its column and reason. */
export async function importTickets(ctx: Ctx, input: ImportTickets): Promise<ImportReport> {
  await assertCentreOrAdmin(ctx.tx, ctx.actor, 'hotline.tickets.import');
  if (!(importLayouts as readonly string[]).includes(input.layout))
    throw new DomainError('hotline.import.bad-layout', { field: 'layout', allowed: importLayouts }, `unknown layout ${input.layout}`);
  if (input.divisionCode !== undefined && !/^[0-9]{12}$/.test(input.divisionCode))
    throw new DomainError('validation', { field: 'divisionCode' }, 'a 12-digit division code');
  let records: Record<string, string>[];
  try {
    records = parse(input.csv, { columns: (header: string[]) => header.map((h) => h.trim()), bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new DomainError('hotline.import.malformed-csv', { field: 'body' }, (error as Error).message);
  }
  const columns = columnNames[input.layout];
  const gridsStamp = (await readStamps(ctx.tx, ['grids'])).grids;
  const departments = new Map<string, number | null>();
  const categories = new Map<string, Category | null>();
  const routes = new Map<string, number | null>();
  const categoryByCode = async (code: string) => {
    if (!categories.has(code)) categories.set(code, await findCategory(ctx.tx, { code }));
    return categories.get(code)!;
  };
  const route = async (category: Category, divisionCode: string) => {
    const key = `${category.id}/${divisionCode}`;
    if (!routes.has(key)) routes.set(key, await routeTicket(ctx.tx, category, divisionCode));
    return routes.get(key)!;
  };
  const seen = new Set<string>();
  const rejected: RowRejection[] = [];
  const accepted: ImportedTicket[] = [];

  const departmentOf = async (source: string, category: Category, divisionCode: string): Promise<number | null> => {
    const mapped = input.departments?.[source];
    if (mapped === undefined) return route(category, divisionCode);
    const key = String(mapped);
    if (!departments.has(key)) {
      const found = typeof mapped === 'number' ? await findDepartment(ctx.tx, mapped) : await findDepartmentByCode(ctx.tx, mapped);
      departments.set(key, found?.id ?? null);
    }
    const id = departments.get(key)!;
    if (id === null) throw new RowError(columns.department, 'unknown-department');
    return id;
  };

  for (const [index, record] of records.entries()) {
    const row = index + 2;
    try {
      const source = sourceRow(input.layout, record, input.categories ?? {});
      if (!source.originalId) throw new RowError(columns.originalId, 'missing');
      if (seen.has(source.originalId)) throw new RowError(columns.originalId, 'duplicate');
      seen.add(source.originalId);
      const receivedAt = parseImportDate(source.receivedAt, input.layout);
      if (!receivedAt) throw new RowError(columns.receivedAt, 'bad-date');
      const closedAt = source.closedAt ? parseImportDate(source.closedAt, input.layout) : null;
      if (source.closedAt && !closedAt) throw new RowError(columns.closedAt, 'bad-date');
      if (closedAt && closedAt < receivedAt) throw new RowError(columns.closedAt, 'before-received');
      if (!(channels as readonly string[]).includes(source.channel)) throw new RowError(columns.channel, 'unknown-channel');
      if (!(ticketKinds as readonly string[]).includes(source.kind)) throw new RowError(columns.kind, 'unknown-kind');
      if (!source.description.trim()) throw new RowError(columns.description, 'missing');

      const hasPoint = source.lon !== '' && source.lat !== '';
      let place: Place | null = null;
      let divisionCode: string;
      if (hasPoint) {
        const [lon, lat] = [Number(source.lon), Number(source.lat)];
        if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new RowError(columns.lat, 'bad-point');
        place = await placeAt(ctx.tx, lon, lat, gridsStamp);
        if (!place) throw new RowError(columns.lat, 'outside-city');
        divisionCode = place.divisionCode;
      } else if (source.address && input.divisionCode) {
        divisionCode = input.divisionCode;
      } else {
        throw new RowError(columns.location, source.address ? 'address-without-division' : 'location-missing');
      }
      if (!ctx.actor.jurisdiction.covers(divisionCode)) throw new RowError(columns.location, 'outside-jurisdiction');

      let category: Category | null;
      if (source.categoryCode !== undefined) {
        category = await categoryByCode(source.categoryCode);
        if (!category?.active) throw new RowError(columns.categoryCode, 'unknown-category');
      } else {
        const suggestion = await suggestClassification(ctx.tx, source.categoryText, ctx.now);
        if (!suggestion.category || suggestion.confidence < MIN_IMPORT_CONFIDENCE) throw new RowError(columns.categoryText, 'no-suggestion');
        category = suggestion.category;
      }
      const departmentId = source.department ? await departmentOf(source.department, category, divisionCode) : null;
      accepted.push({ row, source, receivedAt, closedAt, category, place, divisionCode, departmentId,
        channel: source.channel as Channel, kind: source.kind as TicketKind });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({ row, field: error.field, reason: error.reason });
    }
  }

  // Ids imported before are reported too, so importing a file twice keeps one copy.
  const { rows: before } = await ctx.tx.query<{ originalId: string }>(
    `SELECT original_id AS "originalId" FROM hotline_tickets WHERE imported_from = $1 AND original_id = ANY($2)`,
    [input.layout, accepted.map((t) => t.source.originalId)]);
  const already = new Set(before.map((r) => r.originalId));
  const fresh = accepted.filter((t) => !already.has(t.source.originalId));
  for (const t of accepted) if (already.has(t.source.originalId)) rejected.push({ row: t.row, field: columns.originalId, reason: 'imported-before' });

  await insertImported(ctx, fresh, input.layout);
  rejected.sort((a, b) => a.row - b.row);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.tickets.imported', object: { type: 'hotline-import', id: input.layout }, at: ctx.now,
    payload: { layout: input.layout, sha256: crypto.createHash('sha256').update(input.csv).digest('hex'), imported: fresh.length,
      rejected: rejected.length, originalIds: fresh.map((t) => t.source.originalId) } });
  return { imported: fresh.length, rejected };
}

/** Writes the imported tickets and their history events in two statements. */
async function insertImported(ctx: Ctx, tickets: readonly ImportedTicket[], layout: ImportLayout): Promise<void> {
  if (tickets.length === 0) return;
  const calendar = await loadCalendar(ctx.tx);
  const limits = new Map<number, TimeLimit>();
  const { rows: ids } = await ctx.tx.query<{ id: string }>(
    `SELECT nextval(pg_get_serial_sequence('hotline_tickets', 'id')) AS id FROM generate_series(1, $1)`, [tickets.length]);
  for (const t of tickets) if (!limits.has(t.category.id)) limits.set(t.category.id, await timeLimitFor(ctx.tx, t.category, 'normal'));
  const rows = tickets.map((t, i) => {
    const id = Number(ids[i]!.id);
    const limit = limits.get(t.category.id)!;
    const reply = calendar.addWorkingDays(t.receivedAt, limit.replyDays);
    const resolve = calendar.addWorkingDays(t.receivedAt, limit.resolveDays);
    const state: TicketState = t.source.closed ? 'closed' : t.departmentId !== null ? 'dispatched' : 'received';
    const closedAt = state === 'closed' ? t.closedAt ?? t.receivedAt : null;
    const answer = state === 'closed' && t.source.reply ? t.source.reply : null;
    return { id, number: ticketNumber(id, t.receivedAt), channel: t.channel, kind: t.kind, category: t.category.id,
      description: t.source.description.trim(), lon: t.place ? Number(t.source.lon) : null, lat: t.place ? Number(t.source.lat) : null,
      address: t.source.address || null, division: t.divisionCode, grid: t.place?.gridCode ?? null, state, department: t.departmentId,
      reply: answer, received: t.receivedAt, dispatched: t.departmentId !== null ? t.receivedAt : null, replied: answer ? closedAt : null,
      closed: closedAt, replyDue: reply.due, resolveDue: resolve.due, provisional: reply.provisional || resolve.provisional,
      originalId: t.source.originalId };
  });
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  await ctx.tx.query(
    `INSERT INTO hotline_tickets (id, number, channel, kind, category_id, urgency, description, lon, lat, address, division_code, grid_code,
       anonymous, intake_actor, state, department_id, reply, received_at, dispatched_at, replied_at, closed_at, reply_due, resolve_due,
       deadline_provisional, updated_at, imported_from, original_id)
     SELECT r.id, r.number, r.channel, r.kind, r.category, 'normal', r.description, r.lon, r.lat, r.address, r.division, r.grid, true, $21,
            r.state, r.department, r.reply, r.received, r.dispatched, r.replied, r.closed, r.reply_due, r.resolve_due, r.provisional, $22, $23,
            r.original_id
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::float8[], $8::float8[], $9::text[],
                   $10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15::timestamptz[], $16::timestamptz[],
                   $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::timestamptz[], $24::boolean[], $25::text[])
         AS r (id, number, channel, kind, category, description, lon, lat, address, division, grid, state, department, reply, received,
               dispatched, replied, closed, reply_due, resolve_due, provisional, original_id)`,
    [column('id'), column('number'), column('channel'), column('kind'), column('category'), column('description'), column('lon'),
      column('lat'), column('address'), column('division'), column('grid'), column('state'), column('department'), column('reply'),
      column('received'), column('dispatched'), column('replied'), column('closed'), column('replyDue'), column('resolveDue'),
      actorRef(ctx.actor), ctx.now, layout, column('provisional'), column('originalId')]);
  await ctx.tx.query(
    `INSERT INTO hotline_ticket_events (ticket_id, at, actor_kind, actor_id, actor_name, action, from_state, to_state, department_id, note)
     SELECT r.id, $4, $5, $6, $7, 'hotline.ticket.imported', NULL, r.state, r.department, $8 || ' ' || r.original_id
       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $9::text[]) AS r (id, state, department, original_id)`,
    [column('id'), column('state'), column('department'), ctx.now, ctx.actor.kind, ctx.actor.id, ctx.actor.name, layout, column('originalId')]);
}
