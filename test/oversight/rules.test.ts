import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../src/kernel/errors.ts';
import { RuleEngine, type Act } from '../../src/oversight/engine.ts';
import { ruleLibrary } from '../../src/oversight/library.ts';
import { parseRule, type RuleDefinition } from '../../src/oversight/rules.ts';

const refusal = (text: string) => {
  try {
    parseRule(text);
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'oversight.rule.invalid');
    assert.equal(error.details.field, 'definition');
    return String(error.details.reason);
  }
  assert.fail(`accepted ${text}`);
};

describe('rule definitions', () => {
  it('refuses, with the reason, a rule that does not parse or would scan without bound', () => {
    assert.match(refusal('{"kind": "count",'), /not JSON/);
    assert.match(refusal('{"kind": "script", "code": "x"}'), /kind must be one of/);
    // No window: the unbounded scan.
    assert.match(refusal(JSON.stringify({ kind: 'count', when: { actions: ['hub.call.answered'] }, per: 'actor', atLeast: 5 })), /within.*bounded/);
    // A window longer than 90 days.
    assert.match(refusal(JSON.stringify({ kind: 'count', when: { actions: ['a.b'] }, per: 'actor', within: 91 * 86_400, atLeast: 5 })), /within/);
    // A filter that names no action would look at every entry.
    assert.match(refusal(JSON.stringify({ kind: 'match', when: { actions: [] } })), /actions/);
    assert.match(refusal(JSON.stringify({ kind: 'gap', first: { actions: ['a.b'] }, then: { actions: ['a.c'] }, within: 100, from: 50, to: 200 })), /band/);
  });

  it('accepts every rule of the library', () => {
    for (const rule of ruleLibrary) assert.deepEqual(parseRule(JSON.stringify(rule.definition)), rule.definition, rule.code);
  });
});

const t0 = Date.UTC(2026, 2, 2, 2, 0, 0); // Monday 10:00 China time
let serial = 0;
const act = (over: Partial<Act>): Act => ({
  index: serial++, actorKind: 'staff', actorId: 's1', action: 'x.y', objectType: 'thing', objectId: String(serial), purpose: null, at: t0, ...over,
});
const run = (definition: RuleDefinition, acts: Act[]) => new RuleEngine([{ id: 1, definition }]).feed(acts);

describe('rule kinds', () => {
  it('match: one act, with purpose and office-hours filters', () => {
    const out = run({ kind: 'match', when: { actions: ['hub.call.answered'], purpose: 'missing' } },
      [act({ action: 'hub.call.answered', purpose: 'case-1' }), act({ action: 'hub.call.answered' }), act({ action: 'other.act' })]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.people, ['s1']);
    const night = run({ kind: 'match', when: { actions: ['auth.login.admin'], afterHours: true } },
      [act({ action: 'auth.login.admin', at: t0 }), act({ action: 'auth.login.admin', at: t0 + 12 * 3_600_000 })]);
    assert.equal(night.length, 1);
  });

  it('count: raised once when distinct objects reach the threshold in the window, again only after falling below', () => {
    const rule: RuleDefinition = { kind: 'count', when: { actions: ['r.read'] }, per: 'actor', distinct: 'object', within: 600, atLeast: 3 };
    const acts = [0, 1, 1, 2, 3, 4].map((i, n) => act({ action: 'r.read', objectId: `p${i}`, at: t0 + n * 60_000 }));
    const out = run(rule, acts);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.measure, 3);
    assert.deepEqual(out[0]!.entries, acts.slice(0, 4).map((a) => a.index));
    // Spread over more than the window: never three at once.
    assert.equal(run(rule, [0, 1, 2].map((i) => act({ action: 'r.read', objectId: `q${i}`, at: t0 + i * 400_000 }))).length, 0);
  });

  it('same-actor: both sides of one object by one person', () => {
    const rule: RuleDefinition = { kind: 'same-actor', first: { actions: ['a.accepted'] }, then: { actions: ['a.approved'] }, within: 86_400 };
    const out = run(rule, [
      act({ action: 'a.accepted', objectId: 'A' }), act({ action: 'a.approved', objectId: 'A', at: t0 + 1000 }),
      act({ action: 'a.accepted', objectId: 'B' }), act({ action: 'a.approved', objectId: 'B', actorId: 's2', at: t0 + 1000 }),
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.entries.length, 2);
  });

  it('gap and outlier: the time between two acts on one object, against a band and against its peers', () => {
    const day = 86_400_000;
    const acts: Act[] = [];
    // Ordinary approvals take 3 to 7 days; the outlier rule judges only after a window of them (its warm-up).
    for (let i = 0; i < 80; i++) {
      acts.push(act({ action: 'a.submitted', objectId: `o${i}`, at: t0 + i * day / 2 }));
      acts.push(act({ action: 'a.approved', objectId: `o${i}`, at: t0 + i * day / 2 + (3 + (i % 5)) * day }));
    }
    acts.push(act({ action: 'a.submitted', objectId: 'late', at: t0 + 30 * day }), act({ action: 'a.approved', objectId: 'late', at: t0 + 49 * day }));
    acts.sort((a, b) => a.at - b.at);
    const pair = { first: { actions: ['a.submitted'] }, then: { actions: ['a.approved'] }, within: 20 * 86_400 };
    const gap = run({ kind: 'gap', ...pair, from: 15 * 86_400, to: 20 * 86_400 }, acts);
    assert.deepEqual(gap.map((e) => e.measure), [19 * 86_400]);
    const outlier = run({ kind: 'outlier', ...pair, peerBy: 'action', z: 5, minPeers: 20 }, acts);
    assert.equal(outlier.length, 1);
    assert.equal(outlier[0]!.measure, 9.4); // (19 − 5) days over 1.4826 × 1 day
  });

  it('absent: no follow-up in the window (raised when a later act passes it), or no act before', () => {
    const after: RuleDefinition = { kind: 'absent', order: 'after', first: { actions: ['t.replied'] }, then: { actions: ['t.called-back'] }, within: 3600 };
    const out = run(after, [
      act({ action: 't.replied', objectId: 'A' }), act({ action: 't.replied', objectId: 'B' }),
      act({ action: 't.called-back', objectId: 'B', at: t0 + 60_000 }), act({ action: 'any.thing', at: t0 + 2 * 3_600_000 }),
    ]);
    assert.equal(out.length, 1);
    const before: RuleDefinition = { kind: 'absent', order: 'before', first: { actions: ['t.replied'] }, then: { actions: ['t.closed'] }, within: 3600 };
    assert.equal(run(before, [act({ action: 't.replied', objectId: 'A' }), act({ action: 't.closed', objectId: 'A' }), act({ action: 't.closed', objectId: 'C' })]).length, 1);
  });
});
