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
 * the resource (or predicate), else its first system, so that a refusal is evidenced against it. Null when
 * the department has no system at all.
 */
export async function departmentCaller(ctx: Ctx, departmentId: number, resourceId: number, predicateId: number | null): Promise<Caller | null> {
  const systems = (await allSystems(ctx)).filter((s) => s.departmentId === departmentId);
  for (const system of systems) {
    const granted = await activeGrant(ctx.tx, system.id, resourceId, predicateId, ctx.now).then(() => true, (error: unknown) => {
      if (error instanceof DomainError) return false; // no valid grant for this system
      throw error;
    });
    if (granted) return { system, actor: ctx.actor };
  }
  return systems[0] ? { system: systems[0], actor: ctx.actor } : null;
}

/** The hub's refusal (on record as evidence) as null; evidence not written (503) and failures still fail the command. */
const refusedAsNull = (error: unknown): null => {
  if (error instanceof DomainError && error.status < 500) return null;
  throw error;
};

const purposeOf = (item: ServiceItem) => `${item.name}（${item.code}）`;
const caseOf = (applicationId: number) => `application:${applicationId}`;

/**
 * Values for the form fields the item maps to hub resources, read for the applicant (`subject`, their
 * resident ID). A resource the department may not read, or that has nothing on the applicant, fills
 * nothing; the refusal is on record as evidence.
 */
export async function prefillForm(ctx: Ctx, item: ServiceItem, subject: string | null, applicationId: number) {
  const values: Record<string, unknown> = {};
  if (!subject) return { values, fields: [] as string[] };
  const byResource = new Map<string, typeof item.prefill>();
  for (const rule of item.prefill) byResource.set(rule.resource, [...(byResource.get(rule.resource) ?? []), rule]);
  for (const [code, rules] of byResource) {
    const resource = await resources.get(code, () => findPublishedResource(ctx.tx, code));
    const caller = resource && await departmentCaller(ctx, item.departmentId, resource.id, null);
    if (!caller) continue;
    const answer = await callResource(ctx, {
      resource: code, subject, purpose: purposeOf(item), caseId: caseOf(applicationId), fields: [...new Set(rules.map((r) => r.resourceField))],
    }, caller).catch(refusedAsNull);
    const row = answer?.data[0];
    if (!row) continue;
    for (const rule of rules) if (row[rule.resourceField] !== undefined && row[rule.resourceField] !== null) values[rule.field] = row[rule.resourceField];
  }
  return { values, fields: Object.keys(values) };
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

/**
 * 接入数据共享: registers the department's 一网通办 system and asks the hub for what its services read and
 * ask, approved at once when the acting hub administrator may decide (set-up of a city, the demo).
 */
export async function connectDepartmentToHub(ctx: Ctx, input: ConnectToHub): Promise<{ systemId: number; grants: number }> {
  const system = await createSystem(ctx, { code: input.systemCode, name: input.systemName, departmentId: input.departmentId });
  let grants = 0;
  const requests = [
    ...input.reads.map((r) => ({ resource: r.resource, fields: r.fields, purpose: '一网通办：申请表预填，免交证明材料' })),
    ...input.asks.map((a) => ({ resource: a.resource, predicate: a.predicate, purpose: '一网通办：申请条件核验（只核是否，不取数值）' })),
  ];
  for (const request of requests) {
    const submitted = await submitRequest(ctx, { systemId: system.id, legalBasis, scenario: '群众在网上办事大厅申请时，由共享数据预填并核验条件', ...request });
    if (submitted.state === 'approved') { grants++; continue; }
    const fields = 'fields' in request ? request.fields : undefined;
    await decideRequest(ctx, { requestId: submitted.id, approve: true, ...(fields ? { fields, masking: Object.fromEntries(fields.map((f) => [f, 'none' as const])) } : {}) });
    grants++;
  }
  return { systemId: system.id, grants };
}
