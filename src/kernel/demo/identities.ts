// Valid-looking identity numbers for demo people and companies: right structure and check character, made up.
import { creditCodeCheckChar, residentIdCheckChar } from '../checks/index.ts';
import type { Rng } from './rng.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A resident ID of a person born on `birth` (YYYY-MM-DD) registered in the county `county6`. */
export function residentId(rng: Rng, county6: string, birth: string, male: boolean): string {
  const sequence = rng.int(0, 499) * 2 + (male ? 1 : 0);
  const first17 = `${county6}${birth.replaceAll('-', '')}${pad(sequence, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

/** The unified social credit code of a company (91…) registered in the county `county6`. */
export const creditCode = (county6: string, serial: number) => {
  const first17 = `91${county6}${pad(serial, 9)}`;
  return first17 + creditCodeCheckChar(first17);
};
