import Type from 'typebox';
import { Items, Page, runCommand, type App } from '../kernel/http/index.ts';
import { CaseListItemSchema, CaseSchema, CaseViewSchema, ItemInput, ItemSchema } from './api-schemas.ts';
import { caseStates, decideCase, fileCase, listCases, proposePenalty, reviewCase, viewCase } from './cases.ts';
import { levels, listItems, saveItem } from './items.ts';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const tags = ['penalties'];
const closed = { additionalProperties: false } as const;
const Check = Type.Object({ approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 2000 })) }, closed);

/** 行政处罚 under /api/v1/penalties. */
export async function penaltiesRoutes(app: App) {
  app.get('/items', { schema: { tags, summary: '处罚事项 The items and their discretion standards (裁量基准) the caller works with', response: { 200: Items(ItemSchema) } } },
    async (req) => ({ items: await listItems(app.db, req.actor) }));
  app.put('/items', { schema: { tags, summary: 'Add an item or edit the one with its code', body: ItemInput, response: { 200: ItemSchema } } },
    (req) => runCommand(req, saveItem, req.body));

  app.get('/cases', {
    schema: { tags, summary: '行政处罚案件 The cases the caller sees, newest first; parties masked',
      querystring: Type.Object({ state: Type.Optional(Type.Array(oneOf(caseStates))), q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, closed),
      response: { 200: Page(CaseListItemSchema) } },
  }, async (req) => listCases(app.db, req.actor, req.query));
  app.post('/cases', {
    schema: { tags, summary: '立案 File a case',
      body: Type.Object({ itemId: Type.Integer({ minimum: 1 }), partyKind: oneOf(['person', 'organisation']), partyName: Type.String({ minLength: 1, maxLength: 200 }),
        partyIdNumber: Type.String({ minLength: 15, maxLength: 18 }), divisionCode: Type.String({ pattern: '^\\d{12}$' }),
        place: Type.String({ minLength: 1, maxLength: 200 }), facts: Type.String({ minLength: 1, maxLength: 4000 }) }, closed),
      response: { 201: CaseSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, fileCase, req.body); });
  app.get('/cases/:id', { schema: { tags, summary: 'A case with its record (a ledger entry when the party is a person)', params: Id, response: { 200: CaseViewSchema } } },
    (req) => runCommand(req, viewCase, req.params));
  app.post('/cases/:id/proposal', {
    schema: { tags, summary: '拟处罚 Level of discretion and fine (分); a fine outside its band states the reason', params: Id,
      body: Type.Object({ level: oneOf(levels), amount: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }), deviation: Type.Optional(Type.String({ maxLength: 2000 })) }, closed),
      response: { 200: CaseSchema } },
  }, (req) => runCommand(req, proposePenalty, { id: req.params.id, ...req.body }));
  app.post('/cases/:id/review', { schema: { tags, summary: '法制审核 Pass, or send back with the reason', params: Id, body: Check, response: { 200: CaseSchema } } },
    (req) => runCommand(req, reviewCase, { id: req.params.id, ...req.body }));
  app.post('/cases/:id/decision', { schema: { tags, summary: '决定 Decide the proposed fine, or send back with the reason', params: Id, body: Check, response: { 200: CaseSchema } } },
    (req) => runCommand(req, decideCase, { id: req.params.id, ...req.body }));
}
