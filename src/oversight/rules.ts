/**
 * Risk rules as data (数据铁笼 规则库): a rule is a small JSON document of one of a few kinds, each with its
 * parameters, never code. `parseRule` reads an inspector's text and refuses, with the reason, a rule that does
 * not parse or that would scan without bound (no window, a window too long, a filter that names no action).
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { DomainError } from '../kernel/errors.ts';

const day = 86_400;
/** The longest window a rule may keep state for: what a restart replays, what memory holds. */
export const maxWithinSeconds = 90 * day;

/** The name of a fact a ledger entry publishes beside its payload hash (`division`, `item`, `grantPurpose`). */
const FactName = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]*$', maxLength: 40 });

/** Which ledger entries a rule looks at: the actions named (at least one), narrowed by actor kind, purpose and time of day. */
export const Filter = Type.Object({
  actions: Type.Array(Type.String({ pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$', maxLength: 80 }), { minItems: 1, maxItems: 20 }),
  actorKinds: Type.Optional(Type.Array(Type.Union([Type.Literal('staff'), Type.Literal('citizen'), Type.Literal('system')]), { minItems: 1 })),
  /** 'missing': no purpose recorded; a list: purpose must (or, with notIn, must not) be one of these. */
  purpose: Type.Optional(Type.Union([
    Type.Literal('missing'),
    Type.Object({ in: Type.Array(Type.String(), { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ notIn: Type.Array(Type.String(), { minItems: 1 }) }, { additionalProperties: false }),
    // The purpose differs from a fact the entry publishes (the grant's purpose); an entry without that fact does not match.
    Type.Object({ differsFrom: FactName }, { additionalProperties: false }),
  ])),
  /** Only acts on an object outside the actor's jurisdiction, as the entry publishes them (facts `division`, `actorJurisdiction`). */
  jurisdiction: Type.Optional(Type.Literal('outside')),
  /** Only acts outside office hours (before 08:00 or from 19:00 China time, or on a Saturday or Sunday). */
  afterHours: Type.Optional(Type.Boolean()),
  /** Only acts whose published facts take one of the values listed, each of them (a satisfaction of 满意 with a negative note). */
  facts: Type.Optional(Type.Array(Type.Object({
    name: FactName,
    in: Type.Array(Type.Union([Type.String({ maxLength: 80 }), Type.Number(), Type.Boolean()]), { minItems: 1, maxItems: 20 }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 5 })),
}, { additionalProperties: false });
export type Filter = Static<typeof Filter>;

const Within = Type.Integer({ minimum: 1, maximum: maxWithinSeconds, description: 'window in seconds' });
/** How far from its peers a value must be (robust z, Iglewicz–Hoaglin's modified z-score), and over how many peers at least. */
const Z = Type.Number({ minimum: 2, maximum: 50 });
const MinPeers = Type.Integer({ minimum: 5, maximum: 1000 });

// The time between two acts on one object compared with its peers' (same purpose, e.g. the same service item):
// robust z = |x − median| / (1.4826·MAD).
const OutlierOfTime = Type.Object({
  kind: Type.Literal('outlier'), first: Filter, then: Filter, within: Within,
  peerBy: Type.Union([Type.Literal('purpose'), Type.Literal('action')]), z: Z, minPeers: MinPeers,
}, { additionalProperties: false });
// A number an act publishes (`value`, e.g. the amount of a decision) compared with the same fact of its peers, the acts
// in the window with the same value of the fact `per` (the item).
const OutlierOfValue = Type.Object({
  kind: Type.Literal('outlier'), when: Filter, value: FactName, per: FactName, within: Within, z: Z, minPeers: MinPeers,
}, { additionalProperties: false });

export const RuleDefinition = Type.Union([
  // One act is enough (a read without a purpose, an admin login at night).
  Type.Object({ kind: Type.Literal('match'), when: Filter }, { additionalProperties: false }),
  // Many acts of one actor (or on one object) in a window; `distinct` counts different objects or purposes.
  Type.Object({
    kind: Type.Literal('count'), when: Filter, per: Type.Union([Type.Literal('actor'), Type.Literal('object')]),
    distinct: Type.Optional(Type.Union([Type.Literal('object'), Type.Literal('purpose')])),
    within: Within, atLeast: Type.Integer({ minimum: 2, maximum: 100_000 }),
  }, { additionalProperties: false }),
  // The same person on both sides of one object: requests and approves, accepts and decides.
  Type.Object({ kind: Type.Literal('same-actor'), first: Filter, then: Filter, within: Within }, { additionalProperties: false }),
  // The time from the first act to the next on one object falls in a band (decided just before the deadline, long after it).
  Type.Object({
    kind: Type.Literal('gap'), first: Filter, then: Filter, within: Within,
    from: Type.Integer({ minimum: 0, maximum: maxWithinSeconds }), to: Type.Integer({ minimum: 1, maximum: maxWithinSeconds }),
  }, { additionalProperties: false }),
  OutlierOfTime,
  OutlierOfValue,
  // The share of acts matching `when` among those matching `of` or `when`, per value of a published fact (the item),
  // in a sliding window, reaches `atLeast` over at least `minCount` acts: an item whose applications are often rejected.
  Type.Object({
    kind: Type.Literal('share'), of: Filter, when: Filter, per: FactName, within: Within,
    atLeast: Type.Number({ exclusiveMinimum: 0, maximum: 1 }), minCount: Type.Integer({ minimum: 2, maximum: 100_000 }),
  }, { additionalProperties: false }),
  // A first act on an object without the act that must follow it (after) or must have come before it (before).
  Type.Object({
    kind: Type.Literal('absent'), first: Filter, then: Filter, within: Within,
    order: Type.Union([Type.Literal('after'), Type.Literal('before')]),
  }, { additionalProperties: false }),
]);
export type RuleDefinition = Static<typeof RuleDefinition>;
export type RuleKind = RuleDefinition['kind'];
export const ruleKinds: readonly RuleKind[] = ['match', 'count', 'same-actor', 'gap', 'outlier', 'share', 'absent'];

// One validator per kind, so that a refusal names the parameter at fault rather than the union; an outlier over a
// published value is told from one over time by its `value`.
const checkKind = new Map(RuleDefinition.anyOf.filter((schema) => schema !== OutlierOfValue)
  .map((schema) => [schema.properties.kind.const as string, Compile(schema)]));
const checkOutlierOfValue = Compile(OutlierOfValue);

const invalid = (reason: string) => new DomainError('oversight.rule.invalid', { field: 'definition', reason }, reason);

/**
 * Reads a rule definition from its JSON text. Throws `oversight.rule.invalid` naming the reason: not JSON, not
 * one of the kinds with its parameters, or a band outside its window (state that would never be released).
 */
export function parseRule(text: string): RuleDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(`not JSON: ${(error as Error).message}`);
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(ruleKinds as readonly string[]).includes(kind)) throw invalid(`kind must be one of ${ruleKinds.join(', ')}`);
  if (kind !== 'match' && typeof (value as { within?: unknown }).within !== 'number') {
    throw invalid('/within: every window must be bounded, from 1 second to 90 days; a rule without one would scan without bound');
  }
  const check = kind === 'outlier' && 'value' in (value as object) ? checkOutlierOfValue : checkKind.get(kind)!;
  if (!check.Check(value)) {
    const first = check.Errors(value)[0];
    throw invalid(`${first?.instancePath || '/'}: ${first?.message ?? `does not match the kind ${kind}`}`);
  }
  const rule = value as RuleDefinition;
  if (rule.kind === 'gap' && (rule.from >= rule.to || rule.to > rule.within)) throw invalid('/from,/to: the band must satisfy from < to ≤ within');
  return rule;
}

