import { trainClassifier, type Classifier, type Example, type TrainOptions } from './model.ts';

export interface Evaluation {
  examples: number;
  accuracy: number;
  /** Mean F1 over every label that occurs in the truth or the predictions, so rare categories weigh as much as common ones. */
  macroF1: number;
  /** Accuracy of always answering the most frequent training label. */
  majorityBaseline: number;
}

export interface CrossValidation extends TrainOptions {
  /** Example i is held out in fold i mod `folds`. */
  folds?: number;
  /** Scores at a coarser level, e.g. `topLevelCode` to ask whether the top-level category was right. */
  level?: (label: string) => string;
}

interface Outcome {
  label: string;
  predicted: string;
}

/**
 * Scores a classifier on held-out examples it was not trained on, for the figures an administrator
 * checks before putting a retrained model to use.
 */
export function evaluateClassifier(classifier: Classifier, training: Example[], heldOut: Example[]): Evaluation {
  const outcomes = heldOut.map(({ text, label }) => ({ label, predicted: classifier.classify(text).label }));
  return score(outcomes, mostFrequent(training.map((e) => e.label)));
}

/** Trains on all folds but one and predicts that one, for every fold; scores all predictions together. */
export function crossValidate(examples: Example[], options: CrossValidation = {}): Evaluation {
  const { folds = 5, level = (label: string) => label, ...trainOptions } = options;
  const outcomes: Outcome[] = [];
  let baselineHits = 0;
  for (let fold = 0; fold < folds; fold++) {
    const training = examples.filter((_, i) => i % folds !== fold);
    const heldOut = examples.filter((_, i) => i % folds === fold);
    const classifier = trainClassifier(training, trainOptions);
    const majority = mostFrequent(training.map((e) => level(e.label)));
    for (const { text, label } of heldOut) {
      outcomes.push({ label: level(label), predicted: level(classifier.classify(text).label) });
      if (level(label) === majority) baselineHits++;
    }
  }
  return { ...score(outcomes, undefined), majorityBaseline: outcomes.length ? baselineHits / outcomes.length : 0 };
}

function score(outcomes: Outcome[], majority: string | undefined): Evaluation {
  const perLabel = new Map<string, { tp: number; fp: number; fn: number }>();
  const tally = (label: string) => {
    let t = perLabel.get(label);
    if (!t) perLabel.set(label, (t = { tp: 0, fp: 0, fn: 0 }));
    return t;
  };
  let correct = 0;
  for (const { label, predicted } of outcomes) {
    if (predicted === label) {
      correct++;
      tally(label).tp++;
    } else {
      tally(label).fn++;
      tally(predicted).fp++;
    }
  }
  const f1s = [...perLabel.values()].map(({ tp, fp, fn }) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)));
  const n = outcomes.length;
  return {
    examples: n,
    accuracy: n ? correct / n : 0,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    majorityBaseline: n ? outcomes.filter((o) => o.label === majority).length / n : 0,
  };
}

function mostFrequent(labels: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
