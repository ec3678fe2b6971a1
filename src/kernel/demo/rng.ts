/**
 * Seeded pseudo-random numbers for the demo city, so the same seed string always builds the same city.
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, 128-bit state), seeded
 * from the SHA-256 of the seed string. Not for anything secret.
 */
import { createHash } from 'node:crypto';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** One item, drawn with probability proportional to `weightOf(item)`. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
  /** A shuffled copy (Fisher–Yates); the input is left as it was. */
  shuffle<T>(items: readonly T[]): T[];
}

/** Warm-up rounds so that seeds differing in few bits diverge before the first draw. */
const WARM_UP = 15;

export function createRng(seed: string): Rng {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < WARM_UP; i++) nextUint32();

  const next = () => nextUint32() / 2 ** 32;

  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max)
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`);
    return min + Math.floor(next() * (max - min + 1));
  };

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[int(0, items.length - 1)];
  };

  const weighted = <T>(items: readonly T[], weightOf: (item: T) => number): T => {
    const weights = items.map(weightOf);
    if (weights.some((weight) => !(weight >= 0)))
      throw new RangeError('weights must be non-negative numbers');
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
    let remaining = next() * total;
    let chosen = 0;
    // Rounding can leave a sliver past the end, so the last positive weight is the fallback.
    for (let i = 0; i < items.length; i++) {
      if (weights[i] === 0) continue;
      chosen = i;
      remaining -= weights[i];
      if (remaining < 0) break;
    }
    return items[chosen];
  };

  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };

  return { next, int, float: (min, max) => min + next() * (max - min), pick, weighted, shuffle };
}
