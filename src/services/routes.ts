import { create as contentDisposition } from 'content-disposition';
import Type from 'typebox';
import type { Ctx } from '../kernel/auth/index.ts';
import { Items, runCommand, type App } from '../kernel/http/index.ts';
import {
  AmountKindSchema, ApplicationPage, ApplicationSchema, EvaluationSchema, FiguresSchema, ImportReportSchema, ItemPage, ItemSchema, LifeEventCountsSchema, OfferSchema,
  PolicySchema, RatingFigureSchema, RectificationPage,
} from './api-schemas.ts';
import {
  applicationStates, channels, listApplications, saveDraft, startApplication, submitApplication,
  readMaterial, uploadMaterial, viewApplication, type Application, type ApplicationQuery, type StartApplication,
} from './applications.ts';
import {
  exportItems, getItem, importItems, ItemInput, itemKinds, itemsToCsv, lifeEventCounts, lifeEvents, listItems, parseItemFile, PrefillRule,
  saveItem, setItemForm, withdrawItem,
} from './items.ts';
import { loadApplicationView, presentApplication, presentApplicationRow, presentItem, presentItemSummary, type ApplicationView } from './present.ts';
import { serviceFigures } from './figures.ts';
import { acceptOffer, evaluatePolicy, listPolicies, myOffers, PolicyInput, savePolicy } from './benefits.ts';
import {
  advanceRectification, callBackRating, listRectifications, rateApplication, ratingFigures, ratingLevels, rectificationStates,
  type AdvanceRectification, type RateApplication, type RectificationState,
} from './ratings.ts';
import { assertCan } from '../kernel/auth/index.ts';
import { servicesActions } from './policy.ts';
import {
  acceptApplication, advanceApplication, answerCorrection, decideApplication, finishApplication, rejectApplication, requestCorrection,
} from './workflow.ts';

const oneOf = (values: readonly string[]) => Type.Enum([...values]);
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Form = Type.Record(Type.String(), Type.Unknown());
const Note = Type.String({ maxLength: 2000 });
const Page = { limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }), offset: Type.Integer({ minimum: 0, default: 0 }) };
const tags = ['services'];
const viewed = { 200: ApplicationSchema };

/** A command on an application answered with the application as its viewer sees it (clocks, history, buttons). */
const viewing = <I>(command: (ctx: Ctx, input: I) => Promise<Application>) => async (ctx: Ctx, input: I): Promise<ApplicationView> => {
  const app = await command(ctx, input);
  return loadApplicationView(ctx.tx, app, await getItem(ctx.tx, app.itemId), ctx.now);
};

/** 一网通办 API under /api/v1/services: the public catalogue, its administration, applications and their handling. */
export async function servicesRoutes(app: App) {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, async (_req: unknown, body: string | Buffer) => String(body));

  app.get('/items', {
    schema: { tags, summary: '事项目录 The public catalogue: by life event, type, department or words of the name',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), lifeEvent: Type.Optional(oneOf(lifeEvents)),
        kind: Type.Optional(oneOf(Object.keys(itemKinds))), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        fullyOnline: Type.Optional(Type.Boolean()), ...Page }), response: { 200: ItemPage } },
  }, async (req) => {
    const page = await listItems(app.db, req.query);
    return { total: page.total, items: page.items.map(presentItemSummary) };
  });

  app.get('/life-events', { schema: { tags, summary: '主题 Life events with the number of items in each', response: { 200: LifeEventCountsSchema } } },
    async () => ({ items: Object.entries(await lifeEventCounts(app.db)).map(([key, count]) => ({ key, count })) }));

  app.get('/items/export', {
    schema: { tags, summary: 'Items within the admin\'s jurisdiction as JSON or CSV',
      querystring: Type.Object({ format: oneOf(['json', 'csv']) }) },
  }, async (req, reply) => {
    const items = await exportItems(app.db, req);
    if (req.query.format === 'json') return items;
    return reply.header('content-disposition', 'attachment; filename="service-items.csv"').type('text/csv; charset=utf-8').send(itemsToCsv(items));
  });

  app.post('/items/import', {
    bodyLimit: 10 * 1024 * 1024,
    schema: { tags, summary: 'Import items (JSON array of items or CSV with the export\'s header); good rows are saved, each bad one reported',
      consumes: ['application/json', 'text/csv'], response: { 200: ImportReportSchema } },
  }, (req) => runCommand(req, async (ctx: Ctx, body: unknown) => importItems(ctx, parseItemFile(body)), req.body));

  app.get('/items/:id', { schema: { tags, summary: '办事指南 One item with its guide, materials, time limits and form', params: Id, response: { 200: ItemSchema } } },
    async (req) => presentItem(await getItem(app.db, req.params.id)));

  app.post('/items', { schema: { tags, summary: 'Add an item, or replace the one with the same code (admin)', body: ItemInput, response: { 201: ItemSchema } } },
    async (req, reply) => {
      const saved = await runCommand(req, saveItem, req.body, presentItem);
      return reply.code(201).send(saved);
    });

  app.put('/items/:id/form', {
    schema: { tags, summary: 'Set the application form (JSON Schema), its prefill rules and the amount its approval states (admin)', params: Id,
      body: Type.Object({ formSchema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
        prefill: Type.Optional(Type.Array(PrefillRule)), amountKind: Type.Optional(AmountKindSchema) }, { additionalProperties: false }), response: { 200: ItemSchema } },
  }, (req) => runCommand(req, setItemForm, { id: req.params.id, ...req.body }, presentItem));

  app.post('/items/:id/withdraw', { schema: { tags, summary: 'Take an item off the online catalogue (admin)', params: Id, response: { 200: ItemSchema } } },
    (req) => runCommand(req, withdrawItem, req.params.id, presentItem));

  app.get('/applications', {
    schema: { tags, summary: '办件 The work queue (staff, by committed deadline) or my applications (citizen)',
      querystring: Type.Object({ state: Type.Optional(Type.Array(oneOf(applicationStates))), itemId: Type.Optional(Type.Integer({ minimum: 1 })),
        overdue: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ maxLength: 100 })), ...Page }),
      response: { 200: ApplicationPage } },
  }, async (req) => {
    const page = await listApplications(app.db, req.actor, req.query as ApplicationQuery);
    return { total: page.total, items: page.items.map(presentApplicationRow) };
  });

  app.post('/applications', {
    schema: { tags, summary: '申请 Start an application (a prefilled draft), or submit it at once with `submit`',
      body: Type.Object({ itemId: Type.Integer({ minimum: 1 }), channel: Type.Optional(oneOf(channels.filter((c) => c !== 'proactive'))),
        form: Type.Optional(Form), submit: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: ApplicationSchema } },
  }, async (req, reply) => reply.code(201).send(await runCommand(req, startApplication, req.body as StartApplication, presentApplication)));

  app.get('/applications/:id', { schema: { tags, summary: 'One application with its clocks, history and next actions', params: Id, response: viewed } },
    async (req) => {
      const found = await viewApplication(app.db, req.actor, req.params.id);
      return presentApplication(await loadApplicationView(app.db, found, await getItem(app.db, found.itemId), new Date()), req.actor);
    });

  app.put('/applications/:id/form', {
    schema: { tags, summary: 'Save the draft form (applicant)', params: Id, body: Type.Object({ form: Form }, { additionalProperties: false }),
      response: viewed },
  }, (req) => runCommand(req, viewing(saveDraft), { id: req.params.id, form: req.body.form }, presentApplication));

  app.post('/applications/:id/materials', {
    bodyLimit: 8 * 1024 * 1024,
    schema: { tags, summary: 'Upload a material (base64 content; PDF, JPEG or PNG up to 5 MB)', params: Id,
      body: Type.Object({ material: Type.String({ minLength: 1, maxLength: 100 }), fileName: Type.String({ minLength: 1, maxLength: 200 }),
        contentType: Type.String({ minLength: 1, maxLength: 100 }), content: Type.String({ minLength: 1, contentEncoding: 'base64' }) },
      { additionalProperties: false }) },
  }, (req) => runCommand(req, uploadMaterial, { id: req.params.id, ...req.body, content: Buffer.from(req.body.content, 'base64') }));

  app.get('/applications/:id/materials/:material', {
    schema: { tags, summary: '查看材料 A material\'s file, for the applicant and the staff who may read the case; each look is logged',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), material: Type.String({ minLength: 1, maxLength: 100 }) }) },
  }, async (req, reply) => {
    const file = await runCommand(req, readMaterial, req.params);
    // Only what the bytes prove to be a PDF or an image opens in the browser; anything else is a download of opaque bytes.
    return reply.type(file.sniffedType ?? 'application/octet-stream')
      .header('content-disposition', contentDisposition(file.fileName, { type: file.sniffedType ? 'inline' : 'attachment' }))
      .header('cache-control', 'private, no-store').send(file.content);
  });

  app.post('/applications/:id/submit', {
    schema: { tags, summary: '提交 Submit: form and materials checked, receipt number and deadlines given', params: Id,
      body: Type.Optional(Type.Object({ form: Type.Optional(Form) }, { additionalProperties: false })), response: viewed },
  }, (req) => runCommand(req, viewing(submitApplication), { id: req.params.id, form: req.body?.form }, presentApplication));

  const NoteBody = Type.Optional(Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false }));
  const step = (path: string, summary: string, command: (ctx: Ctx, input: { id: number; note?: string }) => Promise<Application>) =>
    app.post(`/applications/:id/${path}`, { schema: { tags, summary, params: Id, body: NoteBody, response: viewed } },
      (req) => runCommand(req, viewing(command), { id: req.params.id, note: req.body?.note }, presentApplication));
  step('accept', '受理 Accept (the item\'s first step)', acceptApplication);
  step('correction', '补正 Ask the applicant for corrections (note required); the clock stops', requestCorrection);
  step('advance', '审查 Do the current middle step (countersign: two officers)', advanceApplication);
  step('finish', '办结 Finish a decided application', finishApplication);

  app.post('/applications/:id/reject', {
    schema: { tags, summary: '不予受理 Do not accept, with the reason', params: Id,
      body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: viewed },
  }, (req) => runCommand(req, viewing(rejectApplication), { id: req.params.id, reason: req.body.reason }, presentApplication));

  app.post('/applications/:id/answer', {
    schema: { tags, summary: '补正 The applicant answers with the corrected form; the clock restarts', params: Id,
      body: Type.Object({ form: Type.Optional(Form), note: Type.Optional(Note) }, { additionalProperties: false }), response: viewed },
  }, (req) => runCommand(req, viewing(answerCorrection), { id: req.params.id, ...req.body }, presentApplication));

  app.post('/applications/:id/decide', {
    schema: { tags, summary: '决定 Approve or refuse (reason required to refuse; an approval of an item with an amount kind states the amount in 分)', params: Id,
      body: Type.Object({
        approve: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 2000 })),
        /** 分 (fen), at most 1000万元 */
        amount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'amount the approval pays or charges, in fen (分)' })),
      }, { additionalProperties: false }),
      response: viewed },
  }, (req) => runCommand(req, viewing(decideApplication), { id: req.params.id, ...req.body }, presentApplication));

  app.post('/applications/:id/ratings', {
    schema: { tags, summary: '好差评 Rate the finished case, or one step of it (stepId), once each', params: Id,
      body: Type.Object({ level: oneOf(Object.keys(ratingLevels)), comment: Type.Optional(Type.String({ maxLength: 1000 })),
        stepId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }) },
  }, async (req, reply) => reply.code(201).send(await runCommand(req, rateApplication, { id: req.params.id, ...req.body } as RateApplication)));

  app.get('/rectifications', {
    schema: { tags, summary: '差评整改 Rectification tasks of bad ratings, open ones by deadline',
      querystring: Type.Object({ state: Type.Optional(Type.Array(oneOf(rectificationStates))), ...Page }), response: { 200: RectificationPage } },
  }, async (req) => listRectifications(app.db, req.actor, req.query as { state?: RectificationState[]; limit: number; offset: number }));

  app.post('/rectifications/:id/:stage', {
    schema: { tags, summary: '核实 verify → 整改 rectify → 反馈 reply → 复核 review (accepted: false sends it back)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), stage: oneOf(['verify', 'rectify', 'reply', 'review']) }),
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }), substantiated: Type.Optional(Type.Boolean()),
        accepted: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, advanceRectification, { ...req.params, ...req.body } as AdvanceRectification));

  app.post('/rectifications/:id/callback', {
    schema: { tags, summary: '回访 Call back the citizen of a bad rating', params: Id,
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }) },
  }, (req) => runCommand(req, callBackRating, { id: req.params.id, note: req.body.note }));

  app.get('/ratings/figures', {
    schema: { tags, summary: 'Ratings per item, department or channel within the caller\'s jurisdiction',
      querystring: Type.Object({ by: oneOf(['item', 'department', 'channel']) }), response: { 200: Items(RatingFigureSchema) } },
  }, async (req) => {
    assertCan(req.actor, servicesActions.readRatings);
    return { items: await ratingFigures(app.db, req.query.by as 'item' | 'department' | 'channel', req.actor.jurisdiction.prefix ?? '-') };
  });

  app.get('/figures', { schema: { tags, summary: 'Dashboard figures within the caller\'s jurisdiction', response: { 200: FiguresSchema } } }, async (req) => {
    assertCan(req.actor, servicesActions.readRatings);
    return serviceFigures(app.db, req.actor.jurisdiction.prefix ?? '-');
  });

  app.get('/figures/public', { schema: { tags, summary: 'Public aggregate figures for the portal (no login)', response: { 200: FiguresSchema } } },
    async () => serviceFigures(app.db, ''));

  app.get('/policies', { schema: { tags, summary: '不来即享 Proactive benefit policies with their offer counts (admin)', response: { 200: Items(PolicySchema) } } },
    async (req) => ({ items: await listPolicies(app.db, req.actor) }));

  app.post('/policies', { schema: { tags, summary: 'Add a policy, or replace the one with the same code (admin)', body: PolicyInput, response: { 201: PolicySchema } } },
    async (req, reply) => reply.code(201).send(await runCommand(req, savePolicy, req.body as PolicyInput)));

  app.post('/policies/:id/evaluate', {
    schema: { tags, summary: '精准匹配 Find who qualifies now from hub data; offer (or grant, if automatic) to each new one', params: Id,
      response: { 200: EvaluationSchema } },
  }, (req) => runCommand(req, evaluatePolicy, { id: req.params.id }));

  app.get('/offers', { schema: { tags, summary: 'Benefits offered to me (citizen), with why I qualify', response: { 200: Items(OfferSchema) } } },
    async (req) => ({ items: await myOffers(app.db, req.actor) }));

  app.post('/offers/:id/accept', { schema: { tags, summary: '一键确认 Accept an offer: an application approved at once', params: Id, response: viewed } },
    (req) => runCommand(req, viewing(acceptOffer), { id: req.params.id }, presentApplication));
}
