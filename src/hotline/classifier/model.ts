/**
 * Ticket text classifier: multinomial naive Bayes over the features of `tokenize`, the baseline the linear
 * model (linear.ts) is compared with; the hotline uses whichever the bench measures better (the linear one).
 * Naive Bayes is kept as counts, so a model stores as plain JSON, and adding the operator's corrections
 * (retrain) only adds counts: the result is exactly the model trained on all examples at once.
 */
import { DomainError } from '../../kernel/errors.ts';
import { linearFromJSON, rankProbabilities, type LinearJSON } from './linear.ts';
import { featureWeight, tokenize } from './tokenize.ts';

export interface Example {
  text: string;
  label: string;
}

export interface Suggestion {
  label: string;
  /** Posterior probability of `label`, 0..1. Naive Bayes is overconfident; compare, do not read as odds. */
  confidence: number;
}

export interface Classification extends Suggestion {
  /** The best three labels, best first (the first is `label` itself), for the operator to pick from. */
  alternatives: Suggestion[];
  /** 不确定: the confidence is below the level at which the model's answers were right 95 % of the time. */
  uncertain: boolean;
}

export interface TrainOptions {
  /** Additive (Laplace/Lidstone) smoothing of token counts; small values suit short texts. */
  alpha?: number;
}

/** The stored form of a model. */
export type ClassifierJSON = NaiveBayesJSON | LinearJSON;

/** The stored naive Bayes: counts only, so it can be merged with more examples later. */
export interface NaiveBayesJSON {
  format: typeof FORMAT;
  alpha: number;
  labels: string[];
  /** Number of training examples per label, in the order of `labels`. */
  docs: number[];
  /** Per label, how many examples hold each feature. */
  counts: Record<string, number>[];
}

export interface Classifier {
  readonly labels: readonly string[];
  /** Below this confidence a classification is uncertain. */
  readonly threshold: number;
  classify(text: string): Classification;
  /** The probability of each of `labels`, in their order (`rankProbabilities` of them is `classify`). */
  probabilities(text: string): Float64Array;
  toJSON(): ClassifierJSON;
}

/**
 * The probability of each class a label belongs to (`level`, e.g. its first-level category), summed over
 * its labels, most likely first. Labels `level` maps to undefined are left out.
 */
export function levelProbabilities(labels: readonly string[], probabilities: ArrayLike<number>,
  level: (label: string) => string | undefined): Suggestion[] {
  const sums = new Map<string, number>();
  labels.forEach((label, i) => {
    const group = level(label);
    if (group !== undefined) sums.set(group, (sums.get(group) ?? 0) + probabilities[i]!);
  });
  return [...sums].map(([label, confidence]) => ({ label, confidence })).sort((a, b) => b.confidence - a.confidence);
}

const FORMAT = 'yiwang.hotline.classifier.nb/1';
// A compromise: the small Chinese example set scores best with more smoothing (1), the NYC sample with less (0.1).
const DEFAULT_ALPHA = 0.5;

/** Trains a classifier from labelled tickets. MUST get at least one example. */
export function trainClassifier(examples: Example[], options: TrainOptions = {}): Classifier {
  return new NaiveBayes(addExamples(emptyModel(options.alpha ?? DEFAULT_ALPHA), examples));
}

/**
 * A naive Bayes classifier trained on the examples of `classifier` plus `moreExamples` (e.g. operator
 * corrections). The linear model keeps no examples: it is trained again from all of them.
 */
export function retrain(classifier: Classifier, moreExamples: Example[]): Classifier {
  const json = classifier.toJSON();
  if (json.format !== FORMAT) throw new DomainError('hotline.classifier.format', { format: json.format });
  return new NaiveBayes(addExamples(json, moreExamples));
}

/** Rebuilds a classifier stored with `toJSON`. */
export function fromJSON(json: ClassifierJSON): Classifier {
  if (json?.format?.startsWith('yiwang.hotline.classifier.linear/')) return linearFromJSON(json as LinearJSON);
  if (json?.format !== FORMAT) throw new DomainError('hotline.classifier.format', { format: (json as { format?: string })?.format });
  const n = json.labels.length;
  if (json.docs.length !== n || json.counts.length !== n || !(json.alpha > 0))
    throw new DomainError('hotline.classifier.format', { format: json.format });
  return new NaiveBayes(json);
}

function emptyModel(alpha: number): NaiveBayesJSON {
  if (!(alpha > 0)) throw new DomainError('hotline.classifier.alpha', { field: 'alpha', alpha });
  return { format: FORMAT, alpha, labels: [], docs: [], counts: [] };
}

function addExamples(model: NaiveBayesJSON, examples: Example[]): NaiveBayesJSON {
  const index = new Map(model.labels.map((label, i) => [label, i]));
  for (const { text, label } of examples) {
    if (typeof label !== 'string' || label === '')
      throw new DomainError('hotline.classifier.label', { field: 'label', text });
    let i = index.get(label);
    if (i === undefined) {
      i = model.labels.push(label) - 1;
      index.set(label, i);
      model.docs.push(0);
      model.counts.push({});
    }
    model.docs[i]++;
    const counts = model.counts[i];
    // A feature counts once per example: repeats in one short ticket say little more about its category.
    for (const token of new Set(tokenize(text))) counts[token] = (counts[token] ?? 0) + 1;
  }
  if (model.labels.length === 0) throw new DomainError('hotline.classifier.no-examples', { field: 'examples' });
  return model;
}

class NaiveBayes implements Classifier {
  readonly labels: readonly string[];
  /** Naive Bayes probabilities are not calibrated: it has no threshold to be uncertain below. */
  readonly threshold = 0;
  private readonly logPrior: Float64Array;
  /** log P(feature | label) of a feature never seen with the label. */
  private readonly logUnseen: Float64Array;
  /** Per known feature, the labels it was seen with and how much that raises their score over `logUnseen`. */
  private readonly seen = new Map<string, { labels: number[]; gain: number[] }>();

  constructor(private readonly model: NaiveBayesJSON) {
    const { alpha, labels, docs, counts } = model;
    this.labels = labels;
    const totalDocs = docs.reduce((a, b) => a + b, 0);
    this.logPrior = Float64Array.from(docs, (d) => Math.log(d / totalDocs));
    const vocabulary = new Set(counts.flatMap((c) => Object.keys(c))).size;
    const denominators = counts.map((c) => Object.values(c).reduce((a, b) => a + b, 0) + alpha * vocabulary);
    this.logUnseen = Float64Array.from(denominators, (d) => Math.log(alpha / d));
    counts.forEach((c, label) => {
      for (const [token, count] of Object.entries(c)) {
        let entry = this.seen.get(token);
        if (!entry) this.seen.set(token, (entry = { labels: [], gain: [] }));
        entry.labels.push(label);
        entry.gain.push(Math.log((count + alpha) / alpha));
      }
    });
  }

  classify(text: string): Classification {
    return rankProbabilities(this.labels, this.probabilities(text), this.threshold);
  }

  probabilities(text: string): Float64Array {
    const scores = Float64Array.from(this.logPrior);
    // Features never seen in training are left out: they carry no evidence for any label.
    for (const token of new Set(tokenize(text))) {
      const entry = this.seen.get(token);
      if (!entry) continue;
      const weight = featureWeight(token);
      for (let i = 0; i < scores.length; i++) scores[i] += weight * this.logUnseen[i];
      for (let k = 0; k < entry.labels.length; k++) scores[entry.labels[k]] += weight * entry.gain[k];
    }
    const max = Math.max(...scores);
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += scores[i] = Math.exp(scores[i] - max);
    for (let i = 0; i < scores.length; i++) scores[i] /= sum;
    return scores;
  }

  /** A copy of the counts, so the caller may keep or change it without touching this model. */
  toJSON(): NaiveBayesJSON {
    return structuredClone(this.model);
  }
}
