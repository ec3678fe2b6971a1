// The pixel budget of uploaded images, read from their headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertImageWithinBudget, maxImagePixels, maxImageSide, readImageSize } from '../../src/kernel/images.ts';
import type { DomainError } from '../../src/kernel/errors.ts';
import { pngDeclaring } from '../helpers/images.ts';

test('an image over 10,000 pixels a side or 40 megapixels is refused with 413 naming the field; within the budget it passes', () => {
  assert.deepEqual(readImageSize(pngDeclaring(60_000, 60_000)), { type: 'png', width: 60_000, height: 60_000 });
  assert.equal(readImageSize(Buffer.from('not an image')), undefined);
  const table: [number, number, boolean][] = [
    [4000, 3000, true], [maxImageSide, 4000, true], [maxImageSide + 1, 10, false], [10, maxImageSide + 1, false],
    [8000, 6000, false], [60_000, 60_000, false], [maxImagePixels / 5000, 5000, true],
  ];
  for (const [width, height, ok] of table) {
    const check = () => assertImageWithinBudget({ width, height }, 'photo');
    if (ok) assert.doesNotThrow(check, `${width}×${height}`);
    else assert.throws(check, (e: DomainError) => e.code === 'image-too-large' && e.status === 413 && e.details.field === 'photo', `${width}×${height}`);
  }
});
