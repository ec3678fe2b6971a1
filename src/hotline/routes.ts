import Type from 'typebox';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiToken, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { withTransaction } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { Items, runCommand, type App } from '../kernel/http/index.ts';
import {
  AlertReadSchema, AlertSchema, CategorySchema, DuplicateSchema, FiledReportSchema, HotspotsSchema, MetricsSchema, IntakeSchema, KnowledgeSchema, MergeSchema, PublicDuplicateSchema,
  PublicStatusSchema, PublicSuggestionSchema, PublicTicketSchema, QueueSchema, ReturnReasonSchema, SuggestionSchema, TicketSchema, TicketViewSchema,
} from './api-schemas.ts';
import {
  createCategory, listCategories, listDispatchRules, setDispatchRule, setTimeLimit,
} from './catalogue.ts';
import { findDuplicates, mergeTickets } from './duplicates.ts';
import { retrainClassifier, suggestForText } from './classification.ts';
import { decideExtension, requestExtension } from './extensions.ts';
import {
  open311Discovery, Open311Error, open311RequestById, open311Requests, open311ServiceDefinition, open311Services, submitOpen311Request, toXml,
} from './open311.ts';
import { isCentre } from './policy.ts';
import {
  presentAlert, presentDuplicate, presentKnowledge, presentPublicStatus, presentPublicTicket, presentSuggestion, presentTicket, presentTicketView,
  returnReasonList,
} from './present.ts';
import { channels, satisfactions, ticketKinds, ticketStates, urgencies } from './states.ts';
import { coReplyTicket } from './cohandling.ts';
import { listAlerts, markAlertRead } from './deadlines.ts';
import { findHotspots } from './hotspots.ts';
import { importLayouts, importTickets } from './import.ts';
import { listKnowledge, saveKnowledge } from './knowledge.ts';
import { computeMetrics, metricGroupings } from './metrics.ts';
import { photoMaxBytes, photoTooLarge, photoUrl, readPhoto, storePhoto } from './photos.ts';
import { fileReport, myTickets, photoReach, publicDuplicates, publicStatus, reportChannels, suggestForReport } from './reports.ts';
import { intakeTicket } from './intake.ts';
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
const moved = { 200: TicketSchema };
const PhotoIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 5 });

/** A transition's result with whether the actor is the centre, so the presenter can list the right buttons. */
const withCentre = <I>(command: (ctx: Ctx, input: I) => Promise<Ticket>) => async (ctx: Ctx, input: I) =>
  ({ ticket: await command(ctx, input), centre: await isCentre(ctx.tx, ctx.actor) });
const presentMoved = (r: { ticket: Ticket; centre: boolean }, viewer: Parameters<typeof presentTicket>[1]) =>
  presentTicket(r.ticket, viewer, { centre: r.centre });

/** 12345 hotline API: categories and catalogue, intake, the work queue, a ticket and its transitions. */
export async function hotlineRoutes(app: App) {
  app.get('/categories', { schema: { tags, summary: '诉求分类 The category tree (public: citizens pick from it)', response: { 200: Items(CategorySchema) } } },
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

  app.get('/return-reasons', { schema: { tags, summary: '退单原因 Reason codes of a return', response: { 200: Items(ReturnReasonSchema) } } }, async () => ({ items: returnReasonList() }));

  app.post('/tickets', {
    schema: { tags, summary: '受理 Take a report from any channel into a ticket; answers with duplicates nearby and the catalogue\'s department',
      body: Type.Object({
        channel: oneOf(channels), kind: oneOf(ticketKinds), categoryCode: Type.Optional(CategoryCode), urgency: Type.Optional(oneOf(urgencies)),
        emergency: Type.Optional(Type.Boolean()), description: Type.String({ minLength: 1, maxLength: 4000 }),
        lon: Type.Optional(Lon), lat: Type.Optional(Lat), address: Type.Optional(Type.String({ maxLength: 200 })),
        divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })), anonymous: Type.Optional(Type.Boolean()),
        callerName: Type.Optional(Type.String({ maxLength: 40 })), callerPhone: Type.Optional(Type.String({ maxLength: 20 })),
        photoIds: Type.Optional(PhotoIds), knowledgeId: Type.Optional(Type.Integer({ minimum: 1 })),
      }, { additionalProperties: false }),
      response: { 201: IntakeSchema } },
  }, async (req, reply) => {
    reply.code(201);
    // A plain intake writes in one statement (intake.ts); photos and a knowledge answer need a transaction.
    const plain = req.body.photoIds === undefined && req.body.knowledgeId === undefined;
    return runCommand(req, (ctx, input: typeof req.body) => intakeTicket(ctx, input), req.body,
      (r, viewer) => ({ ...presentTicket(r.ticket, viewer, { centre: r.centre }), routedDepartmentId: r.routedDepartmentId,
        duplicates: r.duplicates.map(presentDuplicate) }), { oneStatement: plain });
  });

  // A long text does not fit in a URL (Chinese percent-encoded is 9 bytes a character): POST takes it in the body, GET stays for short ones.
  const SuggestText = Type.Object({ text: Type.String({ maxLength: 4000 }) });
  const suggestSummary = '智能分类 The category and urgency a report\'s text suggests, for the operator console (staff)';
  app.get('/suggest', { schema: { tags, summary: suggestSummary, querystring: SuggestText, response: { 200: SuggestionSchema } } },
    (req) => runCommand(req, suggestForText, req.query, presentSuggestion));
  app.post('/suggest', { schema: { tags, summary: suggestSummary, body: SuggestText, response: { 200: SuggestionSchema } } },
    (req) => runCommand(req, suggestForText, req.body, presentSuggestion));

  app.post('/classifier/retrain', {
    schema: { tags, summary: 'Retrain the classifier from every labelled example, corrections included (centre or admin)' },
  }, (req) => runCommand(req, retrainClassifier, {}));

  app.get('/tickets', {
    schema: { tags, summary: 'The work queue: tickets the caller may see, by deadline',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(oneOf(ticketStates), { maxItems: 7 })), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        categoryCode: Type.Optional(CategoryCode), divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
        overdue: Type.Optional(Type.Boolean()), extensionPending: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ maxLength: 60 })),
        sort: Type.Optional(oneOf(['deadline', 'newest'])), role: Type.Optional(oneOf(['main', 'co'])),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
      response: { 200: QueueSchema } },
  }, async (req) => {
    const page = await listTickets(app.db, req.actor, req.query);
    // 主办 or 协办: whether the caller's department handles the ticket or helps with it.
    const handlingRole = (x: Ticket): 'main' | 'co' | null => (req.query.role === 'co' ? 'co' : x.departmentId !== null && x.departmentId === req.actor.departmentId ? 'main' : null);
    return { total: page.total, totalCapped: page.totalCapped,
      items: page.items.map((x) => ({ ...presentTicket(x, req.actor, { centre: page.centre }), handlingRole: handlingRole(x), returnReason: x.returnReason })) };
  });

  // Dates are checked by the command too, so an impossible day (02-30) is named like a malformed one.
  const Day = Type.String({ maxLength: 10 });
  app.get('/metrics', {
    schema: { tags, summary: '接诉即办考评 Response, resolution and satisfaction rates, score and ranking, handling time and overdue counts',
      querystring: Type.Object({ from: Day, to: Day, by: oneOf(metricGroupings),
        divisionLevel: Type.Optional(oneOf(['county', 'township'])), minReceived: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }),
      response: { 200: MetricsSchema } },
  }, (req) => computeMetrics(app.db, req.actor, req.query));

  app.get('/hotspots', {
    schema: { tags, summary: '热点 Tickets per township or grid this week against the 4 weeks before, as GeoJSON, with rising categories',
      querystring: Type.Object({ asOf: Day, level: oneOf(['township', 'grid']) }), response: { 200: HotspotsSchema } },
  }, async (req, reply) => {
    reply.type('application/geo+json; charset=utf-8');
    return findHotspots(app.db, req.actor, req.query);
  });

  app.get('/tickets/duplicates', {
    schema: { tags, summary: 'Open tickets of the same category nearby, nearest first (before submitting or on intake)',
      querystring: Type.Object({ categoryCode: CategoryCode, lon: Lon, lat: Lat, excludeId: Type.Optional(Type.Integer({ minimum: 1 })),
        radiusMetres: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }),
      response: { 200: Items(DuplicateSchema) } },
  }, async (req) => ({ items: (await findDuplicates(app.db, req.actor, req.query)).map(presentDuplicate) }));

  app.post('/tickets/merge', {
    schema: { tags, summary: '并单 Merge duplicates into a main ticket',
      body: Type.Object({ mainId: Type.Integer({ minimum: 1 }), duplicateIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 }),
        note: Type.Optional(Note) }, { additionalProperties: false }),
      response: { 200: MergeSchema } },
  }, (req) => runCommand(req, async (ctx, input: typeof req.body) => ({ ...(await mergeTickets(ctx, input)), centre: await isCentre(ctx.tx, ctx.actor) }),
    req.body, (r, viewer) => ({ main: presentTicket(r.main, viewer, { centre: r.centre }),
      merged: r.merged.map((m) => presentTicket(m, viewer, { centre: r.centre })) })));

  app.get('/tickets/:id', { schema: { tags, summary: 'A ticket with its history (showing the caller is logged)', params: Id, response: { 200: TicketViewSchema } } },
    (req) => runCommand(req, viewTicket, { id: req.params.id }, presentTicketView));

  const DispatchBody = Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
    coDepartmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10 })), note: Type.Optional(Note) }, { additionalProperties: false });
  app.post('/tickets/:id/dispatch', { schema: { tags, summary: '派单 Dispatch (to the catalogue\'s department unless one is named)', params: Id, body: DispatchBody, response: moved } },
    (req) => runCommand(req, withCentre(dispatchTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/redispatch', { schema: { tags, summary: '改派 Dispatch a returned ticket again', params: Id, body: DispatchBody, response: moved } },
    (req) => runCommand(req, withCentre(redispatchTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/accept', { schema: { tags, summary: '签收 Accept', params: Id, response: moved } },
    (req) => runCommand(req, withCentre(acceptTicket), { ticketId: req.params.id }, presentMoved));
  app.post('/tickets/:id/return', {
    schema: { tags, summary: '退单 Return to the centre with a reason code', params: Id,
      body: Type.Object({ reasonCode: Type.Optional(Type.String({ maxLength: 40 })), note: Type.Optional(Note) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(returnTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/reply', {
    schema: { tags, summary: '答复 Reply to the caller', params: Id,
      body: Type.Object({ reply: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(replyTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/close', {
    schema: { tags, summary: '办结 Close a replied ticket', params: Id, body: Type.Optional(Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false })), response: moved },
  }, (req) => runCommand(req, withCentre(closeTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/answer', {
    schema: { tags, summary: 'Answer a consultation at once and close it', params: Id,
      body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(answerTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/extension', {
    schema: { tags, summary: '延期 Ask the centre for more working days to resolve', params: Id,
      body: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 60 }), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(requestExtension), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/extension/decision', {
    schema: { tags, summary: '延期审核 Approve or refuse the waiting extension request', params: Id,
      body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(Note) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(decideExtension), { ticketId: req.params.id, ...req.body }, presentMoved));
  app.post('/tickets/:id/callback', {
    schema: { tags, summary: '回访 Record the callback; unresolved or dissatisfied reopens (重办)', params: Id,
      body: Type.Object({ resolved: Type.Boolean(), satisfaction: oneOf(satisfactions), note: Type.Optional(Note) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(callbackTicket), { ticketId: req.params.id, ...req.body }, presentMoved));
}

/**
 * The rest of the closed loop: photos, 协办 opinions, deadline alerts, citizens' reports with their
 * public status, the knowledge base and imports of historical tickets.
 */
export async function hotlineOpsRoutes(app: App) {
  await app.register(multipart, { limits: { files: 1, fields: 5 } });

  app.post('/photos', {
    schema: { tags, summary: 'Upload a photo (multipart field `photo`; JPEG, PNG or WebP by content; 5 MB unless configured)', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const max = await photoMaxBytes(app.db);
    const file = await req.file({ limits: { fileSize: max } });
    if (!file || file.fieldname !== 'photo') throw new DomainError('validation', { field: 'photo' }, 'send the file as the multipart field photo');
    const bytes = await file.toBuffer().catch((error: unknown) => {
      throw error instanceof app.multipartErrors.RequestFileTooLargeError ? photoTooLarge(max) : error;
    });
    reply.code(201);
    return runCommand(req, storePhoto, { bytes, clientAddress: req.ip }, (p) => ({ id: p.id, url: photoUrl(p.id), contentType: p.contentType, width: p.width, height: p.height }));
  });

  app.get('/photos/:id', {
    schema: { tags, summary: 'A photo, for its uploader, those who may see its ticket, or the holder of the ticket\'s status token',
      params: Type.Object({ id: Type.String({ maxLength: 40 }) }), querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) }) },
  }, async (req, reply) => {
    const photo = await runCommand(req, (ctx, input: { id: string; token?: string }) => readPhoto(ctx, input, photoReach),
      { id: req.params.id, token: req.query.token });
    return reply.type(photo.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(photo.bytes);
  });

  app.post('/tickets/:id/co-reply', {
    schema: { tags, summary: '协办意见 A co-handling department\'s opinion (once)', params: Id,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: moved },
  }, (req) => runCommand(req, withCentre(coReplyTicket), { ticketId: req.params.id, ...req.body }, presentMoved));

  app.get('/alerts', {
    schema: { tags, summary: '预警/催办/督办 Deadline alerts of the caller\'s department (the centre: all)',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }) }),
      response: { 200: Items(AlertSchema) } },
  }, async (req) => ({ items: (await listAlerts(app.db, req.actor, req.query)).map(presentAlert) }));

  app.post('/alerts/:id/read', { schema: { tags, summary: 'Mark an alert read (for the caller)', params: Id, response: { 200: AlertReadSchema } } },
    (req) => runCommand(req, markAlertRead, { id: req.params.id }));

  app.post('/reports', {
    schema: { tags, summary: '市民上报 A citizen\'s report, logged in or anonymous; answers the number, a status token and open tickets nearby',
      body: Type.Object({
        channel: oneOf(reportChannels), kind: Type.Optional(oneOf(ticketKinds)), description: Type.String({ minLength: 1, maxLength: 4000 }),
        categoryCode: Type.Optional(CategoryCode), lon: Type.Optional(Lon), lat: Type.Optional(Lat), address: Type.Optional(Type.String({ maxLength: 200 })),
        divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })), photoIds: Type.Optional(PhotoIds),
        contactName: Type.Optional(Type.String({ maxLength: 40 })), contactPhone: Type.Optional(Type.String({ maxLength: 20 })),
        anonymous: Type.Optional(Type.Boolean()),
        public: Type.Optional(Type.Boolean({ description: '公开诉求: publish the text, address and point, with phone and ID numbers masked' })),
      }, { additionalProperties: false }),
      response: { 201: FiledReportSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, fileReport, { ...req.body, clientAddress: req.ip },
      (r) => ({ number: r.number, statusToken: r.statusToken, duplicates: r.duplicates }));
  });

  app.get('/reports/duplicates', {
    schema: { tags, summary: 'Open tickets of a category near a point, before a citizen submits (public; no personal data)',
      querystring: Type.Object({ categoryCode: CategoryCode, lon: Lon, lat: Lat }), response: { 200: Items(PublicDuplicateSchema) } },
  }, async (req) => ({ items: await publicDuplicates(app.db, req.query) }));

  const ReportText = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) });
  const reportSuggestSummary = '智能分类 The category and urgency a report\'s text suggests, for the public report page (no ticket data; limited per address)';
  app.get('/reports/suggest', { schema: { tags, summary: reportSuggestSummary, querystring: ReportText, response: { 200: PublicSuggestionSchema } } },
    (req) => runCommand(req, suggestForReport, { text: req.query.text, clientAddress: req.ip }));
  app.post('/reports/suggest', { schema: { tags, summary: reportSuggestSummary, body: ReportText, response: { 200: PublicSuggestionSchema } } },
    (req) => runCommand(req, suggestForReport, { text: req.body.text, clientAddress: req.ip }));

  app.get('/public/tickets/:number', {
    schema: { tags, summary: '进度查询 A report\'s state and public timeline, for the holder of its status token',
      params: Type.Object({ number: Type.String({ maxLength: 40 }) }), querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: PublicStatusSchema } },
  }, async (req) => presentPublicStatus(await publicStatus(app.db, { number: req.params.number, token: req.query.token }), req.query.token));

  app.get('/my/tickets', { schema: { tags, summary: '我的诉求 The logged-in citizen\'s reports', response: { 200: Items(PublicTicketSchema) } } },
    async (req) => ({ items: (await myTickets(app.db, req.actor)).map(presentPublicTicket) }));

  const KnowledgeBody = Type.Object({
    question: Type.String({ minLength: 1, maxLength: 500 }), answer: Type.String({ minLength: 1, maxLength: 4000 }),
    keywords: Type.Optional(Type.String({ maxLength: 500 })), categoryCode: Type.Optional(Type.Union([CategoryCode, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false });
  app.get('/knowledge', {
    schema: { tags, summary: '知识库 Search the knowledge base (staff); `all` includes inactive entries',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), all: Type.Optional(Type.Boolean()),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }), response: { 200: Items(KnowledgeSchema) } },
  }, async (req) => ({ items: (await listKnowledge(app.db, req.actor, req.query)).map(presentKnowledge) }));
  app.post('/knowledge', { schema: { tags, summary: 'Add a knowledge-base entry (centre or admin)', body: KnowledgeBody, response: { 201: KnowledgeSchema } } }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, saveKnowledge, req.body, presentKnowledge);
  });
  app.put('/knowledge/:id', { schema: { tags, summary: 'Replace a knowledge-base entry (centre or admin)', params: Id, body: KnowledgeBody, response: { 200: KnowledgeSchema } } },
    (req) => runCommand(req, saveKnowledge, { ...req.body, id: req.params.id }, presentKnowledge));

  // A historical file is larger than a JSON body: up to 50 MB of CSV.
  const importLimit = 50 * 1024 * 1024;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: importLimit }, async (_req: unknown, body: string | Buffer) => ({ csv: String(body) }));
  app.post('/import', {
    bodyLimit: importLimit,
    schema: { tags, summary: 'Import historical tickets from CSV (centre or admin): text/csv, or JSON with the CSV and mappings; bad rows reported',
      consumes: ['text/csv', 'application/json'],
      querystring: Type.Object({ layout: oneOf(importLayouts), divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })) }),
      body: Type.Object({ csv: Type.String({ minLength: 1 }), categories: Type.Optional(Type.Record(Type.String(), CategoryCode)),
        departments: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 60 })]))),
        divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, importTickets, { ...req.body, layout: req.query.layout, divisionCode: req.body.divisionCode ?? req.query.divisionCode }));
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
    api_key: Type.Optional(Type.String({ maxLength: 200 })),
  });
  /** The caller: a session or bearer token as everywhere, or an Open311 api_key; staff see in full what they may read. */
  const viewerOf = async (req: FastifyRequest, apiKey: string | undefined): Promise<Actor> => {
    if (req.actor.kind !== 'anonymous' || !apiKey) return req.actor;
    const actor = await resolveApiToken(app.db, apiKey);
    if (!actor) throw new Open311Error(403, 'api_key is invalid, expired or revoked');
    return actor;
  };
  for (const url of both('/requests'))
    app.get(url, { schema: { tags: tags311, summary: 'Open311 service requests, filtered (the public see the public data only: docs/hotline.md)',
      querystring: RequestsQuery } },
    async (req, reply) => send(reply, formatOf(req.url), 'service_requests',
      await open311Requests(app.db, { actor: await viewerOf(req, req.query.api_key) }, req.query, new Date(), `${req.protocol}://${req.host}`)));

  for (const url of both('/requests'))
    app.post(url, { schema: { tags: tags311, summary: 'Open311: submit a service request (needs api_key)' } }, async (req, reply) => {
      const post = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, unknown>) };
      const fields = Object.fromEntries(Object.entries(post).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
      const apiKey = fields.api_key;
      if (!apiKey) throw new Open311Error(400, 'api_key is required');
      const actor = await resolveApiToken(app.db, apiKey);
      if (!actor) throw new Open311Error(403, 'api_key is invalid, expired or revoked');
      const created = await withTransaction(app.db, (tx) => submitOpen311Request({ tx, actor, now: new Date() }, fields));
      return send(reply, formatOf(req.url), 'service_requests', created);
    });

  for (const prefix of ['/requests', '/request'])
    app.get(`${prefix}/:file`, {
      schema: { tags: tags311, summary: 'Open311: one service request; in full for staff who may read it and for the holder of its status token (`token`)',
        params: Type.Object({ file: Type.String() }),
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })), api_key: Type.Optional(Type.String({ maxLength: 200 })),
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) }) },
    }, async (req, reply) => {
      const { name, format } = splitFormat(req.params.file);
      const viewer = { actor: await viewerOf(req, req.query.api_key), token: req.query.token };
      return send(reply, format, 'service_requests', await open311RequestById(app.db, viewer, name, `${req.protocol}://${req.host}`));
    });

  app.get('/tokens/:file', { schema: { tags: tags311, summary: 'Open311 tokens: requests here get their id at once', params: Type.Object({ file: Type.String() }) } },
    async (req) => {
      throw new Open311Error(404, `token ${splitFormat(req.params.file).name} not found: service requests get their id when posted`);
    });
}
