/**
 * 不来即享 (proactive benefits). An admin defines a policy as rules over hub predicates ("over 80",
 * "resident of 广安区", "registered less than a year ago" as not "at least one year old"); evaluating it asks
 * the hub each predicate in bulk, as the item's department under its grants (each person asked sees it
 * in 我的数据使用记录), and records an offer with the reasons for each one who qualifies. The citizen sees the
 * offer in the portal and accepts it with one click (an application approved at once); an automatic policy
 * (免申即享) grants without waiting.
 */
import Type, { type Static } from 'typebox';
import { assertCan, citizensByIdNumber, getUser, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { evaluatePredicateInBulk, findPredicate, type RowFilter } from '../hub/index.ts';
import { departmentCaller } from './exchange.ts';
import { applicationColumns, deadlines, numberInBulk, receiptNumber, recordStep, stepEntry, type Application } from './applications.ts';
import { getItem, type AmountKind, type ServiceItem } from './items.ts';
import { servicesActions } from './policy.ts';
import { amountOf, approvalStep } from './workflow.ts';

export const PolicyRule = Type.Object({
  predicate: Type.String({ minLength: 1, maxLength: 80 }),
  /** the answer that qualifies: false turns "registered at least a year ago" into "registered within the year" */
  expect: Type.Boolean(),
  /** rows of the predicate's resource to consider, e.g. `division_code prefix 511602` */
  filter: Type.Optional(Type.Array(Type.Object({
    field: Type.String({ minLength: 1, maxLength: 80 }), op: Type.Enum(['eq', 'in', 'prefix']),
    value: Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })]),
  }, { additionalProperties: false }), { maxItems: 5 })),
}, { additionalProperties: false });
export type PolicyRule = Static<typeof PolicyRule>;

export const PolicyInput = Type.Object({
  code: Type.String({ pattern: '^[a-z][a-z0-9-]{1,60}$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  itemId: Type.Integer({ minimum: 1 }),
  rules: Type.Array(PolicyRule, { minItems: 1, maxItems: 6 }),
  automatic: Type.Boolean(),
  active: Type.Boolean(),
  /** what each grant pays or charges, in 分: required for an item with an `amountKind`, refused for one without */
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'amount each grant pays or charges, in fen (分)' })),
}, { additionalProperties: false });
export type PolicyInput = Static<typeof PolicyInput>;

export interface Policy extends Omit<PolicyInput, 'amount'> {
  id: number;
  amount: number | null;
  itemName: string;
  divisionCode: string;
  evaluatedAt: Date | null;
  offers: number;
  accepted: number;
  granted: number;
}

const policyColumns = `p.id, p.code, p.name, p.description, p.item_id AS "itemId", i.name AS "itemName", p.rules, p.automatic, p.active, p.amount,
  p.division_code AS "divisionCode", p.evaluated_at AS "evaluatedAt",
  (SELECT count(*)::int FROM services_offers o WHERE o.policy_id = p.id) AS offers,
  (SELECT count(*)::int FROM services_offers o WHERE o.policy_id = p.id AND o.state = 'accepted') AS accepted,
  (SELECT count(*)::int FROM services_offers o WHERE o.policy_id = p.id AND o.state = 'granted') AS granted`;

export async function listPolicies(db: Queryable, actor: Actor): Promise<Policy[]> {
  assertCan(actor, servicesActions.managePolicies);
  const { rows } = await db.query<Policy>(
    `SELECT ${policyColumns} FROM services_policies p JOIN services_items i ON i.id = p.item_id
      WHERE p.division_code LIKE $1 ORDER BY p.code`, [`${actor.jurisdiction.prefix ?? '-'}%`]);
  return rows;
}

async function getPolicy(db: Queryable, id: number): Promise<Policy> {
  const { rows } = await db.query<Policy>(
    `SELECT ${policyColumns} FROM services_policies p JOIN services_items i ON i.id = p.item_id WHERE p.id = $1`, [id]);
  if (!rows[0]) throw notFound('services.policy', id);
  return rows[0];
}

/**
 * Adds a policy or replaces the one with the same code; every rule must name a predicate the hub knows. A policy
 * of an item that pays or charges an amount states it, as an approval of that item does.
 */
export async function savePolicy(ctx: Ctx, input: PolicyInput): Promise<Policy> {
  const item = await getItem(ctx.tx, input.itemId);
  assertCan(ctx.actor, servicesActions.managePolicies, item);
  const amount = amountOf(item, { approve: true, amount: input.amount });
  for (const [index, rule] of input.rules.entries())
    if (!(await findPredicate(ctx.tx, rule.predicate)))
      throw new DomainError('services.policy.unknown-predicate', { field: `rules.${index}.predicate` }, `the hub has no predicate ${rule.predicate}`);
  const { rows: [saved] } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO services_policies (code, name, description, item_id, rules, automatic, active, division_code, updated_at, amount)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, item_id = EXCLUDED.item_id,
       rules = EXCLUDED.rules, automatic = EXCLUDED.automatic, active = EXCLUDED.active, division_code = EXCLUDED.division_code,
       updated_at = EXCLUDED.updated_at, amount = EXCLUDED.amount
     RETURNING id`,
    [input.code, input.name, input.description, item.id, JSON.stringify(input.rules), input.automatic, input.active, item.divisionCode, ctx.now, amount]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'services.policy.saved', object: { type: 'policy', id: saved!.id }, payload: input, at: ctx.now });
  return getPolicy(ctx.tx, saved!.id);
}

interface Qualified { subject: string; reasons: { predicate: string; name: string; answer: boolean }[] }

/** What a policy's reads are for, as the citizen reads it in 我的数据使用记录. */
const purposeOf = (policy: Policy) => `不来即享：${policy.name}（${policy.code}）`;

/**
 * Every subject for whom all rules give the expected answer, with the rules as reasons. Each rule is a
 * question the item's department asks the hub in bulk, through its system holding a grant on the
 * predicate, with evidence for every subject asked; a later rule asks only those who passed the earlier
 * ones. Without a grant the evaluation is refused, naming the rule.
 */
async function qualifying(ctx: Ctx, policy: Policy, departmentId: number): Promise<Qualified[]> {
  let found: Map<string, Qualified> | null = null;
  for (const [index, rule] of policy.rules.entries()) {
    const field = `rules.${index}.predicate`;
    const predicate = await findPredicate(ctx.tx, rule.predicate);
    if (!predicate) throw new DomainError('services.policy.unknown-predicate', { field }, `the hub has no predicate ${rule.predicate}`);
    const noGrant = (reason: string) => new DomainError('services.policy.no-grant', { status: 403, field, predicate: predicate.code, reason },
      `the department's systems hold no valid grant on the predicate ${predicate.code}`);
    const caller = await departmentCaller(ctx, departmentId, predicate.resourceId, predicate.id);
    if (!caller) throw noGrant('hub.no-system');
    const answers = await evaluatePredicateInBulk(ctx, {
      systemId: caller.system.id, predicate: predicate.code, purpose: purposeOf(policy), caseId: `policy:${policy.id}`,
      filter: rule.filter as RowFilter | undefined, subjects: found ? [...found.keys()] : undefined,
    }).catch((error: unknown) => {
      throw error instanceof DomainError && error.status === 403 ? noGrant(error.code) : error;
    });
    const next = new Map<string, Qualified>();
    for (const [subject, answer] of answers) {
      if (answer !== rule.expect) continue;
      next.set(subject, { subject, reasons: [...(found?.get(subject)?.reasons ?? []), { predicate: predicate.code, name: predicate.name, answer: rule.expect }] });
    }
    found = next;
  }
  return [...(found ?? new Map<string, Qualified>()).values()];
}

/**
 * 精准匹配: finds who qualifies now and records an offer for each new one (earlier offers stay as they are);
 * an automatic policy grants them at once. One ledger entry with the counts.
 */
export async function evaluatePolicy(ctx: Ctx, input: { id: number }): Promise<{ qualified: number; offered: number; granted: number }> {
  const policy = await getPolicy(ctx.tx, input.id);
  assertCan(ctx.actor, servicesActions.managePolicies, policy);
  const item = await getItem(ctx.tx, policy.itemId);
  const found = await qualifying(ctx, policy, item.departmentId);
  const accounts = await citizensByIdNumber(ctx.tx, found.map((q) => q.subject));
  const { rows: offered } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO services_offers (policy_id, subject, user_id, reasons, state, found_at)
     SELECT $1, t.subject, t.user_id, t.reasons, 'offered', $5
       FROM unnest($2::text[], $3::bigint[], $4::jsonb[]) AS t (subject, user_id, reasons)
     ON CONFLICT (policy_id, subject) DO NOTHING RETURNING id`,
    [policy.id, found.map((q) => q.subject), found.map((q) => accounts.get(q.subject) ?? null), found.map((q) => JSON.stringify(q.reasons)), ctx.now]);
  let granted = 0;
  if (policy.automatic) granted = await grantOffers(ctx, policy, offered.map((o) => o.id));
  await ctx.tx.query('UPDATE services_policies SET evaluated_at = $2 WHERE id = $1', [policy.id, ctx.now]);
  const counts = { qualified: found.length, offered: offered.length, granted };
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'services.policy.evaluated', object: { type: 'policy', id: policy.id }, payload: counts, at: ctx.now });
  return counts;
}

/**
 * The amount a grant of the policy sets, checked against its item as a decision's is: an item that came to pay
 * or charge an amount after the policy was saved grants nothing until the policy states it.
 */
const grantAmount = (policy: Policy, item: ServiceItem) => amountOf(item, { approve: true, amount: policy.amount ?? undefined });

/**
 * Applications approved at once for these offers (channel 不来即享), in bulk; returns how many. Each approval
 * is the item's approval step with the policy's amount, by the one who ran the evaluation, and its entry
 * publishes the amount as a decision's does. The hub answered yes or no, never a name: the applicant is named
 * by their account, or by their masked ID.
 */
async function grantOffers(ctx: Ctx, policy: Policy, offerIds: number[]): Promise<number> {
  if (offerIds.length === 0) return 0;
  const item = await getItem(ctx.tx, policy.itemId);
  const approval = approvalStep(grantAmount(policy, item), { note: policy.name });
  const calendar = await loadCalendar(ctx.tx);
  const due = deadlines(calendar, ctx.now, item, []);
  const { rows: offers } = await ctx.tx.query<{ id: number; subject: string; userId: number | null; name: string | null }>(
    `SELECT o.id, o.subject, o.user_id AS "userId", u.display_name AS name
       FROM services_offers o LEFT JOIN users u ON u.id = o.user_id WHERE o.id = ANY($1) ORDER BY o.id`, [offerIds]);
  const { rows: apps } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO services_applications (item_id, applicant_id, applicant_name, applicant_id_number, channel, department_id, division_code,
       state, form, step_index, submitted_at, statutory_days, committed_days, statutory_due, committed_due, reason, created_at, updated_at, amount)
     SELECT $1, t.user_id, t.name, t.subject, 'proactive', $2, $3, $14, '{}', $4, $5, $6, $7, $8, $9, $10, $5, $5, $15
       FROM unnest($11::text[], $12::bigint[], $13::text[]) WITH ORDINALITY AS t (subject, user_id, name, n) ORDER BY t.n
     RETURNING id`,
    [item.id, item.departmentId, item.divisionCode, item.steps.length - 1, ctx.now, item.statutoryDays, item.committedDays,
      due.statutory_due, due.committed_due, `免申即享：${policy.name}`, offers.map((o) => o.subject), offers.map((o) => o.userId),
      offers.map((o) => o.name ?? o.subject.slice(0, 6) + '********' + o.subject.slice(-4)), approval.to, approval.set!.amount]);
  await numberInBulk(ctx.tx, apps.map((a) => a.id));
  await ctx.tx.query(
    `UPDATE services_offers o SET state = 'granted', decided_at = $2, application_id = t.app
       FROM unnest($1::bigint[], $3::bigint[]) AS t (offer, app) WHERE o.id = t.offer`, [offers.map((o) => o.id), ctx.now, apps.map((a) => a.id)]);
  await ctx.tx.query(
    `INSERT INTO services_application_steps (application_id, at, action, actor_id, actor_name, department_id, from_state, to_state, note)
     SELECT id, $2, $6, $3, $4, $7, NULL, $8, $5 FROM unnest($1::bigint[]) AS id`,
    [apps.map((a) => a.id), ctx.now, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.actor.name, approval.note, approval.action, ctx.actor.departmentId, approval.to]);
  await appendToLedger(ctx.tx, apps.map((a) => stepEntry(ctx, { id: a.id, itemId: item.id, divisionCode: item.divisionCode }, approval)));
  return apps.length;
}

export interface Offer {
  id: number;
  policyId: number;
  policyName: string;
  description: string;
  itemName: string;
  /** what accepting it pays (or charges), in 分; null for an item without an amount */
  amount: number | null;
  amountKind: AmountKind | null;
  reasons: { predicate: string; name: string; answer: boolean }[];
  state: 'offered' | 'accepted' | 'granted';
  applicationId: number | null;
  foundAt: Date;
}

/** The offers made to the logged-in citizen. */
export async function myOffers(db: Queryable, actor: Actor): Promise<Offer[]> {
  if (actor.kind !== 'citizen') throw new DomainError('unauthenticated', { status: 401 }, 'citizens only');
  const { rows } = await db.query<Offer>(
    `SELECT o.id, o.policy_id AS "policyId", p.name AS "policyName", p.description, i.name AS "itemName", p.amount,
            i.amount_kind AS "amountKind", o.reasons, o.state,
            o.application_id AS "applicationId", o.found_at AS "foundAt"
       FROM services_offers o JOIN services_policies p ON p.id = o.policy_id JOIN services_items i ON i.id = p.item_id
      WHERE o.user_id = $1 ORDER BY o.found_at DESC, o.id`, [Number(actor.id)]);
  return rows;
}

/**
 * 一键确认: the citizen accepts an offer (their step) and the policy approves the application at once with its
 * amount (the approval step, by the policy as a system actor), which then waits for 办结.
 */
export async function acceptOffer(ctx: Ctx, input: { id: number }): Promise<Application> {
  const { rows: [offer] } = await ctx.tx.query<{ id: number; policyId: number; subject: string; state: string; userId: number | null }>(
    'SELECT id, policy_id AS "policyId", subject, state, user_id AS "userId" FROM services_offers WHERE id = $1 FOR UPDATE', [input.id]);
  if (!offer || ctx.actor.kind !== 'citizen' || String(offer.userId) !== ctx.actor.id)
    throw new DomainError('services.offer.not-found', { status: 404, id: input.id }, 'no such offer');
  if (offer.state !== 'offered') throw new DomainError('services.bad-state', { status: 409, field: 'state', state: offer.state }, 'already decided');
  const policy = await getPolicy(ctx.tx, offer.policyId);
  const item = await getItem(ctx.tx, policy.itemId);
  const amount = grantAmount(policy, item);
  const user = await getUser(ctx.tx, Number(ctx.actor.id));
  const { rows: [app] } = await ctx.tx.query<Application>(
    `INSERT INTO services_applications AS a (item_id, applicant_id, applicant_name, applicant_id_number, channel, department_id, division_code,
       state, form, statutory_days, committed_days, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'proactive', $5, $6, 'submitted', '{}', $7, $8, $9, $9) RETURNING ${applicationColumns}`,
    [item.id, offer.userId, user!.display_name, offer.subject, item.departmentId, item.divisionCode, item.statutoryDays, item.committedDays, ctx.now]);
  const calendar = await loadCalendar(ctx.tx);
  const accepted = await recordStep(ctx, app!, {
    action: 'services.offer.accepted', to: 'submitted', note: policy.name,
    set: { receipt_number: receiptNumber(app!, ctx.now), submitted_at: ctx.now, step_index: item.steps.length - 1, reason: `不来即享：${policy.name}`, ...deadlines(calendar, ctx.now, item, []) },
  });
  const byPolicy: Ctx = { ...ctx, actor: { ...systemActor('services.proactive'), name: `不来即享：${policy.name}` } };
  const approved = await recordStep(byPolicy, accepted, approvalStep(amount, { note: policy.name }));
  await ctx.tx.query(`UPDATE services_offers SET state = 'accepted', decided_at = $2, application_id = $3 WHERE id = $1`, [offer.id, ctx.now, approved.id]);
  return approved;
}
