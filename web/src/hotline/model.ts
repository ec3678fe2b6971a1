// What the hotline API sends the console, and the small lookups every hotline page shares.
import { api, query, type ApiItem, type ApiResponse } from '../api';

/** A ticket as a transition answers it; the detail view adds history, co-handlers and photos. */
export type Ticket = ApiResponse<'/hotline/tickets/{id}/accept', 'POST'>;
/** A ticket in a work queue: with how the caller's department takes part and, while returned, the 退单原因. */
export type QueuedTicket = ApiItem<'/hotline/tickets'>;
export type TicketView = ApiResponse<'/hotline/tickets/{id}'>;
export type TicketState = Ticket['state'];
export const ticketStates: TicketState[] = ['received', 'dispatched', 'accepted', 'returned', 'replied', 'closed', 'merged'];
export const ticketKinds = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const satisfies readonly Ticket['kind'][];
export const channels = ['phone', 'web', 'app', 'open311', 'mayor-mailbox', 'wechat'] as const satisfies readonly Ticket['channel'][];
export const satisfactions = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Duplicate = ApiItem<'/hotline/tickets/duplicates'>;
export type Suggestion = ApiResponse<'/hotline/suggest'>;
/** What the public report page gets for a text (no confidence, no alternatives). */
export type PublicSuggestion = ApiResponse<'/hotline/reports/suggest'>;
/** An open ticket of the same category near the point, as the public report page may see it: no text, no people. */
export type PublicDuplicate = ApiItem<'/hotline/reports/duplicates'>;

export const ticketPath = (id: number) => `/hotline-queue/${id}`;

/** The deadline that matters next for a ticket in this state (签收, then 答复, then 办结), or none. */
export function nextDeadline(ticket: Pick<Ticket, 'state' | 'deadlines'>): { which: 'accept' | 'reply' | 'resolve'; due: string } | null {
  switch (ticket.state) {
    case 'dispatched': return ticket.deadlines.acceptDue ? { which: 'accept', due: ticket.deadlines.acceptDue } : null;
    case 'received': case 'accepted': case 'returned': return { which: 'reply', due: ticket.deadlines.replyDue };
    case 'replied': return { which: 'resolve', due: ticket.deadlines.resolveDue };
    default: return null;
  }
}

// Reference lists change only when an admin edits them, so one fetch serves the whole visit.
const once = <T>(load: () => Promise<T>) => {
  let cached: Promise<T> | undefined;
  return () => (cached ??= load().catch((error: unknown) => { cached = undefined; throw error; }));
};

export const loadCategories = once(async () => (await api('GET', '/hotline/categories')).items);
export const loadLedgerLabels = once(async () => (await api('GET', '/ledger/actions')).actions);
export const loadReturnReasons = once(async () =>
  (await api('GET', '/hotline/return-reasons')).items);

export const listTickets = (params: Record<string, string | number | boolean | undefined>, states: TicketState[] = []) => {
  const search = query(params);
  const stateParams = states.map((s) => `state=${s}`).join('&');
  const joined: typeof search = stateParams ? `?${search.slice(1)}${search ? '&' : ''}${stateParams}` : search;
  return api('GET', `/hotline/tickets${joined}`);
};

/** A category's path from its root, in the console: 城乡建设与管理 › 市容环卫. */
export const categoryLabel = (path: string[]) => path.join(' › ');

// Deadlines are ends of China working days, so times are shown in China time wherever the browser is.
const chinaTime = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** 2026-12-01 23:59, China time; a dash for none. */
export const formatTime = (iso: string | null | undefined) => (iso ? chinaTime.format(new Date(iso)) : '—');

/**
 * The year whose holiday arrangement a provisional deadline waits for: the due day's own year, or the next one
 * for a day in December, which the next year's notice may still move (元旦调休).
 */
export function unsettledYear(dueIso: string): number {
  const [year, month] = formatTime(dueIso).split('-').map(Number);
  return month === 12 ? year! + 1 : year!;
}
