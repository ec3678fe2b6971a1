import type { Config } from './kernel/config/index.ts';
import { portInUse } from './kernel/db/embedded.ts';
import { openDatabase, type OpenDatabase } from './kernel/db/open.ts';
import { StartupError } from './kernel/errors.ts';
import { startSequencerThread, type Sequencer } from './kernel/ledger/index.ts';
import { startJobs, startSweeps, type JobRunner, type SweepRunner } from './kernel/jobs/index.ts';
import { queuesOf, timersOf } from './kernel/module.ts';
import { servicesOf } from './kernel/module.ts';
import { seedOfficialHolidays } from './kernel/calendar/index.ts';
import { withTransaction } from './kernel/db/index.ts';
import { buildApp, migratePlatform } from './server.ts';
import { ensureWebBuilt } from './web-build.ts';
import { allDemoLogins, demoLoaded, demoPassword, loadDemoCity } from './demo.ts';
import { modules } from './modules.ts';

export interface RunningPlatform {
  url: string;
  stop(): Promise<void>;
}

/**
 * `yiwang start`: database (embedded unless DATABASE_URL), migrations, the demo city on first start,
 * the web console, the HTTP server, the ledger sequencer, and the modules' timers and job workers.
 */
export async function startPlatform(config: Config, log: (line: string) => void = console.log,
  opening: Promise<OpenDatabase> = openDatabase(config)): Promise<RunningPlatform> {
  const database = await opening;
  let answering = 0;
  const { db } = database;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let sequencer: Sequencer | undefined;
  let sweeps: SweepRunner | undefined;
  let jobs: JobRunner | undefined;
  const services: { describe: string[]; stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await service.stop();
    await app?.close();
    await sweeps?.stop();
    await jobs?.stop();
    await sequencer?.stop();
    await database.close();
  };
  const portBusy = () => new StartupError(`port ${config.port} is in use. Stop what uses it or start with PORT=<another port>.`);
  try {
    // Said before the migrations and a first start's demo load (minutes), not after them; listen checks again.
    if (await portInUse(config.port, config.host)) throw portBusy();
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
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portBusy();
      throw error;
    }
    answering = performance.now();
    // Served from here on: a ledger entry queued meanwhile waits for the sequencer (which loads in its own
    // thread), and jobs written meanwhile wait in their queue for the workers.
    sequencer = await startSequencerThread({ connectionString: database.url, origin: config.ledgerOrigin });
    sweeps = startSweeps(db, timersOf(modules), (line) => app?.log.error(line));
    jobs = await startJobs(db, queuesOf(modules), { log: (line) => app?.log.error(line) });
    for (const service of servicesOf(modules)) services.push(await service.start({ db, config, log: (line) => app?.log.error(line) }));
  } catch (error) {
    await stop().catch(() => undefined); // what stopped the start is the error to report
    throw error;
  }
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  // From the start of the process (node, module loading), as the operator waits it, not from this function.
  log(`Yiwang 一网 is ready at ${url}  (${(answering / 1000).toFixed(1)} s after the command; database: ${database.description})`);
  log(`API docs: ${url}/docs`);
  for (const line of services.flatMap((service) => service.describe)) log(line);
  log(`Demo logins (password ${demoPassword}):`);
  for (const l of allDemoLogins(modules)) log(`  ${l.username.padEnd(14)} ${l.description}\n  ${''.padEnd(14)} try first: ${l.tryFirst}`);
  return { url, stop };
}
