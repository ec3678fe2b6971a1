import Type from 'typebox';
import { Items, Nullable, runCommand, type App } from '../kernel/http/index.ts';
import { DisputeDetailSchema, DisputesSchema, JurisdictionRuleSchema } from './api-schemas.ts';
import { decideDispute } from './dispute-decisions.ts';
import { getDispute, listDisputes } from './disputes.ts';
import { listRules, retireRule, RULE_RADIUS, ruleScopes } from './jurisdiction-rules.ts';
import { deskOf } from './policy.ts';
import { presentDispute, presentDisputeDetail, presentRule } from './present.ts';

const tags = ['cityops'];
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Reason = Type.String({ minLength: 1, maxLength: 500 });

/** 管辖争议 and 管辖规则 under /api/v1/cityops: the command centre's queue, its decisions and the rules they made. */
export async function cityopsDisputeRoutes(app: App) {
  app.get('/disputes', {
    schema: { tags, summary: '管辖争议 Cases no single unit owns, with their candidates (centres and overseers); open ones by their limit',
      querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided')])),
        page: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
      response: { 200: DisputesSchema } },
  }, async (req) => {
    const { total, items } = await listDisputes(app.db, req.actor, new Date(), req.query);
    return { total, items: items.map(({ view, desk }) => presentDispute(view, req.actor, desk)) };
  });

  app.get('/disputes/:id', {
    schema: { tags, summary: 'A dispute with the grids around the point, the component record and the returns', params: Id,
      response: { 200: DisputeDetailSchema } },
  }, async (req) => presentDisputeDetail(await getDispute(app.db, req.actor, req.params.id, new Date()), req.actor));

  app.post('/disputes/:id/decide', {
    schema: { tags, summary: '裁定 The command centre names the unit, with the reason: the case is dispatched at once; `rule` makes the decision a rule (成为规则)',
      params: Id,
      body: Type.Object({
        departmentId: Type.Integer({ minimum: 1 }), reason: Reason,
        rule: Type.Optional(Nullable(Type.Object({
          scope: Type.Union(ruleScopes.map((s) => Type.Literal(s)), { description: 'component: the case\'s component; place: a radius around the point; grid: the case\'s grid' }),
          radiusM: Type.Optional(Type.Integer({ minimum: RULE_RADIUS.min, maximum: RULE_RADIUS.max, description: `a place rule's radius, ${RULE_RADIUS.default} m by default` })),
          anyKind: Type.Optional(Type.Boolean({ description: 'the rule holds for every kind of case, not only the case\'s' })),
        }, { additionalProperties: false }))),
      }, { additionalProperties: false }),
      response: { 200: DisputeDetailSchema } },
  }, async (req) => {
    const decided = await runCommand(req, decideDispute, { ...req.body, disputeId: req.params.id });
    return presentDisputeDetail(await getDispute(app.db, req.actor, decided.disputeId, new Date()), req.actor);
  });

  app.get('/jurisdiction-rules', {
    schema: { tags, summary: '管辖规则 The rules decisions made, live first (centres and overseers)',
      querystring: Type.Object({ retired: Type.Optional(Type.Boolean()) }), response: { 200: Items(JurisdictionRuleSchema) } },
  }, async (req) => {
    const desk = await deskOf(app.db, req.actor);
    return { items: (await listRules(app.db, req.actor, req.query)).map((r) => presentRule(r, req.actor, desk)) };
  });

  app.post('/jurisdiction-rules/:id/retire', {
    schema: { tags, summary: 'Retire a rule, with the reason (command centre): routing no longer consults it', params: Id,
      body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: JurisdictionRuleSchema } },
  }, async (req) => {
    const rule = await runCommand(req, retireRule, { ...req.body, id: req.params.id });
    return presentRule(rule, req.actor, await deskOf(app.db, req.actor));
  });
}
