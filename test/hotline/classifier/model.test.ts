import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../../src/kernel/errors.ts';
import {
  fromJSON, levelProbabilities, retrain, thresholdFor, tokenize, trainClassifier, trainLinearClassifier,
} from '../../../src/hotline/classifier/index.ts';

const examples = [
  { text: '小区门口垃圾堆了三天没人清运', label: 'CG-SRHW-LJQY' },
  { text: '垃圾桶满了好几天，臭气熏天', label: 'CG-SRHW-LJQY' },
  { text: '路口红绿灯坏了一直闪黄灯', label: 'JT-XHD' },
  { text: '信号灯不亮，车辆乱行', label: 'JT-XHD' },
  { text: '楼上每天半夜装修噪音很大', label: 'HB-ZYRM' },
  { text: 'KTV噪音扰民到凌晨', label: 'HB-ZYRM' },
];

test('tokenize gives jieba words and character bigrams for Chinese, lower-cased words otherwise', () => {
  const tokens = tokenize('小区垃圾没人清运 Loud MUSIC/Party');
  assert.ok(tokens.includes('小区') && tokens.includes('垃圾'));
  assert.ok(tokens.includes('~区垃') && tokens.includes('~清运'));
  assert.deepEqual(tokens.slice(-3), ['loud', 'music', 'party']);
  assert.deepEqual(tokenize('ＡＢＣ　１２'), ['abc', '12']);
});

test('classify suggests the label with a confidence and the best three, best first', () => {
  const classifier = trainClassifier(examples);
  const result = classifier.classify('垃圾没人清运');
  assert.equal(result.label, 'CG-SRHW-LJQY');
  assert.ok(result.confidence > 0.8 && result.confidence <= 1);
  assert.equal(result.alternatives.length, 3);
  assert.deepEqual(result.alternatives[0], { label: result.label, confidence: result.confidence });
  assert.ok(result.alternatives[1].confidence >= result.alternatives[2].confidence);
  const total = result.alternatives.reduce((sum, a) => sum + a.confidence, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, 'three labels hold all the probability');
  assert.equal(classifier.classify('红绿灯坏了').label, 'JT-XHD');
  assert.equal(classifier.classify('半夜噪音').label, 'HB-ZYRM');
});

test('a text with no known feature gets the prior, spread evenly here', () => {
  const result = trainClassifier(examples).classify('zzz');
  assert.ok(Math.abs(result.confidence - 1 / 3) < 1e-9);
});

test('a stored model classifies exactly as the original', () => {
  const classifier = trainClassifier(examples);
  const stored = JSON.parse(JSON.stringify(classifier.toJSON()));
  const restored = fromJSON(stored);
  for (const text of ['垃圾', '信号灯', '噪音很大', 'unknown']) assert.deepEqual(restored.classify(text), classifier.classify(text));
  assert.throws(() => fromJSON({ ...stored, format: 'other' }), (e: DomainError) => e.code === 'hotline.classifier.format');
});

test('retrain with corrections equals training on all examples, and leaves the old model alone', () => {
  const before = trainClassifier(examples.slice(0, 4));
  const after = retrain(before, examples.slice(4));
  assert.deepEqual(after.toJSON(), trainClassifier(examples).toJSON());
  assert.deepEqual(before.labels, ['CG-SRHW-LJQY', 'JT-XHD']);
  assert.equal(after.classify('半夜噪音').label, 'HB-ZYRM');
  // A correction moves the suggestion for texts like it.
  const corrected = retrain(after, [{ text: '半夜施工', label: 'CG-WZJS' }, { text: '施工扰民', label: 'CG-WZJS' }]);
  assert.equal(corrected.classify('施工').label, 'CG-WZJS');
});

test('training refuses no examples, an empty label and a non-positive alpha', () => {
  const code = (c: string) => (e: DomainError) => e.code === c;
  assert.throws(() => trainClassifier([]), code('hotline.classifier.no-examples'));
  assert.throws(() => trainClassifier([{ text: 'x', label: '' }]), code('hotline.classifier.label'));
  assert.throws(() => trainClassifier(examples, { alpha: 0 }), code('hotline.classifier.alpha'));
});

test('the linear model: learns the examples, stores as JSON and classifies exactly as before, and is not retrained by adding counts', () => {
  const linear = trainLinearClassifier([...examples, ...examples], { minDocs: 1 });
  assert.equal(linear.classify('垃圾没人清运').label, 'CG-SRHW-LJQY');
  assert.equal(linear.classify('红绿灯坏了').label, 'JT-XHD');
  const stored = JSON.parse(JSON.stringify(linear.toJSON()));
  assert.equal(stored.format, 'yiwang.hotline.classifier.linear/2');
  assert.ok(!stored.features.some((f: string) => f.startsWith('+')), 'no character trigrams');
  for (const text of ['垃圾', '信号灯', '噪音很大', 'unknown']) assert.deepEqual(fromJSON(stored).classify(text), linear.classify(text));
  // A model stored with character trigrams (the first format) is read with them.
  const withTrigrams = trainLinearClassifier([...examples, ...examples], { minDocs: 1, trigrams: true });
  const storedWithTrigrams = JSON.parse(JSON.stringify(withTrigrams.toJSON()));
  assert.equal(storedWithTrigrams.format, 'yiwang.hotline.classifier.linear/1');
  assert.ok(storedWithTrigrams.features.includes('+没人清'));
  assert.deepEqual(fromJSON(storedWithTrigrams).classify('垃圾没人清运'), withTrigrams.classify('垃圾没人清运'));
  assert.notEqual(fromJSON({ ...storedWithTrigrams, format: 'yiwang.hotline.classifier.linear/2' }).classify('垃圾没人清运').confidence,
    withTrigrams.classify('垃圾没人清运').confidence, 'read without them, it scores otherwise');
  assert.throws(() => fromJSON({ ...stored, format: 'yiwang.hotline.classifier.linear/9' }), (e: DomainError) => e.code === 'hotline.classifier.format');
  assert.throws(() => fromJSON({ ...stored, scales: [] }), (e: DomainError) => e.code === 'hotline.classifier.format');
  assert.throws(() => retrain(linear, examples), (e: DomainError) => e.code === 'hotline.classifier.format');
  assert.throws(() => trainLinearClassifier(examples, { lambda: 0 }), (e: DomainError) => e.code === 'hotline.classifier.lambda');
});

test('calibration: a temperature below 1 sharpens, the threshold keeps answers above it right at the asked precision', () => {
  const linear = trainLinearClassifier([...examples, ...examples], { minDocs: 1 });
  const plain = linear.classify('垃圾没人清运').confidence;
  assert.ok(linear.calibrated(0.5, 0).classify('垃圾没人清运').confidence > plain);
  assert.equal(linear.calibrated(1, plain + 0.01).classify('垃圾没人清运').uncertain, true);
  assert.equal(linear.calibrated(1, plain).classify('垃圾没人清运').uncertain, false);
  const outcomes = [
    { truth: 'a', label: 'a', confidence: 0.9 }, { truth: 'a', label: 'a', confidence: 0.8 }, { truth: 'b', label: 'a', confidence: 0.7 },
    { truth: 'b', label: 'b', confidence: 0.6 }, { truth: 'a', label: 'b', confidence: 0.5 },
  ];
  assert.equal(thresholdFor(outcomes, 1), 0.8, 'the two most confident answers were right');
  assert.equal(thresholdFor(outcomes, 0.75), 0.6, 'three of the four most confident');
  assert.ok(thresholdFor([{ truth: 'a', label: 'b', confidence: 0.9 }], 0.95) > 0.9, 'no level is right often enough: all uncertain');
  // With a Wilson bound (z = 1.645) few answers say little: 3 right of 5 (share 0.6, bound 0.27) no longer reach 0.4, 2 of 2 (bound 0.42) do.
  assert.equal(thresholdFor(outcomes, 0.4), 0.5);
  assert.equal(thresholdFor(outcomes, 0.4, 1.645), 0.8);
});

test('probabilities: one per label, summing to 1; summed per first-level class, most likely first', () => {
  for (const classifier of [trainClassifier(examples), trainLinearClassifier([...examples, ...examples], { minDocs: 1 }).calibrated(0.5, 0)]) {
    const p = classifier.probabilities('垃圾没人清运');
    assert.equal(p.length, classifier.labels.length);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const best = classifier.classify('垃圾没人清运');
    assert.equal(p[classifier.labels.indexOf(best.label)], best.confidence);
  }
  // Two leaves of one class outweigh a likelier leaf of another.
  const labels = ['CG-A', 'CG-B', 'JT-A', 'HB-A'];
  const first = (label: string) => label.split('-')[0]!;
  assert.deepEqual(levelProbabilities(labels, [0.3, 0.25, 0.4, 0.05], first),
    [{ label: 'CG', confidence: 0.55 }, { label: 'JT', confidence: 0.4 }, { label: 'HB', confidence: 0.05 }]);
  assert.deepEqual(levelProbabilities(labels, [0.3, 0.25, 0.4, 0.05], (l) => (l.startsWith('CG') ? undefined : first(l))),
    [{ label: 'JT', confidence: 0.4 }, { label: 'HB', confidence: 0.05 }], 'labels mapped to no class are left out');
});
