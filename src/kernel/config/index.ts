import net from 'node:net';
import path from 'node:path';

/** Runtime settings, all from the environment so one build runs on a laptop and on a server. */
export interface Config {
  /** PostgreSQL server; when absent, Yiwang starts its own embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  embeddedPgPort: number;
  /** Further settings of the embedded PostgreSQL (`name=value`), from YIWANG_PG_SETTINGS. */
  embeddedPgSettings: string[];
  /** Origin line of ledger checkpoints (C2SP signed note); names this log to outside verifiers. */
  ledgerOrigin: string;
  /** Seed of the demo city generator: the same seed gives the same city. */
  demoSeed: string;
  logLevel: string;
  /** /readyz reports not ready once a ledger entry has waited this long to be signed (YIWANG_LEDGER_LAG_LIMIT_S). */
  ledgerLagLimitSeconds: number;
  /** Bearer token for /metrics from other hosts (unset: this host only). */
  metricsToken: string | undefined;
  /** Minutes without use after which a console session ends. */
  sessionIdleMinutes: number;
  /**
   * Which reverse proxies to believe about the client address (X-Forwarded-For), which per-address limits
   * count: false (none, the default), a hop count, or addresses and CIDR ranges of the proxies.
   */
  trustProxy: false | number | string[];
  /** External MQTT broker for sensors (YIWANG_MQTT_URL, e.g. mqtt://user:password@127.0.0.1:1883); unset, the embedded broker runs. */
  mqttUrl: string | undefined;
  /** Port of the embedded MQTT broker (YIWANG_MQTT_PORT, default 18830). */
  mqttPort: number;
  /** Address the embedded MQTT broker listens on (YIWANG_MQTT_HOST, default HOST). */
  mqttHost: string;
}

// Names proxy-addr (Fastify's trustProxy) knows for the private ranges.
const addressRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** YIWANG_TRUST_PROXY: unset or "false"; a number of hops; or a comma-separated list of addresses, CIDRs and range names. */
export function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (/^[0-9]+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = net.isIP(address ?? '');
    const prefixOk = bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(addressRanges.has(entry) || (family !== 0 && prefixOk && extra === undefined)))
      throw new Error(`YIWANG_TRUST_PROXY must be false, a hop count, or proxy addresses/CIDRs separated by commas; "${entry}" is none of these`);
  }
  return entries;
}

/** `name=value` pairs separated by spaces; a name is a PostgreSQL setting name (letters, digits, `_` and `.`). */
function parsePgSettings(raw: string | undefined): string[] {
  const settings = raw?.split(/\s+/).filter(Boolean) ?? [];
  for (const setting of settings)
    if (!/^[a-z_][a-z0-9_.]*=\S+$/i.test(setting)) throw new Error(`YIWANG_PG_SETTINGS must be name=value pairs separated by spaces; "${setting}" is not one`);
  return settings;
}

/** An integer setting within [min, max]; `what` says what the value is, for the error. */
function intFromEnv(name: string, fallback: number, min: number, max: number, what: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${what} from ${min} to ${max}, got "${raw}"`);
  return value;
}

const portFromEnv = (name: string, fallback: number) => intFromEnv(name, fallback, 0, 65535, 'a port number');

/** YIWANG_MQTT_URL: unset, or an mqtt:, mqtts:, ws: or wss: URL. */
function mqttUrlFromEnv(raw: string | undefined): string | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`YIWANG_MQTT_URL must be a URL such as mqtt://127.0.0.1:1883, got "${value}"`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol)) throw new Error(`YIWANG_MQTT_URL must be mqtt://, mqtts://, ws:// or wss://, got "${value}"`);
  return value;
}

/** The seed of the demo city `npm start` loads (the tests' demo city too). */
export const defaultDemoSeed = 'guang-an-511600';

export function loadConfig(overrides: Partial<Config> = {}): Config {
  return {
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(process.env.YIWANG_DATA_DIR ?? 'data'),
    host: process.env.HOST ?? '127.0.0.1',
    port: portFromEnv('PORT', 3000),
    embeddedPgPort: portFromEnv('YIWANG_PG_PORT', 54320),
    embeddedPgSettings: parsePgSettings(process.env.YIWANG_PG_SETTINGS),
    ledgerOrigin: process.env.YIWANG_LEDGER_ORIGIN ?? 'yiwang.example/ledger',
    demoSeed: process.env.YIWANG_DEMO_SEED ?? defaultDemoSeed,
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    ledgerLagLimitSeconds: intFromEnv('YIWANG_LEDGER_LAG_LIMIT_S', 30, 1, 86_400, 'whole seconds'),
    metricsToken: process.env.YIWANG_METRICS_TOKEN || undefined,
    sessionIdleMinutes: intFromEnv('YIWANG_SESSION_IDLE_MINUTES', 30, 1, 24 * 60, 'whole minutes'),
    trustProxy: parseTrustProxy(process.env.YIWANG_TRUST_PROXY),
    mqttUrl: mqttUrlFromEnv(process.env.YIWANG_MQTT_URL),
    mqttPort: portFromEnv('YIWANG_MQTT_PORT', 18830),
    mqttHost: process.env.YIWANG_MQTT_HOST ?? process.env.HOST ?? '127.0.0.1',
    ...overrides,
  };
}
