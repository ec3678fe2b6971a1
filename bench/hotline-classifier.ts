// Ticket classifier: NYC 311 hold-out quality, the Chinese demo set's cross-validation, training time and throughput.
import { report } from './_report.ts';
import {
  crossValidate, evaluateClassifier, retrain, tokenize, topLevelCode, trainClassifier, zhExamples,
  type Classifier, type Example,
} from '../src/hotline/classifier/index.ts';
import { nycExamples, splitEveryFifth, type NycTask } from '../test/hotline/classifier/nyc311.ts';

const slug = (task: NycTask) => (task === 'Agency' ? 'agency' : 'complaint_type');

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

function throughput(classifier: Classifier, texts: string[], rounds: number): number {
  const [, ms] = timed(() => {
    for (let r = 0; r < rounds; r++) for (const text of texts) classifier.classify(text);
  });
  return (texts.length * rounds) / (ms / 1000);
}

tokenize('加载词典'); // the jieba dictionary loads once per process; keep it out of the timings

for (const task of ['Agency', 'Complaint Type'] as NycTask[]) {
  for (const withLocationType of [false, true]) {
    const { training, heldOut } = splitEveryFifth(nycExamples(task, { withLocationType }));
    const [classifier, trainMs] = timed(() => trainClassifier(training));
    const result = evaluateClassifier(classifier, training, heldOut);
    const name = `hotline.classifier.nyc311.${slug(task)}${withLocationType ? '.with_location_type' : ''}`;
    const extra = { train: training.length, heldOut: heldOut.length };
    report(`${name}.accuracy`, result.accuracy * 100, '%', extra);
    report(`${name}.macro_f1`, result.macroF1 * 100, '%', extra);
    report(`${name}.majority_baseline`, result.majorityBaseline * 100, '%', extra);
    if (!withLocationType) {
      report(`${name}.train_time`, trainMs, 'ms', extra);
      report(`${name}.classify_throughput`, throughput(classifier, heldOut.map((e) => e.text), 50), 'texts/s');
    }
  }
}

const zh = zhExamples();
const leaf = crossValidate(zh);
const top = crossValidate(zh, { level: topLevelCode });
report('hotline.classifier.zh.cv5.leaf_accuracy', leaf.accuracy * 100, '%', { examples: zh.length, majority: leaf.majorityBaseline });
report('hotline.classifier.zh.cv5.top_level_accuracy', top.accuracy * 100, '%', { examples: zh.length, majority: top.majorityBaseline });

const [zhClassifier, zhTrainMs] = timed(() => trainClassifier(zh));
report('hotline.classifier.zh.train_time', zhTrainMs, 'ms', { examples: zh.length });
const corrections: Example[] = zh.slice(0, 20).map(({ text }) => ({ text, label: 'ZX-ZCZX' }));
const [, retrainMs] = timed(() => retrain(zhClassifier, corrections));
report('hotline.classifier.zh.retrain_time', retrainMs, 'ms', { examples: zh.length, corrections: corrections.length });
const [, storeMs] = timed(() => JSON.stringify(zhClassifier.toJSON()));
report('hotline.classifier.zh.model_size', JSON.stringify(zhClassifier.toJSON()).length / 1024, 'KiB', { serializeMs: storeMs });
report('hotline.classifier.zh.classify_throughput', throughput(zhClassifier, zh.map((e) => e.text), 20), 'texts/s');

// A city with years of tickets: the demo texts repeated to 20,000 examples, to show training stays cheap.
const many = Array.from({ length: 20_000 }, (_, i) => zh[i % zh.length]);
const [, manyMs] = timed(() => trainClassifier(many));
report('hotline.classifier.zh.train_time_20k', manyMs, 'ms', { examples: many.length });
