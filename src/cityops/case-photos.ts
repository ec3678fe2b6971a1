/**
 * Photos of a case, sent with the step they document (the report, 核实, the after-photo of 处置, 核查) as
 * base64 in the command's body, so the step and its photos are one transaction. The type is read from the
 * bytes (image-size), never from a name or a client's content type; only JPEG, PNG and WebP are kept.
 */
import crypto from 'node:crypto';
import type { Ctx } from '../kernel/auth/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { assertImageWithinBudget, readImageSize } from '../kernel/images.ts';

export const MAX_PHOTOS_PER_STEP = 4;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export type PhotoStep = 'report' | 'verify' | 'arrive' | 'handle' | 'check';

const contentTypes: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface PhotoInput {
  /** The image's bytes in base64. */
  data: string;
}

export interface CheckedPhoto {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: Buffer;
  sha256: string;
}

/** Decodes and checks each photo before anything is written; a refusal names the photo (`photos.1`). */
export function checkPhotos(photos: readonly PhotoInput[] | undefined, opts: { required: boolean }): CheckedPhoto[] {
  const list = photos ?? [];
  if (opts.required && list.length === 0) throw new DomainError('cityops.photo.required', { field: 'photos' }, 'a photo is required');
  if (list.length > MAX_PHOTOS_PER_STEP) throw new DomainError('cityops.photo.too-many', { field: 'photos', max: MAX_PHOTOS_PER_STEP });
  return list.map((photo, i) => {
    const field = `photos.${i}`;
    const bytes = Buffer.from(photo.data, 'base64');
    if (bytes.length > MAX_PHOTO_BYTES)
      throw new DomainError('cityops.photo.too-large', { status: 413, field, maxBytes: MAX_PHOTO_BYTES }, `a photo is at most ${MAX_PHOTO_BYTES} bytes`);
    const size = readImageSize(bytes);
    const contentType = size?.type ? contentTypes[size.type] : undefined;
    if (!size || !contentType) throw new DomainError('cityops.photo.not-image', { field }, `${field} is not a JPEG, PNG or WebP image`);
    assertImageWithinBudget(size, field);
    return { id: crypto.randomUUID(), contentType, width: size.width, height: size.height, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  });
}

/** Stores checked photos of a step; returns what the ledger entry names of them. */
export async function storePhotos(ctx: Ctx, caseId: number, step: PhotoStep, photos: readonly CheckedPhoto[]) {
  if (photos.length === 0) return [];
  await ctx.tx.query(
    `INSERT INTO cityops_case_photos (id, case_id, step, content_type, width, height, bytes, uploaded_by, uploaded_at)
     SELECT id, $1, $2, ct, w, h, b, $3, $4 FROM unnest($5::uuid[], $6::text[], $7::int[], $8::int[], $9::bytea[]) AS p(id, ct, w, h, b)`,
    [caseId, step, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now, photos.map((p) => p.id), photos.map((p) => p.contentType),
      photos.map((p) => p.width), photos.map((p) => p.height), photos.map((p) => p.bytes)]);
  return photos.map((p) => ({ id: p.id, sha256: p.sha256, contentType: p.contentType }));
}

export const casePhotoUrl = (caseId: number, id: string) => `/api/v1/cityops/cases/${caseId}/photos/${id}`;
