/**
 * A generated history of official acts with planted misconduct (the demo generator's switch, and the ground
 * truth the evaluation measures precision and recall against). Ordinary activity follows the platform's real
 * ledger actions at office hours with ordinary gaps; each planted case is a small set of acts that one rule of
 * the library should catch. Deterministic from the seed.
 */
import type { Queryable } from '../kernel/db/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { createRng } from '../kernel/demo/index.ts';
import { ledgerQueueSql } from '../kernel/ledger/index.ts';
import type { Act } from './engine.ts';

/** The kinds of planted misconduct, each named by the library rule meant to catch it. */
export const plantedKinds = [
  'read-without-purpose', 'bulk-reads', 'after-hours-reads', 'accept-and-approve', 'request-and-approve', 'reply-and-callback',
  'approval-time-outlier', 'decided-late', 'repeated-corrections', 'repeated-returns', 'closed-without-reply', 'callback-skipped',
  'bad-rating-unrectified', 'admin-login-after-hours', 'permission-burst', 'purpose-mismatch', 'outside-jurisdiction', 'often-rejected-items',
  'amount-outlier', 'satisfaction-contradicts-note', 'fine-outlier', 'fine-beyond-discretion',
] as const;
export type PlantedKind = (typeof plantedKinds)[number];

/** An act of the history before it has a leaf index: its position in the history stands in for it. */
export type HistoryAct = Omit<Act, 'index'>;

export interface PlantedCase {
  kind: PlantedKind;
  /** Positions (in `acts`) of the acts that make up the misconduct. */
  acts: number[];
  /** The official who did it (a staff id), when one did. */
  actor: string | null;
}

export interface History {
  acts: HistoryAct[];
  planted: PlantedCase[];
}

export interface HistoryOptions {
  seed: string;
  /** Acts to generate, planted ones included (the history stops at the first episode reaching it). */
  entries: number;
  planted: number;
  /** Time of the last day of the history; it spans as many days as needed at the ordinary rate, at least 75 (an outlier rule warms up over its 60-day window). */
  end: Date;
  /** Days the history spans instead, at least 75: the same acts spread thinner, so that a history passes the rules' longest window. */
  days?: number;
  /** Staff ids the acts are by; the first three act as administrators, the next five as hotline operators. */
  staff: readonly string[];
  /** Each staff member's division (12 digits, in the order of `staff`); by default a fifth at a city, the rest in its four counties. */
  divisions?: readonly string[];
  /** Service item ids the applications are for (at least one more than the planted items often rejected); by default 1 to 40. */
  items?: readonly number[];
  /** Those of `items` whose approval pays an amount (published as `amount`, in 分); by default the first four. */
  amountItems?: readonly number[];
  citizens?: readonly string[];
}

const defaultDivisions = ['511600000000', '511602000000', '511603000000', '511621000000', '511622000000'];

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const chinaOffset = 8 * hour;
/** Ordinary acts a day across the city: sets how many days a history of a given size spans. */
const actsPerDay = 40_000;
/** Purposes of the data-hub calls, each the purpose of a grant. */
const purposes = ['最低生活保障资格审核', '临时救助对象核实', '公租房资格审核'];

interface Draft extends HistoryAct {
  planted?: number;
}

/** Generates the history, acts in time order. */
export function generateHistory(opts: HistoryOptions): History {
  const rng = createRng(`${opts.seed}/oversight-history`);
  if (opts.staff.length < 40) throw new Error('a history needs at least 40 staff ids');
  const days = Math.max(75, opts.days ?? Math.ceil(opts.entries / actsPerDay));
  // Midnight (China time) of the first day.
  const endDay = Math.floor((opts.end.getTime() + chinaOffset) / day) * day - chinaOffset;
  const start = endDay - (days - 1) * day;
  const admins = opts.staff.slice(0, 3);
  const operators = opts.staff.slice(3, 8);
  const officers = opts.staff.slice(8);
  const citizens = opts.citizens ?? Array.from({ length: 500 }, (_, i) => `c${i + 1}`);
  // Where each one works: the jurisdiction facts of their acts, and the divisions their objects lie in.
  const divisionOf = new Map(opts.staff.map((id, i) => [id, opts.divisions?.[i] ?? defaultDivisions[i % defaultDivisions.length]!]));
  const prefixOf = (id: string) => divisionPrefix(divisionOf.get(id)!);
  /** The division both may act on (the more specific of theirs), or null when neither covers the other's. */
  const shared = (a: string, b: string): string | null => {
    const [pa, pb] = [prefixOf(a), prefixOf(b)];
    return pb.startsWith(pa) ? divisionOf.get(b)! : pa.startsWith(pb) ? divisionOf.get(a)! : null;
  };
  // Per staff member: the officers who may act with them on one object.
  const partners = new Map<string, string[]>();
  /** Two people who may act on one object, `a` of `first` and `b` (another) of the officers, and the object's division. */
  const pair = (first: readonly string[], a = rng.pick(first)): { a: string; b: string; division: string } => {
    for (let tries = 0; tries < 1000; tries++, a = rng.pick(first)) {
      let list = partners.get(a);
      if (!list) partners.set(a, (list = officers.filter((b) => b !== a && shared(a, b) !== null)));
      if (list.length > 0) {
        const b = rng.pick(list);
        return { a, b, division: shared(a, b)! };
      }
    }
    throw new Error('the staff divisions leave nobody to act together on one object');
  };
  const items = opts.items ?? Array.from({ length: 40 }, (_, i) => i + 1);
  // Items planted as often rejected get no ordinary applications, so their share is the planted one.
  const rejectedItems = Math.ceil(opts.planted / plantedKinds.length);
  if (items.length <= rejectedItems) throw new Error(`a history planting ${opts.planted} cases needs more than ${rejectedItems} items`);
  const ordinaryItems = items.slice(0, items.length - rejectedItems);
  // Items that pay a benefit, each with its usual amount (300 to 6,000 元); the first two are busy, three applications
  // in ten being theirs (临时救助 and 高龄津贴 are among a county's most frequent), so that an amount has peers to be judged against.
  const paying = ordinaryItems.filter((i) => opts.amountItems?.includes(i) ?? ordinaryItems.indexOf(i) < 4)
    .map((item) => ({ item, usual: rng.int(3, 60) * 10_000 }));
  const busy = paying.slice(0, 2);
  const usualOf = new Map(paying.map((p) => [p.item, p.usual]));
  /** An ordinary amount of an item: its usual one times 0.6 to 1.5, in whole 元. */
  const ordinaryAmount = (item: number) => Math.round(usualOf.get(item)! * rng.float(0.6, 1.5) / 100) * 100;
  const drafts: Draft[] = [];
  let serial = 0;
  const id = (prefix: string) => `${prefix}-${(++serial).toString(36)}`;
  const isWeekend = (t: number) => [0, 6].includes(new Date(t + chinaOffset).getUTCDay());
  /** A working-day moment between 09:00 and 18:00, on a day from `fromDay` to `toDay` of the history. */
  const officeTime = (fromDay = 0, toDay = days - 1): number => {
    for (;;) {
      const t = start + rng.int(fromDay, toDay) * day + 9 * hour + rng.int(0, 9 * hour - 1);
      if (!isWeekend(t)) return t;
    }
  };
  /** The next office moment at least `after` ms later. */
  const laterOffice = (t: number, after: number): number => {
    let next = t + after;
    const local = (next + chinaOffset) % day;
    if (local < 9 * hour) next += 9 * hour - local;
    if (local >= 18 * hour) next += day - local + 9 * hour;
    while (isWeekend(next)) next += day;
    return next;
  };
  const act = (at: number, actorId: string, action: string, objectType: string | null, objectId: string | null, purpose: string | null = null,
    actorKind = 'staff', planted?: number): Draft => {
    const d: Draft = { at, actorKind, actorId, action, objectType, objectId, purpose, planted };
    drafts.push(d);
    return d;
  };
  /** The facts a services or hotline entry publishes (docs/ledger.md): the item, the object's division, the actor's jurisdiction. */
  const facts = (d: Draft, division: string, item?: number, amount?: number): Draft => {
    d.facts = { ...(item === undefined ? {} : { item }), division, actorJurisdiction: d.actorKind === 'staff' ? prefixOf(d.actorId) : null,
      ...(amount === undefined ? {} : { amount }) };
    return d;
  };
  // 行政处罚: six items, each level with its band of the discretion standard (分), fines drawn from their own stream so
  // that adding them left the rest of the history as it was.
  const fineRng = createRng(`${opts.seed}/oversight-history/fines`);
  const fineItems = Array.from({ length: 6 }, (_, i) => {
    const step = fineRng.int(1, 20) * 10_000;
    return { code: `CF-${i + 1}`, bands: { light: [0, step], ordinary: [step, 4 * step], severe: [4 * step, 10 * step] } as Record<string, [number, number]> };
  });
  /** A fine's decision as the module publishes it, by `decider` after `investigator` proposed it. */
  const fine = (at: number, investigator: string, decider: string, division: string, item: (typeof fineItems)[number], level: string, share: number): Draft => {
    const [low, high] = item.bands[level]!;
    const amount = Math.round((low + (high - low) * share) / 100) * 100;
    const caseId = id('f');
    facts(act(at, investigator, 'penalties.case.proposed', 'penalty-case', caseId), division);
    const decided = facts(act(laterOffice(at, fineRng.int(1, 5) * day), decider, 'penalties.case.decided', 'penalty-case', caseId), division);
    decided.facts = { ...decided.facts, item: item.code, level, itemLevel: `${item.code}:${level}`, amount, beyondBand: share < 0 || share > 1 };
    return decided;
  };
  /** Where a department's fines of one item and level usually fall: about a third into the band (at most 0.225 of it away). */
  const usualShare = () => 0.35 + (fineRng.next() + fineRng.next() + fineRng.next() - 1.5) * 0.15;

  // Up to `end` and not past it: today's office hours still to come are not history yet.
  const horizon = Math.min(start + days * day, opts.end.getTime() + 1);
  const inHistory = (t: number) => t < horizon;

  // Planted cases first, so that `entries` bounds the ordinary activity around them.
  const plantedCases: { kind: PlantedKind; actor: string | null }[] = [];
  for (let p = 0; p < opts.planted; p++) {
    const kind = plantedKinds[p % plantedKinds.length]!;
    const officer = officers[(p * 7) % officers.length]!;
    const mark = (a: Draft) => {
      a.planted = p;
      return a;
    };
    const t = officeTime(1, days - 12);
    plantedCases.push({ kind, actor: ['bad-rating-unrectified', 'often-rejected-items'].includes(kind) ? null : officer });
    switch (kind) {
      case 'read-without-purpose':
        mark(act(t, officer, 'hub.call.answered', 'hub-message', id('m'), null));
        break;
      case 'bulk-reads':
        for (let i = 0; i < 25; i++) mark(act(t + i * 18_000, officer, rng.pick(['hotline.caller.viewed', 'services.application.viewed']), 'ticket', id('r')));
        break;
      case 'after-hours-reads': {
        const night = Math.floor((t + chinaOffset) / day) * day - chinaOffset + 21 * hour + rng.int(0, 60) * minute;
        for (let i = 0; i < 12; i++) mark(act(night + i * 3 * minute, officer, 'hotline.caller.viewed', 'ticket', id('r')));
        break;
      }
      case 'accept-and-approve': {
        const app = id('a');
        act(t, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen');
        mark(act(laterOffice(t, 2 * hour), officer, 'services.application.accepted', 'application', app));
        mark(act(laterOffice(t, 3 * day), officer, 'services.application.approved', 'application', app));
        break;
      }
      case 'request-and-approve': {
        const request = id('q');
        mark(act(t, officer, 'hub.request.submitted', 'hub-request', request));
        mark(act(laterOffice(t, day), officer, 'hub.request.approved', 'hub-request', request));
        break;
      }
      case 'reply-and-callback': {
        const ticket = id('t');
        act(t, rng.pick(operators), 'hotline.ticket.received', 'ticket', ticket);
        const replied = mark(act(laterOffice(t, day), officer, 'hotline.ticket.replied', 'ticket', ticket)).at;
        act(laterOffice(replied, 2 * hour), rng.pick(operators), 'hotline.ticket.closed', 'ticket', ticket);
        mark(act(laterOffice(replied, day), officer, 'hotline.ticket.called-back', 'ticket', ticket));
        break;
      }
      case 'approval-time-outlier':
      case 'decided-late': {
        const app = id('a');
        // Started early enough that the decision, weekends included, falls before the history's end.
        const t0 = kind === 'decided-late' ? officeTime(1, days - 50) : officeTime(31, days - 35);
        act(t0, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen');
        act(laterOffice(t0, 4 * hour), rng.pick(officers), 'services.application.accepted', 'application', app);
        mark(act(laterOffice(t0, (kind === 'decided-late' ? 45 : 30) * day), officer, 'services.application.approved', 'application', app));
        break;
      }
      case 'repeated-corrections': {
        const app = id('a');
        act(t, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen');
        for (let i = 1; i <= 3; i++) mark(act(laterOffice(t, i * 2 * day), officer, 'services.application.correction-requested', 'application', app));
        break;
      }
      case 'repeated-returns': {
        const ticket = id('t');
        act(t, rng.pick(operators), 'hotline.ticket.received', 'ticket', ticket);
        for (let i = 1; i <= 3; i++) mark(act(laterOffice(t, i * day), officer, 'hotline.ticket.returned', 'ticket', ticket));
        break;
      }
      case 'closed-without-reply': {
        const ticket = id('t');
        act(t, rng.pick(operators), 'hotline.ticket.received', 'ticket', ticket);
        mark(act(laterOffice(t, day), officer, 'hotline.ticket.closed', 'ticket', ticket));
        break;
      }
      case 'callback-skipped': {
        const ticket = id('t');
        act(t, rng.pick(operators), 'hotline.ticket.received', 'ticket', ticket);
        const replied = mark(act(laterOffice(t, day), officer, 'hotline.ticket.replied', 'ticket', ticket)).at;
        act(laterOffice(replied, hour), rng.pick(operators), 'hotline.ticket.closed', 'ticket', ticket);
        break;
      }
      case 'bad-rating-unrectified': {
        const task = id('x');
        mark(act(t, officer, 'services.rectification.verified', 'rectification', task));
        break;
      }
      case 'admin-login-after-hours': {
        const night = Math.floor((t + chinaOffset) / day) * day - chinaOffset + 23 * hour + rng.int(0, 50) * minute;
        plantedCases[p]!.actor = admins[p % admins.length]!;
        mark(act(night, admins[p % admins.length]!, 'auth.login.admin', 'user', admins[p % admins.length]!));
        break;
      }
      case 'permission-burst':
        for (let i = 0; i < 6; i++) mark(act(t + i * 4 * minute, officer, 'auth.permissions.changed', 'user', rng.pick(officers)));
        break;
      case 'purpose-mismatch': {
        const [granted, stated] = rng.pick([[purposes[0]!, purposes[2]!], [purposes[1]!, purposes[0]!], [purposes[2]!, purposes[1]!]]);
        mark(act(t, officer, 'hub.call.answered', 'hub-message', id('m'), stated)).facts = { grantPurpose: granted };
        break;
      }
      case 'outside-jurisdiction': {
        // An officer deciding an application of a division their jurisdiction does not cover (the first such officer from theirs on).
        const first = officers.indexOf(officer);
        for (let k = 0; k < officers.length; k++) {
          const who = officers[(first + k) % officers.length]!;
          const elsewhere = officers.map((o) => divisionOf.get(o)!).find((d) => !d.startsWith(prefixOf(who)));
          if (elsewhere === undefined) continue;
          const app = id('a');
          const accepter = officers.find((o) => o !== who && elsewhere.startsWith(prefixOf(o)))!;
          const item = rng.pick(ordinaryItems);
          facts(act(t, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen'), elsewhere, item);
          facts(act(laterOffice(t, 2 * hour), accepter, 'services.application.accepted', 'application', app), elsewhere, item);
          facts(mark(act(laterOffice(t, 3 * day), who, 'services.application.approved', 'application', app)), elsewhere, item);
          plantedCases[p]!.actor = who;
          break;
        }
        break;
      }
      case 'often-rejected-items': {
        // Twelve applications for one item in about two weeks, seven of them turned away at the window.
        const item = items[items.length - 1 - Math.floor(p / plantedKinds.length)]!;
        // Three weeks before the end at the latest: the approvals that make up the count, not planted acts themselves,
        // must fall inside the history.
        const first = officeTime(1, days - 21);
        for (let i = 0; i < 12; i++) {
          const app = id('a');
          const at = laterOffice(first, i * 20 * hour);
          const { a: accepter, b: decider, division } = pair(officers);
          facts(act(at, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen'), division, item);
          if (i < 7) {
            facts(mark(act(laterOffice(at, 2 * hour), accepter, 'services.application.rejected', 'application', app)), division, item);
          } else {
            facts(act(laterOffice(at, 2 * hour), accepter, 'services.application.accepted', 'application', app), division, item);
            facts(act(laterOffice(at, 4 * day), decider, 'services.application.approved', 'application', app), division, item);
          }
        }
        break;
      }
      case 'satisfaction-contradicts-note': {
        // 满意 recorded at the callback while the caller's words, as written down, say the problem is still there.
        const ticket = id('t');
        const { a: operator, b: handler, division } = pair(operators);
        act(t, operator, 'hotline.ticket.received', 'ticket', ticket);
        const replied = facts(act(laterOffice(t, day), handler, 'hotline.ticket.replied', 'ticket', ticket), division).at;
        facts(act(laterOffice(replied, 2 * hour), operator, 'hotline.ticket.closed', 'ticket', ticket), division);
        const caller = rng.pick(operators.filter((o) => o !== operator && o !== handler));
        mark(act(laterOffice(replied, day), caller, 'hotline.ticket.called-back', 'ticket', ticket)).facts =
          { satisfaction: rng.pick(['satisfied', 'basically-satisfied']), resolved: true, noteTone: 'negative' };
        plantedCases[p]!.actor = caller;
        break;
      }
      case 'fine-outlier':
      case 'fine-beyond-discretion': {
        // Late enough that the item's level has its peers: an ordinary fine at the top of its band (z about 8), or a
        // lenient one half again above its band.
        const { a: investigator, b: decider, division } = pair(officers, officer);
        const item = fineRng.pick(fineItems);
        mark(fine(officeTime(45, days - 12), investigator, decider, division, item, kind === 'fine-outlier' ? 'ordinary' : 'light',
          kind === 'fine-outlier' ? 0.98 : 1.5));
        plantedCases[p]!.actor = decider;
        break;
      }
      case 'amount-outlier': {
        // An approval paying eight to fifteen times what the item usually pays, decided in the ordinary time by someone else than the accepter.
        if (paying.length === 0) throw new Error('a history planting amount outliers needs items that pay an amount');
        const { item, usual } = busy[p % busy.length]!;
        const app = id('a');
        // Late enough that the item has had the minimum of peers (20) in the window.
        const t0 = officeTime(45, days - 12);
        const { a: decider, b: accepter, division } = pair(officers, officer);
        facts(act(t0, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen'), division, item);
        facts(act(laterOffice(t0, 3 * hour), accepter, 'services.application.accepted', 'application', app), division, item);
        facts(mark(act(laterOffice(t0, rng.int(3, 8) * day), decider, 'services.application.approved', 'application', app)), division, item,
          Math.round(usual * rng.float(8, 15) / 100) * 100);
        plantedCases[p]!.actor = decider;
        break;
      }
    }
  }
  // Administrators: a login or two each working day and a few permission changes, spread over the day.
  for (let d = 0; d < days; d++) {
    for (const admin of admins) {
      const morning = start + d * day + 9 * hour + rng.int(0, 60) * minute;
      if (isWeekend(morning)) continue;
      act(morning, admin, 'auth.login.admin', 'user', admin);
      for (let i = rng.int(0, 3); i > 0; i--) act(morning + rng.int(1, 8) * hour, admin, 'auth.permissions.changed', 'user', rng.pick(officers));
    }
  }

  // Ordinary activity: episodes of the platform's real flows at office hours, with ordinary gaps and separation of duties.
  while (drafts.length < opts.entries) {
    const t = officeTime();
    const kind = rng.int(0, 99);
    const officer = rng.pick(officers);
    if (kind < 40) {
      // A personal-data read for a case: with a purpose, a few per officer an hour.
      const action = rng.pick(['hotline.caller.viewed', 'services.application.viewed', 'hub.call.answered']);
      if (action !== 'hub.call.answered') act(t, officer, action, 'ticket', id('r'));
      else {
        // A call for the purpose of its grant, as the gateway publishes it.
        const purpose = rng.pick(purposes);
        act(t, officer, action, 'hub-message', id('r'), purpose).facts = { grantPurpose: purpose };
      }
    } else if (kind < 62) {
      const app = id('a');
      // The decider differs from the accepter, and both may act on the application's division.
      const { a: accepter, b: decider, division } = pair(officers, officer);
      const item = busy.length > 0 && rng.next() < 0.3 ? rng.pick(busy).item : rng.pick(ordinaryItems);
      facts(act(t, rng.pick(citizens), 'services.application.submitted', 'application', app, null, 'citizen'), division, item);
      const accepted = laterOffice(t, rng.int(1, 20) * hour);
      facts(act(accepted, accepter, 'services.application.accepted', 'application', app), division, item);
      if (rng.next() < 0.3) {
        const asked = laterOffice(accepted, rng.int(1, 24) * hour);
        facts(act(asked, accepter, 'services.application.correction-requested', 'application', app), division, item);
        facts(act(laterOffice(asked, rng.int(1, 48) * hour), rng.pick(citizens), 'services.application.corrected', 'application', app, null, 'citizen'), division, item);
      }
      const decided = laterOffice(t, rng.int(2 * 24, 10 * 24) * hour);
      if (inHistory(decided)) {
        // An approval of a paying item publishes its amount; a refusal pays nothing.
        const approved = rng.next() < 0.9;
        facts(act(decided, decider, approved ? 'services.application.approved' : 'services.application.refused', 'application', app), division, item,
          approved && usualOf.has(item) ? ordinaryAmount(item) : undefined);
      }
      if (rng.next() < 0.2 && inHistory(decided + 2 * day)) {
        act(decided + day, rng.pick(citizens), 'services.rating.given', 'application', app, null, 'citizen');
        if (rng.next() < 0.3) {
          const task = id('x');
          const verified = laterOffice(decided, 2 * day);
          act(verified, decider, 'services.rectification.verified', 'rectification', task);
          act(laterOffice(verified, rng.int(1, 6) * day), decider, 'services.rectification.rectified', 'rectification', task);
        }
      }
    } else if (kind < 84) {
      const ticket = id('t');
      // The handling officer and the operator who closes the ticket may both act on its division.
      const { a: operator, b: handler, division } = pair(operators);
      act(t, operator, 'hotline.ticket.received', 'ticket', ticket);
      let at = laterOffice(t, rng.int(10, 90) * minute);
      facts(act(at, operator, 'hotline.ticket.dispatched', 'ticket', ticket), division);
      if (rng.next() < 0.15) {
        at = laterOffice(at, rng.int(1, 8) * hour);
        facts(act(at, handler, 'hotline.ticket.returned', 'ticket', ticket), division);
        facts(act(laterOffice(at, hour), operator, 'hotline.ticket.redispatched', 'ticket', ticket), division);
      }
      at = laterOffice(at, rng.int(1, 8) * hour);
      facts(act(at, handler, 'hotline.ticket.accepted', 'ticket', ticket), division);
      const replied = laterOffice(at, rng.int(4, 72) * hour);
      facts(act(replied, handler, 'hotline.ticket.replied', 'ticket', ticket), division);
      const closed = laterOffice(replied, rng.int(1, 6) * hour);
      facts(act(closed, operator, 'hotline.ticket.closed', 'ticket', ticket), division);
      // What the callback publishes, agreeing with itself: a dissatisfied caller's words may be negative, a satisfied one's never are.
      // Drawn from the count of acts so far rather than the generator, so that the rest of the history stays as it was.
      const n = drafts.length % 10;
      const satisfaction = n < 6 ? 'satisfied' : n < 8 ? 'basically-satisfied' : 'dissatisfied';
      act(laterOffice(closed, rng.int(2, 24) * hour), rng.pick(operators.filter((o) => o !== operator)), 'hotline.ticket.called-back', 'ticket', ticket).facts =
        { satisfaction, resolved: satisfaction !== 'dissatisfied', noteTone: satisfaction === 'dissatisfied' ? (n === 8 ? 'negative' : 'none') : n % 2 === 0 ? 'positive' : 'none' };
    } else if (kind < 98) {
      act(t, officer, 'auth.login.succeeded', 'user', officer);
    } else {
      const request = id('q');
      act(t, officer, 'hub.request.submitted', 'hub-request', request);
      act(laterOffice(t, rng.int(1, 5) * day), rng.pick(officers.filter((o) => o !== officer)), 'hub.request.approved', 'hub-request', request);
    }
  }

  // The bureaus' ordinary fines, about 25 a working day across the city: 25 % lenient, 60 % ordinary, 15 % severe.
  for (let d = 0; d < days; d++) {
    if (isWeekend(start + d * day + 12 * hour)) continue;
    for (let i = 0; i < 25; i++) {
      const { a: investigator, b: decider, division } = pair(officers, fineRng.pick(officers));
      const roll = fineRng.next();
      fine(start + d * day + 9 * hour + fineRng.int(0, 9 * hour - 1), investigator, decider, division, fineRng.pick(fineItems),
        roll < 0.25 ? 'light' : roll < 0.85 ? 'ordinary' : 'severe', usualShare());
    }
  }

  const inRange = drafts.filter((d) => d.at < horizon || d.planted !== undefined);
  const order = inRange.map((d, i) => ({ d, i })).sort((a, b) => a.d.at - b.d.at || a.i - b.i).map((x) => x.d);
  const planted: PlantedCase[] = plantedCases.map((c) => ({ ...c, acts: [] }));
  const acts = order.map((d, position) => {
    if (d.planted !== undefined) planted[d.planted]!.acts.push(position);
    const { planted: _, ...rest } = d;
    return rest;
  });
  return { acts, planted };
}

/** Per planted kind: how many were planted, found, and the alerts of its rule that match no planted act. */
export interface KindScore {
  kind: PlantedKind;
  planted: number;
  found: number;
  alerts: number;
  falseAlerts: number;
  recall: number;
  precision: number;
  missed: { acts: number[]; actor: string | null }[];
}

/**
 * Scores alerts against the planted cases. `alerts` are rule codes with the history positions of their acts.
 * A planted case is found when an alert of its kind's rule names one of its acts; an alert is true when it names
 * an act of any planted case (a late decision is also an outlier), false otherwise.
 */
export function scoreAlerts(history: History, alerts: readonly { rule: string; acts: readonly number[] }[]): KindScore[] {
  const plantedAt = new Map<number, number>();
  history.planted.forEach((c, i) => c.acts.forEach((a) => plantedAt.set(a, i)));
  return plantedKinds.map((kind) => {
    const cases = history.planted.map((c, i) => ({ c, i })).filter((x) => x.c.kind === kind);
    const own = alerts.filter((a) => a.rule === kind);
    const found = new Set<number>();
    let falseAlerts = 0;
    for (const alert of own) {
      const hits = alert.acts.map((a) => plantedAt.get(a)).filter((i): i is number => i !== undefined);
      if (hits.length === 0) falseAlerts++;
      for (const i of hits) if (history.planted[i]!.kind === kind) found.add(i);
    }
    const missed = cases.filter((x) => !found.has(x.i)).map((x) => ({ acts: x.c.acts, actor: x.c.actor }));
    return {
      kind, planted: cases.length, found: found.size, alerts: own.length, falseAlerts,
      recall: cases.length ? found.size / cases.length : 1, precision: own.length ? (own.length - falseAlerts) / own.length : 1, missed,
    };
  });
}

/**
 * Queues a history's acts on the ledger in order, in statements of `chunk` acts; the sequencer gives them the
 * next leaf indexes, so on an otherwise idle ledger act i gets index (size before) + i.
 */
export async function queueHistory(db: Queryable, acts: readonly HistoryAct[], chunk = 2000): Promise<void> {
  for (let from = 0; from < acts.length; from += chunk) {
    const params: unknown[] = [];
    const sql = ledgerQueueSql(acts.slice(from, from + chunk).map((a, i) => ({
      actor: { kind: a.actorKind as 'staff', id: a.actorId }, action: a.action,
      object: a.objectType === null ? undefined : { type: a.objectType, id: a.objectId! }, purpose: a.purpose ?? undefined,
      payload: { generated: from + i, ...a.facts }, publish: a.facts ? Object.keys(a.facts) : undefined, at: new Date(a.at),
    })), params);
    await db.query(sql, params);
  }
}
