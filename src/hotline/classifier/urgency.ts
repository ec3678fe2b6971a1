/**
 * Urgency and emergency flags from a keyword list (data/urgency-rules.json), so a city can change the
 * list without code. A ticket is urgent when any listed phrase occurs in it; an emergency phrase also
 * marks it for transfer to 119 (fire, explosion, gas leak and rescue from water, which 消防救援 carries
 * out), 110 (crime in progress) or 120 (medical). When several kinds match, fire wins over police over
 * medical, since 119 and 110 bring 120 along when needed.
 *
 * Phrases under `notUrgent` are blanked out before matching: a 消防隐患 report that says 容易引发火灾
 * is about a risk, not a fire. Single characters such as 火 are never keywords (火锅, 火车, 上火).
 * Chinese phrases match anywhere; phrases in Latin letters match whole words, case-insensitively.
 */
import defaultRulesJson from './data/urgency-rules.json' with { type: 'json' };

export type Emergency = 'fire' | 'police' | 'medical';

/** In order of precedence. */
export const EMERGENCY_NUMBERS: Record<Emergency, string> = { fire: '119', police: '110', medical: '120' };

export interface UrgencyRules {
  notUrgent: string[];
  emergencies: Partial<Record<Emergency, string[]>>;
  urgent: string[];
}

export interface UrgencySuggestion {
  urgency: 'urgent' | 'normal';
  emergency?: Emergency;
  /** The number to transfer an emergency to. */
  transferTo?: string;
  /** The phrases that matched, for the operator to see why. */
  matched: string[];
}

export const defaultUrgencyRules: UrgencyRules = defaultRulesJson;

interface Phrase {
  phrase: string;
  pattern: RegExp;
}

interface CompiledRules {
  notUrgent: RegExp[];
  emergencies: [Emergency, Phrase[]][];
  urgent: Phrase[];
}

const compiledRules = new WeakMap<UrgencyRules, CompiledRules>();

/** Suggests the urgency of a ticket text, and whether it is an emergency for 119/110/120. */
export function suggestUrgency(text: string, rules: UrgencyRules = defaultUrgencyRules): UrgencySuggestion {
  let compiled = compiledRules.get(rules);
  if (!compiled) compiledRules.set(rules, (compiled = compile(rules)));
  let normalized = text.normalize('NFKC');
  for (const harmless of compiled.notUrgent) normalized = normalized.replace(harmless, ' ');
  const found = (phrases: Phrase[]) => phrases.filter((p) => p.pattern.test(normalized)).map((p) => p.phrase);

  const matched: string[] = [];
  let emergency: Emergency | undefined;
  for (const [kind, phrases] of compiled.emergencies) {
    const hits = found(phrases);
    if (hits.length) emergency ??= kind;
    matched.push(...hits);
  }
  matched.push(...found(compiled.urgent));
  if (emergency) return { urgency: 'urgent', emergency, transferTo: EMERGENCY_NUMBERS[emergency], matched };
  return { urgency: matched.length ? 'urgent' : 'normal', matched };
}

function compile(rules: UrgencyRules): CompiledRules {
  const phrases = (list: string[]) => list.map((phrase) => ({ phrase, pattern: pattern(phrase, 'iu') }));
  return {
    // Longest first, so a longer harmless phrase is blanked before a shorter one inside it.
    notUrgent: [...rules.notUrgent].sort((a, b) => b.length - a.length).map((p) => pattern(p, 'giu')),
    emergencies: (Object.keys(EMERGENCY_NUMBERS) as Emergency[])
      .filter((kind) => rules.emergencies[kind]?.length)
      .map((kind) => [kind, phrases(rules.emergencies[kind]!)]),
    urgent: phrases(rules.urgent),
  };
}

function pattern(phrase: string, flags: string): RegExp {
  const escaped = phrase.normalize('NFKC').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(/^[A-Za-z0-9]/.test(phrase) ? `\\b${escaped}\\b` : escaped, flags);
}
