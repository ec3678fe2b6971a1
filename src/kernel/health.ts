/**
 * Readiness and metrics for operators and load balancers. They ask the database over a connection of
 * their own, never one of the main pool: when the pool is used up (a locked table, a burst), the probe
 * must still say how things are rather than queue behind the requests it reports on.
 */
import { timingSafeEqual } from 'node:crypto';
import { createPool, type Db } from './db/index.ts';
import { DomainError } from './errors.ts';
import { ledgerLag, type LedgerLag } from './ledger/index.ts';
import type { App } from './http/index.ts';

export interface HealthOptions {
  /** Ready no more once the oldest unsigned ledger entry has waited this long (default 30 s). */
  ledgerLagLimitSeconds?: number;
  /** Bearer token a scraper on another host shows to read /metrics; without it only this host may. */
  metricsToken?: string;
}

const loopback = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The gauges tell an outsider how loaded the platform is and whether its ledger is behind: worth knowing
 * before an attack. A scraper on this host reads them freely; one elsewhere shows the configured token.
 */
function mayReadMetrics(ip: string, authorization: string | undefined, token: string | undefined): boolean {
  if (loopback.test(ip)) return true;
  if (!token) return false;
  const shown = Buffer.from(authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '');
  const wanted = Buffer.from(token);
  return shown.length === wanted.length && timingSafeEqual(shown, wanted);
}

interface Probe {
  databaseUp: boolean;
  ledger: LedgerLag | null;
}

/** Registers GET /readyz and GET /metrics (Prometheus text) for the platform on `db`. */
export function healthRoutes(app: App, db: Db, opts: HealthOptions = {}): void {
  const limit = opts.ledgerLagLimitSeconds ?? 30;
  // One connection, short timeouts: a probe answers within about 2 s whatever the database does.
  const probeDb = createPool(db.options.connectionString!, 1, { statementTimeoutMs: 2_000, lockTimeoutMs: 1_000 }, 2_000);
  app.addHook('onClose', () => probeDb.end());
  const probe = async (): Promise<Probe> => {
    try {
      return { databaseUp: true, ledger: await ledgerLag(probeDb) };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness probe: the database did not answer');
      return { databaseUp: false, ledger: null };
    }
  };

  app.get('/readyz', {
    schema: { tags: ['ops'], summary: 'The database answers and the ledger signs entries within the lag limit' },
  }, async (_req, reply) => {
    const { databaseUp, ledger } = await probe();
    if (!databaseUp) return reply.code(503).send({ status: 'database unavailable' });
    const lag = { queued: ledger!.queued, oldestUnsignedSeconds: Math.round(ledger!.oldestSeconds * 10) / 10, limitSeconds: limit };
    if (ledger!.oldestSeconds > limit) return reply.code(503).send({ status: 'ledger not signing', ledger: lag });
    return { status: 'ready', ledger: lag };
  });

  app.get('/metrics', { schema: { tags: ['ops'],
    summary: 'Database and ledger gauges, Prometheus text format (this host, or with the bearer token YIWANG_METRICS_TOKEN)' } }, async (req, reply) => {
    if (!mayReadMetrics(req.ip, req.headers.authorization, opts.metricsToken)) {
      throw new DomainError('forbidden', { status: 403 }, 'metrics are read from this host or with the metrics token');
    }
    const { databaseUp, ledger } = await probe();
    const gauge = (name: string, help: string, lines: string[]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${lines.join('\n')}\n`;
    const text = [
      gauge('yiwang_db_up', 'Whether the database answers (1) or not (0).', [`yiwang_db_up ${databaseUp ? 1 : 0}`]),
      gauge('yiwang_db_pool_connections', 'Connections of the main pool: open, idle, and the most it opens.', [
        `yiwang_db_pool_connections{state="total"} ${db.totalCount}`,
        `yiwang_db_pool_connections{state="idle"} ${db.idleCount}`,
        `yiwang_db_pool_connections{state="max"} ${db.options.max}`,
      ]),
      gauge('yiwang_db_pool_waiting', 'Requests waiting for a connection of the main pool.', [`yiwang_db_pool_waiting ${db.waitingCount}`]),
      ...(ledger ? [
        gauge('yiwang_ledger_queued_entries', 'Ledger entries queued but not yet integrated and signed.', [`yiwang_ledger_queued_entries ${ledger.queued}`]),
        gauge('yiwang_ledger_oldest_unsigned_seconds', 'How long the oldest unsigned ledger entry has waited.',
          [`yiwang_ledger_oldest_unsigned_seconds ${ledger.oldestSeconds}`]),
      ] : []),
    ].join('');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
