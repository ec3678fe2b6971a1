import fs from 'node:fs';
import path from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { migrate, type Db } from './kernel/db/index.ts';
import { prepareJobs } from './kernel/jobs/index.ts';
import { asOpenApi30, checkResponses, createHttp, crossSiteGuard, sendProblem, type App, type HttpOptions } from './kernel/http/index.ts';
import { sessionCookie } from './kernel/auth/sessions.ts';
import { authentication } from './kernel/auth/routes.ts';
import { webDist } from './web-build.ts';
import { healthRoutes } from './kernel/health.ts';
import { installModules, queuesOf, type ModuleManifest } from './kernel/module.ts';
import { modules as allModules } from './modules.ts';


export interface AppOptions {
  db: Db;
  logLevel?: string;
  secureCookies?: boolean;
  /** Minutes without use after which a session ends (default 30). */
  sessionIdleMinutes?: number;
  /** Serve the built web console from web/dist (off in API-only tests). */
  serveWeb?: boolean;
  /** /readyz turns 503 once the oldest unsigned ledger entry has waited this long (default 30 s). */
  ledgerLagLimitSeconds?: number;
  /** Bearer token that lets another host read /metrics (YIWANG_METRICS_TOKEN); unset, only this host may. */
  metricsToken?: string;
  /** Which reverse proxies' X-Forwarded-For to believe (YIWANG_TRUST_PROXY); none by default. */
  trustProxy?: HttpOptions['trustProxy'];
  /** The modules to serve (default: all of src/modules.ts). */
  modules?: readonly ModuleManifest[];
  /** Fail any answer that does not match its route's response schema (tests). */
  checkResponses?: boolean;
}

/**
 * What the built console needs and no more: its own scripts only, antd's inline styles, MapLibre's
 * worker started from a blob: URL and map images drawn into data:/blob: URLs, calls to its own API.
 */
export const consolePolicy = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:", "child-src 'self' blob:", "object-src 'none'",
  "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"].join('; ');

/** Swagger UI at /docs: its own scripts (none inline) and the inline styles it writes. */
const docsPolicy = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"].join('; ');

/**
 * Brings a database up to date: the SQL migrations, then (when a module handles jobs or events) pg-boss's
 * schema and the modules' queues. Returns the migrations applied.
 */
export async function migratePlatform(db: Db, modules: readonly ModuleManifest[] = allModules): Promise<string[]> {
  const applied = await migrate(db);
  const queues = queuesOf(modules);
  if (queues.length > 0) await prepareJobs(db, queues);
  return applied;
}

const assetsDir = path.join(webDist, 'assets') + path.sep;

/** Builds the whole platform's HTTP app from the modules: one process, one database. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const app = createHttp({ logLevel: opts.logLevel ?? 'warn', trustProxy: opts.trustProxy, htmlPolicy: consolePolicy });
  app.decorate('db', opts.db);
  const modules = opts.modules ?? allModules;
  installModules(modules);
  if (opts.checkResponses) checkResponses(app);
  // API answers (JSON, GeoJSON, CSV) compressed when the client accepts it; the console's files come
  // compressed from the build (web/dist/**/*.br, *.gz) and are sent as they are.
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Yiwang API', version: '0.1.0', description: '一网: digital-government platform. Errors are application/problem+json (RFC 9457).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'yw_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: docsPolicy, transformSpecification: asOpenApi30 });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  healthRoutes(app, opts.db, { ledgerLagLimitSeconds: opts.ledgerLagLimitSeconds, metricsToken: opts.metricsToken });

  // Before authentication: a forged request is refused without a session lookup.
  app.addHook('onRequest', crossSiteGuard(sessionCookie));
  await authentication(app, { sessionIdleMinutes: opts.sessionIdleMinutes });
  const settings = { secureCookies: opts.secureCookies ?? false };
  for (const m of modules) for (const r of m.routes ?? []) await app.register(r.plugin, { ...settings, prefix: r.prefix });

  const serveWeb = opts.serveWeb === true && fs.existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, preCompressed: true, cacheControl: false,
    // File names under assets/ carry a hash of their content: kept for a year. The app shell is asked for anew each time.
    setHeaders: (reply, file) => { reply.header('cache-control', file.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache'); } });
  app.setNotFoundHandler((req, reply) => {
    // The console routes on the client: any other GET outside the API gets the app shell.
    if (serveWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return sendProblem(req, reply, { status: 404, code: 'not-found', detail: `${req.method} ${req.url}` });
  });
  return app;
}
