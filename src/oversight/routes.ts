import Type from 'typebox';
import { runCommand, type App } from '../kernel/http/index.ts';
import {
  alertDashboard, alertStates, answerAlert, caseKinds, closeCase, confirmAlert, dismissAlert, integrityIndex, listAlerts, myAlerts, openCase,
  releaseAlert, viewAlert, viewIntegrityFile,
} from './alerts.ts';
import {
  AlertPage, AlertSchema, AnswerSchema, DashboardSchema, DryRunSchema, IntegrityFileSchema, IntegrityIndex, MyAlerts, RuleList, RuleSchema,
} from './api-schemas.ts';
import { activateRule, createRule, editRule, listRules, testRule } from './rulebook.ts';

const tags = ['oversight'];
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Text = (max = 2000) => Type.String({ maxLength: max });
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const RuleText = {
  nameZh: Text(100), nameEn: Text(200), rationale: Text(), legalBasis: Text(500), severity: oneOf(['red', 'yellow']), scope: Text(200),
  definition: Type.String({ maxLength: 20_000, description: 'the rule as JSON text (docs/oversight.md lists the kinds)' }),
};
type RuleBody = { nameZh: string; nameEn: string; rationale: string; legalBasis: string; severity: 'red' | 'yellow'; scope: string; definition: string };

/** 数据铁笼 API under /api/v1/oversight: the rule library, alerts with their proofs, cases, integrity files. */
export async function oversightRoutes(app: App) {
  app.get('/rules', { schema: { tags, summary: '规则库 The rule library with versions and feedback', response: { 200: RuleList } } },
    async (req) => ({ items: await listRules(app.db, req.actor) }));

  app.post('/rules', {
    schema: { tags, summary: '新增规则 Add a rule (a draft until dry-run and activated)',
      body: Type.Object({ code: Type.String({ pattern: '^[a-z0-9-]{3,60}$' }), ...RuleText }), response: { 200: RuleSchema } },
  }, (req) => runCommand(req, createRule, req.body as RuleBody & { code: string }));

  app.post('/rules/:id/versions', {
    schema: { tags, summary: '修改规则 A new version of a rule', params: Id, body: Type.Object(RuleText), response: { 200: RuleSchema } },
  }, (req) => runCommand(req, editRule, { ruleId: req.params.id, ...(req.body as RuleBody) }));

  app.post('/rules/:id/test', {
    schema: { tags, summary: '试运行 Dry-run a version over the last days of the ledger', params: Id,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), days: Type.Integer({ minimum: 1, maximum: 90 }) }), response: { 200: DryRunSchema } },
  }, (req) => runCommand(req, testRule, { ruleId: req.params.id, ...req.body }));

  app.post('/rules/:id/activate', {
    schema: { tags, summary: '启用或停用 Run a version (null: switch the rule off)', params: Id,
      body: Type.Object({ version: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]) }), response: { 200: RuleSchema } },
  }, (req) => runCommand(req, activateRule, { ruleId: req.params.id, version: req.body.version }));

  app.get('/dashboard', { schema: { tags, summary: '风险看板 Alerts by rule, department, state and day', response: { 200: DashboardSchema } } },
    async (req) => alertDashboard(app.db, req.actor, new Date()));

  app.get('/alerts', {
    schema: { tags, summary: '预警 Alerts the inspector may see',
      querystring: Type.Object({ state: Type.Optional(oneOf(alertStates)), ruleId: Type.Optional(Type.Integer({ minimum: 1 })),
        severity: Type.Optional(oneOf(['red', 'yellow'])), limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
        offset: Type.Integer({ minimum: 0, default: 0 }) }),
      response: { 200: AlertPage } },
  }, async (req) => listAlerts(app.db, req.actor, req.query as Parameters<typeof listAlerts>[2]));

  app.get('/alerts/:id', { schema: { tags, summary: '预警详情 An alert with its acts and their inclusion proofs (the view is on the ledger)', params: Id,
    response: { 200: AlertSchema } } }, (req) => runCommand(req, viewAlert, req.params));

  const Note = Type.Object({ note: Text() });
  app.post('/alerts/:id/confirm', { schema: { tags, summary: '核查属实 Confirm', params: Id, body: Note, response: { 200: AlertSchema } } },
    (req) => runCommand(req, confirmAlert, { id: req.params.id, ...req.body }));
  app.post('/alerts/:id/dismiss', { schema: { tags, summary: '驳回 Dismiss, with a reason', params: Id, body: Type.Object({ reason: Text() }), response: { 200: AlertSchema } } },
    (req) => runCommand(req, dismissAlert, { id: req.params.id, ...req.body }));
  app.post('/alerts/:id/release', { schema: { tags, summary: '告知本人 Release to the people concerned', params: Id, response: { 200: AlertSchema } } },
    (req) => runCommand(req, releaseAlert, req.params));
  app.post('/alerts/:id/case', {
    schema: { tags, summary: '处置 Open a case: 提醒谈话, 整改 (with a deadline) or 问责', params: Id,
      body: Type.Object({ kind: oneOf(caseKinds), deadline: Type.Optional(Type.String({ format: 'date' })), note: Text() }), response: { 200: AlertSchema } },
  }, (req) => runCommand(req, openCase, { id: req.params.id, ...(req.body as { kind: (typeof caseKinds)[number]; deadline?: string; note: string }) }));
  app.post('/alerts/:id/close', { schema: { tags, summary: '办结 Close the case with its outcome', params: Id, body: Type.Object({ outcome: Text() }),
    response: { 200: AlertSchema } } }, (req) => runCommand(req, closeCase, { id: req.params.id, ...req.body }));

  app.get('/mine', { schema: { tags, summary: '我的预警 Released alerts about the caller', response: { 200: MyAlerts } } },
    async (req) => ({ items: await myAlerts(app.db, req.actor) }));
  app.post('/mine/:id/answer', { schema: { tags, summary: '本人说明 Answer an alert about oneself', params: Id, body: Type.Object({ answer: Text() }),
    response: { 200: AnswerSchema } } }, (req) => runCommand(req, answerAlert, { id: req.params.id, ...req.body }));

  app.get('/integrity', { schema: { tags, summary: '廉政档案 Officials with alerts (discipline office only)', response: { 200: IntegrityIndex } } },
    (req) => runCommand(req, async (ctx) => ({ items: await integrityIndex(ctx) }), undefined));
  app.get('/integrity/:userId', {
    schema: { tags, summary: '廉政档案 One official\'s alerts, cases and outcomes (the view is on the ledger)',
      params: Type.Object({ userId: Type.String({ pattern: '^[0-9]{1,18}$' }) }), response: { 200: IntegrityFileSchema } },
  }, (req) => runCommand(req, viewIntegrityFile, req.params));
}
