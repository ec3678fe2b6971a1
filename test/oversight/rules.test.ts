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
    // A share is a fraction of at least two acts, grouped by the name of a published fact.
    const share = { kind: 'share', of: { actions: ['a.b'] }, when: { actions: ['a.c'] }, per: 'item', within: 100, atLeast: 0.5, minCount: 10 };
    assert.match(refusal(JSON.stringify({ ...share, atLeast: 1.5 })), /atLeast/);
    assert.match(refusal(JSON.stringify({ ...share, minCount: 1 })), /minCount/);
    assert.match(refusal(JSON.stringify({ ...share, per: 'item; drop' })), /per/);
    assert.match(refusal(JSON.stringify({ kind: 'match', when: { actions: ['a.b'], jurisdiction: 'inside' } })), /jurisdiction/);
    // A filter on published facts lists at least one value for each fact it names.
    assert.match(refusal(JSON.stringify({ kind: 'match', when: { actions: ['a.b'], facts: [{ name: 'satisfaction', in: [] }] } })), /\/when\/facts\/0\/in/);
    assert.match(refusal(JSON.stringify({ kind: 'match', when: { actions: ['a.b'], facts: [{ name: 'x y', in: ['a'] }] } })), /\/when\/facts\/0\/name/);
    // An outlier over a published value names the fact and the fact its peers share, and has no pair of acts.
    const amount = { kind: 'outlier', when: { actions: ['a.b'] }, value: 'amount', per: 'item', within: 100, z: 3.5, minPeers: 20 };
    assert.deepEqual(parseRule(JSON.stringify(amount)), amount);
    assert.match(refusal(JSON.stringify({ ...amount, per: undefined })), /per/);
    assert.match(refusal(JSON.stringify({ ...amount, first: { actions: ['a.b'] } })), /first|additional/i);
    assert.match(refusal(JSON.stringify({ ...amount, minPeers: 2 })), /minPeers/);
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

  describe('outlier over a published value: an amount far from those of its item', () => {
    const day = 86_400_000;
    const rule: RuleDefinition = { kind: 'outlier', when: { actions: ['a.approved'] }, value: 'amount', per: 'item', within: 30 * 86_400, z: 3.5, minPeers: 20 };
    /** Approvals of item 7 every half day, 1,000 to 1,400 元 in 分 (the ordinary spread), and of item 8 at ten times that. */
    const ordinary = (days: number) => {
      const acts: Act[] = [];
      for (let i = 0; i < days * 2; i++) {
        const spread = 100_000 + ((i * 37) % 41) * 1_000;
        acts.push(act({ action: 'a.approved', facts: { item: 7, amount: spread }, at: t0 + i * day / 2 }));
        acts.push(act({ action: 'a.approved', facts: { item: 8, amount: spread * 10 }, at: t0 + i * day / 2 + 1000 }));
      }
      return acts;
    };

    it('fires on an amount far from its item\'s peers, never on the ordinary spread nor on another item\'s scale', () => {
      const acts = ordinary(40);
      const planted = act({ action: 'a.approved', actorId: 's9', facts: { item: 7, amount: 980_000 }, at: t0 + 35 * day + 5000 });
      const low = act({ action: 'a.approved', facts: { item: 8, amount: 5_000 }, at: t0 + 36 * day + 5000 });
      const other = act({ action: 'a.refused', facts: { item: 7, amount: 980_000 }, at: t0 + 36 * day + 6000 });
      const unpublished = act({ action: 'a.approved', facts: { item: 7 }, at: t0 + 36 * day + 7000 });
      const out = run(rule, [...acts, planted, low, other, unpublished].sort((a, b) => a.at - b.at));
      assert.deepEqual(out.map((e) => e.entries), [[planted.index], [low.index]]);
      assert.deepEqual(out[0]!.people, ['s9']);
      // Median 1,200 元, MAD 100 元: (9,800 − 1,200) / 148.26 = 58.
      assert.ok(out[0]!.measure > 50 && out[0]!.measure < 65, String(out[0]!.measure));
      assert.equal(run(rule, ordinary(40)).length, 0, 'the ordinary spread raises nothing');
    });

    it('judges nothing below the minimum of peers in the window', () => {
      const few = ordinary(9).filter((a) => a.facts!.item === 7); // 18 peers
      const planted = act({ action: 'a.approved', facts: { item: 7, amount: 980_000 }, at: t0 + 9 * day });
      assert.equal(run(rule, [...few, planted]).length, 0);
      assert.equal(run({ ...rule, minPeers: 18 }, [...few, planted]).length, 1);
      // Peers older than the window are gone: 18 within it once more.
      const late = act({ action: 'a.approved', facts: { item: 7, amount: 980_000 }, at: t0 + 40.5 * day });
      assert.equal(run(rule, [...ordinary(20).filter((a) => a.facts!.item === 7), late]).length, 0);
    });

    it('a fixed allowance (most peers equal, MAD 0): the mean deviation stands in; a far amount stands out, the usual ones do not', () => {
      // Three in five at 100 元, the others 90 or 110 元.
      const acts = Array.from({ length: 30 }, (_, i) => act({ action: 'a.approved', facts: { item: 'A', amount: [10_000, 10_000, 10_000, 9_000, 11_000][i % 5]! }, at: t0 + i * 60_000 }));
      const usual = act({ action: 'a.approved', facts: { item: 'A', amount: 10_000 }, at: t0 + 31 * 60_000 });
      const far = act({ action: 'a.approved', facts: { item: 'A', amount: 200_000 }, at: t0 + 32 * 60_000 });
      assert.deepEqual(run(rule, [...acts, usual, far]).map((e) => e.entries), [[far.index]]);
      // All peers equal: any other amount is as far as it gets.
      const same = Array.from({ length: 20 }, (_, i) => act({ action: 'a.approved', facts: { item: 'B', amount: 10_000 }, at: t0 + i * 60_000 }));
      const other = act({ action: 'a.approved', facts: { item: 'B', amount: 10_100 }, at: t0 + 21 * 60_000 });
      assert.deepEqual(run(rule, [...same, other]).map((e) => e.measure), [1000]);
    });

    it('the same alerts fed at once, in odd batches, or rebuilt from a replay of two windows before a cursor', () => {
      const planted = [12, 25, 44, 58].map((d) => act({ action: 'a.approved', facts: { item: 7 + (d % 2), amount: 9_000_000 }, at: t0 + d * day + 5000 }));
      const acts = [...ordinary(60), ...planted].sort((a, b) => a.at - b.at).map((a, i) => ({ ...a, index: i }));
      const whole = run(rule, acts);
      assert.ok(whole.length >= 3, `${whole.length} raised`);
      const engine = new RuleEngine([{ id: 1, definition: rule }]);
      const batched = [];
      for (let from = 0; from < acts.length; from += 7) batched.push(...engine.feed(acts.slice(from, from + 7)));
      assert.deepEqual(batched, whole);
      const cursor = acts.findIndex((a) => a.at >= t0 + 50 * day);
      const replayFrom = acts.findIndex((a) => a.at > acts[cursor]!.at - engine.lookbackMs);
      const rebuilt = new RuleEngine([{ id: 1, definition: rule }]);
      rebuilt.feed(acts.slice(replayFrom, cursor));
      assert.deepEqual(rebuilt.feed(acts.slice(cursor)), whole.filter((e) => Number(e.key) >= cursor));
    });
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

  it('match on published facts: an act outside the actor\'s jurisdiction; a purpose other than the grant\'s', () => {
    const outside: RuleDefinition = { kind: 'match', when: { actions: ['a.approved'], jurisdiction: 'outside' } };
    const at = (division: string, actorJurisdiction: string | null) => ({ division, actorJurisdiction });
    const decided = [
      act({ action: 'a.approved', facts: at('511602000000', '511602') }), // inside a county
      act({ action: 'a.approved', facts: at('511602001000', '5116') }), // a city officer on a township's case
      act({ action: 'a.approved', facts: at('511602000000', '511621') }), // another county's officer: planted
      act({ action: 'a.approved', facts: at('511602000000', null) }), // no jurisdiction at all: planted
      act({ action: 'a.approved' }), // an entry that publishes nothing says nothing
    ];
    assert.deepEqual(run(outside, decided).map((e) => e.entries), [[decided[2]!.index], [decided[3]!.index]]);
    const mismatch: RuleDefinition = { kind: 'match', when: { actions: ['hub.call.answered'], purpose: { differsFrom: 'grantPurpose' } } };
    const calls = [
      act({ action: 'hub.call.answered', purpose: '低保资格审核', facts: { grantPurpose: '低保资格审核' } }),
      act({ action: 'hub.call.answered', purpose: '公租房资格审核', facts: { grantPurpose: '低保资格审核' } }),
      act({ action: 'hub.call.answered', purpose: '公租房资格审核', facts: {} }),
    ];
    assert.deepEqual(run(mismatch, calls).map((e) => e.entries), [[calls[1]!.index]]);
  });

  it('match on published facts by value: a callback rated satisfied over a negative note', () => {
    const contradicts = ruleLibrary.find((r) => r.code === 'satisfaction-contradicts-note')!.definition;
    const callback = (satisfaction: string | null, noteTone: string | null) => act({ action: 'hotline.ticket.called-back',
      facts: { ...(satisfaction === null ? {} : { satisfaction }), ...(noteTone === null ? {} : { noteTone }), resolved: true } });
    const calls = [
      callback('satisfied', 'positive'), callback('satisfied', 'negative'), callback('basically-satisfied', 'negative'),
      callback('dissatisfied', 'negative'), callback('satisfied', 'none'), callback('satisfied', null), callback(null, 'negative'),
    ];
    assert.deepEqual(run(contradicts, calls).map((e) => e.entries), [[calls[1]!.index], [calls[2]!.index]]);
  });

  it('share: an item whose outcomes are mostly refusals, over enough of them in the window, raised once a window', () => {
    const day = 86_400_000;
    const rule: RuleDefinition = { kind: 'share', of: { actions: ['a.approved'] }, when: { actions: ['a.rejected', 'a.refused'] }, per: 'item',
      within: 30 * 86_400, atLeast: 0.5, minCount: 10 };
    const outcome = (item: number, refused: boolean, n: number) =>
      act({ action: refused ? (n % 2 ? 'a.rejected' : 'a.refused') : 'a.approved', facts: { item }, at: t0 + n * day });
    // Item 1: 4 of 10 refused; item 2: 6 of 10 refused, then 4 more of 5 a few days on (the same window: no second alert).
    const acts = [
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => outcome(1, n < 4, n)),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => outcome(2, n % 5 < 3, n)),
      ...[12, 13, 14, 15, 16].map((n) => outcome(2, n !== 12, n)),
    ].sort((a, b) => a.at - b.at);
    const out = run(rule, acts);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.measure, 0.6);
    assert.deepEqual(out[0]!.entries, acts.filter((a) => a.facts?.item === 2 && a.action !== 'a.approved' && a.at <= t0 + 9 * day).map((a) => a.index));
    assert.deepEqual(out[0]!.people, []);
    // A window later the same item raises again.
    const later = [...acts, ...[45, 46, 47, 48, 49, 50, 51, 52, 53, 54].map((n) => outcome(2, true, n))];
    assert.equal(run(rule, later).length, 2);
  });
});
