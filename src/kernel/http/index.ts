import crypto from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawReplyDefaultExpression,
  type RawRequestDefaultExpression, type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Actor, Ctx } from '../auth/actor.ts';
import { databaseUnavailable, withConnection, withTransaction, type Db } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { languageOf, titleOf } from './messages.ts';

export { registerMessages, languageOf } from './messages.ts';

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
}

/** The Fastify instance with our conventions: JSON only, schema-validated input, problem+json errors, request ids. */
export function createHttp(opts: HttpOptions): App {
  const app = Fastify({
    logger: { level: opts.logLevel },
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Bodies are JSON; other types are opted into per route (CSV imports). text/plain would slip past schemas.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, req, reply) => {
    const problem = problemFor(error as FastifyError);
    if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    // The database (or what the request needs of it) is away or busy for a moment: clients and proxies retry after a second.
    if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
    return sendProblem(req, reply, problem);
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  return app as unknown as App;
}

/**
 * Runs one command for a request: one transaction, the caller as actor, the present time. The route
 * stays one line; the command does its own permission checks. A command that writes all it writes in one
 * statement may say so (`oneStatement`) and run without BEGIN and COMMIT.
 */
export async function runCommand<I, R, P = R>(
  req: FastifyRequest,
  command: (ctx: Ctx, input: I) => Promise<R>,
  input: I,
  present?: (result: R, viewer: Actor) => P,
  opts: { oneStatement?: boolean } = {},
): Promise<P> {
  const db = req.server.db;
  const now = new Date();
  const result = await (opts.oneStatement ? withConnection : withTransaction)(db, (tx) => command({ tx, actor: req.actor, now, oneStatement: opts.oneStatement }, input));
  return present ? present(result, req.actor) : (result as unknown as P);
}
