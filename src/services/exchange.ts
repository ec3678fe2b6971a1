/**
 * How 一网通办 uses the data hub. A form is prefilled, and a condition checked, by the hub's gateway for
 * the department that handles the item, through its system holding a grant (the consumer), for the
 * purpose of the item and the application as the case: every read and every question leaves evidence
 * that the citizen sees in "who used my data". A condition is asked as a yes/no question; its value is
 * never collected.
 */
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { ttlCache } from '../kernel/cache.ts';
import { DomainError } from '../kernel/errors.ts';
import {
  activeGrant, askPredicate, callResource, createSystem, decideRequest, findPredicate, findPublishedResource, listSystems, submitRequest,
  type Caller,
} from '../hub/index.ts';
import type { ServiceItem } from './items.ts';

const lookup = systemActor('services');

// Systems and published resources change rarely; like the hub's own caches, a value a few seconds old is good enough.
const systems = ttlCache<Awaited<ReturnType<typeof listSystems>>>(5_000);
const resources = ttlCache<Awaited<ReturnType<typeof findPublishedResource>>>(5_000);
const allSystems = (ctx: Ctx) => systems.get('all', () => listSystems(ctx.tx, lookup));

/**
 * The system through which the item's department reads: the first of its systems holding a valid grant on
 * the resource (or predicate), with the fields granted, else its first system (no fields), so that a refusal is
 * evidenced against it. Null when the department has no system at all.
 */
export async function departmentCaller(ctx: Ctx, departmentId: number, resourceId: number, predicateId: number | null): Promise<(Caller & { granted: string[] }) | null> {
  const systems = (await allSystems(ctx)).filter((s) => s.departmentId === departmentId);
  for (const system of systems) {
    const grant = await activeGrant(ctx.tx, system.id, resourceId, predicateId, ctx.now).catch((error: unknown) => {
      if (error instanceof DomainError) return null; // no valid grant for this system
      throw error;
    });
    if (grant) return { system, actor: ctx.actor, granted: grant.fields };
  }
  return systems[0] ? { system: systems[0], actor: ctx.actor, granted: [] } : null;
}

/** The hub's refusal (on record as evidence) as null; evidence not written (503) and failures still fail the command. */
const refusedAsNull = (error: unknown): null => {
  if (error instanceof DomainError && error.status < 500) return null;
  throw error;
};

const purposeOf = (item: ServiceItem) => `${item.name}（${item.code}）`;
const caseOf = (applicationId: number) => `application:${applicationId}`;

/** Where a prefilled field came from: the hub resource and the department that gave the value. */
export interface PrefillSource {
  resource: string;
  resourceName: string;
  /** the department whose record gave the value: for a base library's golden record, the one its survivorship chose */
  department: string;
}

/**
 * The field of a base library's golden record (人口库, 法人库) that names, per field, the department whose record
 * gave the value (JSON text); a resource without it gave its values itself.
 */
const fieldSources = 'field_sources';

/**
 * Values for the form fields the item maps to hub resources, read for the applicant (`subject`, their
 * resident ID), each with where it came from. Rules are tried in order and the first value found for a field
 * stays, so an item may read the golden record of 人口库 first and a department's register where the library
 * has nothing; a resource whose fields are all filled already is not read. A resource the department may not
 * read, or that has nothing on the applicant, fills nothing; the refusal is on record as evidence.
 */
export async function prefillForm(ctx: Ctx, item: ServiceItem, subject: string | null, applicationId: number) {
  const values: Record<string, unknown> = {};
  const sources: Record<string, PrefillSource> = {};
  if (!subject) return { values, sources, fields: [] as string[] };
  const byResource = new Map<string, typeof item.prefill>();
  for (const rule of item.prefill) byResource.set(rule.resource, [...(byResource.get(rule.resource) ?? []), rule]);
  for (const [code, all] of byResource) {
    const rules = all.filter((r) => !(r.field in values));
    if (rules.length === 0) continue;
    const resource = await resources.get(code, () => findPublishedResource(ctx.tx, code));
    const caller = resource && await departmentCaller(ctx, item.departmentId, resource.id, null);
    if (!resource || !caller) continue;
    const fields = [...new Set(rules.map((r) => r.resourceField))];
    const answer = await callResource(ctx, {
      resource: code, subject, purpose: purposeOf(item), caseId: caseOf(applicationId),
      fields: caller.granted.includes(fieldSources) ? [...fields, fieldSources] : fields,
    }, caller).catch(refusedAsNull);
    const row = answer?.data[0];
    if (!row) continue;
    const given = typeof row[fieldSources] === 'string' ? JSON.parse(row[fieldSources]) as Record<string, string> : {};
    for (const rule of rules) {
      const value = row[rule.resourceField];
      if (value === undefined || value === null || rule.field in values) continue;
      values[rule.field] = value;
      sources[rule.field] = { resource: code, resourceName: resource.name, department: given[rule.resourceField] ?? resource.providerName };
    }
  }
  return { values, sources, fields: Object.keys(values) };
}

/**
 * Asks the hub each condition that names a predicate, about the applicant. A "no" refuses the application
 * naming the condition, never the value behind it; a question the hub cannot answer (no data, no grant)
 * sends the applicant to a window, where the condition is checked by hand.
 */
export async function checkConditions(ctx: Ctx, item: ServiceItem, subject: string | null, applicationId: number): Promise<void> {
  for (const [index, condition] of item.conditions.entries()) {
    if (!condition.predicate) continue;
    const field = `conditions.${index}`;
    const predicate = await findPredicate(ctx.tx, condition.predicate);
    const caller = subject && predicate && await departmentCaller(ctx, item.departmentId, predicate.resourceId, predicate.id);
    if (!caller) throw new DomainError('services.condition-unknown', { status: 409, field, condition: condition.text }, condition.text);
    const answer = await askPredicate(ctx, {
      predicate: condition.predicate, subject: subject!, purpose: purposeOf(item), caseId: caseOf(applicationId),
    }, caller).catch(refusedAsNull);
    if (answer === null || answer.answer === 'unknown')
      throw new DomainError('services.condition-unknown', { status: 409, field, condition: condition.text }, condition.text);
    if (answer.answer === false)
      throw new DomainError('services.condition-not-met', { status: 422, field, condition: condition.text }, `不符合申请条件：${condition.text}`);
  }
}

export interface ConnectToHub {
  departmentId: number;
  systemCode: string;
  systemName: string;
  /** resources read to prefill forms, with the fields (granted unmasked: a form needs the real value) */
  reads: { resource: string; fields: string[] }[];
  /** predicates asked for conditions */
  asks: { resource: string; predicate: string }[];
}

const legalBasis = '《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》（国发〔2018〕27号）';

type Ask = { resource: string; purpose: string } & ({ fields: string[] } | { predicate: string });

/** Files one request of a 一网通办 system and approves it when the acting hub administrator has not already (set-up, the demo). */
async function askAndApprove(ctx: Ctx, systemId: number, request: Ask): Promise<void> {
  const submitted = await submitRequest(ctx, { systemId, legalBasis, scenario: '群众在网上办事大厅申请时，由共享数据预填并核验条件', ...request });
  if (submitted.state === 'approved') return;
  const fields = 'fields' in request ? request.fields : undefined;
  await decideRequest(ctx, { requestId: submitted.id, approve: true, ...(fields ? { fields, masking: Object.fromEntries(fields.map((f) => [f, 'none' as const])) } : {}) });
}

const prefillPurpose = '一网通办：申请表预填，免交证明材料';
const conditionsPurpose = '一网通办：申请条件核验（只核是否，不取数值）';

/**
 * 接入数据共享: registers the department's 一网通办 system and asks the hub for what its services read and
 * ask, approved at once when the acting hub administrator may decide (set-up of a city, the demo).
 */
export async function connectDepartmentToHub(ctx: Ctx, input: ConnectToHub): Promise<{ systemId: number; grants: number }> {
  const system = await createSystem(ctx, { code: input.systemCode, name: input.systemName, departmentId: input.departmentId });
  const requests: Ask[] = [
    ...input.reads.map((r) => ({ resource: r.resource, fields: r.fields, purpose: prefillPurpose })),
    ...input.asks.map((a) => ({ resource: a.resource, predicate: a.predicate, purpose: conditionsPurpose })),
  ];
  for (const request of requests) await askAndApprove(ctx, system.id, request);
  return { systemId: system.id, grants: requests.length };
}

/**
 * When a resource is published that items prefill from or ask about (a base library's golden records, set up
 * after the items): each department of those items asks for it through its 一网通办 system (its first), for the
 * fields its rules read and, where the resource names them, the departments that gave each value; and for each
 * predicate over the resource that its items' conditions name. Approved at once when the acting hub
 * administrator may decide. Answers the number of grants.
 */
export async function connectItemsToResource(ctx: Ctx, code: string): Promise<number> {
  const resource = await findPublishedResource(ctx.tx, code);
  if (!resource) return 0;
  const { rows: reads } = await ctx.tx.query<{ departmentId: number; fields: string[] }>(
    `SELECT i.department_id::int AS "departmentId", array_agg(DISTINCT r ->> 'resourceField') AS fields
       FROM services_items i CROSS JOIN jsonb_array_elements(i.prefill) AS r WHERE r ->> 'resource' = $1 GROUP BY i.department_id ORDER BY 1`, [code]);
  const { rows: named } = await ctx.tx.query<{ departmentId: number; predicate: string }>(
    `SELECT DISTINCT i.department_id::int AS "departmentId", c ->> 'predicate' AS predicate
       FROM services_items i CROSS JOIN jsonb_array_elements(i.conditions) AS c WHERE c ->> 'predicate' IS NOT NULL ORDER BY 1, 2`);
  const asks: typeof named = [];
  for (const ask of named) if ((await findPredicate(ctx.tx, ask.predicate))?.resourceCode === code) asks.push(ask);
  const systems = await listSystems(ctx.tx, lookup);
  const systemOf = (departmentId: number) => systems.find((s) => s.departmentId === departmentId);
  const requests: { systemId: number; request: Ask }[] = [
    ...reads.flatMap(({ departmentId, fields }) => {
      const system = systemOf(departmentId);
      const withSources = resource.fields.some((f) => f.code === fieldSources) ? [...fields, fieldSources] : fields;
      return system ? [{ systemId: system.id, request: { resource: code, fields: withSources, purpose: prefillPurpose } }] : [];
    }),
    ...asks.flatMap(({ departmentId, predicate }) => {
      const system = systemOf(departmentId);
      return system ? [{ systemId: system.id, request: { resource: code, predicate, purpose: conditionsPurpose } }] : [];
    }),
  ];
  for (const { systemId, request } of requests) await askAndApprove(ctx, systemId, request);
  return requests.length;
}
