import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../kernel/errors.ts';
import { runCommand, type App } from '../../kernel/http/index.ts';
import {
  DashboardSchema, DecisionReviewSchema, EvidenceDetailSchema, EvidenceListSchema, GrantSchema, GrantsSchema, HiddenEvidenceSchema, MyUsageSchema, RequestOptionsSchema, RequestsSchema,
  SharingRequestSchema,
} from './api-schemas.ts';
import { maskings } from './catalogue.ts';
import { hubDashboard } from './dashboard.ts';
import { HttpGateway } from './gateway.ts';
import { listGrants, revokeGrant } from './grants.ts';
import { definePredicate, listPredicates, predicateOperators } from './predicates.ts';
import { presentAskAnswer, presentCallAnswer, presentPredicate } from './present.ts';
import { decideRequest, listRequests, requestHistory, requestOptions, requestStates, reviewDecision, submitRequest, withdrawRequest } from './requests.ts';
import { evidenceDetail, hideEvidence, listEvidence, myUsage } from './usage.ts';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const MessageId = Type.Object({ messageId: Type.String({ format: 'uuid' }) });
const ResourceCode = Type.String({ pattern: '^[A-Z][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$' });
const PredicateCode = Type.String({ pattern: '^[a-z][a-z0-9_-]{1,59}$' });
const FieldCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
// Some visible text: a reason of spaces only is no reason.
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const RowFilter = Type.Array(Type.Object({
  field: FieldCode, op: oneOf(['eq', 'in', 'prefix']),
  value: Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })]),
}, { additionalProperties: false }), { maxItems: 10 });
const tags = ['hub'];

/** 数据共享 exchange API: sharing requests, grants, predicates, the call log, "who used my data", the dashboard. */
export async function hubExchangeRoutes(app: App) {
  app.post('/requests', {
    schema: { tags, summary: '提交共享申请 Request fields of a resource (or a predicate) for one of your department\'s systems',
      body: Type.Object({ systemId: Type.Integer({ minimum: 1 }), resource: ResourceCode, predicate: Type.Optional(PredicateCode),
        fields: Type.Optional(Type.Array(FieldCode, { minItems: 1, maxItems: 200, uniqueItems: true })),
        purpose: Text(500), legalBasis: Text(500), scenario: Text(1000) }, { additionalProperties: false }),
      response: { 201: SharingRequestSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, submitRequest, req.body);
  });

  app.get('/requests', {
    schema: { tags, summary: '共享申请 My department\'s requests (mine) or those waiting for my decision (to-approve), with due dates',
      querystring: Type.Object({ box: oneOf(['mine', 'to-approve']), state: Type.Optional(oneOf(requestStates)) }, { additionalProperties: false }),
      response: { 200: RequestsSchema } },
  }, async (req) => ({ items: await listRequests(app.db, req.actor, req.query as never) }));

  app.get('/requests/options', {
    schema: { tags, summary: 'What a request may name: my department\'s systems, requestable resources, and one resource\'s fields and predicates',
      querystring: Type.Object({ resource: Type.Optional(ResourceCode) }, { additionalProperties: false }),
      response: { 200: RequestOptionsSchema } },
  }, async (req) => requestOptions(app.db, req.actor, req.query.resource));

  app.get('/requests/:id/history', { schema: { tags, summary: 'A request\'s history', params: Id } },
    async (req) => ({ items: await requestHistory(app.db, req.actor, req.params.id) }));

  const Masking = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), oneOf(maskings));
  app.post('/requests/:id/review', {
    schema: { tags, summary: 'What approving with these fields and masking would give the consumer: masking warnings, and predicates that fit the purpose (changes nothing)',
      params: Id, body: Type.Object({ fields: Type.Optional(Type.Array(FieldCode, { maxItems: 200, uniqueItems: true })), masking: Type.Optional(Masking) },
        { additionalProperties: false }),
      response: { 200: DecisionReviewSchema } },
  }, async (req) => reviewDecision(app.db, req.actor, { ...req.body, requestId: req.params.id }));

  app.post('/requests/:id/decision', {
    schema: { tags, summary: '审批 Approve (narrowing fields, with masking, row filter, validity, daily quota; or with a predicate instead of the fields) or refuse with a reason; masking that defeats the purpose needs acceptWarnings',
      params: Id,
      body: Type.Object({ approve: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 1000 })),
        fields: Type.Optional(Type.Array(FieldCode, { minItems: 1, maxItems: 200, uniqueItems: true })),
        masking: Type.Optional(Masking), predicate: Type.Optional(PredicateCode), acceptWarnings: Type.Optional(Type.Boolean()),
        rowFilter: Type.Optional(RowFilter), validFrom: Type.Optional(Type.String({ format: 'date-time' })),
        validUntil: Type.Optional(Type.String({ format: 'date-time' })), dailyQuota: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
      }, { additionalProperties: false }),
      response: { 200: SharingRequestSchema } },
  }, async (req) => runCommand(req, decideRequest, { ...req.body, requestId: req.params.id }));

  app.post('/requests/:id/withdraw', { schema: { tags, summary: '撤回 Withdraw a request nobody decided yet', params: Id,
    response: { 200: SharingRequestSchema } } },
    async (req) => runCommand(req, withdrawRequest, { requestId: req.params.id }));

  app.get('/grants', {
    schema: { tags, summary: '授权 Grants my department holds (consumer) or gave (provider); hub administrators may ask for every department\'s (departments=all)',
      querystring: Type.Object({ side: Type.Optional(oneOf(['consumer', 'provider'])), active: Type.Optional(Type.Boolean()),
        departments: Type.Optional(oneOf(['own', 'all'])) }, { additionalProperties: false }),
      response: { 200: GrantsSchema } },
  }, async (req) => ({ items: await listGrants(app.db, req.actor, req.query as never) }));

  app.post('/grants/:id/revoke', {
    schema: { tags, summary: '撤销授权 Revoke a grant at once', params: Id, body: Type.Object({ reason: Text(1000) }, { additionalProperties: false }),
      response: { 200: GrantSchema } },
  }, async (req) => runCommand(req, revokeGrant, { grantId: req.params.id, reason: req.body.reason }));

  app.get('/predicates', { schema: { tags, summary: '核验事项 Published yes/no questions' } },
    async (req) => ({ items: (await listPredicates(app.db, req.actor)).map(presentPredicate) }));

  app.post('/predicates', {
    schema: { tags, summary: '发布核验事项 Define a yes/no question over a field of your published resource',
      body: Type.Object({ code: PredicateCode, name: Text(100), description: Type.Optional(Type.String({ maxLength: 1000 })), resource: ResourceCode,
        field: FieldCode, operator: oneOf(predicateOperators), param: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' })),
        allowed: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' }), { minItems: 1, maxItems: 20 })),
      }, { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, definePredicate, req.body, presentPredicate);
  });

  app.get('/evidence', {
    schema: { tags, summary: '调用日志 Calls made or served by my department (subjects masked); the viewing is logged',
      querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day), resource: Type.Optional(ResourceCode),
        outcome: Type.Optional(oneOf(['answered', 'refused'])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
      response: { 200: EvidenceListSchema } },
  }, async (req) => ({ items: await runCommand(req, listEvidence, req.query) }));

  app.get('/evidence/:messageId', { schema: { tags, summary: 'One call\'s evidence and its ledger index', params: MessageId,
    response: { 200: EvidenceDetailSchema } } },
    async (req) => runCommand(req, evidenceDetail, req.params));

  app.post('/evidence/:messageId/hide', {
    schema: { tags, summary: '暂不告知 Hide a call of my department from the citizen until a day, with a reason', params: MessageId,
      body: Type.Object({ until: Day, reason: Text(500) }, { additionalProperties: false }), response: { 200: HiddenEvidenceSchema } },
  }, async (req) => runCommand(req, hideEvidence, { messageId: req.params.messageId, ...req.body }));

  app.get('/my/usage', {
    schema: { tags, summary: '我的数据使用记录 Every call that carried my ID (citizen)',
      querystring: Type.Object({ before: Type.Optional(Type.String({ format: 'date-time' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
      response: { 200: MyUsageSchema } },
  }, async (req) => myUsage(app.db, req.actor, req.query));

  app.get('/dashboard', {
    schema: { tags, summary: '共享看板 Calls, refusals, errors, requests and usage over a period (my department\'s, or the whole hub for administrators)',
      querystring: Type.Object({ from: Day, to: Day }, { additionalProperties: false }), response: { 200: DashboardSchema } },
  }, async (req) => hubDashboard(app.db, req.actor, req.query));
}

// Purpose and case id come as X-Purpose / X-Case-Id headers (percent-encoded when not ASCII) or in the body or query.
function headerText(req: FastifyRequest, name: string): string | undefined {
  const raw = req.headers[name];
  if (typeof raw !== 'string') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new DomainError('validation', { field: name }, `${name} is not valid percent-encoding`);
  }
}

const Purpose = { purpose: Type.Optional(Type.String({ maxLength: 500 })), caseId: Type.Optional(Type.String({ maxLength: 100 })) };
const Subject = Type.String({ minLength: 1, maxLength: 40 });
const Key = Type.String({ minLength: 1, maxLength: 100 });

/**
 * 共享网关 for systems (Bearer API token): `call` reads a resource, `ask` answers a predicate, each one call into
 * HttpGateway (gateway.ts), which answers only once the evidence is on record.
 */
export async function hubGatewayRoutes(app: App) {
  const gateway = new HttpGateway(app.db);
  app.addHook('onClose', () => gateway.drained());

  // A refusal over a limit (rate, quota, probing) says when to come back.
  const respond = <T, P>(reply: FastifyReply, answer: Promise<T>, present: (answer: T) => P): Promise<P> => answer.then(present, (error: unknown) => {
    const retryAfter = error instanceof DomainError ? error.details.retryAfter : undefined;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    throw error;
  });
  const purposeOf = (req: FastifyRequest, given: { purpose?: string; caseId?: string }) => ({
    purpose: given.purpose ?? headerText(req, 'x-purpose') ?? '', caseId: given.caseId ?? headerText(req, 'x-case-id') ?? '',
  });

  app.post('/call/:resource', {
    schema: { tags: ['hub-gateway'], summary: 'Read a resource about a subject (ID number or credit code) or by key, under a grant',
      params: Type.Object({ resource: ResourceCode }),
      body: Type.Object({ subject: Type.Optional(Subject), key: Type.Optional(Key),
        fields: Type.Optional(Type.Array(FieldCode, { minItems: 1, maxItems: 200, uniqueItems: true })), ...Purpose }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const { subject, key, fields } = req.body;
    return respond(reply, gateway.call(req.actor, { resource: req.params.resource, subject, key, fields }, () => purposeOf(req, req.body)), presentCallAnswer);
  });

  app.get('/call/:resource', {
    schema: { tags: ['hub-gateway'], summary: 'Look up a resource by subject or key, under a grant',
      params: Type.Object({ resource: ResourceCode }),
      querystring: Type.Object({ subject: Type.Optional(Subject), key: Type.Optional(Key),
        fields: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}(,[a-z][a-z0-9_]{0,39})*$' })), ...Purpose }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const { subject, key, fields } = req.query;
    return respond(reply, gateway.call(req.actor, { resource: req.params.resource, subject, key, fields: fields?.split(',') }, () => purposeOf(req, req.query)),
      presentCallAnswer);
  });

  app.get('/ask/:predicate', {
    schema: { tags: ['hub-gateway'], summary: 'Ask a yes/no question about a subject: true, false or unknown, never the value',
      params: Type.Object({ predicate: PredicateCode }),
      querystring: Type.Object({ subject: Subject, param: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), ...Purpose }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const { subject, param } = req.query;
    return respond(reply, gateway.ask(req.actor, { predicate: req.params.predicate, subject, param }, () => purposeOf(req, req.query)), presentAskAnswer);
  });
}
