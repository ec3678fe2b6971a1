/**
 * 数据铁笼: what other modules, the benchmarks and the tests may use. The problem lists take alerts from here
 * (`listAlerts`); the evaluation generates histories with planted misconduct and scores the alerts.
 */
export { listAlerts, viewAlert, type AlertSummary } from './alerts.ts';
export { RuleEngine, type Act, type Emission } from './engine.ts';
export { generateHistory, plantedKinds, queueHistory, scoreAlerts, type History, type KindScore } from './history.ts';
export { ruleLibrary } from './library.ts';
export { installLibrary } from './rulebook.ts';
export { parseRule } from './rules.ts';
export { activeVersions, backfill, evaluateRange, readActs, streamLedger } from './stream.ts';
