import fs from 'node:fs';
import path from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Db } from './kernel/db/index.ts';
import { checkResponses, createHttp, crossSiteGuard, sendProblem, type App, type HttpOptions } from './kernel/http/index.ts';
import { sessionCookie } from './kernel/auth/sessions.ts';
import { authentication, authRoutes, tokenRoutes, userRoutes } from './kernel/auth/routes.ts';
import { registerCapabilities } from './kernel/auth/index.ts';
import { registerMessages } from './kernel/http/messages.ts';
import { webDist } from './web-build.ts';
import { healthRoutes } from './kernel/health.ts';
import { authLedgerActions, authMessages } from './kernel/auth/messages.ts';
import { calendarLedgerActions, calendarMessages } from './kernel/calendar/index.ts';
import { calendarRoutes } from './kernel/calendar/routes.ts';
import { registerLedgerActions } from './kernel/ledger/index.ts';
import { ledgerMessages } from './kernel/ledger/messages.ts';
import { ledgerRoutes } from './kernel/ledger/routes.ts';
import { orgLedgerActions, orgMessages } from './kernel/org/index.ts';
import { demoLedgerActions } from '../demo/load.ts';
import { hotlineCapabilities, hotlineLedgerActions, hotlineMessages } from './hotline/index.ts';
import { hotlineOpsRoutes, hotlineRoutes, open311Routes } from './hotline/routes.ts';
import { orgRoutes } from './kernel/org/routes.ts';
import { hubCapabilities, hubCatalogueLedgerActions, hubCatalogueMessages, hubExchangeLedgerActions, hubExchangeMessages } from './hub/index.ts';
import { ckanRoutes, hubCatalogueRoutes } from './hub/routes.ts';
import { hubExchangeRoutes, hubGatewayRoutes } from './hub/exchange/routes.ts';
import { servicesLedgerActions, servicesMessages } from './services/index.ts';
import { servicesRoutes } from './services/routes.ts';
import { credentialLedgerActions, credentialMessages } from './services/credentials/index.ts';
import { credentialPublicRoutes, credentialRoutes } from './services/credentials/routes.ts';


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
  /** Which reverse proxies' X-Forwarded-For to believe (YIWANG_TRUST_PROXY); none by default. */
  trustProxy?: HttpOptions['trustProxy'];
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

/** Builds the whole platform's HTTP app from the modules: one process, one database. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const app = createHttp({ logLevel: opts.logLevel ?? 'warn', trustProxy: opts.trustProxy, htmlPolicy: consolePolicy });
  app.decorate('db', opts.db);
  if (opts.checkResponses) checkResponses(app);
  registerMessages(authMessages);
  registerMessages(calendarMessages);
  registerMessages(ledgerMessages);
  registerMessages(orgMessages);
  registerMessages(hotlineMessages);
  registerMessages(hubCatalogueMessages);
  registerMessages(hubExchangeMessages);
  registerMessages(servicesMessages);
  registerMessages(credentialMessages);
  for (const actions of [authLedgerActions, calendarLedgerActions, orgLedgerActions, demoLedgerActions, hotlineLedgerActions, hubCatalogueLedgerActions, hubExchangeLedgerActions,
    servicesLedgerActions, credentialLedgerActions]) registerLedgerActions(actions);
  registerCapabilities(hotlineCapabilities);
  registerCapabilities(hubCapabilities);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Yiwang API', version: '0.1.0', description: '一网: digital-government platform. Errors are application/problem+json (RFC 9457).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'yw_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: docsPolicy });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  healthRoutes(app, opts.db, { ledgerLagLimitSeconds: opts.ledgerLagLimitSeconds });

  // Before authentication: a forged request is refused without a session lookup.
  app.addHook('onRequest', crossSiteGuard(sessionCookie));
  await authentication(app, { sessionIdleMinutes: opts.sessionIdleMinutes });
  await app.register(authRoutes, { prefix: '/api/v1/auth', secureCookies: opts.secureCookies ?? false });
  await app.register(userRoutes, { prefix: '/api/v1/users' });
  await app.register(tokenRoutes, { prefix: '/api/v1/tokens' });
  await app.register(calendarRoutes, { prefix: '/api/v1/calendar' });
  await app.register(ledgerRoutes, { prefix: '/api/v1/ledger' });
  await app.register(orgRoutes, { prefix: '/api/v1/org' });
  await app.register(hotlineRoutes, { prefix: '/api/v1/hotline' });
  await app.register(hotlineOpsRoutes, { prefix: '/api/v1/hotline' });
  await app.register(open311Routes, { prefix: '/open311/v2' });
  await app.register(hubCatalogueRoutes, { prefix: '/api/v1/hub' });
  await app.register(ckanRoutes, { prefix: '/api/3/action' });
  await app.register(hubExchangeRoutes, { prefix: '/api/v1/hub' });
  await app.register(hubGatewayRoutes, { prefix: '/hub/v1' });
  await app.register(servicesRoutes, { prefix: '/api/v1/services' });
  await app.register(credentialRoutes, { prefix: '/api/v1/credentials' });
  await app.register(credentialPublicRoutes);

  const serveWeb = opts.serveWeb === true && fs.existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    // The console routes on the client: any other GET outside the API gets the app shell.
    if (serveWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return sendProblem(req, reply, { status: 404, code: 'not-found', detail: `${req.method} ${req.url}` });
  });
  return app;
}
