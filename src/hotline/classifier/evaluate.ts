import type { Classifier, Example } from './model.ts';

export interface Evaluation {
  examples: number;
  accuracy: number;
  /** Mean F1 over every label that occurs in the truth or the predictions, so rare categories weigh as much as common ones. */
  macroF1: number;
  /** Accuracy of always answering the most frequent training label. */
  majorityBaseline: number;
}

/**
 * Scores a classifier on held-out examples it was not trained on, for the figures an administrator
 * checks before putting a retrained model to use.
 */
export function evaluateClassifier(classifier: Classifier, training: Example[], heldOut: Example[]): Evaluation {
  const perLabel = new Map<string, { tp: number; fp: number; fn: number }>();
  const tally = (label: string) => {
    let t = perLabel.get(label);
    if (!t) perLabel.set(label, (t = { tp: 0, fp: 0, fn: 0 }));
    return t;
  };
  let correct = 0;
  for (const { text, label } of heldOut) {
    const predicted = classifier.classify(text).label;
    if (predicted === label) {
      correct++;
      tally(label).tp++;
    } else {
      tally(label).fn++;
      tally(predicted).fp++;
    }
  }
  const f1s = [...perLabel.values()].map(({ tp, fp, fn }) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)));
  const majority = mostFrequent(training.map((e) => e.label));
  return {
    examples: heldOut.length,
    accuracy: heldOut.length ? correct / heldOut.length : 0,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    majorityBaseline: heldOut.length ? heldOut.filter((e) => e.label === majority).length / heldOut.length : 0,
  };
}

function mostFrequent(labels: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
