/**
 * 最小披露: yes/no questions a provider publishes over one of its resources ("over 18?", "holds a valid
 * food business licence?", "registered resident of 广安区?"). The answer is true, false or 'unknown', never
 * the value. A parameter is fixed at definition or picked by the caller from an allowed list.
 */
import { hasGrant, type Actor, type Ctx } from '../../kernel/auth/index.ts';
import { ageOn, checkResidentId } from '../../kernel/checks/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { findPublishedResource } from './catalogue.ts';
import { assertProviderOfficer, exchangeActions } from './policy.ts';
import { ttlCache } from '../../kernel/cache.ts';

export const predicateOperators = ['age_at_least', 'exists', 'equals_prefix'] as const;
export type PredicateOperator = (typeof predicateOperators)[number];
export type Answer = boolean | 'unknown';

export interface Predicate {
  id: number;
  code: string;
  name: string;
  description: string;
  resourceId: number;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: number;
  field: string;
  operator: PredicateOperator;
  param: string | null;
  allowed: string[] | null;
}

const predicateQuery = `SELECT p.id, p.code, p.name, p.description, p.resource_id AS "resourceId", r.code AS "resourceCode",
    r.name AS "resourceName", r.provider_department_id AS "providerDepartmentId", p.field, p.operator, p.param, p.allowed
  FROM hub_predicates p JOIN hub_resources r ON r.id = p.resource_id`;

const predicateCache = ttlCache<Predicate | null>(5_000);

export async function findPredicate(db: Queryable, code: string): Promise<Predicate | null> {
  return predicateCache.get(code, async () => (await db.query<Predicate>(`${predicateQuery} WHERE p.code = $1`, [code])).rows[0] ?? null);
}

/** Published predicates, for every staff member who may ask for data (the catalogue of questions is not secret). */
export async function listPredicates(db: Queryable, actor: Actor): Promise<Predicate[]> {
  if (!hasGrant(actor, exchangeActions.request) && !hasGrant(actor, exchangeActions.grants)) return [];
  return (await db.query<Predicate>(`${predicateQuery} ORDER BY p.code`)).rows;
}

export interface DefinePredicate {
  code: string;
  name: string;
  description?: string;
  resource: string;
  field: string;
  operator: PredicateOperator;
  param?: string;
  allowed?: string[];
}

const invalid = (field: string, why: string) => new DomainError('hub.predicate.bad-definition', { field }, why);

/** 发布核验事项: the provider's data officer defines a question over one field of its published resource. */
export async function definePredicate(ctx: Ctx, input: DefinePredicate): Promise<Predicate> {
  const resource = await findPublishedResource(ctx.tx, input.resource);
  if (!resource) throw new DomainError('hub.resource.not-found', { status: 404, field: 'resource' }, `resource ${input.resource}`);
  await assertProviderOfficer(ctx.tx, ctx.actor, exchangeActions.predicate, resource.providerDepartmentId);
  if (!resource.fields.some((f) => f.code === input.field)) throw new DomainError('hub.field.unknown', { field: 'field', value: input.field }, 'unknown field');
  const params = input.param !== undefined ? [input.param] : input.allowed ?? [];
  if (input.operator === 'exists' ? params.length > 0 : (input.param === undefined) === (input.allowed === undefined) || params.length === 0)
    throw invalid('param', 'exists takes no parameter; the others take a fixed param or an allowed list');
  if (new Set(params).size !== params.length) throw invalid('allowed', 'allowed values repeat');
  if (input.operator === 'age_at_least' && params.some((p) => !/^\d{1,3}$/.test(p))) throw invalid('param', 'an age is a whole number of years');
  const taken = await ctx.tx.query('SELECT 1 FROM hub_predicates WHERE code = $1', [input.code]);
  if (taken.rowCount) throw new DomainError('hub.predicate.code-taken', { status: 409, field: 'code' }, `code ${input.code}`);
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_predicates (code, name, description, resource_id, field, operator, param, allowed, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [input.code, input.name, input.description ?? '', resource.id, input.field, input.operator, input.param ?? null, input.allowed ?? null,
      `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.predicate.defined', object: { type: 'hub-predicate', id: rows[0]!.id }, payload: input });
  predicateCache.clear();
  return (await ctx.tx.query<Predicate>(`${predicateQuery} WHERE p.id = $1`, [rows[0]!.id])).rows[0]!;
}

/** The parameter of one question: the fixed one, or the caller's if it is an allowed value. */
export function predicateParam(predicate: Predicate, given: string | undefined): string | null {
  if (predicate.allowed === null) return predicate.param;
  if (given === undefined) throw new DomainError('hub.predicate.param-required', { field: 'param', allowed: predicate.allowed }, 'param required');
  if (!predicate.allowed.includes(given))
    throw new DomainError('hub.predicate.param-not-allowed', { field: 'param', allowed: predicate.allowed }, `param ${given}`);
  return given;
}

/** Whole years from a birth day to `today` (both 'YYYY-MM-DD'); a 29 February birthday counts on 1 March. */
function yearsSince(birth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? years - 1 : years;
}

function ageOf(value: unknown, today: string): number | null {
  if (typeof value !== 'string') return null;
  if (value.length === 18 && checkResidentId(value).ok) return ageOn(value, today);
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? yearsSince(value.slice(0, 10), today) : null;
}

/**
 * The answer over the subject's rows. No row (or no value) is 'unknown', except for `exists`, where no
 * row with a validity date after today means false.
 */
export function evaluatePredicate(predicate: Pick<Predicate, 'field' | 'operator'>, param: string | null, rows: Record<string, unknown>[], today: string): Answer {
  const values = rows.map((r) => r[predicate.field]).filter((v) => v !== null && v !== undefined && v !== '');
  switch (predicate.operator) {
    case 'exists':
      return values.some((v) => String(v).slice(0, 10) > today);
    case 'age_at_least': {
      const age = ageOf(values[0], today);
      return age === null ? 'unknown' : age >= Number(param);
    }
    case 'equals_prefix':
      return values.length === 0 ? 'unknown' : String(values[0]).startsWith(param ?? '');
  }
}
