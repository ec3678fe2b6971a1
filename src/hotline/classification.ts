/**
 * 工单智能分类 for intake: the model in use (stored in the database, cached per connection until a newer
 * one is stored), the category and urgency a text suggests, the operator's corrections kept as labelled
 * examples, and retraining from all examples.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { readStamps, stampedCache, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { ledgerQueueSql } from '../kernel/ledger/index.ts';
import { activeCategoriesIn, hotlineConfig, type Category, type HotlineConfig } from './catalogue.ts';
import {
  crossValidate, fromJSON, suggestUrgency, trainClassifier, zhExamples,
  type Classifier, type ClassifierJSON, type Example, type UrgencySuggestion,
} from './classifier/index.ts';
import { assertCentre, hotlineActions } from './policy.ts';

export interface CategorySuggestion {
  /** The most likely active category; null when the model knows none of the active categories. */
  category: Category | null;
  confidence: number;
  /** Up to three active categories, best first (the first is `category`). */
  alternatives: { category: Category; confidence: number }[];
  urgency: UrgencySuggestion;
}

export interface TrainedModel {
  id: number;
  trainedAt: Date;
  examples: number;
  /** 5-fold cross-validated accuracy on the examples, 0..1. */
  accuracy: number;
}

const FOLDS = 5;
const storedModels = stampedCache<Classifier | null>(4);

/**
 * The classifier in use: the newest stored model, held in memory by the classifier's cache stamp (a
 * retraining renews it). With none stored yet, trains from the built-in examples and the stored ones and
 * stores the result as the system. MUST be called inside a transaction; a command that has read the
 * stamps already passes the 'hotline-classifier' one.
 */
export async function currentClassifier(tx: Queryable, now = new Date(), stamp?: string): Promise<Classifier> {
  const stored = await storedModels(stamp ?? (await readStamps(tx, ['hotline-classifier']))['hotline-classifier'], async () => {
    const { rows: [row] } = await tx.query<{ model: ClassifierJSON }>('SELECT model FROM hotline_classifier_models ORDER BY id DESC LIMIT 1');
    return row ? fromJSON(row.model) : null;
  });
  return stored ?? (await trainModel(tx, systemActor('hotline-classifier'), now)).classifier;
}

/** Trains on the built-in examples plus every stored one, stores the model with its accuracy and puts it on the ledger. */
async function trainModel(tx: Queryable, actor: Actor, now: Date): Promise<TrainedModel & { classifier: Classifier }> {
  const { rows: stored } = await tx.query<Example>('SELECT text, label FROM hotline_classifier_examples ORDER BY id');
  const examples = [...zhExamples(), ...stored];
  const classifier = trainClassifier(examples);
  const { accuracy } = crossValidate(examples, { folds: FOLDS });
  // One statement with its ledger entry: the first intake may train the first model outside a transaction.
  const params: unknown[] = [JSON.stringify(classifier.toJSON()), now, examples.length, accuracy];
  const ledger = ledgerQueueSql([{ actor, action: 'hotline.classifier.retrained', object: { type: 'hotline-classifier', idSql: 'model.id' }, at: now,
    payload: { examples: examples.length, stored: stored.length, accuracy } }], params, 'model');
  const { rows: [row] } = await tx.query<{ id: number }>(
    `WITH model AS (INSERT INTO hotline_classifier_models (model, trained_at, example_count, accuracy) VALUES ($1, $2, $3, $4) RETURNING id),
     ledger AS (${ledger})
     SELECT id::int FROM model`, params);
  return { id: row!.id, trainedAt: now, examples: examples.length, accuracy, classifier };
}

/** The category (among the active ones) and the urgency the text of a report suggests. */
export function suggestWith(config: HotlineConfig, classifier: Classifier, text: string): CategorySuggestion {
  const classification = classifier.classify(text);
  const alternatives = activeCategoriesIn(config, classification.alternatives.map((a) => a.label)).map((category) => ({
    category, confidence: classification.alternatives.find((a) => a.label === category.code)!.confidence }));
  return { category: alternatives[0]?.category ?? null, confidence: alternatives[0]?.confidence ?? 0, alternatives, urgency: suggestUrgency(text) };
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

/** Retrains the classifier from every example (the centre or a platform admin); the new model is in use at once. */
export async function retrainClassifier(ctx: Ctx): Promise<TrainedModel> {
  await assertCentre(ctx.tx, ctx.actor, hotlineActions.retrain);
  const { id, trainedAt, examples, accuracy } = await trainModel(ctx.tx, ctx.actor, ctx.now);
  return { id, trainedAt, examples, accuracy };
}
