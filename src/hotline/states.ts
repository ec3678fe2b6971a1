/**
 * The ticket's state machine (pure). 受理 received → 派单 dispatched → 签收 accepted | 退单 returned →
 * (centre review) 改派 dispatched again → 答复 replied → 办结 closed → 回访 callback, which may reopen
 * (重办) it: dispatched again with new deadlines. A consultation answered at once goes from received to
 * closed; a duplicate merged into a main ticket (并单) ends as merged.
 */
import { DomainError } from '../kernel/errors.ts';

export const ticketStates = ['received', 'dispatched', 'accepted', 'returned', 'replied', 'closed', 'merged'] as const;
export type TicketState = (typeof ticketStates)[number];

export const openStates: readonly TicketState[] = ['received', 'dispatched', 'accepted', 'returned', 'replied'];

export const transitions = {
  dispatch: ['received'],
  accept: ['dispatched'],
  return: ['dispatched'],
  redispatch: ['returned'],
  reply: ['accepted'],
  close: ['replied'],
  answer: ['received'],
  callback: ['closed'],
  merge: ['received', 'dispatched', 'accepted', 'returned'],
} as const satisfies Record<string, readonly TicketState[]>;
export type Transition = keyof typeof transitions;

export function allows(state: TicketState, transition: Transition): boolean {
  return (transitions[transition] as readonly TicketState[]).includes(state);
}

/** 409 naming the state when the machine does not allow `transition` from `state`. */
export function assertTransition(state: TicketState, transition: Transition): void {
  if (!allows(state, transition))
    throw new DomainError('hotline.bad-state', { status: 409, field: 'state', state, transition },
      `cannot ${transition} a ${state} ticket`);
}

/** The transitions open from a state, for the console's buttons. */
export function transitionsFrom(state: TicketState): Transition[] {
  return (Object.keys(transitions) as Transition[]).filter((t) => allows(state, t));
}

// 退单原因
export const returnReasons = {
  'not-our-duty': { zh: '非本单位职责', en: 'Not this department\'s duty' },
  'outside-area': { zh: '不在本单位辖区', en: 'Outside this department\'s area' },
  'unclear-request': { zh: '诉求不明确', en: 'The request is unclear' },
  'wrong-location': { zh: '地址不详或有误', en: 'Address missing or wrong' },
  'duplicate': { zh: '重复工单', en: 'Duplicate ticket' },
  'other': { zh: '其他', en: 'Other' },
} as const;

export const ticketKinds = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const; // 咨询 求助 投诉 举报 建议
export type TicketKind = (typeof ticketKinds)[number];
export const channels = ['phone', 'web', 'app', 'open311', 'mayor-mailbox', 'wechat'] as const;
export type Channel = (typeof channels)[number];
export const urgencies = ['urgent', 'normal'] as const;
export type Urgency = (typeof urgencies)[number];
export const satisfactions = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const; // 满意 基本满意 不满意
export type Satisfaction = (typeof satisfactions)[number];
