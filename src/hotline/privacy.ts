/**
 * 公开数据: what of a ticket the public may see (docs/hotline.md, "Public data policy"). By default the
 * service, the state, the dates, the responsible department, a place no finer than ~200 m and a status
 * note of the platform's own words; never the caller's text, the exact address or point, the
 * departments' replies or the photos. A reporter who chose to make a report public opens its text,
 * address and point, with phone and ID numbers in the text masked.
 */
import type { TicketState } from './states.ts';

// Digits around a match would make it part of a longer number (a ticket number, an amount): no match then.
const residentIds = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const mobiles = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)/g;
// An area code (0 and 2-3 digits, perhaps in brackets) and a 7-8 digit number, perhaps with an extension.
const landlines = /(?<!\d)(\(?0\d{2,3}\)?[- ]?)\d{5,6}(\d{2})(?:-\d{1,5})?(?!\d)/g;
// A local number without area code: 7-8 digits starting 2-8. Masks the odd amount too, which is the safe side.
const localNumbers = /(?<![\d*])[2-8]\d{4,5}(\d{2})(?![\d*])/g;

/**
 * The text with Chinese mobile numbers (138****5678), landlines (0826-*****78) and 18-digit resident IDs
 * (5****************X) masked, for free text that leaves the building. Over-masking is the safe error.
 */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(residentIds, (id) => `${id[0]}${'*'.repeat(16)}${id[17]}`)
    .replace(mobiles, (_all, head: string, tail: string) => `${head}****${tail}`)
    .replace(landlines, (_all, area: string, tail: string) => `${area}*****${tail}`)
    .replace(localNumbers, (_all, tail: string) => `*****${tail}`);
}

/** Degrees of the grid public points snap to: 0.002° is about 220 m north-south and 190 m east-west here. */
const COARSE_STEP = 0.002;

/** A coordinate snapped to the public grid, so that a report cannot be traced to a door. */
export const coarse = (degrees: number) => Number((Math.round(degrees / COARSE_STEP) * COARSE_STEP).toFixed(3));

/** The public status note of a state: the platform's words, never a department's reply. */
export const publicStatusNotes: Record<TicketState, string> = {
  received: '已受理 Received',
  dispatched: '已派单，待承办部门签收 Sent to the responsible department',
  accepted: '承办部门办理中 In progress at the responsible department',
  returned: '重新派单中 Being sent to another department',
  replied: '承办部门已答复，待回访 Answered; awaiting the callback',
  closed: '已办结 Closed',
  merged: '已与同一问题的诉求合并办理 Merged with a report of the same problem',
};

/** How much of a ticket a viewer sees: all of it, the reporter's published version, or the public minimum. */
export type TicketVisibility = 'full' | 'published' | 'public';
