/**
 * 工单智能分类 for intake: the model in use (stored in the database, cached per connection until a newer
 * one is stored), the category and urgency a text suggests, the operator's corrections kept as labelled
 * examples, and retraining from all examples. A retrained model replaces the one in use only when it does
 * at least as well on the corrections the one in use never saw (shadow evaluation) and about as well by
 * cross-validation; the operators' corrections are learned from by a periodic sweep and on demand.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { readStamps, stampedCache, withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { ledgerQueueSql } from '../kernel/ledger/index.ts';
import { activeCategoriesIn, hotlineConfig, type Category, type HotlineConfig } from './catalogue.ts';
import {
  fromJSON, levelProbabilities, rankProbabilities, suggestUrgency, trainOffThread, zhExamples,
  type CalibratedEvaluation, type Classifier, type ClassifierJSON, type Example, type UrgencySuggestion,
} from './classifier/index.ts';
import { assertCentre, hotlineActions } from './policy.ts';

export interface CategorySuggestion {
  /** The most likely active category; null when the model knows none of the active categories. */
  category: Category | null;
  confidence: number;
  /** 不确定: below the confidence at which the model was right 95 % of the time; the operator should choose. */
  uncertain: boolean;
  /** Up to three active categories, best first (the first is `category`). */
  alternatives: { category: Category; confidence: number }[];
  /**
   * The most likely active first-level category, its confidence the sum of the calibrated confidences of the
   * categories under it (so at least the best leaf's): where an operator choosing by hand can start.
   */
  firstLevel: { category: Category; confidence: number } | null;
  urgency: UrgencySuggestion;
}

export interface ModelEvaluation extends CalibratedEvaluation {
  /** The corrections stored since the model in use was trained, and how many of them each model got right (0..1). */
  shadow: { examples: number; live: number | null; candidate: number | null };
}

export interface TrainedModel {
  id: number;
  trainedAt: Date;
  examples: number;
  /** 5-fold cross-validated accuracy at the leaf, 0..1. */
  accuracy: number;
  /** Whether it replaced the model in use. */
  promoted: boolean;
  evaluation: ModelEvaluation;
}

const storedModels = stampedCache<Classifier | null>(4);
/** How much lower a retrained model's cross-validated accuracy may be (it is measured on more, newer examples). */
const ACCURACY_TOLERANCE = 0.02;
/** Corrections that make the sweep retrain. */
const CORRECTIONS_TO_LEARN = 20;

/**
 * The classifier in use: the newest promoted model, held in memory by the classifier's cache stamp (a
 * retraining renews it). With none stored yet, trains from the built-in examples and the stored ones and
 * stores the result as the system. MUST be called inside a transaction; a command that has read the
 * stamps already passes the 'hotline-classifier' one.
 */
export async function currentClassifier(tx: Queryable, now = new Date(), stamp?: string): Promise<Classifier> {
  const stored = await storedModels(stamp ?? (await readStamps(tx, ['hotline-classifier']))['hotline-classifier'], async () => {
    const row = await liveModel(tx);
    return row ? fromJSON(row.model) : null;
  });
  return stored ?? (await trainModel(tx, systemActor('hotline-classifier'), now)).classifier;
}

async function liveModel(tx: Queryable) {
  const { rows: [row] } = await tx.query<{ model: ClassifierJSON; trainedAt: Date; accuracy: number }>(
    'SELECT model, trained_at AS "trainedAt", accuracy FROM hotline_classifier_models WHERE promoted ORDER BY id DESC LIMIT 1');
  return row ?? null;
}

/**
 * Trains on the built-in examples plus every stored one, compares the result with the model in use (shadow
 * evaluation), stores it with its figures, promoted or not, and puts it on the ledger.
 */
async function trainModel(tx: Queryable, actor: Actor, now: Date): Promise<TrainedModel & { classifier: Classifier }> {
  const { rows: stored } = await tx.query<Example & { createdAt: Date }>(
    'SELECT text, label, created_at AS "createdAt" FROM hotline_classifier_examples ORDER BY id');
  const builtIn = zhExamples();
  const examples = [...builtIn, ...stored.map(({ text, label }) => ({ text, label }))];
  const { classifier, evaluation, predictions } = await trainOffThread(examples);
  const live = await liveModel(tx);
  let shadow: ModelEvaluation['shadow'] = { examples: 0, live: null, candidate: null };
  let promoted = true;
  if (live) {
    // The candidate is judged by its cross-validated predictions, so neither model has seen the examples it is judged on.
    const unseen = stored.flatMap((e, i) => (e.createdAt > live.trainedAt ? [{ ...e, predicted: predictions[builtIn.length + i] }] : []));
    const liveClassifier = fromJSON(live.model);
    const liveRight = unseen.filter((e) => liveClassifier.classify(e.text).label === e.label).length;
    const candidateRight = unseen.filter((e) => e.predicted === e.label).length;
    shadow = { examples: unseen.length, live: unseen.length ? liveRight / unseen.length : null,
      candidate: unseen.length ? candidateRight / unseen.length : null };
    promoted = candidateRight >= liveRight && evaluation.accuracy >= live.accuracy - ACCURACY_TOLERANCE;
  }
  const figures: ModelEvaluation = { ...evaluation, shadow };
  // One statement with its ledger entry: the first intake may train the first model outside a transaction.
  const params: unknown[] = [JSON.stringify(classifier.toJSON()), now, examples.length, evaluation.accuracy, promoted, JSON.stringify(figures)];
  const ledger = ledgerQueueSql([{ actor, action: 'hotline.classifier.retrained', object: { type: 'hotline-classifier', idSql: 'model.id' }, at: now,
    payload: { examples: examples.length, stored: stored.length, accuracy: evaluation.accuracy, promoted, shadow } }], params, 'model');
  const { rows: [row] } = await tx.query<{ id: number }>(
    `WITH model AS (INSERT INTO hotline_classifier_models (model, trained_at, example_count, accuracy, promoted, evaluation)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id),
     ledger AS (${ledger})
     SELECT id::int FROM model`, params);
  return { id: row!.id, trainedAt: now, examples: examples.length, accuracy: evaluation.accuracy, promoted, evaluation: figures,
    classifier: promoted || !live ? classifier : fromJSON(live.model) };
}

const firstLevels = new WeakMap<HotlineConfig, Map<string, Category>>();

/** The first-level category of each category code of `config` (its root: the first of its ancestry). */
function firstLevelsIn(config: HotlineConfig): Map<string, Category> {
  let roots = firstLevels.get(config);
  if (!roots) {
    const byId = new Map([...config.categories.values()].map((c) => [c.id, c]));
    roots = new Map([...config.categories.values()].flatMap((c) => {
      const root = byId.get(c.ancestry[0] ?? c.id);
      return root ? [[c.code, root] as const] : [];
    }));
    firstLevels.set(config, roots);
  }
  return roots;
}

/** The category (among the active ones) and the urgency the text of a report suggests. */
export function suggestWith(config: HotlineConfig, classifier: Classifier, text: string): CategorySuggestion {
  // One scoring for both the leaf and the first level: segmentation is most of a classification's time.
  const probabilities = classifier.probabilities(text);
  const classification = rankProbabilities(classifier.labels, probabilities, classifier.threshold);
  const alternatives = activeCategoriesIn(config, classification.alternatives.map((a) => a.label)).map((category) => ({
    category, confidence: classification.alternatives.find((a) => a.label === category.code)!.confidence }));
  const category = alternatives[0]?.category ?? null;
  const roots = firstLevelsIn(config);
  const [first] = levelProbabilities(classifier.labels, probabilities, (label) => {
    const root = roots.get(label);
    return root?.active ? root.code : undefined;
  });
  return { category, confidence: alternatives[0]?.confidence ?? 0,
    uncertain: classification.uncertain || category?.code !== classification.label, alternatives,
    firstLevel: first ? { category: config.categories.get(first.label)!, confidence: first.confidence } : null, urgency: suggestUrgency(text) };
}

export async function suggestClassification(tx: Queryable, text: string, now = new Date()): Promise<CategorySuggestion> {
  return suggestWith(await hotlineConfig(tx), await currentClassifier(tx, now), text);
}

/** The operator console's live suggestion while a call is typed in (staff only). */
export async function suggestForText(ctx: Ctx, input: { text: string }): Promise<CategorySuggestion> {
  assertCan(ctx.actor, hotlineActions.read);
  const text = input.text.trim();
  if (!text) throw new DomainError('validation', { field: 'text' }, 'type what the caller says');
  return suggestClassification(ctx.tx, text, ctx.now);
}

/**
 * Retrains the classifier from every example (the centre or a platform admin); the new model is in use at
 * once if the shadow evaluation promotes it.
 */
export async function retrainClassifier(ctx: Ctx): Promise<TrainedModel> {
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.retrain);
  const { classifier: _, ...trained } = await trainModel(ctx.tx, ctx.actor, ctx.now);
  return trained;
}

/** Trains the first model from the shipped examples when none is in use, so that no intake waits for it (after migrations). */
export async function prepareClassifier(db: Db, now = new Date()): Promise<void> {
  await withTransaction(db, async (tx) => {
    // Two processes starting on one database: the second waits here and then finds the model.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('yiwang.hotline.classifier'))");
    if (!(await liveModel(tx))) await trainModel(tx, systemActor('hotline-classifier'), now);
  });
}

/** Learns from the operators' corrections once enough have come in since the last training; returns 1 when it trained. */
export async function learnFromCorrections(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows: [due] } = await tx.query<{ due: boolean }>(
      `SELECT count(*) >= $1 AS due FROM hotline_classifier_examples
        WHERE source = 'operator' AND created_at > coalesce((SELECT max(trained_at) FROM hotline_classifier_models), '-infinity')`,
      [CORRECTIONS_TO_LEARN]);
    if (!due!.due) return 0;
    await trainModel(tx, systemActor('hotline-classifier'), now);
    return 1;
  });
}
