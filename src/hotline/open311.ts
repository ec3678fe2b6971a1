/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): categories are services (service_code
 * = category code), tickets are service requests (service_request_id = ticket number). What this file
 * knows is the standard's vocabulary, its errors and its XML; routes.ts only carries it over HTTP.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findCategory, leafCategories, type Category } from './catalogue.ts';
import { parseDateTime } from './dates.ts';
import { photoUrl } from './photos.ts';
import { canRead, isCentre } from './policy.ts';
import { coarse, maskPersonalNumbers, publicStatusNotes, type TicketVisibility } from './privacy.ts';
import { publishTicket, tokenMatches } from './reports.ts';
import { ticketKinds, type TicketKind } from './states.ts';
import { createTicket } from './intake.ts';
import { ticketColumns, ticketFrom } from './queries.ts';
import type { Ticket } from './tickets.ts';

/** An Open311 error: the HTTP status and the `[{code, description}]` body the standard prescribes. */
export class Open311Error extends Error {
  constructor(readonly status: number, description: string) {
    super(description);
  }
  body() {
    return [{ code: this.status, description: this.message }];
  }
}

const kindNames: Record<TicketKind, string> = { consultation: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议' };

function serviceOf(category: Category) {
  return {
    service_code: category.code,
    service_name: category.name,
    description: category.description ?? category.path.join(' › '),
    metadata: true,
    type: 'realtime' as const,
    // Open311 keywords are comma-separated; the tree keeps its synonyms (同义词) separated by commas or 、.
    keywords: category.keywords?.split(/[,，、]\s*/).filter(Boolean).join(',') || null,
    group: category.path[0] ?? null,
  };
}

/** GET services: every category a ticket can be filed under. */
export async function open311Services(db: Queryable) {
  return (await leafCategories(db)).map(serviceOf);
}

/** GET services/{service_code}: the attributes a request of this service may carry. */
export async function open311ServiceDefinition(db: Queryable, code: string) {
  const category = await findCategory(db, { code });
  if (!category || !category.active) throw new Open311Error(404, `service_code ${code} not found`);
  return {
    service_code: category.code,
    attributes: [{
      variable: true, code: 'kind', datatype: 'singlevaluelist' as const, required: false, order: 1,
      datatype_description: 'one of the keys', description: '诉求类型 Kind of request (default: complaint)',
      values: ticketKinds.map((key) => ({ key, name: kindNames[key] })),
    }, {
      variable: true, code: 'public', datatype: 'singlevaluelist' as const, required: false, order: 2,
      datatype_description: 'true or false',
      description: '公开诉求 Publish the description, address and point (phone and ID numbers masked); default: only service, status, dates and a place within ~200 m',
      values: [{ key: 'false', name: '不公开 Not public' }, { key: 'true', name: '公开 Public' }],
    }],
  };
}

function dateParam(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = parseDateTime(value);
  if (!date) throw new Open311Error(400, `${name} must be a W3C date-time of a real day, such as 2026-11-24T08:00:00+08:00`);
  return date;
}

/** A request with what its public views need: the first photo, the reporter's choice to publish, the township. */
type RequestRow = Ticket & { firstPhotoId: string | null; published: boolean; townshipName: string | null };
const requestColumns = `${ticketColumns},
  (SELECT p.id FROM hotline_photos p WHERE p.ticket_id = t.id ORDER BY p.uploaded_at, p.id LIMIT 1) AS "firstPhotoId",
  t.published, (SELECT d.name FROM divisions d WHERE d.code = left(t.division_code, 9) || '000') AS "townshipName"`;

/**
 * A ticket as a service request, as much of it as `visibility` allows (see privacy.ts). It names no
 * caller (name, phone, whether a citizen's account filed it) in any case, so anonymous reports stay
 * anonymous. Fields the viewer may not see are left out, not sent as null, so GeoReport clients show
 * nothing rather than an empty value; media_url (the first photo, served to those who may see the
 * ticket) only in full.
 */
export function open311Request(ticket: RequestRow, visibility: TicketVisibility, baseUrl = '') {
  const closed = ticket.state === 'closed' || ticket.state === 'merged';
  const common = {
    service_request_id: ticket.number,
    status: closed ? 'closed' as const : 'open' as const,
    service_name: ticket.categoryPath.at(-1) ?? null,
    service_code: ticket.categoryCode,
    agency_responsible: ticket.departmentName,
    service_notice: null,
    requested_datetime: ticket.receivedAt.toISOString(),
    updated_datetime: ticket.updatedAt.toISOString(),
    expected_datetime: ticket.resolveDue.toISOString(),
    address_id: null,
    zipcode: null,
  };
  if (visibility === 'public')
    return {
      ...common,
      status_notes: publicStatusNotes[ticket.state],
      ...(ticket.townshipName ? { address: ticket.townshipName } : {}),
      ...(ticket.lat === null || ticket.lon === null ? {} : { lat: coarse(ticket.lat), long: coarse(ticket.lon) }),
    };
  const text = visibility === 'full' ? (s: string) => s : maskPersonalNumbers;
  return {
    ...common,
    status_notes: closed && ticket.reply !== null ? text(ticket.reply) : publicStatusNotes[ticket.state],
    description: text(ticket.description),
    address: ticket.address === null ? null : text(ticket.address),
    // GeoReport v2 omits the point of an address-only request rather than sending null.
    ...(ticket.lat === null || ticket.lon === null ? {} : { lat: ticket.lat, long: ticket.lon }),
    ...(visibility === 'full' && ticket.firstPhotoId ? { media_url: `${baseUrl}${photoUrl(ticket.firstPhotoId)}` } : {}),
  };
}

/** Who asks: the viewer's actor, and the status token they hold for one ticket (detail only). */
export interface Open311Viewer {
  actor: Actor;
  token?: string;
}

/** Full to staff who may read the ticket (or the holder of its status token), published if the reporter chose so, else public. */
async function visibilityFor(db: Queryable, viewer: Open311Viewer, rows: RequestRow[]): Promise<TicketVisibility[]> {
  const centre = viewer.actor.kind !== 'anonymous' && await isCentre(db, viewer.actor);
  return Promise.all(rows.map(async (row) =>
    canRead(viewer.actor, row, centre) || (viewer.token !== undefined && await tokenMatches(db, row.id, viewer.token)) ? 'full'
      : row.published ? 'published' : 'public'));
}

export interface Open311Query {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

const DEFAULT_WINDOW_MS = 90 * 86_400_000; // the standard's default: the last 90 days
const MAX_REQUESTS = 1000;

/**
 * GET requests. Ids (comma-separated) win over the other filters, as the standard says; otherwise
 * the last 90 days unless a date is given, newest first, at most 1000.
 */
export async function open311Requests(db: Queryable, viewer: Open311Viewer, query: Open311Query, now = new Date(), baseUrl = '') {
  const params: unknown[] = [];
  const where: string[] = [];
  if (query.service_request_id) {
    params.push(query.service_request_id.split(',').map((s) => s.trim()).filter(Boolean));
    where.push(`t.number = ANY($${params.length})`);
  } else {
    const start = dateParam(query.start_date, 'start_date');
    const end = dateParam(query.end_date, 'end_date');
    if (start && end && start > end) throw new Open311Error(400, 'start_date is after end_date');
    params.push(start ?? new Date((end ?? now).getTime() - DEFAULT_WINDOW_MS));
    where.push(`t.received_at >= $${params.length}`);
    if (end) { params.push(end); where.push(`t.received_at <= $${params.length}`); }
    if (query.service_code) {
      const codes = query.service_code.split(',').map((s) => s.trim()).filter(Boolean);
      params.push(codes);
      where.push(`c.code = ANY($${params.length})`);
    }
    if (query.status) {
      const statuses = query.status.split(',').map((s) => s.trim());
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed');
      if (!(statuses.includes('open') && statuses.includes('closed')))
        where.push(statuses.includes('open') ? `t.state NOT IN ('closed', 'merged')` : `t.state IN ('closed', 'merged')`);
    }
  }
  const { rows } = await db.query<RequestRow>(
    `SELECT ${requestColumns} FROM ${ticketFrom} WHERE ${where.join(' AND ')} ORDER BY t.received_at DESC, t.id DESC LIMIT ${MAX_REQUESTS}`, params);
  const visibility = await visibilityFor(db, { actor: viewer.actor }, rows);
  return rows.map((row, i) => open311Request(row, visibility[i]!, baseUrl));
}

/** GET requests/{id}: one request, in a list as the standard has it; the status token (`token`) opens it to its reporter. */
export async function open311RequestById(db: Queryable, viewer: Open311Viewer, id: string, baseUrl = '') {
  const { rows } = await db.query<RequestRow>(`SELECT ${requestColumns} FROM ${ticketFrom} WHERE t.number = $1`, [id]);
  if (!rows[0]) throw new Open311Error(404, `service_request_id ${id} not found`);
  return [open311Request(rows[0], (await visibilityFor(db, viewer, rows))[0]!, baseUrl)];
}

/** POST requests: the fields as posted (form-encoded or JSON); values are strings. */
export type Open311Post = Record<string, string | undefined>;

function numberParam(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Open311Error(400, `${name} must be a number in [${min}, ${max}]`);
  return n;
}

/**
 * POST requests: files a ticket through the open311 channel as the system the api_key belongs to. A
 * refusal of the domain comes back as an Open311 error naming the parameter.
 */
export async function submitOpen311Request(ctx: Ctx, post: Open311Post) {
  const serviceCode = post.service_code?.trim();
  if (!serviceCode) throw new Open311Error(400, 'service_code is required');
  const category = await findCategory(ctx.tx, { code: serviceCode });
  if (!category || !category.active) throw new Open311Error(404, `service_code ${serviceCode} not found`);
  const lat = numberParam(post.lat, 'lat', -90, 90);
  const lon = numberParam(post.long, 'long', -180, 180);
  if ((lat === undefined) !== (lon === undefined)) throw new Open311Error(400, 'lat and long go together');
  const address = post.address_string?.trim() || undefined;
  if (lat === undefined && !address) throw new Open311Error(400, 'a location is required: lat and long, or address_string');
  // Clients send optional attributes left blank as empty strings: absent.
  const kind = post['attribute[kind]']?.trim() || 'complaint';
  if (!(ticketKinds as readonly string[]).includes(kind)) throw new Open311Error(400, `attribute[kind] must be one of ${ticketKinds.join(', ')}`);
  const published = post['attribute[public]']?.trim() || 'false';
  if (published !== 'true' && published !== 'false') throw new Open311Error(400, 'attribute[public] must be true or false');
  const callerName = [post.last_name, post.first_name].filter((s) => s?.trim()).join('').trim() || undefined;
  const callerPhone = post.phone?.trim() || undefined;
  try {
    const ticket = await createTicket(ctx, {
      channel: 'open311', kind: kind as TicketKind, categoryCode: category.code,
      description: post.description?.trim() || category.name, lon, lat, address,
      anonymous: !callerName && !callerPhone, callerName, callerPhone,
    });
    if (published === 'true') await publishTicket(ctx, ticket);
    return [{ service_request_id: ticket.number, service_notice: null, account_id: null }];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const param: Record<string, string> = { lon: 'long', lat: 'lat', location: 'address_string', divisionCode: 'address_string',
      callerPhone: 'phone', callerName: 'first_name', description: 'description', categoryCode: 'service_code' };
    const name = error.details.field ? param[error.details.field] ?? error.details.field : undefined;
    throw new Open311Error(error.status, `${name ? `${name}: ` : ''}${error.message}`);
  }
}

/** GET discovery: where the endpoint is and what it speaks. */
export function open311Discovery(baseUrl: string, changeset: Date) {
  return {
    changeset: changeset.toISOString(),
    contact: '12345 政务服务便民热线',
    key_service: 'API keys are issued as API tokens by the platform administrator',
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2', url: baseUrl, changeset: changeset.toISOString(), type: 'production',
      formats: ['application/json', 'text/xml'],
    }],
  };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** The singular element name for the items of a list element, as GeoReport's XML has them. */
const itemNames: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute', values: 'value',
  endpoints: 'endpoint', formats: 'format',
};

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => element(itemNames[name] ?? 'item', v)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A GeoReport XML document: `root` is services, service_requests, service_definition, discovery or errors. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${element(root, value)}`;
}
