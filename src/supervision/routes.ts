import Type from 'typebox';
import { Items, Page, runCommand, type App } from '../kernel/http/index.ts';
import {
  FindingSchema, ListSchema, ProblemSchema, ProblemViewSchema, ScoresSchema, StatsSchema, TaskSchema, TaskViewSchema, Weights, WeightsSchema,
} from './api-schemas.ts';
import { attachmentMaxCount, attachmentTypes, readAttachment } from './attachments.ts';
import { addList, listLists } from './lists.ts';
import {
  addStep, analyseProblem, causeCategories, listProblems, preventionKinds, preventProblem, problemSources, problemStates, problemStats, registerProblem,
  reviewProblem, submitProblem, viewProblem,
} from './problems.ts';
import { currentWeights, monthlyScores, setWeights } from './scores.ts';
import { listFindings } from './sources.ts';
import { assignTask, closeTask, listTasks, reportTask, taskStates, viewTask } from './tasks.ts';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const tags = ['supervision'];
const closed = { additionalProperties: false } as const;
const Attachments = Type.Array(Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }), contentType: oneOf(attachmentTypes),
  // base64 of at most 4 MiB
  data: Type.String({ minLength: 1, maxLength: 5_600_000, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
}, closed), { maxItems: attachmentMaxCount });
const withFiles = { bodyLimit: 30 * 1024 * 1024 };
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

/** 七张问题清单 and 督考 under /api/v1/supervision. */
export async function supervisionRoutes(app: App) {
  app.get('/lists', { schema: { tags, summary: '问题清单 The seven lists and the city\'s own', response: { 200: Items(ListSchema) } } },
    async (req) => ({ items: await listLists(app.db, req.actor) }));
  app.post('/lists', {
    schema: { tags, summary: 'Add a list of the city\'s own', body: Type.Object({ code: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }), nameZh: Text(60), nameEn: Type.String({ maxLength: 100 }) }, closed),
      response: { 201: ListSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, addList, req.body); });

  app.get('/findings', { schema: { tags, summary: '问题线索 Findings of the hotline and the ratings that may go on a list', response: { 200: Items(FindingSchema) } } },
    async (req) => ({ items: await listFindings(app.db, req.actor) }));

  app.get('/problems', {
    schema: { tags, summary: '问题清单 The problems the caller may see, open first by deadline',
      querystring: Type.Object({ listId: Type.Optional(Type.Integer({ minimum: 1 })), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        state: Type.Optional(Type.Array(oneOf(problemStates))), overdue: Type.Optional(Type.Boolean()), ...Paging }, closed),
      response: { 200: Page(ProblemSchema) } },
  }, async (req) => listProblems(app.db, req.actor, req.query));
  app.get('/problems/stats', { schema: { tags, summary: 'Counts, overdue and recurrence by list, department and area', response: { 200: StatsSchema } } },
    async (req) => problemStats(app.db, req.actor));
  app.post('/problems', {
    schema: { tags, summary: '列入清单 Register a problem',
      body: Type.Object({ source: oneOf(problemSources), sourceRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), title: Text(200),
        description: Text(4000), listId: Type.Integer({ minimum: 1 }), departmentId: Type.Integer({ minimum: 1 }),
        divisionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), kind: Text(100), dueDays: Type.Integer({ minimum: 1, maximum: 250 }) }, closed),
      response: { 201: ProblemSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, registerProblem, req.body); });
  app.get('/problems/:id', { schema: { tags, summary: 'A problem with its steps, evidence and timeline', params: Id, response: { 200: ProblemViewSchema } } },
    async (req) => viewProblem(app.db, req.actor, req.params.id));
  app.post('/problems/:id/analysis', {
    schema: { tags, summary: '根源分析 Five whys and the category of cause', params: Id,
      body: Type.Object({ whys: Type.Array(Text(1000), { minItems: 1, maxItems: 5 }), causeCategory: oneOf(causeCategories), rootCause: Text(2000) }, closed),
      response: { 200: ProblemSchema } },
  }, (req) => runCommand(req, analyseProblem, { id: req.params.id, ...req.body } as Parameters<typeof analyseProblem>[1]));
  app.post('/problems/:id/steps', {
    ...withFiles,
    schema: { tags, summary: '整改措施 A step taken, with evidence', params: Id,
      body: Type.Object({ description: Text(4000), attachments: Attachments }, closed), response: { 200: ProblemSchema } },
  }, (req) => runCommand(req, addStep, { id: req.params.id, ...req.body }));
  app.post('/problems/:id/submit', {
    schema: { tags, summary: '提请验收 Ask for acceptance', params: Id, body: Type.Object({ note: Text(2000) }, closed), response: { 200: ProblemSchema } },
  }, (req) => runCommand(req, submitProblem, { id: req.params.id, ...req.body }));
  app.post('/problems/:id/review', {
    schema: { tags, summary: '评估验收 Accept, or send back to rectification (not by the owner department)', params: Id,
      body: Type.Object({ accepted: Type.Boolean(), note: Text(2000) }, closed), response: { 200: ProblemSchema } },
  }, (req) => runCommand(req, reviewProblem, { id: req.params.id, ...req.body }));
  app.post('/problems/:id/prevention', {
    schema: { tags, summary: '预警预防 The prevention step; closes the problem and starts the recurrence watch', params: Id,
      body: Type.Object({ kind: oneOf(preventionKinds), description: Text(2000), everyDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })) }, closed),
      response: { 200: ProblemSchema } },
  }, (req) => runCommand(req, preventProblem, { id: req.params.id, ...req.body } as Parameters<typeof preventProblem>[1]));

  app.get('/attachments/:id', {
    schema: { tags, summary: 'A file of evidence, for those who may see its problem or task', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
  }, async (req, reply) => {
    const file = await readAttachment(app.db, req.actor, req.params.id);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(file.bytes);
  });

  app.get('/tasks', {
    schema: { tags, summary: '督办事项 Tasks the caller may see, open first by deadline',
      querystring: Type.Object({ state: Type.Optional(Type.Array(oneOf(taskStates))), departmentId: Type.Optional(Type.Integer({ minimum: 1 })), ...Paging }, closed),
      response: { 200: Page(TaskSchema) } },
  }, async (req) => listTasks(app.db, req.actor, req.query));
  app.post('/tasks', {
    schema: { tags, summary: '交办 Assign a task to a department (督查室)',
      body: Type.Object({ title: Text(200), detail: Text(4000), departmentId: Type.Integer({ minimum: 1 }), dueDays: Type.Integer({ minimum: 1, maximum: 250 }),
        milestones: Type.Array(Type.Object({ title: Text(200), dueDays: Type.Integer({ minimum: 1, maximum: 250 }) }, closed), { maxItems: 10 }) }, closed),
      response: { 201: TaskSchema } },
  }, async (req, reply) => { reply.code(201); return runCommand(req, assignTask, req.body); });
  app.get('/tasks/:id', { schema: { tags, summary: 'A task with its reports and evidence', params: Id, response: { 200: TaskViewSchema } } },
    async (req) => viewTask(app.db, req.actor, req.params.id));
  app.post('/tasks/:id/reports', {
    ...withFiles,
    schema: { tags, summary: '报送进展 Report progress (completes: report it done)', params: Id,
      body: Type.Object({ text: Text(4000), progress: Type.Integer({ minimum: 0, maximum: 100 }), milestoneId: Type.Optional(Type.Integer({ minimum: 1 })),
        completes: Type.Boolean(), attachments: Attachments }, closed),
      response: { 200: TaskSchema } },
  }, (req) => runCommand(req, reportTask, { id: req.params.id, ...req.body }));
  app.post('/tasks/:id/close', {
    schema: { tags, summary: '办结 Close a task reported done, or send it back (督查室)', params: Id,
      body: Type.Object({ accepted: Type.Boolean(), note: Text(2000) }, closed), response: { 200: TaskSchema } },
  }, (req) => runCommand(req, closeTask, { id: req.params.id, ...req.body }));

  app.get('/scores', {
    schema: { tags, summary: '督考 Monthly score per department, with the formula of each',
      querystring: Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }, closed), response: { 200: ScoresSchema } },
  }, async (req) => monthlyScores(app.db, req.actor, req.query.month));
  app.get('/weights', { schema: { tags, summary: 'The weights in force for the caller\'s jurisdiction', response: { 200: WeightsSchema } } },
    async (req) => currentWeights(app.db, req.actor));
  app.put('/weights', { schema: { tags, summary: 'Set the weights (督查室)', body: Weights, response: { 200: WeightsSchema } } },
    (req) => runCommand(req, setWeights, req.body));
}
