import crypto from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawReplyDefaultExpression,
  type RawRequestDefaultExpression, type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Actor, Ctx, StatementCtx } from '../auth/actor.ts';
import { databaseUnavailable, withConnection, withTransaction, type Db } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { assertStorable, boundIntegers, scanJson } from './input.ts';
import { languageOf, titleOf } from './messages.ts';
import { addProblemResponses } from './responses.ts';

export { crossSiteGuard } from './csrf.ts';
export { asOpenApi30 } from './openapi30.ts';
export { checkResponses, Items, Nullable, OneOf, Page, ProblemSchema, Timestamp } from './responses.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

/** The app as modules see it: schemas written with TypeBox type the request in each route. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** RFC 9457 problem details; `field` names the input at fault, `code` is the stable machine-readable reason. */
export interface Problem {
  status: number;
  code: string;
  detail?: string;
  field?: string;
  [extra: string]: unknown;
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const lang = languageOf(req.headers['accept-language']);
  const { status, code, detail, field, ...extra } = problem;
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `urn:yiwang:problem:${code}`,
      title: titleOf(code, lang) ?? code,
      status,
      code,
      ...(detail ? { detail } : {}),
      ...(field ? { field } : {}),
      ...extra,
      instance: req.url,
      requestId: req.id,
    });
}

function fieldOfValidation(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string; additionalProperty?: string } | undefined);
  const leaf = missing?.missingProperty ?? missing?.additionalProperty;
  const pathParts = first.instancePath.split('/').filter(Boolean);
  if (leaf) pathParts.push(leaf);
  return pathParts.join('.') || error.validationContext;
}

/** Maps every failure to application/problem+json, so clients see one error shape for all of them. */
function problemFor(error: FastifyError | DomainError | Error): Problem {
  if (error instanceof DomainError) {
    const { status: _s, field, ...rest } = error.details;
    return { status: error.status, code: error.code, detail: error.message, field, ...rest };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const field = fieldOfValidation(fe);
    return { status: 400, code: 'validation', field, detail: `${field ?? fe.validationContext}: ${fe.validation[0]?.message ?? 'invalid'}` };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body-too-large', detail: fe.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported-media-type', detail: fe.message };
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: 'bad-url', detail: fe.message };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'uri-too-long', detail: fe.message };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'malformed-json', field: 'body', detail: fe.message };
  }
  if (databaseUnavailable(fe)) return { status: 503, code: 'unavailable', detail: 'the database is unavailable or busy; try again shortly' };
  if (fe instanceof SyntaxError || fe.statusCode === 400) return { status: 400, code: 'malformed-json', field: 'body', detail: fe.message };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return { status: fe.statusCode, code: fe.code ?? 'bad-request', detail: fe.message };
  return { status: 500, code: 'internal' };
}

export interface HttpOptions {
  logLevel: string;
  bodyLimit?: number;
  /** Fastify's `trustProxy`: which peers' X-Forwarded-For to believe (false: none). */
  trustProxy?: boolean | number | string | string[];
  /** Content-Security-Policy of HTML pages (the console); other responses get `apiPolicy`. */
  htmlPolicy?: string;
  /** Milliseconds a client has to send its headers, and its whole request (headers and body). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** What no response of ours needs: it loads nothing, runs nothing and is framed by no one. */
export const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (headers or URL beyond
 * maxHeaderSize, a request that took too long, malformed HTTP) as problem+json, then closes the connection.
 */
function clientError(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers-too-large']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request-timeout'] : [400, 'bad-request'];
  const body = JSON.stringify({ type: `urn:yiwang:problem:${code}`, title: titleOf(code, 'zh-CN'), status, code });
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/problem+json; charset=utf-8\r\n`
      + `content-length: ${Buffer.byteLength(body)}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** Text or rows a body parser produced, not a request stream handed on to a streaming import. */
const isParsedText = (body: unknown) =>
  typeof body === 'string' || Array.isArray(body) || (typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype);

/** The Fastify instance with our conventions: JSON only, schema-validated input, problem+json errors, request ids. */
/**
 * Route input validators compiled at a route's first request, not at start: compiling the schemas of
 * four hundred routes took about a second of every start, for routes most runs never call. Same options
 * as Fastify's own compiler, but extra properties are kept (the schemas refuse them where it matters).
 */
function lazyValidator() {
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, addUsedSchema: false, allErrors: false });
  addFormats.default(ajv);
  // RFC 3339 allows a leap second (23:59:60), which JavaScript's Date cannot hold: such a time would reach the
  // handlers as an Invalid Date and fail in the database. It is refused here, naming the field.
  const rfc3339 = ajv.formats['date-time'] as { validate: (value: string) => boolean };
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => rfc3339.validate(value) && Number.isFinite(Date.parse(value)) });
  return ({ schema }: { schema: object }) => {
    let compiled: ValidateFunction | undefined;
    const validate = Object.assign((data: unknown, parent?: Parameters<ValidateFunction>[1]) => {
      compiled ??= ajv.compile(schema);
      const valid = compiled(data, parent);
      validate.errors = compiled.errors;
      return valid;
    }, { errors: null as ValidateFunction['errors'], schemaEnv: true });
    return validate;
  };
}

export function createHttp(opts: HttpOptions): App {
  const app = Fastify({
    logger: { level: opts.logLevel },
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // A hop count is a valid trustProxy (proxy-addr) that Fastify's types leave out.
    trustProxy: (opts.trustProxy ?? false) as boolean | string | string[],
    // A body that never completes is cut off; CSV imports of tens of megabytes still fit in the request time.
    requestTimeout: opts.requestTimeoutMs ?? 60_000,
    // Node checks those limits on this interval (30 s unless told), so a 10 s limit holds to about a second.
    http: { connectionsCheckingInterval: 1_000 },
    clientErrorHandler: clientError,
    frameworkErrors: (error, req, reply) => { sendProblem(req, reply, problemFor(error)); },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(lazyValidator());
  app.server.headersTimeout = Math.min(opts.headersTimeoutMs ?? 10_000, opts.requestTimeoutMs ?? 60_000);
  // Bodies are JSON; other types are opted into per route (CSV imports). text/plain would slip past schemas.
  app.removeContentTypeParser('text/plain');
  // JSON is scanned once for depth and escapes before it is parsed; only bodies with `\u` escapes are walked.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, text, done) => {
    let escapes: boolean;
    try {
      escapes = scanJson(text as string).escapes;
    } catch (error) {
      return done(error as Error, undefined);
    }
    // Fastify's own parser answers through the callback; its type merely allows a promise.
    void parseJson(req, text as string, (error, body) => {
      if (error || !escapes) return done(error, body);
      try {
        assertStorable(body);
      } catch (refused) {
        return done(refused as Error, undefined);
      }
      done(null, body);
    });
  });
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (schema) for (const part of ['params', 'querystring', 'body', 'headers']) boundIntegers(schema[part]);
    addProblemResponses(schema);
  });
  // Answers are written as JSON.stringify writes them, schema or not: fast-json-stringify would drop what a
  // response schema leaves out and coerce what it types otherwise. Tests check answers against the schemas.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // A NUL reaches a query string or path only percent-encoded: URLs without `%` need no walk. CSV imports
  // are parsed by their modules into text or rows (JSON was checked as it was parsed).
  app.addHook('preValidation', (req, _reply, done) => {
    try {
      if (req.url.includes('%')) {
        assertStorable(req.params);
        assertStorable(req.query);
      }
      if (req.headers['content-type']?.startsWith('text/csv') && isParsedText(req.body)) assertStorable(req.body);
    } catch (refused) {
      return done(refused as Error);
    }
    done();
  });
  app.setErrorHandler((error, req, reply) => {
    const problem = problemFor(error as FastifyError);
    // A 503 is the database away or busy for a moment: one short line each, not a stack trace per request of an outage.
    if (problem.status === 503) req.log.warn({ code: (error as { code?: string }).code }, 'database unavailable');
    else if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    // Clients and proxies retry after the time a limit names, or a second when the database is away.
    if (typeof problem.retryAfterSeconds === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(problem.retryAfterSeconds));
    if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
    return sendProblem(req, reply, problem);
  });
  const htmlPolicy = opts.htmlPolicy ?? apiPolicy;
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    // A 304's headers replace those the browser cached with the page: it must not swap the page's policy for the API's.
    if (reply.statusCode === 304) return;
    const type = reply.getHeader('content-type');
    // A worker runs under the policy its script was served with: the map's worker fetches vector tiles, so scripts get the page's.
    const page = typeof type === 'string' && /^(text\/html|text\/javascript|application\/javascript)/.test(type);
    reply.header('content-security-policy', page ? htmlPolicy : apiPolicy);
  });
  return app as unknown as App;
}

/**
 * Runs one command for a request: one transaction, the caller as actor, the present time. The route
 * stays one line; the command does its own permission checks. A command that can write all it writes in one
 * statement takes a StatementCtx as well, and runs without BEGIN and COMMIT when the route says so (`oneStatement`).
 */
export async function runCommand<I, R, P = R>(req: FastifyRequest, command: (ctx: Ctx, input: I) => Promise<R>, input: I,
  present?: (result: R, viewer: Actor) => P): Promise<P>;
export async function runCommand<I, R, P = R>(req: FastifyRequest, command: (ctx: Ctx | StatementCtx, input: I) => Promise<R>, input: I,
  present: ((result: R, viewer: Actor) => P) | undefined, opts: { oneStatement: boolean }): Promise<P>;
export async function runCommand<I, R, P = R>(
  req: FastifyRequest,
  command: ((ctx: Ctx, input: I) => Promise<R>) | ((ctx: Ctx | StatementCtx, input: I) => Promise<R>),
  input: I,
  present?: (result: R, viewer: Actor) => P,
  opts: { oneStatement: boolean } = { oneStatement: false },
): Promise<P> {
  const { db } = req.server;
  const [actor, now] = [req.actor, new Date()];
  const result = opts.oneStatement
    ? await withConnection(db, (connection) => (command as (ctx: StatementCtx, input: I) => Promise<R>)({ db: connection, actor, now }, input))
    : await withTransaction(db, (tx) => command({ tx, actor, now }, input));
  return present ? present(result, req.actor) : (result as unknown as P);
}
