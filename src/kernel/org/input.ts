import { checkDivisionCode } from '../checks/index.ts';
import { DomainError } from '../errors.ts';

/** A division code checked and padded to 12 digits; a bad one is a 400 naming `field`. */
export function checkedDivisionCode(input: string, field: string): string {
  const checked = checkDivisionCode(input);
  if (!checked.ok) throw new DomainError('org.division.bad-code', { field, reason: checked.reason }, checked.message);
  return checked.value;
}

/** A trimmed, non-empty text of at most `max` characters. */
export function requiredText(input: string | undefined, field: string, max: number): string {
  const text = input?.trim() ?? '';
  if (text === '') throw new DomainError('org.required', { field }, `${field} is required`);
  if (text.length > max) throw new DomainError('org.too-long', { field, max }, `${field} has more than ${max} characters`);
  return text;
}

/** Like requiredText, but empty or absent means none. */
export function optionalText(input: string | null | undefined, field: string, max: number): string | null {
  return input === null || input === undefined || input.trim() === '' ? null : requiredText(input, field, max);
}

// Department and grid codes travel between systems (imports, URLs, CSV), so they stay plain ASCII.
const codePattern = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$/;

/** A department or grid code: letters, digits, "_", "." and "-", at most 40, starting with a letter or digit. */
export function checkedCode(input: string | undefined, errorCode: string): string {
  const code = requiredText(input, 'code', 40);
  if (!codePattern.test(code))
    throw new DomainError(errorCode, { field: 'code' }, 'a code has letters, digits, "_", "." or "-" and starts with a letter or digit');
  return code;
}
