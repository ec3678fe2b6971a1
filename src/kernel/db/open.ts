import type { Config } from '../config/index.ts';
import { StartupError } from '../errors.ts';
import { createPool, type Db } from './index.ts';
import { keepEmbeddedPostgres, lockDataDir, runningEmbeddedUrl } from './embedded.ts';

export interface OpenDatabase {
  db: Db;
  /** The connection string, for a thread that opens its own pool (it holds the password: never log it). */
  url: string;
  /** Where the data lives, for the operator (no password). */
  description: string;
  close(): Promise<void>;
}

function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * Opens the database: the server in DATABASE_URL, or else an embedded PostgreSQL under the data
 * directory, which this process then owns (locked against a second Yiwang) and starts again if it dies.
 */
export async function openDatabase(config: Config, opts: { joinRunning?: boolean } = {}): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    let url: URL;
    try {
      url = new URL(config.databaseUrl);
    } catch {
      throw new StartupError('DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database');
    }
    const db = createPool(config.databaseUrl);
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await db.end().catch(() => undefined); // the failed query says what is wrong
      const reason = (error as Error).message || String((error as NodeJS.ErrnoException).code ?? error);
      throw new StartupError(`cannot reach the database at ${url.hostname}:${url.port || 5432} (${reason}). Check DATABASE_URL and that PostgreSQL is running, or unset DATABASE_URL to use the embedded database.`);
    }
    return { db, url: config.databaseUrl, description: describe(config.databaseUrl), close: () => db.end() };
  }
  let unlock: () => Promise<void>;
  try {
    unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    // A CLI command next to a running platform uses that platform's embedded database.
    const url = opts.joinRunning && error instanceof StartupError ? await runningEmbeddedUrl(config.dataDir) : null;
    if (!url) throw error;
    return openDatabase({ ...config, databaseUrl: url });
  }
  try {
    const embedded = await keepEmbeddedPostgres(config.dataDir, config.embeddedPgPort, { settings: config.embeddedPgSettings });
    const db = createPool(embedded.url);
    return {
      db,
      url: embedded.url,
      description: `embedded PostgreSQL in ${config.dataDir}/pg (port ${config.embeddedPgPort})`,
      async close() {
        // A pool whose server died ends with an error; the server and the lock must be released anyway.
        await db.end().catch(() => undefined);
        await embedded.stop();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}
