// What the hotline API sends the console, and the small lookups every hotline page shares.
import { api, query } from '../api';

export type TicketState = 'received' | 'dispatched' | 'accepted' | 'returned' | 'replied' | 'closed' | 'merged';
export const ticketStates: TicketState[] = ['received', 'dispatched', 'accepted', 'returned', 'replied', 'closed', 'merged'];
export const ticketKinds = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;
export const channels = ['phone', 'web', 'app', 'open311', 'mayor-mailbox', 'wechat'] as const;
export const satisfactions = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Transition = 'dispatch' | 'accept' | 'return' | 'redispatch' | 'reply' | 'close' | 'answer' | 'callback' | 'merge'
  | 'extension' | 'co-reply';

export interface Ticket {
  id: number;
  number: string;
  channel: string;
  kind: string;
  category: { code: string; path: string[] };
  urgency: 'urgent' | 'normal';
  emergency: boolean;
  transferTo: string | null;
  description: string;
  location: { lon: number | null; lat: number | null; address: string | null; divisionCode: string; gridCode: string | null };
  anonymous: boolean;
  caller: { name: string | null; phone: string | null; masked: boolean } | null;
  state: TicketState;
  department: { id: number; name: string } | null;
  mainTicketId: number | null;
  reopenCount: number;
  reply: string | null;
  callback: { resolved: boolean; satisfaction: string; at: string } | null;
  needsSupervision: boolean;
  times: Record<'receivedAt' | 'dispatchedAt' | 'acceptedAt' | 'repliedAt' | 'closedAt' | 'updatedAt', string | null>;
  deadlines: { acceptDue: string | null; replyDue: string; resolveDue: string; provisional: boolean };
  overdue: { accept: boolean; reply: boolean; resolve: boolean; any: boolean };
  abilities: Transition[];
  coHandlers?: CoHandler[];
  photos?: { id: string; url: string }[];
}

export interface CoHandler { departmentId: number; departmentName: string; reply: string | null; repliedAt: string | null }

export interface TicketEvent {
  at: string;
  action: string;
  actor: { kind: string; id: string; name: string | null };
  from: TicketState | null;
  to: TicketState;
  department: { id: number; name: string } | null;
  reasonCode: string | null;
  note: string | null;
}

export interface TicketView extends Ticket {
  mayCoReply?: boolean;
  routedDepartmentId: number | null;
  pendingExtension: { days: number; reason: string; requestedAt: string } | null;
  merged: { id: number; number: string }[];
  history: TicketEvent[];
}

export interface Duplicate {
  id: number;
  number: string;
  state: TicketState;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  receivedAt: string;
  distanceMetres: number;
}

export interface Category { id: number; code: string; name: string; parentId: number | null; path: string[] }

export interface Suggestion {
  category: { code: string; name: string; path: string[] } | null;
  confidence: number;
  /** 不确定: below the confidence at which the classifier was right 95 % of the time. */
  uncertain: boolean;
  alternatives: { code: string; name: string; path: string[]; confidence: number }[];
  urgency: 'urgent' | 'normal';
  emergency?: string;
  transferTo?: string;
  matched: string[];
}

/** What the public report page gets for a text (no confidence, no alternatives). */
export type PublicSuggestion = Pick<Suggestion, 'category' | 'uncertain' | 'urgency' | 'transferTo'>;

/** An open ticket of the same category near the point, as the public report page may see it: no text, no people. */
export interface PublicDuplicate {
  number: string;
  category: { code: string; name: string };
  distanceMetres: number;
  state: TicketState;
  receivedDate: string;
}

export type Labels = Record<string, { zh: string; en: string }>;

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

export const loadCategories = once(async () => (await api<{ items: Category[] }>('GET', '/hotline/categories')).items);
export const loadLedgerLabels = once(async () => (await api<{ actions: Labels }>('GET', '/ledger/actions')).actions);
export const loadReturnReasons = once(async () =>
  (await api<{ items: { code: string; zh: string; en: string }[] }>('GET', '/hotline/return-reasons')).items);

export const listTickets = (params: Record<string, string | number | boolean | undefined>, states: TicketState[] = []) => {
  const search = query(params);
  const stateParams = states.map((s) => `state=${s}`).join('&');
  const joined = stateParams ? `${search ? `${search}&` : '?'}${stateParams}` : search;
  return api<{ total: number; items: Ticket[] }>('GET', `/hotline/tickets${joined}`);
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
