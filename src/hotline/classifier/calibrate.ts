/**
 * Training as the hotline uses it: the linear model, its confidences calibrated and its 不确定 threshold set
 * from cross-validated predictions — predictions on examples the model predicting them was not trained on.
 */
import { fitLinear, linearFeatures, probabilitiesOf, rank, type LinearClassifier, type LinearOptions } from './linear.ts';
import { levelProbabilities, type Example } from './model.ts';

export interface CalibrationOptions extends LinearOptions {
  folds?: number;
  /** The share of answers above the threshold that must be right. */
  precision?: number;
  /**
   * How sure the cross-validated answers must make it: the lower end of their Wilson interval at this
   * standard normal quantile must reach `precision` (1.645: one-sided 95 %). The threshold is the one of many
   * candidates where the observed share just reaches `precision`, so the share itself overstates it.
   */
  z?: number;
  /** Maps a label to its first-level class, for the first-level accuracy. */
  level?: (label: string) => string;
}

export interface CalibratedEvaluation {
  examples: number;
  /** Cross-validated, at the leaf. */
  accuracy: number;
  macroF1: number;
  /** Cross-validated, at the first level (the predicted leaf's first level against the true one's). */
  topLevelAccuracy: number;
  /** Cross-validated, at the first level whose labels' calibrated probabilities sum highest (`levelProbabilities`). */
  topLevelSummedAccuracy: number;
  temperature: number;
  threshold: number;
  /** Share of answers at or above the threshold, and how many of them were right. */
  coverage: number;
  precisionAbove: number;
}

export interface Calibrated {
  classifier: LinearClassifier;
  evaluation: CalibratedEvaluation;
  /** The cross-validated prediction for each example, in the order given. */
  predictions: string[];
}

const TEMPERATURES = Array.from({ length: 81 }, (_, i) => 2 ** ((i - 40) / 8)); // 1/32 … 32

/** Trains on all examples; calibrates with `folds`-fold cross-validation (example i held out in fold i mod folds). */
export function trainCalibrated(examples: Example[], options: CalibrationOptions = {}): Calibrated {
  const { folds = 5, precision = 0.95, z = 1.645, level = (label: string) => label, ...linear } = options;
  const featured = examples.map((e) => ({ ...e, tokens: linearFeatures(e.text, linear.trigrams) }));
  const scores: Float64Array[] = new Array(examples.length);
  const labelsOf: (readonly string[])[] = new Array(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const training = featured.filter((_, i) => i % folds !== fold);
    if (training.length === 0) continue;
    const model = fitLinear(training, linear);
    featured.forEach((example, i) => {
      if (i % folds !== fold) return;
      scores[i] = model.scoresOf(example.tokens);
      labelsOf[i] = model.labels;
    });
  }
  const held = [...examples.keys()].filter((i) => scores[i] !== undefined);
  // Negative log-likelihood of the true labels; a label no training fold held counts as a uniform guess.
  const logLoss = (temperature: number) => held.reduce((loss, i) => {
    const logits = scores[i]!;
    const truth = labelsOf[i]!.indexOf(examples[i]!.label);
    if (truth < 0) return loss + Math.log(logits.length);
    let max = -Infinity;
    for (const s of logits) max = Math.max(max, s);
    let sum = 0;
    for (const s of logits) sum += Math.exp((s - max) / temperature);
    return loss + Math.log(sum) - (logits[truth]! - max) / temperature;
  }, 0);
  const temperature = TEMPERATURES.map((t) => [t, logLoss(t)] as const).reduce((best, next) => (next[1] < best[1] ? next : best))[0];

  const outcomes = held.map((i) => {
    const { label, confidence } = rank(labelsOf[i]!, scores[i]!, temperature, 0);
    const summed = levelProbabilities(labelsOf[i]!, probabilitiesOf(scores[i]!, temperature), level)[0]!.label;
    return { truth: examples[i]!.label, label, confidence, summed };
  });
  const threshold = thresholdFor(outcomes, precision, z);
  const above = outcomes.filter((o) => o.confidence >= threshold);
  const predictions = examples.map((_, i) => (scores[i] ? rank(labelsOf[i]!, scores[i]!, temperature, 0).label : ''));
  const n = outcomes.length || 1;
  return {
    classifier: fitLinear(featured, linear).calibrated(temperature, threshold),
    predictions,
    evaluation: {
      examples: outcomes.length,
      accuracy: outcomes.filter((o) => o.label === o.truth).length / n,
      macroF1: macroF1(outcomes),
      topLevelAccuracy: outcomes.filter((o) => level(o.label) === level(o.truth)).length / n,
      topLevelSummedAccuracy: outcomes.filter((o) => o.summed === level(o.truth)).length / n,
      temperature,
      threshold,
      coverage: above.length / n,
      precisionAbove: above.length ? above.filter((o) => o.label === o.truth).length / above.length : 1,
    },
  };
}

/**
 * The lowest confidence such that the answers at or above it were right at least `precision` of the time
 * (with `z` > 0: the lower end of the Wilson interval of that share reaches `precision`), keeping as many
 * answers as possible; above every confidence (all uncertain) when no level reaches it.
 */
export function thresholdFor(outcomes: { truth: string; label: string; confidence: number }[], precision: number, z = 0): number {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let threshold = Math.min(1, (sorted[0]?.confidence ?? 1) + 1e-9);
  sorted.forEach((o, k) => {
    if (o.label === o.truth) right++;
    // Only where the next answer is less confident can the threshold fall between them.
    if (wilsonLower(right, k + 1, z) >= precision && (k + 1 === sorted.length || sorted[k + 1]!.confidence < o.confidence)) threshold = o.confidence;
  });
  return threshold;
}

/** The lower end of the Wilson score interval of `right` out of `n` at the standard normal quantile `z` (0: right / n). */
function wilsonLower(right: number, n: number, z: number): number {
  const p = right / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
}

/** Mean F1 over every label in the truth or the predictions. */
export function macroF1(outcomes: { truth: string; label: string }[]): number {
  const tally = new Map<string, { tp: number; fp: number; fn: number }>();
  const of = (label: string) => tally.get(label) ?? tally.set(label, { tp: 0, fp: 0, fn: 0 }).get(label)!;
  for (const { truth, label } of outcomes) {
    if (truth === label) of(truth).tp++;
    else {
      of(truth).fn++;
      of(label).fp++;
    }
  }
  const f1s = [...tally.values()].map(({ tp, fp, fn }) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)));
  return f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0;
}
