/**
 * Ticket text classifier: multinomial logistic regression (softmax) over TF-IDF weighted features — jieba
 * words and character 1–2-grams, optionally trigrams — with L2 regularisation, fitted by stochastic gradient descent.
 *
 * Its probabilities are divided by a temperature fitted on held-out predictions (calibration), and a
 * suggestion whose calibrated confidence is below the model's threshold is marked uncertain (不确定), so
 * the operator chooses instead of being misled. `trainCalibrated` sets both by cross-validation.
 */
import { DomainError } from '../../kernel/errors.ts';
import type { Classification, Classifier, Example } from './model.ts';
import { tokenize } from './tokenize.ts';

export interface LinearOptions {
  /** L2 regularisation strength; larger is simpler. Tuned by cross-validation (bench/hotline-classifier.ts). */
  lambda?: number;
  /** Passes over the examples. */
  epochs?: number;
  /** Features seen in fewer training examples are left out. */
  minDocs?: number;
  /** Character trigrams among the features (`linearFeatures`); the model stores which. */
  trigrams?: boolean;
}

export interface LinearJSON {
  format: typeof FORMAT | typeof FORMAT_WITH_TRIGRAMS;
  labels: string[];
  features: string[];
  /** Inverse document frequency per feature, in the order of `features`. */
  idf: number[];
  /**
   * Per feature, its weight per label (features × labels, row by row) as signed bytes, base64: the weight is
   * the byte × the feature's `scales` entry. A model of 8,000 features × 56 labels stores in about 0.6 MB.
   */
  weights: string;
  scales: number[];
  bias: number[];
  /** Logits are divided by it before the softmax; fitted so confidences match how often the model is right. */
  temperature: number;
  /** Below this confidence a suggestion is uncertain. */
  threshold: number;
  lambda: number;
}

const FORMAT = 'yiwang.hotline.classifier.linear/2';
/** A model whose features include character trigrams (`trigrams`; every model stored before they became optional). */
const FORMAT_WITH_TRIGRAMS = 'yiwang.hotline.classifier.linear/1';
export const DEFAULT_LAMBDA = 1e-5;
const DEFAULT_EPOCHS = 24;
const ALTERNATIVES = 3;

/**
 * Jieba words, character bigrams and single characters (tokenize); with `trigrams`, character trigrams
 * (prefixed `+`) as well, as models stored in the first format were trained. Cross-validation on the
 * labelled messages scored the model without trigrams as well or better (bench/hotline-classifier.ts),
 * with fewer features to train and store.
 */
export function linearFeatures(text: string, trigrams = false): string[] {
  const tokens = tokenize(text);
  if (!trigrams) return tokens;
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(/\p{Script=Han}{3,}/gu))
    for (let i = 0; i + 2 < run.length; i++) tokens.push(`+${run.slice(i, i + 3)}`);
  return tokens;
}

/** A deterministic generator (mulberry32), so the same examples always give the same model. */
function random(seed: number) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/** Sublinear term frequency × idf, scaled to unit length. */
function vectorize(tokens: string[], featureIndex: Map<string, number>, idf: ArrayLike<number>): SparseVector {
  const counts = new Map<number, number>();
  for (const token of tokens) {
    const f = featureIndex.get(token);
    if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const index = new Int32Array(counts.size);
  const value = new Float64Array(counts.size);
  let k = 0;
  let squares = 0;
  for (const [f, count] of counts) {
    index[k] = f;
    squares += (value[k++] = (1 + Math.log(count)) * idf[f]!) ** 2;
  }
  const norm = Math.sqrt(squares) || 1;
  for (let i = 0; i < value.length; i++) value[i]! /= norm;
  return { index, value };
}

/** Trains the model; confidences are uncalibrated (temperature 1) and nothing is uncertain (threshold 0). */
export function trainLinearClassifier(examples: Example[], options: LinearOptions = {}): LinearClassifier {
  return fitLinear(examples.map((e) => ({ tokens: linearFeatures(e.text, options.trigrams), label: e.label, text: e.text })), options);
}

/** The same as `trainLinearClassifier` over texts already turned into `linearFeatures` (with `options.trigrams`), to reuse them across folds. */
export function fitLinear(examples: { tokens: string[]; label: string; text?: string }[], options: LinearOptions = {}): LinearClassifier {
  const { lambda = DEFAULT_LAMBDA, epochs = DEFAULT_EPOCHS, minDocs = 2, trigrams = false } = options;
  if (!(lambda > 0)) throw new DomainError('hotline.classifier.lambda', { field: 'lambda', lambda });
  if (examples.length === 0) throw new DomainError('hotline.classifier.no-examples', { field: 'examples' });
  const labelIndex = new Map<string, number>();
  for (const { text, label } of examples) {
    if (typeof label !== 'string' || label === '') throw new DomainError('hotline.classifier.label', { field: 'label', text });
    if (!labelIndex.has(label)) labelIndex.set(label, labelIndex.size);
  }
  const tokenized = examples.map((e) => e.tokens);
  const docs = new Map<string, number>();
  for (const tokens of tokenized) for (const token of new Set(tokens)) docs.set(token, (docs.get(token) ?? 0) + 1);
  const features = [...docs].filter(([, n]) => n >= minDocs).map(([token]) => token).sort();
  const featureIndex = new Map(features.map((f, i) => [f, i]));
  const idf = features.map((f) => Math.log((1 + examples.length) / (1 + docs.get(f)!)) + 1);
  const vectors = tokenized.map((tokens) => vectorize(tokens, featureIndex, idf));
  const targets = examples.map((e) => labelIndex.get(e.label)!);

  const classes = labelIndex.size;
  const weights = new Float64Array(features.length * classes);
  const bias = new Float64Array(classes);
  const probabilities = new Float64Array(classes);
  // The weights are `scale × weights`: L2 shrinks all of them at each step, done in one multiplication.
  let scale = 1;
  const eta0 = 0.5;
  let step = 0;
  // The result is the mean of the weights after each epoch of the second half (Polyak averaging): steadier than the last step.
  const mean = new Float64Array(weights.length);
  const meanBias = new Float64Array(classes);
  let averaged = 0;
  const next = random(examples.length * 7919 + classes);
  const order = [...examples.keys()];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const eta = eta0 / (1 + eta0 * lambda * step++);
      const { index, value } = vectors[n]!;
      logits(weights, bias, scale, classes, index, value, probabilities);
      softmaxInPlace(probabilities, 1);
      probabilities[targets[n]!]! -= 1;
      scale *= 1 - eta * lambda;
      for (let k = 0; k < index.length; k++) {
        const row = index[k]! * classes;
        const x = (eta * value[k]!) / scale;
        for (let c = 0; c < classes; c++) weights[row + c]! -= x * probabilities[c]!;
      }
      for (let c = 0; c < classes; c++) bias[c]! -= eta * probabilities[c]!;
      if (scale < 1e-6) {
        for (let w = 0; w < weights.length; w++) weights[w]! *= scale;
        scale = 1;
      }
    }
    if (epoch >= epochs / 2) {
      for (let w = 0; w < weights.length; w++) mean[w]! += weights[w]! * scale;
      for (let c = 0; c < classes; c++) meanBias[c]! += bias[c]!;
      averaged++;
    }
  }
  for (let w = 0; w < weights.length; w++) weights[w] = mean[w]! / averaged;
  for (let c = 0; c < classes; c++) bias[c] = meanBias[c]! / averaged;
  // The model in memory is the stored one, so a stored model classifies exactly as the one just trained.
  return linearFromJSON({
    format: trigrams ? FORMAT_WITH_TRIGRAMS : FORMAT, labels: [...labelIndex.keys()], features, idf: idf.map(round), ...quantize(weights, classes),
    bias: Array.from(bias, round), temperature: 1, threshold: 0, lambda,
  });
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function quantize(weights: Float64Array, classes: number): { weights: string; scales: number[] } {
  const bytes = new Int8Array(weights.length);
  const scales: number[] = [];
  for (let row = 0; row < weights.length; row += classes) {
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(weights[row + c]!));
    const scale = round(max / 127) || 1e-6;
    scales.push(scale);
    for (let c = 0; c < classes; c++) bytes[row + c] = Math.max(-127, Math.min(127, Math.round(weights[row + c]! / scale)));
  }
  return { weights: Buffer.from(bytes.buffer).toString('base64'), scales };
}

function dequantize(json: LinearJSON): Float64Array {
  const bytes = new Int8Array(Buffer.from(json.weights, 'base64'));
  const classes = json.labels.length;
  return Float64Array.from(bytes, (b, i) => b * json.scales[Math.floor(i / classes)]!);
}

function logits(weights: Float64Array, bias: ArrayLike<number>, scale: number, classes: number, index: Int32Array, value: Float64Array, out: Float64Array) {
  for (let c = 0; c < classes; c++) out[c] = bias[c]!;
  for (let k = 0; k < index.length; k++) {
    const row = index[k]! * classes;
    const x = value[k]! * scale;
    for (let c = 0; c < classes; c++) out[c]! += x * weights[row + c]!;
  }
}

function softmaxInPlace(scores: Float64Array, temperature: number) {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) sum += scores[c] = Math.exp((scores[c]! - max) / temperature);
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
}

export class LinearClassifier implements Classifier {
  readonly labels: readonly string[];
  private readonly featureIndex: Map<string, number>;
  private readonly weights: Float64Array;

  constructor(private readonly model: LinearJSON, weights: Float64Array) {
    this.labels = model.labels;
    this.featureIndex = new Map(model.features.map((f, i) => [f, i]));
    this.weights = weights;
  }

  get threshold(): number {
    return this.model.threshold;
  }

  /** The logits of a text, before temperature and softmax. */
  scores(text: string): Float64Array {
    return this.scoresOf(linearFeatures(text, this.model.format === FORMAT_WITH_TRIGRAMS));
  }

  /** The logits of a text's `linearFeatures`. */
  scoresOf(tokens: string[]): Float64Array {
    const { index, value } = vectorize(tokens, this.featureIndex, this.model.idf);
    const out = new Float64Array(this.labels.length);
    logits(this.weights, this.model.bias, 1, this.labels.length, index, value, out);
    return out;
  }

  classify(text: string): Classification {
    return rank(this.labels, this.scores(text), this.model.temperature, this.model.threshold);
  }

  probabilities(text: string): Float64Array {
    return probabilitiesOf(this.scores(text), this.model.temperature);
  }

  /** The same model with its confidences divided by `temperature` and answers below `threshold` uncertain. */
  calibrated(temperature: number, threshold: number): LinearClassifier {
    return new LinearClassifier({ ...this.model, temperature, threshold }, this.weights);
  }

  toJSON(): LinearJSON {
    return structuredClone(this.model);
  }
}

/** The probability of each label from the logits `scores`, calibrated by `temperature`. */
export function probabilitiesOf(scores: Float64Array, temperature: number): Float64Array {
  const probabilities = Float64Array.from(scores);
  softmaxInPlace(probabilities, temperature);
  return probabilities;
}

/** The best labels of the logits `scores`, with calibrated confidences. */
export function rank(labels: readonly string[], scores: Float64Array, temperature: number, threshold: number): Classification {
  return rankProbabilities(labels, probabilitiesOf(scores, temperature), threshold);
}

/** The best labels by their `probabilities` (in the order of `labels`), best first; uncertain below `threshold`. */
export function rankProbabilities(labels: readonly string[], probabilities: Float64Array, threshold: number): Classification {
  // The best few by one pass each, not a sort of every label: this runs on every ticket.
  const ranked: number[] = [];
  for (let n = 0; n < Math.min(ALTERNATIVES, labels.length); n++) {
    let best = -1;
    for (let i = 0; i < probabilities.length; i++)
      if (!ranked.includes(i) && (best < 0 || probabilities[i]! > probabilities[best]!)) best = i;
    ranked.push(best);
  }
  const alternatives = ranked.map((i) => ({ label: labels[i]!, confidence: probabilities[i]! }));
  return { ...alternatives[0]!, alternatives, uncertain: alternatives[0]!.confidence < threshold };
}

export function linearFromJSON(json: LinearJSON): LinearClassifier {
  const n = json.labels.length;
  const weights = typeof json.weights === 'string' ? dequantize(json) : new Float64Array();
  if ((json.format !== FORMAT && json.format !== FORMAT_WITH_TRIGRAMS) || json.bias.length !== n
    || weights.length !== json.features.length * n || json.idf.length !== json.features.length || json.scales?.length !== json.features.length || !(json.temperature > 0))
    throw new DomainError('hotline.classifier.format', { format: json.format });
  return new LinearClassifier(json, weights);
}
