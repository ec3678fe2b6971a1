/**
 * The rules of a device type, evaluated in memory per device, one reading at a time in sequence order:
 * - threshold with hysteresis: raise beyond `raise`, clear only once back past `clear` (so a value hovering
 *   at the limit does not raise and clear on every reading);
 * - rate of change: the change per minute over the last `windowSeconds`, raised beyond `perMinute`, cleared
 *   below `clearPerMinute`;
 * - debounce on both: the condition must hold for `debounceReadings` readings in a row and at least
 *   `debounceSeconds` from the first of them before the event is raised (or cleared).
 * Pure: the state is a plain object the caller keeps per device.
 */
import { DomainError } from '../../kernel/errors.ts';

interface Debounce {
  name: string;
  /** The rule's name for people (积水超限), in the events' descriptions and cases; `name` when absent. */
  label?: string;
  debounceReadings: number;
  debounceSeconds: number;
}
export interface ThresholdRule extends Debounce {
  kind: 'threshold';
  direction: 'above' | 'below';
  raise: number;
  clear: number;
}
export interface RateRule extends Debounce {
  kind: 'rate';
  direction: 'rise' | 'fall';
  perMinute: number;
  clearPerMinute: number;
  windowSeconds: number;
}
export type SensorRule = ThresholdRule | RateRule;

/** Where a rule stands for one device: raised or not, and the run of readings towards the other state. */
interface RuleState {
  raised: boolean;
  run: number;
  runSince: number;
}

/** What the rules remember of one device: each rule's state and the readings within the longest rate window. */
export interface DeviceRuleState {
  rules: RuleState[];
  window: { t: number; v: number }[];
}

/** A change the rules decided on: the event of `rule` raised or cleared by the reading. */
export interface RuleTransition {
  rule: SensorRule;
  change: 'raised' | 'cleared';
  /** The measure that decided it: the value, or the rate per minute. */
  measure: number;
}

/** A device's first state: nothing raised (or, after a restart, the rules whose events are still open). */
export function initialRuleState(rules: readonly SensorRule[], raised: ReadonlySet<string> = new Set()): DeviceRuleState {
  return { rules: rules.map((r) => ({ raised: raised.has(r.name), run: 0, runSince: 0 })), window: [] };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks rules given as data (a type's `rules`); refusals name the field, e.g. `rules[1].clear`. */
export function checkRules(input: unknown): SensorRule[] {
  if (!Array.isArray(input) || input.length > 10) throw new DomainError('cityops.sensor.bad-rule', { field: 'rules' }, 'rules are a list of at most 10');
  const names = new Set<string>();
  return input.map((raw, i) => {
    const r = raw as Record<string, unknown>;
    const bad = (field: string, why: string) => new DomainError('cityops.sensor.bad-rule', { field: `rules[${i}].${field}` }, why);
    if (typeof r.name !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(r.name)) throw bad('name', 'a rule name is lower case letters, digits and _');
    if (names.has(r.name)) throw bad('name', `two rules are named ${r.name}`);
    names.add(r.name);
    const debounceReadings = r.debounceReadings ?? 1;
    const debounceSeconds = r.debounceSeconds ?? 0;
    if (!Number.isInteger(debounceReadings) || (debounceReadings as number) < 1 || (debounceReadings as number) > 100)
      throw bad('debounceReadings', 'from 1 to 100 readings');
    if (!finite(debounceSeconds) || debounceSeconds < 0 || debounceSeconds > 86_400) throw bad('debounceSeconds', 'from 0 to 86400 seconds');
    if (r.label !== undefined && (typeof r.label !== 'string' || r.label.trim() === '' || r.label.trim().length > 40))
      throw bad('label', 'a label is 1 to 40 characters');
    const label = typeof r.label === 'string' ? { label: r.label.trim() } : {};
    const base = { name: r.name, ...label, debounceReadings: debounceReadings as number, debounceSeconds };
    if (r.kind === 'threshold') {
      if (r.direction !== 'above' && r.direction !== 'below') throw bad('direction', 'above or below');
      if (!finite(r.raise)) throw bad('raise', 'a number');
      if (!finite(r.clear)) throw bad('clear', 'a number');
      if (r.direction === 'above' ? r.clear > r.raise : r.clear < r.raise)
        throw bad('clear', `the clearing value must lie on the safe side of the raising one (${r.direction === 'above' ? '≤' : '≥'} raise)`);
      return { ...base, kind: 'threshold', direction: r.direction, raise: r.raise, clear: r.clear };
    }
    if (r.kind === 'rate') {
      if (r.direction !== 'rise' && r.direction !== 'fall') throw bad('direction', 'rise or fall');
      if (!finite(r.perMinute) || r.perMinute <= 0) throw bad('perMinute', 'a positive number');
      if (!finite(r.clearPerMinute) || r.clearPerMinute < 0 || r.clearPerMinute > r.perMinute) throw bad('clearPerMinute', 'from 0 to perMinute');
      if (!Number.isInteger(r.windowSeconds) || (r.windowSeconds as number) < 10 || (r.windowSeconds as number) > 86_400)
        throw bad('windowSeconds', 'from 10 to 86400 seconds');
      return { ...base, kind: 'rate', direction: r.direction, perMinute: r.perMinute, clearPerMinute: r.clearPerMinute, windowSeconds: r.windowSeconds as number };
    }
    throw bad('kind', 'threshold or rate');
  });
}

/** The change per minute over the window, or null while the window spans under a quarter of its length. */
function rateOf(window: readonly { t: number; v: number }[], rule: RateRule, t: number): number | null {
  const from = t - rule.windowSeconds * 1000;
  const first = window.find((p) => p.t >= from);
  const last = window[window.length - 1];
  if (!first || !last || last.t - first.t < rule.windowSeconds * 250) return null;
  return ((last.v - first.v) / (last.t - first.t)) * 60_000;
}

/**
 * Feeds one reading (`t` in ms, in sequence order) to the rules of a device; returns the events raised or
 * cleared by it. Mutates `state`.
 */
export function evaluateReading(rules: readonly SensorRule[], state: DeviceRuleState, t: number, v: number): RuleTransition[] {
  const longest = rules.reduce((m, r) => (r.kind === 'rate' ? Math.max(m, r.windowSeconds) : m), 0);
  if (longest > 0) {
    state.window.push({ t, v });
    const from = t - longest * 1000;
    let drop = 0;
    while (drop < state.window.length - 1 && state.window[drop]!.t < from) drop++;
    if (drop > 0) state.window.splice(0, drop);
  }
  const out: RuleTransition[] = [];
  rules.forEach((rule, i) => {
    const s = state.rules[i]!;
    let measure: number;
    let beyond: boolean;
    if (rule.kind === 'threshold') {
      measure = v;
      const limit = s.raised ? rule.clear : rule.raise;
      // Raised, the event holds until the value is back past `clear`; not raised, it waits for `raise`.
      beyond = rule.direction === 'above' ? (s.raised ? v > limit : v >= limit) : (s.raised ? v < limit : v <= limit);
    } else {
      const rate = rateOf(state.window, rule, t);
      if (rate === null) return;
      measure = rate;
      const signed = rule.direction === 'rise' ? rate : -rate;
      beyond = s.raised ? signed > rule.clearPerMinute : signed >= rule.perMinute;
    }
    // `beyond` true keeps the current state; a run of readings the other way (debounced) flips it.
    const towardsChange = s.raised ? !beyond : beyond;
    if (!towardsChange) {
      s.run = 0;
      return;
    }
    if (s.run === 0) s.runSince = t;
    s.run++;
    if (s.run >= rule.debounceReadings && t - s.runSince >= rule.debounceSeconds * 1000) {
      s.raised = !s.raised;
      s.run = 0;
      out.push({ rule, change: s.raised ? 'raised' : 'cleared', measure });
    }
  });
  return out;
}
