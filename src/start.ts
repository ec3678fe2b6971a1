import type { Config } from './kernel/config/index.ts';
import { openDatabase } from './kernel/db/open.ts';
import { StartupError } from './kernel/errors.ts';
import { startSequencerThread, type Sequencer } from './kernel/ledger/index.ts';
import { startJobs, startSweeps, type JobRunner, type SweepRunner } from './kernel/jobs/index.ts';
import { queuesOf, timersOf } from './kernel/module.ts';
import { seedOfficialHolidays } from './kernel/calendar/index.ts';
import { withTransaction } from './kernel/db/index.ts';
import { buildApp, migratePlatform } from './server.ts';
import { ensureWebBuilt } from './web-build.ts';
import { demoLoaded, demoLogins, demoPassword, loadDemoCity } from './demo.ts';
import { modules } from './modules.ts';

export interface RunningPlatform {
  url: string;
  stop(): Promise<void>;
}

/**
 * `yiwang start`: database (embedded unless DATABASE_URL), migrations, the demo city on first start,
 * the web console, the HTTP server, the ledger sequencer, and the modules' timers and job workers.
 */
export async function startPlatform(config: Config, log: (line: string) => void = console.log): Promise<RunningPlatform> {
  const started = performance.now();
  const database = await openDatabase(config);
  const { db } = database;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let sequencer: Sequencer | undefined;
  let sweeps: SweepRunner | undefined;
  let jobs: JobRunner | undefined;
  const stop = async () => {
    await app?.close();
    await sweeps?.stop();
    await jobs?.stop();
    await sequencer?.stop();
    await database.close();
  };
  try {
    await migratePlatform(db);
    await withTransaction(db, (tx) => seedOfficialHolidays(tx));
    for (const m of modules) await m.prepare?.(db);
    if (!(await demoLoaded(db))) {
      log(`loading the demo city (seed "${config.demoSeed}")…`);
      await loadDemoCity(db, { seed: config.demoSeed });
    }
    await ensureWebBuilt(log);
    app = await buildApp({ db, logLevel: config.logLevel, serveWeb: true, secureCookies: process.env.YIWANG_SECURE_COOKIES === '1',
      sessionIdleMinutes: config.sessionIdleMinutes, ledgerLagLimitSeconds: config.ledgerLagLimitSeconds, metricsToken: config.metricsToken,
      trustProxy: config.trustProxy });
    sequencer = await startSequencerThread({ connectionString: database.url, origin: config.ledgerOrigin });
    sweeps = startSweeps(db, timersOf(modules), (line) => app?.log.error(line));
    jobs = await startJobs(db, queuesOf(modules), { log: (line) => app?.log.error(line) });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new StartupError(`port ${config.port} is in use. Stop what uses it or start with PORT=<another port>.`);
      throw error;
    }
  } catch (error) {
    await stop().catch(() => undefined); // what stopped the start is the error to report
    throw error;
  }
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  log(`Yiwang 一网 is ready at ${url}  (${Math.round(performance.now() - started)} ms; database: ${database.description})`);
  log(`API docs: ${url}/docs`);
  log(`Demo logins (password ${demoPassword}):`);
  for (const l of demoLogins) log(`  ${l.username.padEnd(14)} ${l.description}`);
  return { url, stop };
}
