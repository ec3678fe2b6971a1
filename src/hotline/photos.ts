/**
 * Photos of a report: uploaded first (POST /photos), attached to the ticket at intake by their ids. The
 * type is read from the bytes (image-size), never from the file name or the client's content type; only
 * JPEG, PNG and WebP are kept. A photo is served to its uploader until it is attached, then to whoever may
 * see its ticket, and to the reporter holding the ticket's status token.
 */
import crypto from 'node:crypto';
import { hasGrant, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { assertImageWithinBudget, readImageSize } from '../kernel/images.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { hotlineSetting } from './catalogue.ts';
import { isCoHandler } from './ticket-reads.ts';
import { limitPerHour } from './rate.ts';
import { canRead, hotlineActions, isCentre } from './policy.ts';
import { actorRef, findTicket } from './tickets.ts';

export { photoIdsOf } from './ticket-reads.ts';

export const MAX_PHOTOS_PER_TICKET = 5;

const contentTypes: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface StoredPhoto {
  id: string;
  contentType: string;
  width: number;
  height: number;
}

export const photoTooLarge = (max: number) =>
  new DomainError('hotline.photo.too-large', { status: 413, field: 'photo', maxBytes: max }, `a photo is at most ${max} bytes`);

/** The largest photo accepted, in bytes (a setting). */
export const photoMaxBytes = (db: Queryable) => hotlineSetting(db, 'photoMaxBytes');

/**
 * Keeps an uploaded photo when its bytes are a JPEG, PNG or WebP image within the size limit. Uploads
 * without an account count against the client address: five photos for each report it may file an hour.
 */
export async function storePhoto(ctx: Ctx, input: { bytes: Buffer; clientAddress: string }): Promise<StoredPhoto> {
  if (ctx.actor.kind === 'anonymous')
    await limitPerHour(ctx, 'photo', input.clientAddress, MAX_PHOTOS_PER_TICKET * await hotlineSetting(ctx.tx, 'reportsPerHourPerAddress'));
  const max = await photoMaxBytes(ctx.tx);
  if (input.bytes.length > max) throw photoTooLarge(max);
  const size = readImageSize(input.bytes);
  const contentType = size?.type ? contentTypes[size.type] : undefined;
  if (!size || !contentType)
    throw new DomainError('hotline.photo.not-image', { status: 415, field: 'photo' }, 'the file is not a JPEG, PNG or WebP image');
  assertImageWithinBudget(size, 'photo');
  const photo = { id: crypto.randomUUID(), contentType, width: size.width, height: size.height };
  await ctx.tx.query(
    `INSERT INTO hotline_photos (id, uploader, content_type, width, height, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [photo.id, actorRef(ctx.actor), contentType, photo.width, photo.height, input.bytes, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.photo.uploaded', object: { type: 'hotline-photo', id: photo.id }, at: ctx.now,
    payload: { id: photo.id, sha256: crypto.createHash('sha256').update(input.bytes).digest('hex'), contentType } });
  return photo;
}

/**
 * Attaches photos `uploader` sent to a ticket, in the command's transaction (the ticket's intake entry
 * in the ledger names them). A photo that is unknown, someone else's or attached already is refused.
 */
export async function attachPhotos(ctx: Ctx, ticketId: number, photoIds: readonly string[], uploader: string): Promise<void> {
  if (photoIds.length === 0) return;
  const field = 'photoIds';
  if (photoIds.length > MAX_PHOTOS_PER_TICKET) throw new DomainError('validation', { field }, `at most ${MAX_PHOTOS_PER_TICKET} photos`);
  if (new Set(photoIds).size !== photoIds.length) throw new DomainError('validation', { field }, 'a photo is named twice');
  const { rows } = await ctx.tx.query<{ id: string }>(
    `UPDATE hotline_photos SET ticket_id = $1 WHERE id = ANY($2::uuid[]) AND ticket_id IS NULL AND uploader = $3 RETURNING id`,
    [ticketId, photoIds, uploader]);
  const missing = photoIds.find((id) => !rows.some((r) => r.id === id));
  if (missing !== undefined) throw new DomainError('hotline.photo.unknown', { field, id: missing }, `no photo ${missing} of yours to attach`);
}

export const photoUrl = (id: string) => `/api/v1/hotline/photos/${id}`;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** May `actor` (or the holder of `token`) see the ticket a photo belongs to? */
type TicketReach = (db: Queryable, actor: Actor, ticketId: number, token: string | undefined) => Promise<boolean>;

/**
 * A photo's bytes for someone who may see it; 404 otherwise, so ids cannot be probed. `reach` decides for
 * an attached photo (staff scope, co-handlers, the reporter, the status token).
 */
export async function readPhoto(ctx: Ctx, input: { id: string; token?: string }, reach: TicketReach)
  : Promise<{ contentType: string; bytes: Buffer }> {
  const notFound = new DomainError('hotline.photo.not-found', { status: 404, id: input.id }, `photo ${input.id} not found`);
  if (!uuid.test(input.id)) throw notFound;
  const { rows: [photo] } = await ctx.tx.query<{ ticketId: number | null; uploader: string; contentType: string; bytes: Buffer }>(
    `SELECT ticket_id::int AS "ticketId", uploader, content_type AS "contentType", bytes FROM hotline_photos WHERE id = $1`, [input.id]);
  if (!photo) throw notFound;
  const allowed = photo.ticketId === null ? photo.uploader === actorRef(ctx.actor) : await reach(ctx.tx, ctx.actor, photo.ticketId, input.token);
  if (!allowed) throw notFound;
  return { contentType: photo.contentType, bytes: photo.bytes };
}

/** Staff who may read the ticket (their scope or as co-handler) reach its photos. */
export async function staffReach(db: Queryable, actor: Actor, ticketId: number): Promise<boolean> {
  if (!hasGrant(actor, hotlineActions.read)) return false;
  const ticket = await findTicket(db, ticketId);
  if (!ticket) return false;
  return canRead(actor, ticket, await isCentre(db, actor)) || isCoHandler(db, ticketId, actor.departmentId);
}

/** Unattached photos older than this are removed: their report was never filed. */
const ORPHAN_AFTER_MS = 24 * 3_600_000;

/** Removes photos never attached to a ticket a day after their upload; one ledger entry names them. */
export async function sweepOrphanPhotos(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>('DELETE FROM hotline_photos WHERE ticket_id IS NULL AND uploaded_at < $1 RETURNING id',
      [new Date(now.getTime() - ORPHAN_AFTER_MS)]);
    if (rows.length > 0)
      await appendToLedger(tx, { actor: systemActor('hotline.photos'), action: 'hotline.photo.orphans-removed', object: { type: 'hotline-photo', id: 'orphans' },
        at: now, payload: { ids: rows.map((r) => r.id) } });
    return rows.length;
  });
}
