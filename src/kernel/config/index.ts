import path from 'node:path';

/** Runtime settings, all from the environment so one build runs on a laptop and on a server. */
export interface Config {
  /** PostgreSQL server; when absent, Yiwang starts its own embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  embeddedPgPort: number;
  /** Origin line of ledger checkpoints (C2SP signed note); names this log to outside verifiers. */
  ledgerOrigin: string;
  /** Seed of the demo city generator: the same seed gives the same city. */
  demoSeed: string;
  logLevel: string;
  /** /readyz reports not ready once a ledger entry has waited this long to be signed (YIWANG_LEDGER_LAG_LIMIT_S). */
  ledgerLagLimitSeconds: number;
  /** Minutes without use after which a console session ends. */
  sessionIdleMinutes: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

function minutesFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 24 * 60) throw new Error(`${name} must be whole minutes from 1 to 1440, got "${raw}"`);
  return value;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  return {
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(process.env.YIWANG_DATA_DIR ?? 'data'),
    host: process.env.HOST ?? '127.0.0.1',
    port: intFromEnv('PORT', 3000),
    embeddedPgPort: intFromEnv('YIWANG_PG_PORT', 54320),
    ledgerOrigin: process.env.YIWANG_LEDGER_ORIGIN ?? 'yiwang.example/ledger',
    demoSeed: process.env.YIWANG_DEMO_SEED ?? 'guang-an-511600',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    ledgerLagLimitSeconds: intFromEnv('YIWANG_LEDGER_LAG_LIMIT_S', 30),
    sessionIdleMinutes: minutesFromEnv('YIWANG_SESSION_IDLE_MINUTES', 30),
    ...overrides,
  };
}
