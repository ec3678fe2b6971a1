/**
 * 部件编码: 16 digits, 6-digit county division (GB/T 2260) + 2-digit class (大类) + 2-digit kind (小类) +
 * 6-digit serial (CJ/T 214, GB/T 30428.2). Pure: the catalogue and the divisions are checked by the caller.
 */
import { DomainError } from '../kernel/errors.ts';

export interface ComponentCodeParts {
  /** 6-digit county or district code. */
  division: string;
  classCode: string;
  kindCode: string;
  serial: string;
}

export function splitComponentCode(code: string, field = 'code'): ComponentCodeParts {
  if (!/^[0-9]{16}$/.test(code))
    throw new DomainError('cityops.component.bad-code', { field, reason: 'format' }, `a component code is 16 digits, not "${code}"`);
  const parts = { division: code.slice(0, 6), classCode: code.slice(6, 8), kindCode: code.slice(8, 10), serial: code.slice(10) };
  // A county code ends in a non-zero pair (a city's own code ends in 00); serial 000000 is never issued.
  if (parts.division.endsWith('00'))
    throw new DomainError('cityops.component.unknown-division', { field, part: 'division' }, `${parts.division} is a city or province, not a county`);
  if (parts.serial === '000000') throw new DomainError('cityops.component.bad-code', { field, reason: 'serial' }, 'the serial starts at 000001');
  return parts;
}

/** The 12-digit division code of a component code's county. */
export const countyOf = (parts: ComponentCodeParts) => `${parts.division}000000`;
