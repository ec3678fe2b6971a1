import Type from 'typebox';
import { Items, Nullable, runCommand, type App } from '../kernel/http/index.ts';
import { CaseDetailSchema, CaseKindSchema, CasesSchema, DispatchRuleSchema, EvaluationSchema } from './api-schemas.ts';
import { caseKindsSource, listCaseKinds, listDispatchRules, removeDispatchRule, setDispatchRule, updateCaseKind, urgencies } from './case-kinds.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_STEP } from './case-photos.ts';
import { getCase, listCases, readCasePhoto } from './case-reads.ts';
import {
  caseSources, caseStates, checkCase, closeCase, dispatchCase, evaluateCase, fileCase, handleCase, openCase, refuseCase, reportCase, returnCase, verifyCase,
  type Case,
} from './cases.ts';
import { evaluateMonth } from './evaluation.ts';
import { caseFromTicket, listHotlineCategories, setHotlineCategory } from './hotline-link.ts';
import { presentCase, presentCaseDetail } from './present.ts';

const tags = ['cityops'];
const Lit = <const V extends readonly string[]>(values: V) => Type.Union(values.map((v) => Type.Literal(v)));
const KindCode = Type.String({ pattern: '^[CE][0-9]{4}$' });
export const Photos = Type.Array(Type.Object({ data: Type.String({ maxLength: Math.ceil(MAX_PHOTO_BYTES * 4 / 3) + 4, description: 'the image, base64' }) },
  { additionalProperties: false }), { maxItems: MAX_PHOTOS_PER_STEP });
const Text = (max: number) => Type.String({ maxLength: max });
const Position = { lon: Type.Number(), lat: Type.Number(), accuracy: Type.Optional(Nullable(Type.Number({ minimum: 0 }))) };
const CaseId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
// Photos travel in the body: a step with four phone photos needs more than the default megabyte.
export const photoBody = { bodyLimit: MAX_PHOTOS_PER_STEP * Math.ceil(MAX_PHOTO_BYTES * 4 / 3) + 64 * 1024 };

/** Runs a case command, then answers the case as the caller now sees it. */
export async function step<I>(app: App, req: Parameters<typeof runCommand>[0], command: (ctx: import('../kernel/auth/index.ts').Ctx, input: I) => Promise<Case>, input: I) {
  const c = await runCommand(req, command, input);
  return presentCaseDetail(await getCase(app.db, req.actor, c.id, new Date()), req.actor);
}

/** 一网统管, cases (案件): the loop from report to rating, the case kinds and the dispatch catalogue, under /api/v1/cityops. */
export async function cityopsCaseRoutes(app: App) {
  app.get('/case-kinds', { schema: { tags, summary: '案件分类 Case kinds with their 立案条件, 结案条件 and time limits',
    response: { 200: Type.Object({ source: Type.String(), ...Items(CaseKindSchema).properties }) } } },
  async () => ({ source: caseKindsSource, items: await listCaseKinds(app.db) }));

  app.patch('/case-kinds/:code', {
    schema: { tags, summary: 'Change a case kind\'s conditions, usual department or time limits, or retire it (command centre)',
      params: Type.Object({ code: KindCode }),
      body: Type.Object({ filingCondition: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), closingCondition: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        departmentKind: Type.Optional(Nullable(Text(40))), normalHours: Type.Optional(Type.Number()), normalRoundClock: Type.Optional(Type.Boolean()),
        urgentHours: Type.Optional(Type.Number()), urgentRoundClock: Type.Optional(Type.Boolean()), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: CaseKindSchema } },
  }, (req) => runCommand(req, updateCaseKind, { ...req.body, code: req.params.code }));

  app.get('/dispatch-rules', {
    schema: { tags, summary: '派遣目录 Which unit handles a kind in an area', querystring: Type.Object({ kindCode: Type.Optional(KindCode) }),
      response: { 200: Items(DispatchRuleSchema) } },
  }, async (req) => ({ items: await listDispatchRules(app.db, req.actor, req.query) }));

  app.put('/dispatch-rules', {
    schema: { tags, summary: 'Set the unit that handles a kind in an area (command centre)',
      body: Type.Object({ divisionCode: Type.String({ pattern: '^[0-9]{12}$' }), kindCode: KindCode, departmentId: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false }),
      response: { 200: DispatchRuleSchema } },
  }, (req) => runCommand(req, setDispatchRule, req.body));

  app.delete('/dispatch-rules/:id', {
    schema: { tags, params: CaseId, response: { 200: Type.Object({ removed: Type.Boolean() }) } },
  }, (req) => runCommand(req, removeDispatchRule, { id: req.params.id }));

  app.get('/cases', {
    schema: { tags, summary: 'Cases the caller may see, newest first: a centre\'s jurisdiction, a unit\'s dispatched cases, a patrol worker\'s own',
      querystring: Type.Object({
        state: Type.Optional(Lit(caseStates)), open: Type.Optional(Type.Boolean()), source: Type.Optional(Lit(caseSources)), kindCode: Type.Optional(KindCode),
        divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        alerted: Type.Optional(Type.Boolean()), mine: Type.Optional(Type.Boolean()),
        page: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }),
      response: { 200: CasesSchema } },
  }, async (req) => {
    const page = await listCases(app.db, req.actor, new Date(), req.query);
    return { total: page.total, items: page.items.map((c) => presentCase(c.view, req.actor, c.desk)) };
  });

  app.post('/cases/report', {
    ...photoBody,
    schema: { tags, summary: '上报 A patrol worker reports a problem with a photo and the phone\'s position',
      body: Type.Object({ kindCode: KindCode, urgency: Type.Optional(Lit(urgencies)), description: Type.String({ minLength: 1, maxLength: 1000 }),
        address: Type.Optional(Text(200)), componentCode: Type.Optional(Nullable(Text(40))), ...Position, photos: Photos }, { additionalProperties: false }),
      response: { 201: CaseDetailSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return step(app, req, reportCase, req.body);
  });

  app.post('/cases', {
    ...photoBody,
    schema: { tags, summary: 'Open a case: a public report (checked on site before 立案), a leader\'s instruction or the command centre\'s own',
      body: Type.Object({ source: Lit(['public', 'leader', 'command'] as const), sourceRef: Type.Optional(Nullable(Text(200))), kindCode: KindCode,
        urgency: Type.Optional(Lit(urgencies)), description: Type.String({ minLength: 1, maxLength: 1000 }), address: Type.Optional(Text(200)),
        lon: Type.Number(), lat: Type.Number(), componentCode: Type.Optional(Nullable(Text(40))), photos: Type.Optional(Photos) }, { additionalProperties: false }),
      response: { 201: CaseDetailSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return step(app, req, openCase, req.body);
  });

  app.get('/cases/:id', { schema: { tags, params: CaseId, response: { 200: CaseDetailSchema } } },
    async (req) => presentCaseDetail(await getCase(app.db, req.actor, req.params.id, new Date()), req.actor));

  app.get('/cases/:id/photos/:photoId', {
    schema: { tags, summary: 'A photo of a case, for those who may see the case', params: Type.Object({ id: Type.Integer({ minimum: 1 }), photoId: Text(40) }) },
  }, async (req, reply) => {
    const photo = await readCasePhoto(app.db, req.actor, req.params.id, req.params.photoId);
    return reply.type(photo.contentType).header('cache-control', 'private, max-age=3600').send(photo.bytes);
  });

  const FieldBody = { note: Type.Optional(Nullable(Text(500))), ...Position, photos: Type.Optional(Photos) };

  app.post('/cases/:id/verify', {
    ...photoBody,
    schema: { tags, summary: '核实 On site: the reported problem is there (found) or not', params: CaseId,
      body: Type.Object({ found: Type.Boolean(), ...FieldBody }, { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, verifyCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/file', {
    schema: { tags, summary: '立案 (supervision centre), possibly under another kind or urgency', params: CaseId,
      body: Type.Object({ kindCode: Type.Optional(KindCode), urgency: Type.Optional(Lit(urgencies)), note: Type.Optional(Nullable(Text(500))) },
        { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, fileCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/refuse', {
    schema: { tags, summary: '不予立案 with the reason (supervision centre)', params: CaseId,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, refuseCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/dispatch', {
    schema: { tags, summary: '派遣 to a unit (command centre); without departmentId, to the unit the route names', params: CaseId,
      body: Type.Object({ departmentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), note: Type.Optional(Nullable(Text(500))) },
        { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, dispatchCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/return', {
    schema: { tags, summary: '退回 The unit hands the case back: not theirs', params: CaseId,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, returnCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/handle', {
    ...photoBody,
    schema: { tags, summary: '处置 The unit\'s reply with an after-photo', params: CaseId,
      body: Type.Object({ reply: Type.String({ minLength: 1, maxLength: 1000 }), photos: Photos,
        recordedAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'when it was done on the phone, if it waited in its offline queue' }))) },
      { additionalProperties: false }),
      response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, handleCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/check', {
    ...photoBody,
    schema: { tags, summary: '核查 On site: passed, or back to the unit', params: CaseId,
      body: Type.Object({ passed: Type.Boolean(), ...FieldBody }, { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, checkCase, { ...req.body, photos: req.body.photos ?? [], caseId: req.params.id }));

  app.post('/cases/:id/close', {
    schema: { tags, summary: '结案 (supervision centre)', params: CaseId,
      body: Type.Object({ note: Type.Optional(Nullable(Text(500))) }, { additionalProperties: false }), response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, closeCase, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/evaluate', {
    schema: { tags, summary: '评价 Rate a closed case 1–5 (a centre), once', params: CaseId,
      body: Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Nullable(Text(500))) }, { additionalProperties: false }),
      response: { 200: CaseDetailSchema } },
  }, (req) => step(app, req, evaluateCase, { ...req.body, caseId: req.params.id }));

  const HotlineCategory = Type.Object({ categoryCode: Type.String({ minLength: 1, maxLength: 40 }), kindCode: KindCode, auto: Type.Boolean() },
    { additionalProperties: false });
  app.get('/hotline-categories', { schema: { tags, summary: '12345 categories of city management and the case kind each becomes',
    response: { 200: Items(HotlineCategory) } } }, async () => ({ items: await listHotlineCategories(app.db) }));

  app.put('/hotline-categories', {
    schema: { tags, summary: 'Map a 12345 category to a case kind; `auto`: its tickets become cases without the hotline centre (command centre)',
      body: HotlineCategory, response: { 200: HotlineCategory } },
  }, (req) => runCommand(req, setHotlineCategory, req.body));

  app.post('/cases/from-ticket', {
    schema: { tags, summary: '转数字城管 A received 12345 ticket of a city-management category becomes a case; the ticket follows it (hotline centre)',
      body: Type.Object({ ticketId: Type.Integer({ minimum: 1 }), kindCode: Type.Optional(KindCode), urgency: Type.Optional(Lit(urgencies)) },
        { additionalProperties: false }),
      response: { 201: CaseDetailSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return step(app, req, caseFromTicket, req.body);
  });

  app.get('/case-evaluation', {
    schema: { tags, summary: '考评 A month\'s on-time, rework and 核查 pass rates of units, areas and patrol workers',
      querystring: Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }) }), response: { 200: EvaluationSchema } },
  }, async (req) => evaluateMonth(app.db, req.actor, req.query.month));
}
