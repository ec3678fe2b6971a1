import Type from 'typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { resolveApiToken, type Ctx } from '../kernel/auth/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { runCommand, type App } from '../kernel/http/index.ts';
import {
  CataloguePageSchema, EntrySchema, FieldsSchema, IssuedTokenSchema, LoadReportSchema, ObjectionSchema, ObjectionsSchema, SystemSchema, SystemsSchema, SystemTokenSchema,
  SystemTokensSchema, VersionSchema, VersionsSchema,
} from './api-schemas.ts';
import { ckanActions, CkanError } from './ckan.ts';
import { dcatCatalogue, dcatMediaTypes, negotiateDcat, type DcatFormat } from './dcat.ts';
import {
  createResource, entryStates, fieldTypes, getVersion, identityChecks, levels, listVersions, maskings, openTypes, retireResource, reviewResource,
  sensitivities, shareTypes, submitResource, updateResource, viewResource, type Resource,
} from './entries.ts';
import { importRows, listLoads, pushRows } from './loads.ts';
import { answerObjection, listObjections, raiseObjection } from './objections.ts';
import { isHubAdmin } from './policy.ts';
import { presentResource } from './present.ts';
import { scoreQuality } from './quality.ts';
import { searchCatalogue } from './search.ts';
import { createSystem, issueSystemToken, listSystems, listSystemTokens, revokeSystemToken, rotateSystemToken } from './systems.ts';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const tags = ['hub'];
const Code = Type.Object({ code: Type.String({ pattern: '^[A-Za-z][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$' }) });
const FieldCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
export const updateCycles = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;

const FieldSchema = Type.Object({
  code: FieldCode, name: Type.String({ minLength: 1, maxLength: 60 }), type: oneOf(fieldTypes), length: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  sensitivity: oneOf(sensitivities), level: oneOf(levels), masking: oneOf(maskings),
  rules: Type.Optional(Type.Object({
    required: Type.Optional(Type.Boolean()), pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()), check: Type.Optional(oneOf(identityChecks)),
    reference: Type.Optional(Type.String({ pattern: '^[A-Z][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$' })),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

const entryProperties = {
  name: Type.String({ minLength: 1, maxLength: 100 }), systemId: Type.Optional(Type.Integer({ minimum: 1 })), kind: oneOf(['table', 'api']),
  summary: Type.Optional(Type.String({ maxLength: 2000 })), format: Type.String({ minLength: 1, maxLength: 40 }), updateCycle: oneOf(updateCycles),
  shareType: oneOf(shareTypes), shareCondition: Type.Optional(Type.String({ maxLength: 1000 })), openType: oneOf(openTypes),
  subjectKind: Type.Optional(oneOf(['person', 'company'])), subjectField: Type.Optional(FieldCode), keyField: Type.Optional(FieldCode),
  apiUrl: Type.Optional(Type.String({ maxLength: 500 })), apiTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60000 })),
  apiMapping: Type.Optional(Type.Object({ root: Type.String({ maxLength: 200 }),
    fields: Type.Record(Type.String(), Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
  fields: Type.Array(FieldSchema, { maxItems: 200 }),
};

/** A command whose result is an entry, presented with the viewer's abilities. */
const withAdmin = <I>(command: (ctx: Ctx, input: I) => Promise<Resource>) => async (ctx: Ctx, input: I) =>
  ({ resource: await command(ctx, input), hubAdmin: await isHubAdmin(ctx.tx, ctx.actor) });
const presentEntry = (r: { resource: Resource; hubAdmin: boolean }, viewer: Parameters<typeof presentResource>[1]) =>
  presentResource(r.resource, viewer, r.hubAdmin);

/** 数据共享 catalogue API under /api/v1/hub: systems, entries and their lifecycle, data loads, quality, objections. */
export async function hubCatalogueRoutes(app: App) {
  // CSV imports stream: the parser hands the request itself to the command.
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));

  const SystemId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
  const ValidDays = Type.Object({ validDays: Type.Integer({ minimum: 1, maximum: 730 }) }, { additionalProperties: false });
  app.get('/systems', { schema: { tags, summary: '信息系统 Systems of the caller\'s department (all for hub administrators)', response: { 200: SystemsSchema } } },
    async (req) => ({ items: await listSystems(app.db, req.actor) }));
  app.post('/systems', {
    schema: { tags, summary: '登记信息系统 Register a system of your department (data officer; hub administrators for any department)', body: Type.Object({
      code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,40}$' }), name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
      departmentId: Type.Optional(Type.Integer({ minimum: 1 })), purpose: Type.Optional(Type.String({ maxLength: 1000 })),
      contact: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 201: SystemSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, createSystem, req.body); });
  app.get('/systems/:id/tokens', { schema: { tags, summary: 'A system\'s tokens (never their text)', params: SystemId, response: { 200: SystemTokensSchema } } },
    async (req) => ({ items: await listSystemTokens(app.db, req.actor, req.params.id) }));
  app.post('/systems/:id/tokens', {
    schema: { tags, summary: '签发令牌 Issue an API token the system calls the gateway with (shown once)', params: SystemId, body: ValidDays,
      response: { 201: IssuedTokenSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, issueSystemToken, { systemId: req.params.id, ...req.body }); });
  app.post('/systems/:id/token-rotation', {
    schema: { tags, summary: '轮换令牌 Issue a new token (shown once) and revoke every live one of the system, at once', params: SystemId, body: ValidDays,
      response: { 201: IssuedTokenSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, rotateSystemToken, { systemId: req.params.id, ...req.body }); });
  app.delete('/systems/:id/tokens/:tokenId', {
    schema: { tags, summary: '吊销令牌 Revoke one of the system\'s tokens at once',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), tokenId: Type.String({ format: 'uuid' }) }), response: { 200: SystemTokenSchema } },
  }, async (req) => runCommand(req, revokeSystemToken, { systemId: req.params.id, tokenId: req.params.tokenId }));

  app.get('/resources', {
    schema: { tags, summary: '目录检索 Search the catalogue (Chinese full text) with facets', querystring: Type.Object({
      q: Type.Optional(Type.String({ maxLength: 100 })), provider: Type.Optional(Type.Integer({ minimum: 1 })), shareType: Type.Optional(oneOf(shareTypes)),
      sensitivity: Type.Optional(oneOf(sensitivities)), openType: Type.Optional(oneOf(openTypes)), status: Type.Optional(oneOf(entryStates)),
      limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }) }),
      response: { 200: CataloguePageSchema } },
  }, async (req) => searchCatalogue(app.db, req.actor, { ...req.query, providerDepartmentId: req.query.provider }));

  app.post('/resources', {
    schema: { tags, summary: '资源登记 Register a catalogue entry as a draft (data officer)', body: Type.Object({
      code: Type.String({ maxLength: 40 }), providerDepartmentId: Type.Optional(Type.Integer({ minimum: 1 })), ...entryProperties }, { additionalProperties: false }),
      response: { 201: EntrySchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, withAdmin(createResource), req.body, presentEntry); });

  app.get('/resources/:code', { schema: { tags, summary: 'An entry with its fields (信息项), grades and masking', params: Code,
    response: { 200: EntrySchema } } },
    async (req) => {
      const { resource, hubAdmin } = await viewResource(app.db, req.actor, req.params.code);
      return presentResource(resource, req.actor, hubAdmin);
    });
  app.get('/resources/:code/fields', { schema: { tags, summary: '信息项 The fields of an entry', params: Code, response: { 200: FieldsSchema } } },
    async (req) => ({ items: (await viewResource(app.db, req.actor, req.params.code)).resource.fields }));
  app.put('/resources/:code', {
    schema: { tags, summary: 'Edit an entry; a published one gets its next version as a draft', params: Code,
      body: Type.Object(entryProperties, { additionalProperties: false }), response: { 200: EntrySchema } },
  }, (req) => runCommand(req, withAdmin(updateResource), { ...req.body, code: req.params.code }, presentEntry));
  app.post('/resources/:code/submit', { schema: { tags, summary: '提交审核 Submit a draft for review', params: Code, response: { 200: EntrySchema } } },
    (req) => runCommand(req, withAdmin(submitResource), { code: req.params.code }, presentEntry));
  app.post('/resources/:code/review', {
    schema: { tags, summary: '审核 Publish the entry in review, or send it back with a reason (hub administrator)', params: Code,
      body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      response: { 200: EntrySchema } },
  }, (req) => runCommand(req, withAdmin(reviewResource), { code: req.params.code, ...req.body }, presentEntry));
  app.post('/resources/:code/retire', {
    schema: { tags, summary: '下线 Retire a published entry', params: Code,
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: EntrySchema } },
  }, (req) => runCommand(req, withAdmin(retireResource), { code: req.params.code, ...req.body }, presentEntry));
  app.get('/resources/:code/versions', { schema: { tags, summary: '版本 Published versions, newest first', params: Code, response: { 200: VersionsSchema } } },
    async (req) => ({ items: await listVersions(app.db, req.actor, req.params.code) }));
  app.get('/resources/:code/versions/:version', {
    schema: { tags, summary: 'One published version as it was', params: Type.Object({ ...Code.properties, version: Type.Integer({ minimum: 1 }) }),
      response: { 200: VersionSchema } },
  }, async (req) => getVersion(app.db, req.actor, req.params.code, req.params.version));

  app.post('/resources/:code/import', {
    bodyLimit: 50 * 1024 * 1024,
    schema: { tags, summary: '数据导入 Replace a table resource\'s rows: text/csv (header of field codes or names, UTF-8, streamed) or a JSON array; bad rows reported, good rows kept',
      params: Code, consumes: ['text/csv', 'application/json'], response: { 200: LoadReportSchema } },
  }, async (req) => {
    const body = req.body as Readable | unknown;
    const isCsv = (req.headers['content-type'] ?? '').startsWith('text/csv');
    if (!isCsv && !(Array.isArray(body) && body.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))))
      throw new DomainError('hub.bad-file', { field: 'body' }, 'a JSON import is an array of objects');
    return runCommand(req, importRows, { code: req.params.code, format: isCsv ? 'csv' as const : 'json' as const,
      body: body as Readable | Record<string, unknown>[] });
  });
  app.post('/resources/:code/rows', {
    bodyLimit: 10 * 1024 * 1024,
    schema: { tags, summary: '数据推送 Push rows by key (the provider\'s system or data officer); bad rows reported, good rows kept', params: Code,
      body: Type.Object({ rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 10000 }) }, { additionalProperties: false }),
      response: { 200: LoadReportSchema } },
  }, (req) => runCommand(req, pushRows, { code: req.params.code, rows: req.body.rows }));
  app.get('/resources/:code/imports', { schema: { tags, summary: 'The last loads with their per-row reports (provider)', params: Code } },
    (req) => runCommand(req, async (ctx, code: string) => {
      const { resource, hubAdmin } = await viewResource(ctx.tx, ctx.actor, code);
      if (!presentResource(resource, ctx.actor, hubAdmin).abilities.load) throw new DomainError('hub.not-provider', { status: 403 });
      return { items: await listLoads(ctx.tx, resource.id) };
    }, req.params.code));
  app.post('/resources/:code/quality', { schema: { tags, summary: '质量评分 Re-check the stored rows against the current rules', params: Code } },
    (req) => runCommand(req, scoreQuality, { code: req.params.code }));

  app.get('/objections', {
    schema: { tags, summary: '疑义 Objections to answer (about the department\'s data) or raised by the department',
      querystring: Type.Object({ side: oneOf(['to-answer', 'raised']) }), response: { 200: ObjectionsSchema } },
  }, async (req) => ({ items: await listObjections(app.db, req.actor, req.query) }));
  app.post('/objections', {
    schema: { tags, summary: '提出疑义 Object to a record of another department\'s resource', body: Type.Object({
      code: Type.String({ maxLength: 40 }), rowKey: Type.String({ minLength: 1, maxLength: 200 }), fieldCode: FieldCode,
      description: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 201: ObjectionSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, raiseObjection, req.body); });
  app.post('/objections/:id/answer', {
    schema: { tags, summary: '答复疑义 Answer: corrected, or rejected with a reason (provider)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ outcome: oneOf(['corrected', 'rejected']), answer: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: ObjectionSchema } },
  }, (req) => runCommand(req, answerObjection, { id: req.params.id, ...req.body }));

  // DCAT-AP: /catalogue by content negotiation (JSON-LD, Turtle, RDF/XML), or one serialisation by its extension.
  const sendCatalogue = async (req: FastifyRequest, reply: FastifyReply, format: DcatFormat | null) => {
    if (format === null) {
      throw new DomainError('hub.not-acceptable', { status: 406, field: 'accept' }, `the catalogue is offered as ${Object.values(dcatMediaTypes).join(', ')}`);
    }
    const { body, type } = await dcatCatalogue(app.db, req.actor, `${req.protocol}://${req.host}`, format);
    return reply.type(type).header('vary', 'accept').send(body);
  };
  app.get('/catalogue', { schema: { tags, summary: 'DCAT-AP 3 export of the published catalogue: JSON-LD, Turtle or RDF/XML by the Accept header' } },
    (req, reply) => sendCatalogue(req, reply, negotiateDcat(req.headers.accept)));
  for (const [extension, format] of [['jsonld', 'jsonld'], ['ttl', 'turtle'], ['rdf', 'rdfxml']] as const) {
    app.get(`/catalogue.${extension}`, { schema: { tags, summary: `DCAT-AP 3 export of the published catalogue (${dcatMediaTypes[format]})` } },
      (req, reply) => sendCatalogue(req, reply, format));
  }
}

/**
 * CKAN Action API under /api: every action at /api/3/action/<name> and at /api/action/<name> (the unversioned path
 * ckanapi calls, hidden from the OpenAPI document), for GET (query string) and POST (JSON or form body), as CKAN 2.10
 * answers: `{help, success, result}`, and `{help, success: false, error: {__type, message, …}}` with CKAN's status
 * codes on failure.
 */
export async function ckanRoutes(app: App) {
  const ckanTags = ['ckan'];
  const help = (action: string) => `/api/3/action/help_show?name=${action}`;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  // CKAN clients send an API token the CKAN way: the bare token in Authorization, or in X-CKAN-API-Key.
  app.addHook('onRequest', async (req) => {
    if (req.actor.kind !== 'anonymous') return;
    const header = req.headers['x-ckan-api-key'] ?? req.headers.authorization;
    const token = typeof header === 'string' ? header.trim() : '';
    if (token && !/^Bearer\s/i.test(token)) req.actor = (await resolveApiToken(app.db, token)) ?? req.actor;
  });
  app.setErrorHandler((error, req, reply) => {
    const action = req.url.split('?')[0]!.split('/').pop()!;
    const fe = error as FastifyError;
    const [status, type, message, fields] = error instanceof CkanError ? [error.status, error.type, error.message, error.fields]
      : error instanceof DomainError ? [error.status, error.status === 404 ? 'Not Found Error' : error.status === 403 ? 'Authorization Error' : 'Validation Error', error.message, {}]
        : fe.statusCode && fe.statusCode < 500 ? [400, 'Bad Request', `Bad request - ${fe.message}`, {}]
          : [500, 'Internal Server Error', 'internal error', {}];
    if (status >= 500) req.log.error({ err: error }, 'ckan request failed');
    return reply.code(status).send({ help: help(action), success: false, error: { __type: type, message, ...fields } });
  });
  for (const base of ['/3/action', '/action']) {
    const hide = base === '/action';
    for (const [name, action] of Object.entries(ckanActions)) {
      app.route({
        method: ['GET', 'POST'], url: `${base}/${name}`, schema: { tags: ckanTags, summary: `CKAN ${name}`, description: action.help, hide },
        handler: async (req) => {
          const body = req.body ?? {};
          if (typeof body !== 'object' || Array.isArray(body)) throw new CkanError(400, 'Bad Request', 'Bad request - the body must be a JSON object');
          const params = { ...(req.query as Record<string, unknown>), ...(body as Record<string, unknown>) };
          return { help: help(name), success: true, result: await action.run(app.db, req.actor, params, `${req.protocol}://${req.host}`) };
        },
      });
    }
    app.route({
      method: ['GET', 'POST'], url: `${base}/:action`, schema: { hide: true },
      handler: async (req) => {
        throw new CkanError(400, 'Bad Request', `Bad request - Action name not known: ${(req.params as { action: string }).action}`);
      },
    });
  }
}
