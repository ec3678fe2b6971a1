// Ticket classifier: naive Bayes against the linear model by cross-validation, the held-out figures per
// first-level class with the 不确定 threshold, NYC 311 hold-out quality, training time and per-call time.
import { report } from './_report.ts';
import {
  evaluateClassifier, levelProbabilities, macroF1, retrain, tokenize, topLevelCode, trainCalibrated, trainClassifier,
  trainLinearClassifier, zhCategories, zhExamples, type Classifier, type Example,
} from '../src/hotline/classifier/index.ts';
import { nycExamples, splitEveryFifth, type NycTask } from '../test/hotline/classifier/nyc311.ts';

const slug = (task: NycTask) => (task === 'Agency' ? 'agency' : 'complaint_type');
const percent = (x: number) => x * 100;

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** Microseconds per classify call, over `rounds` passes of the texts. */
function microsPerCall(classifier: Classifier, texts: string[], rounds: number): number {
  const [, ms] = timed(() => {
    for (let r = 0; r < rounds; r++) for (const text of texts) classifier.classify(text);
  });
  return (ms * 1000) / (texts.length * rounds);
}

/** Leaf and first-level accuracy and macro-F1 of 5-fold cross-validation with `train`. */
function crossValidated(examples: Example[], train: (training: Example[]) => Classifier) {
  const outcomes: { truth: string; label: string }[] = [];
  for (let fold = 0; fold < 5; fold++) {
    const classifier = train(examples.filter((_, i) => i % 5 !== fold));
    for (const [i, { text, label }] of examples.entries()) if (i % 5 === fold) outcomes.push({ truth: label, label: classifier.classify(text).label });
  }
  const top = outcomes.map((o) => ({ truth: topLevelCode(o.truth), label: topLevelCode(o.label) }));
  const accuracy = (list: { truth: string; label: string }[]) => list.filter((o) => o.truth === o.label).length / list.length;
  return { leaf: accuracy(outcomes), leafF1: macroF1(outcomes), top: accuracy(top), topF1: macroF1(top) };
}

tokenize('加载词典'); // the jieba dictionary loads once per process; keep it out of the timings

// 1. Naive Bayes against the linear model, each with its smoothing or regularisation tuned, 5-fold over every labelled message.
const zh = zhExamples();
const candidates: { model: string; setting: string; train: (training: Example[]) => Classifier }[] = [
  ...[0.1, 0.3, 0.5, 1].map((alpha) => ({ model: 'naive_bayes', setting: `alpha=${alpha}`, train: (e: Example[]) => trainClassifier(e, { alpha }) })),
  ...[1e-5, 3e-5, 1e-4, 3e-4].map((lambda) => ({ model: 'logistic_regression', setting: `lambda=${lambda}`,
    train: (e: Example[]) => trainLinearClassifier(e, { lambda }) })),
];
for (const { model, setting, train } of candidates) {
  const cv = crossValidated(zh, train);
  const extra = { examples: zh.length, model, setting };
  report(`hotline.classifier.zh.cv5.${model}.leaf_accuracy`, percent(cv.leaf), '%', extra);
  report(`hotline.classifier.zh.cv5.${model}.leaf_macro_f1`, percent(cv.leafF1), '%', extra);
  report(`hotline.classifier.zh.cv5.${model}.top_level_accuracy`, percent(cv.top), '%', extra);
  report(`hotline.classifier.zh.cv5.${model}.top_level_macro_f1`, percent(cv.topF1), '%', extra);
}

// 2. Held out: every fifth message is kept apart; the rest trains, calibrates and sets the threshold by 5-fold cross-validation.
const heldOut = zh.filter((_, i) => i % 5 === 2);
const training = zh.filter((_, i) => i % 5 !== 2);
// Regularisation and character trigrams (with or without) chosen by 5-fold cross-validation on the training part only.
const settings = [false, true].flatMap((trigrams) => [1e-5, 3e-5, 1e-4, 3e-4].map((lambda) => ({ lambda, trigrams })));
const tuned = settings.map((setting) => {
  const cv = crossValidated(training, (e) => trainLinearClassifier(e, setting));
  report('hotline.classifier.zh.training_cv5.leaf_accuracy', percent(cv.leaf), '%', { ...setting, topLevel: Math.round(cv.top * 1000) / 10 });
  return [setting, cv.leaf] as const;
}).reduce((best, next) => (next[1] > best[1] ? next : best));
report('hotline.classifier.zh.held_out.tuned_cv_leaf_accuracy', percent(tuned[1]), '%', tuned[0]);
const [{ classifier, evaluation }, calibratedMs] = timed(() => trainCalibrated(training, { level: topLevelCode, ...tuned[0] }));
report('hotline.classifier.zh.calibrated_train_time', calibratedMs, 'ms', { examples: training.length, folds: 5 });
report('hotline.classifier.zh.threshold', evaluation.threshold, '', { temperature: evaluation.temperature,
  cvPrecisionAbove: evaluation.precisionAbove, cvCoverage: evaluation.coverage,
  cvTopLevel: evaluation.topLevelAccuracy, cvTopLevelSummed: evaluation.topLevelSummedAccuracy });
const outcomes = heldOut.map(({ text, label }) => ({ truth: label, ...classifier.classify(text) }));
// The first level two ways: the first level of the best leaf, and the one whose leaves' probabilities sum highest.
const topOfLeaf = outcomes.map((o) => ({ truth: topLevelCode(o.truth), label: topLevelCode(o.label) }));
const top = heldOut.map(({ text, label }) => ({ truth: topLevelCode(label),
  label: levelProbabilities(classifier.labels, classifier.probabilities(text), topLevelCode)[0]!.label }));
const right = (list: { truth: string; label: string }[]) => list.filter((o) => o.truth === o.label).length;
const extra = { train: training.length, heldOut: heldOut.length };
report('hotline.classifier.zh.held_out.leaf_accuracy', percent(right(outcomes) / outcomes.length), '%', { ...extra, right: right(outcomes) });
report('hotline.classifier.zh.held_out.leaf_macro_f1', percent(macroF1(outcomes)), '%', extra);
report('hotline.classifier.zh.held_out.top_level_accuracy', percent(right(topOfLeaf) / topOfLeaf.length), '%', { ...extra, right: right(topOfLeaf) });
report('hotline.classifier.zh.held_out.top_level_macro_f1', percent(macroF1(topOfLeaf)), '%', extra);
report('hotline.classifier.zh.held_out.top_level_summed_accuracy', percent(right(top) / top.length), '%', { ...extra, right: right(top) });
report('hotline.classifier.zh.held_out.top_level_summed_macro_f1', percent(macroF1(top)), '%', extra);
const sure = outcomes.filter((o) => !o.uncertain);
report('hotline.classifier.zh.held_out.precision_above_threshold', percent(right(sure) / (sure.length || 1)), '%', { ...extra, answered: sure.length, right: right(sure) });
report('hotline.classifier.zh.held_out.coverage_above_threshold', percent(sure.length / outcomes.length), '%', extra);
const sureTop = sure.map((o) => ({ truth: topLevelCode(o.truth), label: topLevelCode(o.label) }));
report('hotline.classifier.zh.held_out.top_level_precision_above_threshold', percent(right(sureTop) / (sureTop.length || 1)), '%', extra);
// Per first-level class, as summed.
for (const first of zhCategories.filter((c) => c.parent === undefined)) {
  const mine = top.filter((o) => o.truth === first.code);
  const predicted = top.filter((o) => o.label === first.code);
  const tp = right(mine);
  const f1 = mine.length + predicted.length ? (2 * tp) / (mine.length + predicted.length) : 0;
  report(`hotline.classifier.zh.held_out.top_level.${first.code}.recall`, percent(mine.length ? tp / mine.length : 0), '%',
    { category: first.name, heldOut: mine.length, f1: Math.round(f1 * 1000) / 10 });
}

// 3. NYC 311 (English descriptors), both models, the same hold-out as before.
for (const task of ['Agency', 'Complaint Type'] as NycTask[]) {
  for (const withLocationType of [false, true]) {
    const { training: nycTraining, heldOut: nycHeldOut } = splitEveryFifth(nycExamples(task, { withLocationType }));
    for (const [model, train] of [['naive_bayes', trainClassifier], ['logistic_regression', trainLinearClassifier]] as const) {
      const [nycClassifier, trainMs] = timed(() => train(nycTraining));
      const result = evaluateClassifier(nycClassifier, nycTraining, nycHeldOut);
      const name = `hotline.classifier.nyc311.${slug(task)}${withLocationType ? '.with_location_type' : ''}.${model}`;
      const nycExtra = { train: nycTraining.length, heldOut: nycHeldOut.length };
      report(`${name}.accuracy`, percent(result.accuracy), '%', nycExtra);
      report(`${name}.macro_f1`, percent(result.macroF1), '%', nycExtra);
      if (!withLocationType) {
        report(`${name}.majority_baseline`, percent(result.majorityBaseline), '%', nycExtra);
        report(`${name}.train_time`, trainMs, 'ms', nycExtra);
      }
    }
  }
}

// 4. Time: training, per-call classification before (naive Bayes) and after (the calibrated linear model), retraining.
const texts = zh.map((e) => e.text);
const [bayes, bayesMs] = timed(() => trainClassifier(zh));
report('hotline.classifier.zh.naive_bayes.train_time', bayesMs, 'ms', { examples: zh.length });
const [linear, linearMs] = timed(() => trainLinearClassifier(zh));
report('hotline.classifier.zh.logistic_regression.train_time', linearMs, 'ms', { examples: zh.length });
// Before (naive Bayes) and after (the linear model), in alternating rounds so that a busy machine slows both alike; the median round.
const rounds = { naive_bayes: [] as number[], logistic_regression: [] as number[] };
for (let round = 0; round < 5; round++) {
  rounds.naive_bayes.push(microsPerCall(bayes, texts, 1));
  rounds.logistic_regression.push(microsPerCall(linear, texts, 1));
}
for (const [model, times] of Object.entries(rounds))
  report(`hotline.classifier.zh.${model}.classify_time`, times.sort((a, b) => a - b)[2]!, 'µs/call', { texts: texts.length, rounds: 5 });
report('hotline.classifier.zh.logistic_regression.model_size', JSON.stringify(linear.toJSON()).length / 1024, 'KiB');
const corrections: Example[] = zh.slice(0, 20).map(({ text }) => ({ text, label: 'ZX-ZCZX' }));
const [, retrainMs] = timed(() => retrain(bayes, corrections));
report('hotline.classifier.zh.naive_bayes.retrain_time', retrainMs, 'ms', { examples: zh.length, corrections: corrections.length });
const [, fullMs] = timed(() => trainCalibrated([...zh, ...corrections], { level: topLevelCode }));
report('hotline.classifier.zh.logistic_regression.retrain_calibrated_time', fullMs, 'ms', { examples: zh.length + corrections.length, folds: 5 });
