// Ticket classification for the 12345 hotline: category suggestion from text, urgency and emergency flags.
export { trainClassifier, retrain, fromJSON } from './model.ts';
export type { Classifier, ClassifierJSON, Classification, Example, Suggestion, TrainOptions } from './model.ts';
export { evaluateClassifier, crossValidate, type Evaluation, type CrossValidation } from './evaluate.ts';
export { tokenize } from './tokenize.ts';
export { suggestUrgency, defaultUrgencyRules, EMERGENCY_NUMBERS } from './urgency.ts';
export type { Emergency, UrgencyRules, UrgencySuggestion } from './urgency.ts';
export { zhCategories, zhExamples, topLevelCode, categoryPath, type Category } from './categories.ts';
