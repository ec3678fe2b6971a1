/**
 * Uploaded images are checked against a pixel budget: a PNG of a few kilobytes can declare 60000×60000
 * pixels, and whatever decodes it later (a thumbnail, the console's viewer) would need gigabytes.
 */
import { imageSize } from 'image-size';
import { DomainError } from './errors.ts';

/** Far above any phone photo (48 MP sensors save 12 MP by default) or A4 scan at 600 dpi (35 MP). */
export const maxImagePixels = 40_000_000;
export const maxImageSide = 10_000;

export interface ImageSize {
  type?: string;
  width: number;
  height: number;
}

/** Type and dimensions from an image's header; undefined when the bytes are no image image-size reads. */
export function readImageSize(bytes: Uint8Array): ImageSize | undefined {
  try {
    return imageSize(bytes);
  } catch {
    return undefined; // image-size throws on bytes it does not recognise
  }
}

/** Refuses (413, naming `field`) an image wider or taller than `maxImageSide` or larger than `maxImagePixels`. */
export function assertImageWithinBudget(size: ImageSize, field: string): void {
  if (size.width <= maxImageSide && size.height <= maxImageSide && size.width * size.height <= maxImagePixels) return;
  throw new DomainError('image-too-large', { status: 413, field, width: size.width, height: size.height, maxPixels: maxImagePixels, maxSide: maxImageSide },
    `${field}: ${size.width}×${size.height} pixels; at most ${maxImageSide} a side and ${maxImagePixels} in all`);
}
