/**
 * The rule engine: a pure function of the sequence of ledger entries. Each rule is a detector fed the entries in
 * leaf order; it keeps only what its window needs and says when an alert is due. Streaming and backfill both
 * feed the same detectors, entry by entry, so they raise the same alerts whatever the batch sizes.
 * Time is the entries' own `recorded_at`, never the wall clock: a window closes when a later entry shows it has.
 */
import { maxWithinSeconds, type Filter, type RuleDefinition } from './rules.ts';

/** A ledger entry as the rules see it (the columns the leaf hash covers, less the payload hash). */
export interface Act {
  index: number;
  actorKind: string;
  actorId: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  purpose: string | null;
  /** The members of its payload the entry publishes (facts), if any. */
  facts?: Readonly<Record<string, unknown>> | null;
  /** recorded_at, milliseconds since the epoch */
  at: number;
}

/** What a rule raised: a key unique within its rule version, the acts that prove it and the people they name. */
export interface Emission {
  ruleVersionId: number;
  key: string;
  at: number;
  entries: number[];
  /** Staff whose acts these are (user ids): the people the alert is about. */
  people: string[];
  /** A figure that explains it (the count, the gap in seconds, the robust z), for the page and the dry run. */
  measure: number;
}

export interface RuleVersion {
  id: number;
  definition: RuleDefinition;
}

type Emit = (e: Omit<Emission, 'ruleVersionId'>) => void;

interface Detector {
  /**
   * Every act, or only those of the actions its filters name: an act of another action changes nothing for it.
   * (`absent` … `after` reads every act's time to raise what fell due.)
   */
  readsAll?: true;
  /** `object` is the act's object key (`objectKey`), worked out once per act for all detectors. */
  feed(act: Act, object: string | null, emit: Emit): void;
  /** Drops state older than the window; raises nothing, so that when sweeps happen never changes the result. */
  advance(now: number): void;
}

/** The filters of a rule: which acts it looks at. */
export function filtersOf(rule: RuleDefinition): Filter[] {
  return rule.kind === 'share' ? [rule.of, rule.when] : 'when' in rule ? [rule.when] : [rule.first, rule.then];
}

/** Entries listed on one alert at most: the proof, not the whole history. */
const maxEntriesPerAlert = 50;
const chinaOffsetMs = 8 * 3_600_000;

function isAfterHours(at: number): boolean {
  const local = new Date(at + chinaOffsetMs);
  const hour = local.getUTCHours();
  const weekday = local.getUTCDay();
  return weekday === 0 || weekday === 6 || hour < 8 || hour >= 19;
}

/** A filter as a predicate over acts. */
export function compileFilter(filter: Filter): (act: Act) => boolean {
  const actions = new Set(filter.actions);
  const kinds = filter.actorKinds ? new Set<string>(filter.actorKinds) : null;
  const p = filter.purpose;
  const purposeOk = p === undefined ? () => true
    : p === 'missing' ? (a: Act) => a.purpose === null || a.purpose === ''
      : 'in' in p ? ((set) => (a: Act) => a.purpose !== null && set.has(a.purpose))(new Set(p.in))
        : 'notIn' in p ? ((set) => (a: Act) => a.purpose === null || !set.has(a.purpose))(new Set(p.notIn))
          : (a: Act) => typeof a.facts?.[p.differsFrom] === 'string' && a.facts[p.differsFrom] !== a.purpose;
  // An act that does not publish a fact named never matches it.
  const facts = (filter.facts ?? []).map((f) => ({ name: f.name, values: new Set<unknown>(f.in) }));
  const factsOk = (a: Act) => facts.every((f) => a.facts?.[f.name] !== undefined && f.values.has(a.facts[f.name]));
  return (a) => actions.has(a.action) && (!kinds || kinds.has(a.actorKind)) && purposeOk(a) && (!filter.afterHours || isAfterHours(a.at))
    && (filter.jurisdiction !== 'outside' || isOutside(a)) && (facts.length === 0 || factsOk(a));
}

/**
 * The object lies outside the actor's jurisdiction: its division does not start with the jurisdiction's prefix, or
 * the actor has none. An entry that does not publish the object's division says nothing, so it never matches.
 */
function isOutside(a: Act): boolean {
  const division = a.facts?.division;
  const prefix = a.facts?.actorJurisdiction;
  return typeof division === 'string' && (typeof prefix !== 'string' || !division.startsWith(prefix));
}

const staffOf = (...acts: Act[]) => [...new Set(acts.filter((a) => a.actorKind === 'staff').map((a) => a.actorId))];
const objectKey = (a: Act) => (a.objectType === null ? null : `${a.objectType}\u0000${a.objectId}`);
const lastEntries = (acts: Act[]) => acts.slice(-maxEntriesPerAlert).map((a) => a.index);

function matchDetector(rule: Extract<RuleDefinition, { kind: 'match' }>): Detector {
  const when = compileFilter(rule.when);
  return {
    feed(act, _object, emit) {
      if (when(act)) emit({ key: String(act.index), at: act.at, entries: [act.index], people: staffOf(act), measure: 1 });
    },
    advance() {},
  };
}

function countDetector(rule: Extract<RuleDefinition, { kind: 'count' }>): Detector {
  const when = compileFilter(rule.when);
  const windowMs = rule.within * 1000;
  const groups = new Map<string, { acts: Act[]; values: Map<string, number> }>();
  const valueOf = (a: Act) => (rule.distinct === 'object' ? objectKey(a) ?? '' : rule.distinct === 'purpose' ? a.purpose ?? '' : String(a.index));
  const expire = (group: { acts: Act[]; values: Map<string, number> }, now: number) => {
    let drop = 0;
    while (drop < group.acts.length && group.acts[drop]!.at <= now - windowMs) {
      const v = valueOf(group.acts[drop]!);
      const left = group.values.get(v)! - 1;
      if (left === 0) group.values.delete(v);
      else group.values.set(v, left);
      drop++;
    }
    if (drop > 0) group.acts.splice(0, drop);
  };
  return {
    feed(act, object, emit) {
      if (!when(act)) return;
      const key = rule.per === 'actor' ? `${act.actorKind}:${act.actorId}` : object;
      if (key === null) return;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { acts: [], values: new Map() }));
      expire(group, act.at);
      const v = valueOf(act);
      const before = group.values.size;
      group.values.set(v, (group.values.get(v) ?? 0) + 1);
      group.acts.push(act);
      // Raised once, when the count reaches the threshold; again only after it fell below it.
      if (before === rule.atLeast - 1 && group.values.size === rule.atLeast) {
        emit({ key: String(act.index), at: act.at, entries: lastEntries(group.acts), people: staffOf(...group.acts), measure: group.values.size });
      }
    },
    advance(now) {
      for (const [key, group] of groups) {
        expire(group, now);
        if (group.acts.length === 0) groups.delete(key);
      }
    },
  };
}

/** Detectors over pairs of acts on one object: the first act is kept for the window, the next decides. */
function pairDetector(
  rule: { first: Filter; then: Filter; within: number },
  onThen: (first: Act, then: Act, emit: Emit) => void,
  keepFirst: 'earliest' | 'all',
): Detector {
  const first = compileFilter(rule.first);
  const then = compileFilter(rule.then);
  const windowMs = rule.within * 1000;
  const open = new Map<string, Act[]>();
  return {
    feed(act, key, emit) {
      if (key === null) return;
      if (then(act)) {
        const firsts = open.get(key);
        if (firsts) {
          const live = firsts.filter((f) => f.at > act.at - windowMs);
          for (const f of live) onThen(f, act, emit);
          open.delete(key);
        }
      }
      if (first(act)) {
        const list = open.get(key);
        if (!list) open.set(key, [act]);
        else if (keepFirst === 'all') list.push(act);
      }
    },
    advance(now) {
      for (const [key, list] of open) if (list[list.length - 1]!.at <= now - windowMs) open.delete(key);
    },
  };
}

function sameActorDetector(rule: Extract<RuleDefinition, { kind: 'same-actor' }>): Detector {
  return pairDetector(rule, (f, t, emit) => {
    // A person on both sides: a system process (an import, the demo loader) acting twice is not one.
    if (t.actorKind === 'staff' && f.actorKind === 'staff' && f.actorId === t.actorId && f.index !== t.index) {
      emit({ key: String(t.index), at: t.at, entries: [f.index, t.index], people: staffOf(t), measure: (t.at - f.at) / 1000 });
    }
  }, 'all');
}

function gapDetector(rule: Extract<RuleDefinition, { kind: 'gap' }>): Detector {
  return pairDetector(rule, (f, t, emit) => {
    const seconds = (t.at - f.at) / 1000;
    if (seconds >= rule.from && seconds <= rule.to) emit({ key: String(t.index), at: t.at, entries: [f.index, t.index], people: staffOf(t), measure: seconds });
  }, 'earliest');
}

/** Median of a sorted copy; the arrays are bounded by `peerSample`. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The z reported when every peer has the same value and this one differs: as far as a value can be. */
const farthest = 1000;

/**
 * How far `value` lies from its peers, robustly (Iglewicz–Hoaglin's modified z-score): |x − median| / (1.4826·MAD).
 * When more than half the peers share one value (a fixed allowance) the MAD is 0 and the mean absolute deviation
 * stands in (× 1.2533, its ratio to the standard deviation of a normal law); when all are equal, a different value is
 * `farthest`.
 */
function robustZ(peers: readonly number[], value: number): number {
  const values = [...peers];
  const m = median(values);
  const deviations = values.map((v) => Math.abs(v - m));
  const mad = median(deviations);
  const scale = mad > 0 ? 1.4826 * mad : 1.2533 * (deviations.reduce((a, b) => a + b, 0) / deviations.length);
  return scale > 0 ? Math.abs(value - m) / scale : value === m ? 0 : farthest;
}

/** Peer values kept per group: enough for a stable median, and a bound on memory and time per act. */
const peerSample = 201;

/**
 * The peers of each group (the values of the window, the latest `peerSample`): `judge` gives the robust z of a value
 * among them (null with fewer than `minPeers`), then adds it, so that it never dilutes its own test.
 */
function peerGroups(rule: { within: number; minPeers: number }) {
  const windowMs = rule.within * 1000;
  const peers = new Map<string, { at: number; value: number }[]>();
  return {
    judge(group: string, at: number, value: number, ready = true): number | null {
      let sample = peers.get(group);
      if (!sample) peers.set(group, (sample = []));
      while (sample.length > 0 && sample[0]!.at <= at - windowMs) sample.shift();
      const z = ready && sample.length >= rule.minPeers ? robustZ(sample.map((s) => s.value), value) : null;
      sample.push({ at, value });
      if (sample.length > peerSample) sample.shift();
      return z;
    },
    advance(now: number) {
      for (const [group, sample] of peers) if (sample.length > 0 && sample[sample.length - 1]!.at <= now - windowMs) peers.delete(group);
    },
  };
}

const roundZ = (z: number) => Math.round(z * 10) / 10;

function outlierDetector(rule: Extract<RuleDefinition, { kind: 'outlier' }>): Detector {
  return 'value' in rule ? valueOutlierDetector(rule) : timeOutlierDetector(rule);
}

function timeOutlierDetector(rule: Extract<RuleDefinition, { kind: 'outlier'; peerBy: unknown }>): Detector {
  const windowMs = rule.within * 1000;
  const peers = peerGroups(rule);
  // Warm-up: until a whole window of pairs has been seen, the completed ones are only the quick ones (the slow are
  // still open), and their spread would make every ordinary value look far out.
  let firstAt: number | null = null;
  const pairs = pairDetector(rule, (f, t, emit) => {
    firstAt ??= f.at;
    const group = rule.peerBy === 'purpose' ? `${f.purpose ?? ''}\u0000${t.action}` : t.action;
    const z = peers.judge(group, t.at, (t.at - f.at) / 1000, t.at >= firstAt + windowMs);
    if (z !== null && z >= rule.z) emit({ key: String(t.index), at: t.at, entries: [f.index, t.index], people: staffOf(t), measure: roundZ(z) });
  }, 'earliest');
  return {
    feed: (act, object, emit) => pairs.feed(act, object, emit),
    advance(now) {
      pairs.advance(now);
      peers.advance(now);
    },
  };
}

/**
 * A number one act publishes (the amount of a decision) against the same number of its peers, the acts of the window
 * with the same value of the fact `per` (the item). No warm-up: the value is known when the act is, so the peers of
 * the window are all there is, and the state is the window's, which a replay of two windows rebuilds.
 */
function valueOutlierDetector(rule: Extract<RuleDefinition, { kind: 'outlier'; value: unknown }>): Detector {
  const when = compileFilter(rule.when);
  const peers = peerGroups(rule);
  return {
    feed(act, _object, emit) {
      if (!when(act)) return;
      const value = act.facts?.[rule.value];
      const group = act.facts?.[rule.per];
      if (typeof value !== 'number' || !Number.isFinite(value) || (typeof group !== 'string' && typeof group !== 'number')) return;
      const z = peers.judge(String(group), act.at, value);
      if (z !== null && z >= rule.z) emit({ key: String(act.index), at: act.at, entries: [act.index], people: staffOf(act), measure: roundZ(z) });
    },
    advance: (now) => peers.advance(now),
  };
}

function shareDetector(rule: Extract<RuleDefinition, { kind: 'share' }>): Detector {
  const of = compileFilter(rule.of);
  const when = compileFilter(rule.when);
  const windowMs = rule.within * 1000;
  // Per value of the fact: the acts in the window, how many of them are hits, and when it was last raised.
  const groups = new Map<string, { acts: { act: Act; hit: boolean }[]; hits: number; raisedAt: number | null }>();
  const expire = (group: { acts: { act: Act; hit: boolean }[]; hits: number }, now: number) => {
    let drop = 0;
    while (drop < group.acts.length && group.acts[drop]!.act.at <= now - windowMs) group.hits -= group.acts[drop++]!.hit ? 1 : 0;
    if (drop > 0) group.acts.splice(0, drop);
  };
  return {
    feed(act, _object, emit) {
      const hit = when(act);
      if (!hit && !of(act)) return;
      const value = act.facts?.[rule.per];
      if (typeof value !== 'string' && typeof value !== 'number') return;
      const key = String(value);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { acts: [], hits: 0, raisedAt: null }));
      expire(group, act.at);
      group.acts.push({ act, hit });
      if (hit) group.hits++;
      const share = group.hits / group.acts.length;
      // Raised at most once a window for one value: a share hovering at the threshold is one finding, not many.
      if (group.acts.length >= rule.minCount && share >= rule.atLeast && (group.raisedAt === null || act.at - group.raisedAt >= windowMs)) {
        group.raisedAt = act.at;
        const hits = group.acts.filter((a) => a.hit).map((a) => a.act);
        emit({ key: String(act.index), at: act.at, entries: lastEntries(hits), people: [], measure: Math.round(share * 1000) / 1000 });
      }
    },
    // A group left empty goes: its last raise is a window old at least, so forgetting it changes nothing.
    advance(now) {
      for (const [key, group] of groups) {
        expire(group, now);
        if (group.acts.length === 0) groups.delete(key);
      }
    },
  };
}

function absentDetector(rule: Extract<RuleDefinition, { kind: 'absent' }>): Detector {
  const first = compileFilter(rule.first);
  const then = compileFilter(rule.then);
  const windowMs = rule.within * 1000;
  if (rule.order === 'before') {
    // `then` came without a `first` on the same object in the window before it (closed without a reply).
    const seen = new Map<string, number>();
    return {
      feed(act, key, emit) {
        if (key === null) return;
        if (then(act)) {
          const at = seen.get(key);
          if (at === undefined || at <= act.at - windowMs) emit({ key: String(act.index), at: act.at, entries: [act.index], people: staffOf(act), measure: 0 });
        }
        if (first(act)) seen.set(key, act.at);
      },
      advance(now) {
        for (const [key, at] of seen) if (at <= now - windowMs) seen.delete(key);
      },
    };
  }
  // `first` not followed by `then` within the window (closed, never called back): due when a later act shows the window passed.
  const pending = new Map<string, Act>();
  const due: Act[] = [];
  let head = 0;
  const raiseDue = (now: number, emit: Emit) => {
    while (head < due.length && due[head]!.at + windowMs < now) {
      const act = due[head++]!;
      const key = objectKey(act)!;
      if (pending.get(key) === act) {
        pending.delete(key);
        emit({ key: String(act.index), at: act.at + windowMs, entries: [act.index], people: staffOf(act), measure: rule.within });
      }
    }
    if (head > 4096) {
      due.splice(0, head);
      head = 0;
    }
  };
  return {
    readsAll: true,
    feed(act, key, emit) {
      raiseDue(act.at, emit);
      if (key === null) return;
      if (then(act)) pending.delete(key);
      if (first(act) && !pending.has(key)) {
        pending.set(key, act);
        due.push(act);
      }
    },
    // Due alerts are raised by the acts that pass their window (feed), so that a sweep never changes what is raised.
    advance() {},
  };
}

function detectorFor(rule: RuleDefinition): Detector {
  switch (rule.kind) {
    case 'match': return matchDetector(rule);
    case 'count': return countDetector(rule);
    case 'same-actor': return sameActorDetector(rule);
    case 'gap': return gapDetector(rule);
    case 'outlier': return outlierDetector(rule);
    case 'share': return shareDetector(rule);
    case 'absent': return absentDetector(rule);
  }
}

/**
 * Acts between two sweeps of every detector's expired state: keeps memory flat without a sweep per act. A sweep
 * walks all the state the windows hold (some 10^5 keys on the bench's history, where windows reach 90 days), so it
 * is rare: every 8,192 acts it took a fifth of the engine's CPU. What it lets linger meanwhile is at most 65,536
 * acts' state (a day and a half of the bench's history, a minute at 1,000 acts a second), beside windows of days.
 */
const sweepEvery = 65_536;

/** A rule version's detector, the actions it reads and where its emissions go. */
interface Fed {
  detector: Detector;
  actions: ReadonlySet<string>;
  emit: Emit;
}

/** Runs a set of rule versions over acts fed in leaf order. */
export class RuleEngine {
  private readonly detectors: Fed[];
  /**
   * Per action, the detectors to feed its acts, in version order (so emissions come in the same order as feeding
   * every detector). Most rules name a few actions: routing an act to the few that read it, instead of calling all
   * twenty with a new emit closure each, took the engine from about 11 to 8 ms of CPU per 1,000 acts on the bench's
   * history (the 714,436 acts the library's rules read, fed from memory).
   */
  private readonly routes = new Map<string, Fed[]>();
  /** Where the current `feed` call collects emissions: each detector's `emit` is made once, not once per act. */
  private out: Emission[] = [];
  private fed = 0;
  /** Index of the next act expected, or null before the first. */
  next: number | null = null;
  /** Time of the latest act fed. */
  now = 0;

  constructor(readonly versions: readonly RuleVersion[]) {
    this.detectors = versions.map((v) => ({
      detector: detectorFor(v.definition),
      actions: new Set(filtersOf(v.definition).flatMap((f) => f.actions)),
      emit: (e) => void this.out.push({ ...e, ruleVersionId: v.id }),
    }));
  }

  /** The history a replay must cover to rebuild this engine's state: two windows, so that an outlier rule's warm-up is over. */
  get lookbackMs(): number {
    return 2 * Math.min(maxWithinSeconds, Math.max(0, ...this.versions.map((v) => ('within' in v.definition ? v.definition.within : 0)))) * 1000;
  }

  /** Feeds acts (in leaf order) and returns what they raised. */
  feed(acts: readonly Act[]): Emission[] {
    const out = (this.out = []);
    for (const act of acts) {
      this.now = Math.max(this.now, act.at);
      const object = objectKey(act);
      for (const { detector, emit } of this.route(act.action)) detector.feed(act, object, emit);
      if (++this.fed % sweepEvery === 0) for (const { detector } of this.detectors) detector.advance(this.now);
      this.next = act.index + 1;
    }
    return out;
  }

  private route(action: string): Fed[] {
    let list = this.routes.get(action);
    if (!list) this.routes.set(action, (list = this.detectors.filter((d) => d.detector.readsAll || d.actions.has(action))));
    return list;
  }
}
