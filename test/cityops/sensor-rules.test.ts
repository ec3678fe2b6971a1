import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRules, evaluateReading, initialRuleState, type SensorRule } from '../../src/cityops/sensors/rules.ts';

/** Feeds values one a minute (or at the times given) and returns the changes as `raised@i` / `cleared@i`. */
function run(rules: SensorRule[], values: number[], times?: number[]): string[] {
  const state = initialRuleState(rules);
  return values.flatMap((v, i) => evaluateReading(rules, state, times?.[i] ?? i * 60_000, v).map((t) => `${t.rule.name}:${t.change}@${i}`));
}

const threshold = (over: Partial<SensorRule> = {}) =>
  checkRules([{ name: 'high', kind: 'threshold', direction: 'above', raise: 10, clear: 5, debounceReadings: 1, debounceSeconds: 0, ...over }]);

test('threshold with hysteresis: raised at the limit, held until back below the clearing value', () => {
  assert.deepEqual(run(threshold(), [1, 9, 10, 7, 6, 11, 5, 4, 10]), ['high:raised@2', 'high:cleared@6', 'high:raised@8']);
  assert.deepEqual(run(threshold({ direction: 'below', raise: 1, clear: 2 }), [3, 1, 1.5, 2, 0.5]), ['high:raised@1', 'high:cleared@3', 'high:raised@4']);
});

test('debounce: N readings in a row, and T seconds from the first of them, both ways', () => {
  const rules = threshold({ debounceReadings: 3 });
  assert.deepEqual(run(rules, [11, 11, 4, 11, 11, 11, 4, 4, 11, 4]), ['high:raised@5'], 'two in a row do not raise; a clear needs three too');
  const timed = threshold({ debounceReadings: 1, debounceSeconds: 90 });
  // Readings a minute apart: the second beyond the limit is 60 s after the first, the third 120 s.
  assert.deepEqual(run(timed, [11, 11, 11, 1, 1, 1]), ['high:raised@2', 'high:cleared@5']);
});

test('rate of change over a window: raised on a fast rise, cleared once it slows, silent until the window is a quarter full', () => {
  const rules = checkRules([{ name: 'rising', kind: 'rate', direction: 'rise', perMinute: 1, clearPerMinute: 0.2, windowSeconds: 240 }]);
  // One reading a minute: 0,0,0 then +2/min for three minutes, then flat.
  assert.deepEqual(run(rules, [0, 0, 0, 2, 4, 6, 6, 6, 6, 6, 6]), ['rising:raised@4', 'rising:cleared@9']);
  assert.deepEqual(run(rules, [0, 50], [0, 30_000]), [], 'two readings 30 s apart do not make a rate over 240 s');
});

test('two rules of a type are evaluated side by side on the same readings', () => {
  const rules = checkRules([
    { name: 'high', kind: 'threshold', direction: 'above', raise: 10, clear: 5 },
    { name: 'jump', kind: 'rate', direction: 'rise', perMinute: 5, clearPerMinute: 1, windowSeconds: 60 },
  ]);
  assert.deepEqual(run(rules, [0, 12, 12, 3]), ['high:raised@1', 'jump:raised@1', 'jump:cleared@2', 'high:cleared@3']);
});

test('rules given as data are checked, the refusal naming the rule and field', () => {
  const refused = (rules: unknown) => {
    try {
      checkRules(rules);
    } catch (error) {
      return (error as { details: { field: string } }).details.field;
    }
    return null;
  };
  assert.equal(refused({}), 'rules');
  assert.equal(refused([{ name: 'x', kind: 'threshold', direction: 'above', raise: 10, clear: 12 }]), 'rules[0].clear');
  assert.equal(refused([{ name: 'x', kind: 'threshold', direction: 'up', raise: 10, clear: 5 }]), 'rules[0].direction');
  assert.equal(refused([{ name: 'x', kind: 'rate', direction: 'rise', perMinute: 1, clearPerMinute: 2, windowSeconds: 60 }]), 'rules[0].clearPerMinute');
  assert.equal(refused([{ name: 'a', kind: 'threshold', direction: 'above', raise: 1, clear: 0 }, { name: 'a', kind: 'threshold', direction: 'above', raise: 1, clear: 0 }]),
    'rules[1].name');
  assert.equal(refused([{ name: 'x', kind: 'threshold', direction: 'above', raise: 1, clear: 0, debounceReadings: 0 }]), 'rules[0].debounceReadings');
  assert.equal(refused([{ name: 'x', kind: 'magic' }]), 'rules[0].kind');
  assert.equal(refused([{ name: 'x', label: ' ', kind: 'threshold', direction: 'above', raise: 1, clear: 0 }]), 'rules[0].label');
  assert.equal(refused([{ name: 'x', label: '超'.repeat(41), kind: 'threshold', direction: 'above', raise: 1, clear: 0 }]), 'rules[0].label');
  assert.deepEqual(checkRules([{ name: 'x', label: ' 积水超限 ', kind: 'threshold', direction: 'above', raise: 1, clear: 0 }]).map((r) => [r.name, r.label]),
    [['x', '积水超限']], 'the label is kept, trimmed');
});
