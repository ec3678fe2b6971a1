import Type from 'typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import { resolveApiToken, type Ctx } from '../kernel/auth/index.ts';
import { withTransaction } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { runCommand, type App } from '../kernel/http/index.ts';
import {
  createCategory, listCategories, listDispatchRules, setDispatchRule, setTimeLimit,
} from './catalogue.ts';
import { findDuplicates, mergeTickets } from './duplicates.ts';
import { retrainClassifier, suggestForText } from './classification.ts';
import { decideExtension, requestExtension } from './extensions.ts';
import {
  open311Discovery, Open311Error, open311RequestById, open311Requests, open311ServiceDefinition, open311Services, submitOpen311Request, toXml,
} from './open311.ts';
import { poolLocator } from './place.ts';
import { isCentre } from './policy.ts';
import { presentDuplicate, presentSuggestion, presentTicket, presentTicketView, returnReasonList } from './present.ts';
import { channels, satisfactions, ticketKinds, ticketStates, urgencies } from './states.ts';
import { findHotspots } from './hotspots.ts';
import { intakeTicket } from './intake.ts';
import { computeMetrics, metricGroupings } from './metrics.ts';
import { listTickets, viewTicket, type Ticket } from './tickets.ts';
import {
  acceptTicket, answerTicket, callbackTicket, closeTicket, dispatchTicket, redispatchTicket, replyTicket, returnTicket,
} from './workflow.ts';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const CategoryCode = Type.String({ minLength: 1, maxLength: 40 });
const Note = Type.String({ maxLength: 1000 });
const tags = ['hotline'];

/** A transition's result with whether the actor is the centre, so the presenter can list the right buttons. */
const withCentre = <I>(command: (ctx: Ctx, input: I) => Promise<Ticket>) => async (ctx: Ctx, input: I) =>
  ({ ticket: await command(ctx, input), centre: await isCentre(ctx.tx, ctx.actor) });
const presentMoved = (r: { ticket: Ticket; centre: boolean }, viewer: Parameters<typeof presentTicket>[1]) =>
  presentTicket(r.ticket, viewer, { centre: r.centre });

/** 12345 hotline API: categories and catalogue, intake, the work queue, a ticket and its transitions. */
export async function hotlineRoutes(app: App) {
  app.get('/categories', { schema: { tags, summary: '诉求分类 The category tree (public: citizens pick from it)' } },
    async () => ({ items: await listCategories(app.db) }));

  app.post('/categories', {
    schema: { tags, summary: 'Add a category (admin)',
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 40 }),
        parentCode: Type.Optional(CategoryCode), description: Type.Optional(Type.String({ maxLength: 500 })),
        keywords: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createCategory, req.body);
  });

  app.get('/dispatch-rules', { schema: { tags, summary: '派单目录 The dispatch catalogue' } },
    async (req) => ({ items: await listDispatchRules(app.db, req.actor) }));

  app.put('/dispatch-rules', {
    schema: { tags, summary: 'Set the department for a category in an area (admin)',
      body: Type.Object({ categoryCode: CategoryCode, divisionPrefix: Type.String({ pattern: '^[0-9]{2,12}$' }),
        departmentId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, setDispatchRule, req.body));

  app.put('/time-limits', {
    schema: { tags, summary: '办理时限 Set the time limits of a category (or the default) for an urgency (admin)',
      body: Type.Object({ categoryCode: Type.Optional(CategoryCode), urgency: oneOf(urgencies),
        acceptHours: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }), replyDays: Type.Integer({ minimum: 0, maximum: 365 }),
        resolveDays: Type.Integer({ minimum: 0, maximum: 365 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, setTimeLimit, req.body));

  app.get('/return-reasons', { schema: { tags, summary: '退单原因 Reason codes of a return' } }, async () => ({ items: returnReasonList() }));

  app.post('/tickets', {
    schema: { tags, summary: '受理 Take a report from any channel into a ticket; answers with duplicates nearby and the catalogue\'s department',
      body: Type.Object({
        channel: oneOf(channels), kind: oneOf(ticketKinds), categoryCode: Type.Optional(CategoryCode), urgency: Type.Optional(oneOf(urgencies)),
        emergency: Type.Optional(Type.Boolean()), description: Type.String({ minLength: 1, maxLength: 4000 }),
        lon: Type.Optional(Lon), lat: Type.Optional(Lat), address: Type.Optional(Type.String({ maxLength: 200 })),
        divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })), anonymous: Type.Optional(Type.Boolean()),
        callerName: Type.Optional(Type.String({ maxLength: 40 })), callerPhone: Type.Optional(Type.String({ maxLength: 20 })),
      }, { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    const locate = poolLocator(app.db);
    return runCommand(req, async (ctx, input: typeof req.body) => ({ ...(await intakeTicket({ ...ctx, locate }, input)), centre: await isCentre(ctx.tx, ctx.actor) }),
      req.body, (r, viewer) => ({ ...presentTicket(r.ticket, viewer, { centre: r.centre }), routedDepartmentId: r.routedDepartmentId,
        duplicates: r.duplicates.map(presentDuplicate) }));
  });

  app.get('/suggest', {
    schema: { tags, summary: '智能分类 The category and urgency a report\'s text suggests, for the operator console (staff)',
      querystring: Type.Object({ text: Type.String({ maxLength: 4000 }) }) },
  }, (req) => runCommand(req, suggestForText, req.query, presentSuggestion));

  app.post('/classifier/retrain', {
    schema: { tags, summary: 'Retrain the classifier from every labelled example, corrections included (centre or admin)' },
  }, (req) => runCommand(req, retrainClassifier, {}));

  app.get('/tickets', {
    schema: { tags, summary: 'The work queue: tickets the caller may see, by deadline',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(oneOf(ticketStates), { maxItems: 7 })), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        categoryCode: Type.Optional(CategoryCode), divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
        overdue: Type.Optional(Type.Boolean()), extensionPending: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ maxLength: 60 })),
        sort: Type.Optional(oneOf(['deadline', 'newest'])),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }),
      }) },
  }, async (req) => {
    const page = await listTickets(app.db, req.actor, req.query);
    return { total: page.total, totalCapped: page.totalCapped, items: page.items.map((x) => presentTicket(x, req.actor, { centre: page.centre })) };
  });

  // Dates are checked by the command too, so an impossible day (02-30) is named like a malformed one.
  const Day = Type.String({ maxLength: 10 });
  app.get('/metrics', {
    schema: { tags, summary: '接诉即办考评 Response, resolution and satisfaction rates, score and ranking, handling time and overdue counts',
      querystring: Type.Object({ from: Day, to: Day, by: oneOf(metricGroupings),
        divisionLevel: Type.Optional(oneOf(['county', 'township'])) }) },
  }, (req) => computeMetrics(app.db, req.actor, req.query));

  app.get('/hotspots', {
    schema: { tags, summary: '热点 Tickets per township or grid this week against the 4 weeks before, as GeoJSON, with rising categories',
      querystring: Type.Object({ asOf: Day, level: oneOf(['township', 'grid']) }) },
  }, async (req, reply) => {
    reply.type('application/geo+json; charset=utf-8');
    return findHotspots(app.db, req.actor, req.query);
  });

  app.get('/tickets/duplicates', {
    schema: { tags, summary: 'Open tickets of the same category nearby, nearest first (before submitting or on intake)',
      querystring: Type.Object({ categoryCode: CategoryCode, lon: Lon, lat: Lat, excludeId: Type.Optional(Type.Integer({ minimum: 1 })),
        radiusMetres: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }) },
  }, async (req) => ({ items: (await findDuplicates(app.db, req.actor, req.query)).map(presentDuplicate) }));

  app.post('/tickets/merge', {
    schema: { tags, summary: '并单 Merge duplicates into a main ticket',
      body: Type.Object({ mainId: Type.Integer({ minimum: 1 }), duplicateIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 }),
        note: Type.Optional(Note) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, async (ctx, input: typeof req.body) => ({ ...(await mergeTickets(ctx, input)), centre: await isCentre(ctx.tx, ctx.actor) }),
    req.body, (r, viewer) => ({ main: presentTicket(r.main, viewer, { centre: r.centre }),
      merged: r.merged.map((m) => presentTicket(m, viewer, { centre: r.centre })) })));

  app.get('/tickets/:id', { schema: { tags, summary: 'A ticket with its history (showing the caller is logged)', params: Id } },
    (req) => runCommand(req, viewTicket, { id: req.params.id }, presentTicketView));

  const DispatchBody = Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })), note: Type.Optional(Note) }, { additionalProperties: false });
  app.post('/tickets/:id/dispatch', { schema: { tags, summary: '派单 Dispatch (to the catalogue\'s department unless one is named)', params: Id, body: DispatchBody } },
    (req) => runCommand(req, withCentre(dispatchTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/redispatch', { schema: { tags, summary: '改派 Dispatch a returned ticket again', params: Id, body: DispatchBody } },
    (req) => runCommand(req, withCentre(redispatchTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/accept', { schema: { tags, summary: '签收 Accept', params: Id } },
    (req) => runCommand(req, withCentre(acceptTicket), { ticketId: req.params.id }, presentMoved));
  app.post('/tickets/:id/return', {
    schema: { tags, summary: '退单 Return to the centre with a reason code', params: Id,
      body: Type.Object({ reasonCode: Type.Optional(Type.String({ maxLength: 40 })), note: Type.Optional(Note) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(returnTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/reply', {
    schema: { tags, summary: '答复 Reply to the caller', params: Id,
      body: Type.Object({ reply: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(replyTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/close', {
    schema: { tags, summary: '办结 Close a replied ticket', params: Id, body: Type.Optional(Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false })) },
  }, (req) => runCommand(req, withCentre(closeTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/answer', {
    schema: { tags, summary: 'Answer a consultation at once and close it', params: Id,
      body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(answerTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/extension', {
    schema: { tags, summary: '延期 Ask the centre for more working days to resolve', params: Id,
      body: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 60 }), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(requestExtension), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/extension/decision', {
    schema: { tags, summary: '延期审核 Approve or refuse the waiting extension request', params: Id,
      body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(Note) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(decideExtension), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/callback', {
    schema: { tags, summary: '回访 Record the callback; unresolved or dissatisfied reopens (重办)', params: Id,
      body: Type.Object({ resolved: Type.Boolean(), satisfaction: oneOf(satisfactions), note: Type.Optional(Note) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, withCentre(callbackTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
}

type Format = 'json' | 'xml';

/** `name.json`, `name.xml` or `name` (JSON): the resource and the format asked for. */
function splitFormat(file: string): { name: string; format: Format } {
  const match = /^(.*)\.(json|xml)$/.exec(file);
  return match ? { name: match[1]!, format: match[2] as Format } : { name: file, format: 'json' };
}

const formatOf = (url: string): Format => (/\.xml(\?|$)/.test(url) ? 'xml' : 'json');

/**
 * Open311 GeoReport v2 under /open311/v2: every resource in JSON (`.json` or no extension) and XML
 * (`.xml`), errors as `[{code, description}]` (or `<errors>`) with the matching HTTP status.
 */
export async function open311Routes(app: App) {
  const tags311 = ['open311'];
  // Open311 clients post form-encoded fields; JSON bodies are accepted too.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const send = (reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) =>
    format === 'xml'
      ? reply.code(status).type('text/xml; charset=utf-8').send(toXml(root, value))
      : reply.code(status).type('application/json; charset=utf-8').send(value);

  app.setErrorHandler((error, req, reply) => {
    const format = formatOf(req.url);
    if (error instanceof Open311Error) return send(reply, format, 'errors', error.body(), error.status);
    const fe = error as FastifyError;
    if (fe.validation) return send(reply, format, 'errors', [{ code: 400, description: `${fe.validationContext}: ${fe.message}` }], 400);
    if (error instanceof DomainError) return send(reply, format, 'errors', [{ code: error.status, description: error.message }], error.status);
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status >= 500) req.log.error({ err: error }, 'open311 request failed');
    return send(reply, format, 'errors', [{ code: status, description: status >= 500 ? 'internal error' : fe.message }], status);
  });
  app.setNotFoundHandler((req, reply) => send(reply, formatOf(req.url), 'errors', [{ code: 404, description: `${req.method} ${req.url} not found` }], 404));

  const both = (path: string) => [path, `${path}.json`, `${path}.xml`];
  const started = new Date();

  for (const url of both('/discovery'))
    app.get(url, { schema: { tags: tags311, summary: 'Open311 discovery' } }, (req, reply) =>
      send(reply, formatOf(req.url), 'discovery', open311Discovery(`${req.protocol}://${req.host}/open311/v2`, started)));

  for (const url of both('/services'))
    app.get(url, { schema: { tags: tags311, summary: 'Open311 services: the categories' } }, async (req, reply) =>
      send(reply, formatOf(req.url), 'services', await open311Services(app.db)));

  app.get('/services/:file', { schema: { tags: tags311, summary: 'Open311 service definition', params: Type.Object({ file: Type.String() }) } },
    async (req, reply) => {
      const { name, format } = splitFormat(req.params.file);
      return send(reply, format, 'service_definition', await open311ServiceDefinition(app.db, name));
    });

  const RequestsQuery = Type.Object({
    service_request_id: Type.Optional(Type.String({ maxLength: 2000 })), service_code: Type.Optional(Type.String({ maxLength: 400 })),
    start_date: Type.Optional(Type.String({ maxLength: 40 })), end_date: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(Type.String({ maxLength: 20 })), jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })),
  });
  for (const url of both('/requests'))
    app.get(url, { schema: { tags: tags311, summary: 'Open311 service requests, filtered', querystring: RequestsQuery } },
      async (req, reply) => send(reply, formatOf(req.url), 'service_requests', await open311Requests(app.db, req.query)));

  for (const url of both('/requests'))
    app.post(url, { schema: { tags: tags311, summary: 'Open311: submit a service request (needs api_key)' } }, async (req, reply) => {
      const post = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, unknown>) };
      const fields = Object.fromEntries(Object.entries(post).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
      const apiKey = fields.api_key;
      if (!apiKey) throw new Open311Error(400, 'api_key is required');
      const actor = await resolveApiToken(app.db, apiKey);
      if (!actor) throw new Open311Error(403, 'api_key is invalid, expired or revoked');
      const locate = poolLocator(app.db);
      const created = await withTransaction(app.db, (tx) => submitOpen311Request({ tx, actor, now: new Date(), locate }, fields));
      return send(reply, formatOf(req.url), 'service_requests', created);
    });

  for (const prefix of ['/requests', '/request'])
    app.get(`${prefix}/:file`, { schema: { tags: tags311, summary: 'Open311: one service request', params: Type.Object({ file: Type.String() }) } },
      async (req, reply) => {
        const { name, format } = splitFormat(req.params.file);
        return send(reply, format, 'service_requests', await open311RequestById(app.db, name));
      });

  app.get('/tokens/:file', { schema: { tags: tags311, summary: 'Open311 tokens: requests here get their id at once', params: Type.Object({ file: Type.String() }) } },
    async (req) => {
      throw new Open311Error(404, `token ${splitFormat(req.params.file).name} not found: service requests get their id when posted`);
    });
}
