/**
 * Training the intake classifier on a thread of its own (`trainOffThread`): calibrated training of the linear
 * model over some 3,000 examples takes tens of seconds of CPU, which on the main thread held up every request
 * the process served (intake answered nothing meanwhile).
 */
import { runOnThread } from '../../kernel/threads.ts';
import { trainCalibrated, type CalibratedEvaluation } from './calibrate.ts';
import { topLevelCode } from './categories.ts';
import { fromJSON, type Classifier, type ClassifierJSON, type Example } from './model.ts';

interface TrainedOnThread {
  model: ClassifierJSON;
  evaluation: CalibratedEvaluation;
  predictions: string[];
}

/** The thread's side: `trainCalibrated` at the first level of the category tree, the model as JSON. */
export function trainCalibratedAtTopLevel(examples: Example[]): TrainedOnThread {
  const { classifier, evaluation, predictions } = trainCalibrated(examples, { level: topLevelCode });
  return { model: classifier.toJSON(), evaluation, predictions };
}

/** `trainCalibrated(examples, { level: topLevelCode })`, run on a new thread. */
export async function trainOffThread(examples: Example[]): Promise<{ classifier: Classifier; evaluation: CalibratedEvaluation; predictions: string[] }> {
  const { model, evaluation, predictions } = await runOnThread<TrainedOnThread>(
    import.meta.url, trainCalibratedAtTopLevel.name, examples);
  return { classifier: fromJSON(model), evaluation, predictions };
}
