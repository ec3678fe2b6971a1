/**
 * Durable jobs and events between modules, on pg-boss in the platform's own PostgreSQL (schema `pgboss`).
 *
 * A command queues a job (`enqueue`) or emits an event (`emit`) with its own transaction: the job exists if
 * and only if the command committed. Workers run in the platform process; each job is handled in a
 * transaction of its own that also marks the job done, so a job is handled once even when the process
 * stops half-way (it is then handled again from the start after the restart, its effects having rolled
 * back). Jobs and event subscriptions are declared in module manifests; an event is delivered to one
 * queue per subscriber, `<event>__<subscriber>`.
 */
import type PgBoss from 'pg-boss';
import { withTransaction, type Db, type Queryable, type Tx } from '../db/index.ts';

/** A kind of job: its queue name and, as a type, its data. */
export interface JobDefinition<T extends object> {
  readonly kind: 'job';
  readonly name: string;
  /** Carries the data type only. */
  readonly data?: T;
}

/** A kind of event one module emits and others subscribe to. */
export interface EventDefinition<T extends object> {
  readonly kind: 'event';
  readonly name: string;
  readonly data?: T;
}

// pg-boss queue names: letters, digits, `_`, `-`, `.`; the module's name first.
const queueName = /^[a-z][a-z0-9_.-]*$/;

export function defineJob<T extends object>(name: string): JobDefinition<T> {
  if (!queueName.test(name)) throw new Error(`job name ${name}: lower-case letters, digits, _ . - only`);
  return { kind: 'job', name };
}

export function defineEvent<T extends object>(name: string): EventDefinition<T> {
  if (!queueName.test(name)) throw new Error(`event name ${name}: lower-case letters, digits, _ . - only`);
  return { kind: 'event', name };
}

/** Handles one job in `tx`, the transaction that also completes it. */
type Handle<T> = (tx: Tx, data: T) => Promise<void>;

export interface JobHandler {
  readonly queue: string;
  readonly handle: Handle<never>;
}

export interface EventHandler extends JobHandler {
  readonly event: string;
}

export const handleJob = <T extends object>(job: JobDefinition<T>, handle: Handle<T>): JobHandler =>
  ({ queue: job.name, handle: handle as Handle<never> });

/** Subscribes `subscriber` (a module's name) to an event; every subscriber gets its own copy. */
export const onEvent = <T extends object>(event: EventDefinition<T>, subscriber: string, handle: Handle<T>): EventHandler =>
  ({ event: event.name, queue: `${event.name}__${subscriber}`, handle: handle as Handle<never> });

const executor = (db: Queryable): PgBoss.Db => ({ executeSql: (text, values) => db.query(text, values) });

// pg-boss is loaded on first use (a tenth of a second): most processes, and most tests, never queue a job.
let loading: Promise<typeof PgBoss> | undefined;
const pgBoss = () => (loading ??= import('pg-boss').then((m) => m.default));

// Builds pg-boss's statements only; it never connects (every call passes its executor).
let sender: PgBoss | undefined;
const senderOf = async () =>
  (sender ??= new (await pgBoss())({ db: { executeSql: () => Promise.reject(new Error('pg-boss sender has no connection of its own')) } }));

const subscribers = new Map<string, string[]>();

/** Records which queues each event goes to (the manifests' `events`); the kernel's installModules calls it. */
export function registerSubscriptions(handlers: readonly EventHandler[]): void {
  for (const h of handlers) {
    const queues = subscribers.get(h.event) ?? [];
    if (!queues.includes(h.queue)) queues.push(h.queue);
    subscribers.set(h.event, queues);
  }
}

/** Queues a job in the caller's transaction. */
export async function enqueue<T extends object>(tx: Tx, job: JobDefinition<T>, data: T): Promise<void> {
  const id = await (await senderOf()).send(job.name, data, { db: executor(tx) });
  if (id === null) throw new Error(`job ${job.name} was not queued`);
}

/** Emits an event in the caller's transaction: one job per subscriber. */
export async function emit<T extends object>(tx: Tx, event: EventDefinition<T>, data: T): Promise<void> {
  for (const queue of subscribers.get(event.name) ?? []) {
    const id = await (await senderOf()).send(queue, data, { db: executor(tx) });
    if (id === null) throw new Error(`event ${event.name} was not queued for ${queue}`);
  }
}

const bossOptions = (db: Db): PgBoss.ConstructorOptions => ({ db: executor(db), schema: 'pgboss' });

/**
 * Creates (or migrates) pg-boss's schema and the queues of `handlers`. Part of migrating a database:
 * the platform's start, `yiwang migrate` and the test template do it.
 */
export async function prepareJobs(db: Db, handlers: readonly JobHandler[]): Promise<void> {
  const boss = new (await pgBoss())({ ...bossOptions(db), supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    for (const { queue } of handlers) if (!(await boss.getQueue(queue))) await boss.createQueue(queue);
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}

export interface JobRunner {
  stop(): Promise<void>;
}

/**
 * Starts a worker per queue of `handlers`. A handler runs in a transaction that completes its job; a
 * failure rolls back and pg-boss retries the job later (its retry settings).
 */
export async function startJobs(db: Db, handlers: readonly JobHandler[], opts: { log?: (line: string) => void; pollingIntervalSeconds?: number } = {}): Promise<JobRunner> {
  // Nothing to work on: pg-boss does not start (nor poll) at all.
  if (handlers.length === 0) return { stop: async () => undefined };
  const log = opts.log ?? console.error;
  await prepareJobs(db, handlers);
  const boss = new (await pgBoss())({ ...bossOptions(db), migrate: false, schedule: false });
  boss.on('error', (error) => log(`jobs: ${String(error)}`));
  await boss.start();
  for (const { queue, handle } of handlers) {
    await boss.work(queue, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 }, async ([job]) => {
      await withTransaction(db, async (tx) => {
        // Completing inside the handler's transaction: its effects and "done" commit together, or neither.
        // The output argument is required: with three arguments pg-boss takes the options for output.
        await boss.complete(queue, job!.id, {}, { db: executor(tx) });
        await handle(tx, job!.data as never);
      });
    });
  }
  return {
    async stop() {
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
    },
  };
}
