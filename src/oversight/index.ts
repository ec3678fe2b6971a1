/**
 * 数据铁笼: what other modules, the benchmarks and the tests may use. A 整改 case puts its alert on the problem
 * lists itself; the evaluation generates histories with planted misconduct and scores the alerts.
 */
export { listAlerts, viewAlert, type AlertSummary } from './alerts.ts';
export { RuleEngine, type Act, type Emission } from './engine.ts';
export { generateHistory, plantedKinds, queueHistory, scoreAlerts, type History, type KindScore } from './history.ts';
export { ruleLibrary } from './library.ts';
export { installLibrary } from './rulebook.ts';
export { parseRule } from './rules.ts';
export { activeVersions, backfill, evaluateRange, readActs, streamLedger } from './stream.ts';
