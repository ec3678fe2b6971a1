// Ticket classification for the 12345 hotline: category suggestion from text, urgency and emergency flags.
export { trainClassifier, retrain, fromJSON, levelProbabilities } from './model.ts';
export type { Classifier, ClassifierJSON, Classification, Example, Suggestion, TrainOptions } from './model.ts';
export { trainLinearClassifier, linearFeatures, rankProbabilities, DEFAULT_LAMBDA, type LinearClassifier, type LinearJSON, type LinearOptions } from './linear.ts';
export { trainCalibrated, thresholdFor, macroF1, type Calibrated, type CalibratedEvaluation, type CalibrationOptions } from './calibrate.ts';
export { trainOffThread } from './train-thread.ts';
export { evaluateClassifier, crossValidate, type Evaluation, type CrossValidation } from './evaluate.ts';
export { tokenize } from './tokenize.ts';
export { suggestUrgency, defaultUrgencyRules, EMERGENCY_NUMBERS } from './urgency.ts';
export type { Emergency, UrgencyRules, UrgencySuggestion } from './urgency.ts';
export { zhCategories, zhExamples, topLevelCode, categoryPath, type Category, type TimeLimitOfCategory } from './categories.ts';
