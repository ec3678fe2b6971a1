/**
 * 数据源: a data officer adds a published hub resource as a source of a base library, maps its fields to the
 * library's and sets the trust of each. The library reads its sources through the hub's gateway with its own
 * system, so a source needs that system to hold a grant on the resource (共享申请 first). The first source of
 * a library sets the library up: its system and its own hub resource, through which the golden records are
 * served (prefill, predicates) with evidence.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import {
  activeGrant, createResource, createSystem, findPublishedResource, issueGrant, reviewResource, submitRequest, submitResource, type CreateEntry,
} from '../hub/index.ts';
import { libraries, libraryFields, libraryNames, subjectField, type Library } from './libraries.ts';
import { registryActions, registryScope } from './policy.ts';

export interface LibrarySetup {
  library: Library;
  resourceCode: string;
  departmentId: number;
  systemId: number;
}

export async function findLibrary(db: Queryable, library: Library): Promise<LibrarySetup | null> {
  const { rows } = await db.query<LibrarySetup>(
    `SELECT library, resource_code AS "resourceCode", department_id::int AS "departmentId", system_id::int AS "systemId"
       FROM registry_libraries WHERE library = $1`, [library]);
  return rows[0] ?? null;
}

// The catalogue codes of the libraries' own resources (基础信息资源: class A, item 15 of the 政数局, group 0099).
const resourceCodes: Record<Library, string> = { people: 'A15-0099-0001-0001', companies: 'A15-0099-0002-0001' };
const legalBasis = '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）第五条：人口、法人等基础信息资源由指定部门统筹建设';
const platform = systemActor('registry');

function goldenFields(library: Library): CreateEntry['fields'] {
  const identifying = subjectField[library];
  return [
    { code: 'entity_id', name: '标准记录编号', type: 'string', sensitivity: 'general', level: 'L2', masking: 'none' },
    ...libraryFields[library].map((f) => ({
      code: f.code, name: f.zh, type: 'string' as const,
      // Personal identifiers and contacts are 重要数据 (L3), shown partly unless a grant says otherwise.
      ...(library === 'people' && f.code !== 'name' && f.code !== 'sex'
        ? { sensitivity: 'important' as const, level: 'L3' as const, masking: 'partial' as const }
        : { sensitivity: 'general' as const, level: 'L2' as const, masking: 'none' as const }),
      ...(f.code === identifying ? { rules: { check: library === 'people' ? 'resident-id' as const : 'credit-code' as const } } : {}),
    })),
    // Per field, the department whose record gave the value (JSON text), so a form prefilled from it can say so.
    { code: 'field_sources', name: '各项来源部门', type: 'string', sensitivity: 'general', level: 'L2', masking: 'none' },
  ];
}

/**
 * Sets a library up under `departmentId` (the department keeping it): its reading system and its own hub
 * resource (published, golden records as rows), with a grant to that system so that staff reads of golden
 * records go through the gateway and leave evidence. Idempotent.
 */
export async function setUpLibrary(ctx: Ctx, library: Library, departmentId: number): Promise<LibrarySetup> {
  const existing = await findLibrary(ctx.tx, library);
  if (existing) return existing;
  const as: Ctx = { ...ctx, actor: platform };
  const names = libraryNames[library];
  const system = await createSystem(as, { code: `JCK-${library.toUpperCase()}`, name: `基础库系统（${names.zh}）`, departmentId,
    purpose: '基础库：从各部门共享资源汇聚、清洗、融合为标准记录' });
  const code = resourceCodes[library];
  const identifying = subjectField[library];
  await createResource(as, { code, name: `${names.zh}标准记录`, kind: 'table', format: '库表', updateCycle: 'daily', providerDepartmentId: departmentId,
    summary: `${names.zh}：各部门数据融合后的一人（一企）一档标准记录，每项注明来源部门`, shareType: 'conditional',
    shareCondition: '用于依法履职，须说明用途和依据', openType: 'closed', systemId: system.id, subjectKind: library === 'people' ? 'person' : 'company',
    subjectField: identifying, keyField: 'entity_id', fields: goldenFields(library) });
  await submitResource(as, { code });
  await reviewResource(as, { code, approve: true });
  const resource = (await findPublishedResource(ctx.tx, code))!;
  await issueGrant(as, { requestId: null, consumerSystemId: system.id, consumerDepartmentId: departmentId, resourceId: resource.id, predicateId: null,
    providerDepartmentId: departmentId, fields: resource.fields.map((f) => f.code), masking: Object.fromEntries(resource.fields.map((f) => [f.code, 'none'])),
    purpose: '基础库管理：标准记录核查', legalBasis });
  await ctx.tx.query(`INSERT INTO registry_libraries (library, resource_code, department_id, system_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [library, code, departmentId, system.id, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.library.set-up', object: { type: 'registry-library', id: library },
    payload: { library, resourceCode: code, departmentId, systemId: system.id } });
  return { library, resourceCode: code, departmentId, systemId: system.id };
}

export interface Source {
  id: number;
  library: Library;
  resourceCode: string;
  resourceName: string;
  keyField: string | null;
  providerDepartmentId: number;
  providerName: string;
  divisionCode: string;
  mapping: Record<string, string>;
  trust: Record<string, number>;
  cursor: number;
  createdAt: string;
}

const sourceSelect = `SELECT s.id::int, s.library, s.resource_code AS "resourceCode", s.resource_name AS "resourceName", s.key_field AS "keyField",
    s.provider_department_id::int AS "providerDepartmentId", d.name AS "providerName", s.division_code AS "divisionCode", s.mapping, s.trust,
    s.cursor::int, to_json(s.created_at) #>> '{}' AS "createdAt"
  FROM registry_sources s JOIN departments d ON d.id = s.provider_department_id`;

export async function findSource(db: Queryable, id: number): Promise<Source | null> {
  return (await db.query<Source>(`${sourceSelect} WHERE s.id = $1`, [id])).rows[0] ?? null;
}

/** The sources within the actor's jurisdiction, by library. */
export async function listSources(db: Queryable, actor: Actor, library?: Library): Promise<Source[]> {
  assertCan(actor, registryActions.read);
  const params: unknown[] = [];
  const where = [registryScope(actor, 's.division_code', params)];
  if (library) { params.push(library); where.push(`s.library = $${params.length}`); }
  return (await db.query<Source>(`${sourceSelect} WHERE ${where.join(' AND ')} ORDER BY s.library, s.id`, params)).rows;
}

export interface AddSource {
  library: Library;
  resource: string;
  /** library field -> field of the resource */
  mapping: Record<string, string>;
  /** library field -> 1 (least) .. 10 (most trusted); 5 when not given */
  trust?: Record<string, number>;
}

const bad = (code: string, field: string, message: string, extra: Record<string, unknown> = {}) =>
  new DomainError(code, { field, ...extra }, message);

/** 添加数据源: checks the mapping (every mandatory field mapped, only real fields), the grant, then records the source. */
export async function addSource(ctx: Ctx, input: AddSource): Promise<Source> {
  assertCan(ctx.actor, registryActions.manageSources);
  const resource = await findPublishedResource(ctx.tx, input.resource);
  if (!resource) throw notFound('registry.resource', input.resource);
  const department = await findDepartment(ctx.tx, resource.providerDepartmentId);
  assertCan(ctx.actor, registryActions.manageSources, { divisionCode: department!.divisionCode });
  const fields = libraryFields[input.library];
  const unmapped = fields.filter((f) => f.mandatory && !input.mapping[f.code]);
  if (unmapped.length > 0)
    throw bad('registry.mandatory-unmapped', `mapping.${unmapped[0]!.code}`, `mandatory fields not mapped: ${unmapped.map((f) => f.code).join(', ')}`,
      { fields: unmapped.map((f) => f.code) });
  for (const [target, from] of Object.entries(input.mapping)) {
    if (!fields.some((f) => f.code === target)) throw bad('registry.unknown-library-field', `mapping.${target}`, `${target} is not a field of ${input.library}`);
    if (!resource.fields.some((f) => f.code === from)) throw bad('registry.unknown-source-field', `mapping.${target}`, `${from} is not a field of ${resource.code}`);
  }
  for (const target of Object.keys(input.trust ?? {}))
    if (!input.mapping[target]) throw bad('registry.trust-unmapped', `trust.${target}`, `${target} is not mapped`);
  if (resource.kind !== 'table') throw bad('registry.not-table', 'resource', `${resource.code} is not held by the hub`);
  const departmentId = ctx.actor.departmentId ?? resource.providerDepartmentId;
  const setup = await setUpLibrary(ctx, input.library, departmentId);
  // activeGrant refuses when there is none; here that refusal becomes the source's own, clearer one.
  const granted = await activeGrant(ctx.tx, setup.systemId, resource.id, null, ctx.now).catch(() => null);
  if (!granted) throw new DomainError('registry.no-grant', { status: 409, field: 'resource', systemId: setup.systemId },
    `the library's system holds no grant on ${resource.code}: request access first`);
  const missing = Object.values(input.mapping).find((f) => !granted.fields.includes(f));
  if (missing) throw bad('registry.field-not-granted', 'mapping', `${missing} is not granted to the library's system`, { value: missing });
  const trust = Object.fromEntries(Object.keys(input.mapping).map((f) => [f, input.trust?.[f] ?? 5]));
  const { rows } = await ctx.tx.query<{ id: string }>(
    `INSERT INTO registry_sources (library, resource_code, resource_name, key_field, provider_department_id, division_code, mapping, trust, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (library, resource_code) DO NOTHING RETURNING id`,
    [input.library, resource.code, resource.name, resource.keyField ?? resource.subjectField, resource.providerDepartmentId, department!.divisionCode,
      JSON.stringify(input.mapping), JSON.stringify(trust), `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now]);
  if (!rows[0]) throw new DomainError('registry.source-exists', { status: 409, field: 'resource' }, `${resource.code} is a source of ${input.library} already`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.source.added', object: { type: 'registry-source', id: rows[0].id },
    payload: { ...input, trust } });
  return (await findSource(ctx.tx, Number(rows[0].id)))!;
}

/** What the add-source form offers: published table resources of the jurisdiction with their fields. */
export async function sourceOptions(db: Queryable, actor: Actor, code?: string) {
  assertCan(actor, registryActions.manageSources);
  const params: unknown[] = [];
  const within = registryScope(actor, 'd.division_code', params);
  const { rows } = await db.query<{ code: string; name: string; providerName: string }>(
    `SELECT r.code, r.name, d.name AS "providerName" FROM hub_resources r JOIN departments d ON d.id = r.provider_department_id
      WHERE r.published_version IS NOT NULL AND r.status <> 'retired' AND r.kind = 'table' AND r.subject_kind IS NOT NULL AND ${within}
        AND r.code NOT IN (SELECT resource_code FROM registry_libraries) ORDER BY r.code LIMIT 500`, params);
  const resource = code ? await findPublishedResource(db, code) : null;
  return { resources: rows, fields: resource?.fields.map((f) => ({ code: f.code, name: f.name })) ?? [],
    libraries: libraries.map((library) => ({ library, fields: libraryFields[library].map((f) => ({ code: f.code, mandatory: f.mandatory === true })) })) };
}

/** Asks the hub for access to a resource for the library's system, on the officer's behalf (共享申请). */
export async function requestSourceAccess(ctx: Ctx, input: { library: Library; resource: string; purpose: string }) {
  assertCan(ctx.actor, registryActions.manageSources);
  if (ctx.actor.departmentId === null) throw new DomainError('registry.department-required', { status: 403 }, 'staff of a department only');
  const setup = await setUpLibrary(ctx, input.library, ctx.actor.departmentId);
  const resource = await findPublishedResource(ctx.tx, input.resource);
  if (!resource) throw notFound('registry.resource', input.resource);
  return submitRequest(ctx, { systemId: setup.systemId, resource: input.resource, fields: resource.fields.map((f) => f.code), purpose: input.purpose,
    legalBasis, scenario: `${libraryNames[input.library].zh}汇聚：按字段映射读取新增和变更的记录，清洗、融合为标准记录` });
}
