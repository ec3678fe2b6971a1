/** Work outside a request: timers (periodic sweeps) and durable jobs and events (pg-boss). */
export { runSweep, startSweeps, type Sweep, type SweepRunner } from './timers.ts';
export { startBatchLoop, type BatchLoop } from './batch-loop.ts';
export {
  defineEvent, defineJob, emit, enqueue, handleJob, onEvent, prepareJobs, registerSubscriptions, startJobs,
  type EventDefinition, type EventHandler, type JobDefinition, type JobHandler, type JobRunner,
} from './durable.ts';
