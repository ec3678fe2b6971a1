/**
 * 政务信息资源目录: catalogue entries (resources) and their 信息项 (fields). An entry is written as a draft,
 * submitted for review, and published by a hub administrator; editing a published entry starts the next
 * version as a draft while the published one stays in use, and every published version stays readable.
 */
import { assertCan, hasGrant, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable, Tx } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { assertProvider, assertReviewer, canSeeEntry, hubActions, isHubAdmin, seesWorkingCopy } from './policy.ts';
import { isMappingPath } from './rows.ts';
import { searchDocument } from './search-text.ts';

export const fieldTypes = ['string', 'integer', 'number', 'date', 'boolean'] as const;
export const sensitivities = ['general', 'important', 'core'] as const;
export const levels = ['L1', 'L2', 'L3', 'L4'] as const;
export const maskings = ['none', 'partial', 'hash', 'drop'] as const;
export const shareTypes = ['unconditional', 'conditional', 'none'] as const;
export const openTypes = ['open', 'conditional', 'closed'] as const;
export const entryStates = ['draft', 'review', 'published', 'retired'] as const;
export const identityChecks = ['resident-id', 'credit-code'] as const;

export type FieldType = (typeof fieldTypes)[number];
export type Sensitivity = (typeof sensitivities)[number];
export type Masking = (typeof maskings)[number];
export type EntryState = (typeof entryStates)[number];

/** Quality rules of a field (数据质量规则), checked on import and by the quality score. */
export interface FieldRules {
  required?: boolean;
  pattern?: string;
  min?: number;
  max?: number;
  check?: (typeof identityChecks)[number];
  /** Code of another resource whose key values this field must be one of. */
  reference?: string;
}

export interface Field {
  code: string;
  name: string;
  type: FieldType;
  length: number | null;
  sensitivity: Sensitivity;
  level: (typeof levels)[number];
  masking: Masking;
  rules: FieldRules;
}

/** How an api resource's JSON answer becomes rows: `root` points at the record or the array of records. */
export interface ApiMapping {
  root: string;
  fields: Record<string, string>;
}

export interface Resource {
  id: number;
  code: string;
  name: string;
  providerDepartmentId: number;
  providerName: string;
  systemId: number | null;
  kind: 'table' | 'api';
  summary: string;
  format: string;
  updateCycle: string;
  shareType: (typeof shareTypes)[number];
  shareCondition: string;
  openType: (typeof openTypes)[number];
  subjectKind: 'person' | 'company' | null;
  subjectField: string | null;
  keyField: string | null;
  status: EntryState;
  version: number;
  publishedVersion: number | null;
  reviewNote: string | null;
  apiUrl: string | null;
  apiTimeoutMs: number | null;
  apiMapping: ApiMapping | null;
  topSensitivity: Sensitivity;
  rowCount: number;
  qualityScore: number | null;
  qualityCheckedAt: string | null;
  updatedAt: string;
  fields: Field[];
}

export interface EntryInput {
  name: string;
  systemId?: number;
  kind: 'table' | 'api';
  summary?: string;
  format: string;
  updateCycle: string;
  shareType: Resource['shareType'];
  shareCondition?: string;
  openType: Resource['openType'];
  subjectKind?: 'person' | 'company';
  subjectField?: string;
  keyField?: string;
  apiUrl?: string;
  apiTimeoutMs?: number;
  apiMapping?: ApiMapping;
  fields: (Omit<Field, 'length' | 'rules'> & { length?: number; rules?: FieldRules })[];
}

export interface CreateEntry extends EntryInput {
  code: string;
  /** The providing department; a data officer's own by default. */
  providerDepartmentId?: number;
}

const resourceColumns = `r.id, r.code, r.name, r.provider_department_id AS "providerDepartmentId", d.name AS "providerName",
  r.system_id AS "systemId", r.kind, r.summary, r.format, r.update_cycle AS "updateCycle", r.share_type AS "shareType",
  r.share_condition AS "shareCondition", r.open_type AS "openType", r.subject_kind AS "subjectKind", r.subject_field AS "subjectField",
  r.key_field AS "keyField", r.status, r.version, r.published_version AS "publishedVersion", r.review_note AS "reviewNote",
  r.api_url AS "apiUrl", r.api_timeout_ms AS "apiTimeoutMs", r.api_mapping AS "apiMapping", r.top_sensitivity AS "topSensitivity",
  r.row_count AS "rowCount", r.quality_score AS "qualityScore", to_json(r.quality_checked_at) #>> '{}' AS "qualityCheckedAt",
  to_json(r.updated_at) #>> '{}' AS "updatedAt"`;

/** The resource columns joined with the provider's name; `r` and `d` are the aliases. */
export const resourceSelect = `SELECT ${resourceColumns} FROM hub_resources r JOIN departments d ON d.id = r.provider_department_id`;

async function fieldsOf(db: Queryable, resourceId: number): Promise<Field[]> {
  const { rows } = await db.query<Field>(
    `SELECT code, name, type, length, sensitivity, level, masking, rules FROM hub_resource_fields WHERE resource_id = $1 ORDER BY position`,
    [resourceId]);
  return rows;
}

/** Fields of several entries at once, by resource id. */
export async function fieldsByResource(db: Queryable, ids: readonly number[]): Promise<Map<number, Field[]>> {
  const { rows } = await db.query<Field & { resourceId: number }>(
    `SELECT resource_id AS "resourceId", code, name, type, length, sensitivity, level, masking, rules FROM hub_resource_fields
      WHERE resource_id = ANY($1::bigint[]) ORDER BY resource_id, position`, [ids]);
  const out = new Map<number, Field[]>(ids.map((id) => [id, []]));
  for (const { resourceId, ...field } of rows) out.get(resourceId)!.push(field);
  return out;
}

/** The working copy of an entry by code, with its fields; `lock` takes the row for an update. */
export async function findResource(db: Queryable, code: string, lock = false): Promise<Resource | null> {
  const { rows } = await db.query<Omit<Resource, 'fields'>>(`${resourceSelect} WHERE r.code = $1${lock ? ' FOR UPDATE OF r' : ''}`, [code]);
  const row = rows[0];
  return row ? { ...row, fields: await fieldsOf(db, row.id) } : null;
}

async function requireResource(db: Queryable, code: string, lock = false): Promise<Resource> {
  const resource = await findResource(db, code, lock);
  if (!resource) throw notFound('hub.resource', code);
  return resource;
}

/**
 * The last published version of an entry, as the gateway serves it, or null when it was never published
 * or is retired. Fields and masking are those of that version, not of a draft in progress.
 */
export async function findPublishedResource(db: Queryable, code: string): Promise<Resource | null> {
  const { rows } = await db.query<{ entry: Resource }>(
    `SELECT v.entry FROM hub_resources r JOIN hub_resource_versions v ON v.resource_id = r.id AND v.version = r.published_version
      WHERE r.code = $1 AND r.status <> 'retired'`, [code]);
  return rows[0]?.entry ?? null;
}

const order = (s: Sensitivity) => sensitivities.indexOf(s);

/** Rules an entry must satisfy beyond its schema; each refusal names the input at fault. */
function checkEntry(input: EntryInput & { code: string }): void {
  const bad = (code: string, field: string, message: string) => new DomainError(code, { field }, message);
  // 类: A 基础信息资源, B 主题信息资源, C 部门信息资源 (政务信息资源目录编制指南).
  if (!/^[ABC][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$/.test(input.code) || /-0000/.test(input.code) || input.code.slice(1, 3) === '00')
    throw bad('hub.bad-code', 'code', 'a catalogue code is 类 (A, B or C) + 项 (2 digits) - 目 - 细目 - sequence (4 digits each, not 0000)');
  if (input.fields.length === 0) throw bad('hub.fields-required', 'fields', 'an entry needs at least one field');
  const codes = new Set<string>();
  input.fields.forEach((field, i) => {
    if (codes.has(field.code)) throw bad('hub.field-duplicate', `fields.${i}.code`, `field ${field.code} is listed twice`);
    codes.add(field.code);
    // 核心数据 is always at the highest level, 重要数据 at L3 or above.
    if ((field.sensitivity === 'core' && field.level !== 'L4') || (field.sensitivity === 'important' && field.level < 'L3'))
      throw bad('hub.level-mismatch', `fields.${i}.level`, `${field.sensitivity} data cannot be at ${field.level}`);
    const rules = field.rules ?? {};
    if (rules.pattern !== undefined) {
      try { new RegExp(rules.pattern, 'u'); } catch { throw bad('hub.bad-pattern', `fields.${i}.rules.pattern`, 'not a regular expression'); }
    }
    if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max)
      throw bad('hub.bad-range', `fields.${i}.rules.min`, 'min is above max');
  });
  for (const key of ['subjectField', 'keyField'] as const) {
    const value = input[key];
    if (value !== undefined && !codes.has(value)) throw bad('hub.unknown-field', key, `${value} is not one of the fields`);
  }
  if ((input.subjectKind === undefined) !== (input.subjectField === undefined))
    throw bad('hub.subject-incomplete', input.subjectKind === undefined ? 'subjectKind' : 'subjectField', 'subject kind and subject field go together');
  if (input.kind === 'api') {
    if (!input.apiUrl || !/^https?:\/\//.test(input.apiUrl)) throw bad('hub.api-url-required', 'apiUrl', 'an api resource needs an http(s) URL');
    if (!input.apiMapping) throw bad('hub.api-mapping-required', 'apiMapping', 'an api resource needs a response mapping');
    if (!isMappingPath(input.apiMapping.root)) throw bad('hub.bad-mapping-path', 'apiMapping.root', 'a path is $ followed by .name or [n] steps');
    for (const [code, path] of Object.entries(input.apiMapping.fields)) {
      if (!codes.has(code)) throw bad('hub.unknown-field', `apiMapping.fields.${code}`, `${code} is not one of the fields`);
      if (!isMappingPath(path)) throw bad('hub.bad-mapping-path', `apiMapping.fields.${code}`, 'a path is $ followed by .name or [n] steps');
    }
  }
}

async function writeEntry(tx: Tx, id: number, input: EntryInput & { code: string }, providerName: string): Promise<void> {
  const top = input.fields.reduce<Sensitivity>((max, f) => (order(f.sensitivity) > order(max) ? f.sensitivity : max), 'general');
  await tx.query(
    `UPDATE hub_resources SET name = $2, system_id = $3, kind = $4, summary = $5, format = $6, update_cycle = $7, share_type = $8,
       share_condition = $9, open_type = $10, subject_kind = $11, subject_field = $12, key_field = $13, api_url = $14,
       api_timeout_ms = $15, api_mapping = $16, top_sensitivity = $17, search = to_tsvector('simple', $18), updated_at = now()
     WHERE id = $1`,
    [id, input.name, input.systemId ?? null, input.kind, input.summary ?? '', input.format, input.updateCycle, input.shareType,
      input.shareCondition ?? '', input.openType, input.subjectKind ?? null, input.subjectField ?? null, input.keyField ?? null,
      input.kind === 'api' ? input.apiUrl : null, input.kind === 'api' ? input.apiTimeoutMs ?? 3000 : null,
      input.kind === 'api' ? JSON.stringify(input.apiMapping) : null, top,
      searchDocument([input.name, input.summary ?? '', providerName, ...input.fields.map((f) => f.name)])]);
  await tx.query('DELETE FROM hub_resource_fields WHERE resource_id = $1', [id]);
  const f = input.fields;
  await tx.query(
    `INSERT INTO hub_resource_fields (resource_id, code, name, type, length, sensitivity, level, masking, rules, position)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::int[])`,
    [id, f.map((x) => x.code), f.map((x) => x.name), f.map((x) => x.type), f.map((x) => x.length ?? null), f.map((x) => x.sensitivity),
      f.map((x) => x.level), f.map((x) => x.masking), f.map((x) => JSON.stringify(x.rules ?? {})), f.map((_, i) => i)]);
}

async function assertSystemOf(tx: Queryable, systemId: number | undefined, departmentId: number): Promise<void> {
  if (systemId === undefined) return;
  const { rows } = await tx.query<{ department_id: number }>('SELECT department_id FROM hub_systems WHERE id = $1', [systemId]);
  if (rows[0]?.department_id !== departmentId)
    throw new DomainError('hub.system-not-provider', { field: 'systemId' }, 'the system must belong to the providing department');
}

/** 资源登记: a data officer registers a catalogue entry of their department, as a draft. */
export async function createResource(ctx: Ctx, input: CreateEntry): Promise<Resource> {
  assertCan(ctx.actor, hubActions.register);
  const departmentId = input.providerDepartmentId ?? ctx.actor.departmentId;
  if (departmentId === null) throw new DomainError('hub.provider-required', { field: 'providerDepartmentId' }, 'name the providing department');
  await assertProvider(ctx.tx, ctx.actor, departmentId);
  checkEntry(input);
  await assertSystemOf(ctx.tx, input.systemId, departmentId);
  const department = await findDepartment(ctx.tx, departmentId);
  if (!department) throw new DomainError('hub.department-unknown', { field: 'providerDepartmentId' }, 'no such department');
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_resources (code, name, provider_department_id, kind, format, update_cycle, share_type, open_type, api_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [input.code, input.name, departmentId, input.kind, input.format, input.updateCycle, input.shareType, input.openType, input.apiUrl ?? null]);
  if (!rows[0]) throw new DomainError('hub.code-taken', { field: 'code', status: 409 }, `${input.code} is taken`);
  await writeEntry(ctx.tx, rows[0].id, input, department.name);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.resource.registered', object: { type: 'hub-resource', id: input.code }, payload: input });
  return requireResource(ctx.tx, input.code);
}

/**
 * Edits an entry. A draft changes in place; a published entry gets its next version as a draft (the
 * published one stays in use until the new one is approved). Entries in review or retired cannot change.
 */
export async function updateResource(ctx: Ctx, input: EntryInput & { code: string }): Promise<Resource> {
  const resource = await requireResource(ctx.tx, input.code, true);
  await assertProvider(ctx.tx, ctx.actor, resource.providerDepartmentId);
  if (resource.status === 'review' || resource.status === 'retired')
    throw new DomainError('hub.bad-state', { status: 409, state: resource.status }, `an entry in ${resource.status} cannot be edited`);
  checkEntry(input);
  await assertSystemOf(ctx.tx, input.systemId, resource.providerDepartmentId);
  if (resource.status === 'published')
    await ctx.tx.query(`UPDATE hub_resources SET version = version + 1, status = 'draft', review_note = NULL WHERE id = $1`, [resource.id]);
  await writeEntry(ctx.tx, resource.id, input, resource.providerName);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.resource.edited', object: { type: 'hub-resource', id: input.code },
    payload: { ...input, version: resource.status === 'published' ? resource.version + 1 : resource.version } });
  return requireResource(ctx.tx, input.code);
}

async function moveEntry(ctx: Ctx, resource: Resource, to: EntryState, action: string, note: string | null): Promise<Resource> {
  await ctx.tx.query('UPDATE hub_resources SET status = $2, review_note = $3, updated_at = now() WHERE id = $1', [resource.id, to, note]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action, object: { type: 'hub-resource', id: resource.code },
    payload: { version: resource.version, from: resource.status, to, note } });
  return requireResource(ctx.tx, resource.code);
}

function assertState(resource: Resource, ...allowed: EntryState[]): void {
  if (!allowed.includes(resource.status))
    throw new DomainError('hub.bad-state', { status: 409, state: resource.status }, `the entry is ${resource.status}`);
}

/** 提交审核: the provider sends a draft to the hub administrators. */
export async function submitResource(ctx: Ctx, input: { code: string }): Promise<Resource> {
  const resource = await requireResource(ctx.tx, input.code, true);
  await assertProvider(ctx.tx, ctx.actor, resource.providerDepartmentId);
  assertState(resource, 'draft');
  await ctx.tx.query('UPDATE hub_resources SET submitted_by = $2 WHERE id = $1', [resource.id, `${ctx.actor.kind}:${ctx.actor.id}`]);
  return moveEntry(ctx, resource, 'review', 'hub.resource.submitted', null);
}

/**
 * 审核: a hub administrator publishes the entry in review, or sends it back to draft with a reason; never
 * the one who submitted it (else a hub administrator could rewrite another department's masking and publish it).
 */
export async function reviewResource(ctx: Ctx, input: { code: string; approve: boolean; note?: string }): Promise<Resource> {
  const resource = await requireResource(ctx.tx, input.code, true);
  await assertReviewer(ctx.tx, ctx.actor);
  assertState(resource, 'review');
  const { rows: [entry] } = await ctx.tx.query<{ submittedBy: string | null }>('SELECT submitted_by AS "submittedBy" FROM hub_resources WHERE id = $1', [resource.id]);
  if (!hasGrant(ctx.actor, '*') && entry?.submittedBy === `${ctx.actor.kind}:${ctx.actor.id}`)
    throw new DomainError('hub.review.own', { status: 403 }, 'you submitted this entry; another hub administrator reviews it');
  if (!input.approve) {
    if (!input.note?.trim()) throw new DomainError('hub.reason-required', { field: 'note' }, 'a rejection needs a reason');
    return moveEntry(ctx, resource, 'draft', 'hub.resource.rejected', input.note);
  }
  const published = { ...resource, status: 'published' as const, publishedVersion: resource.version, reviewNote: input.note ?? null };
  await ctx.tx.query(
    `INSERT INTO hub_resource_versions (resource_id, version, entry, published_at, published_by, search)
     SELECT $1, $2, $3, $4, $5, search FROM hub_resources WHERE id = $1`,
    [resource.id, resource.version, JSON.stringify(published), ctx.now, `${ctx.actor.kind}:${ctx.actor.id}`]);
  await ctx.tx.query('UPDATE hub_resources SET published_version = version WHERE id = $1', [resource.id]);
  return moveEntry(ctx, resource, 'published', 'hub.resource.published', input.note ?? null);
}

/** 下线: the provider withdraws a published entry; the gateway stops serving it, its versions stay readable. */
export async function retireResource(ctx: Ctx, input: { code: string; note: string }): Promise<Resource> {
  const resource = await requireResource(ctx.tx, input.code, true);
  await assertProvider(ctx.tx, ctx.actor, resource.providerDepartmentId);
  assertState(resource, 'published');
  return moveEntry(ctx, resource, 'retired', 'hub.resource.retired', input.note);
}

/**
 * An entry as the actor may see it: the provider and hub administrators see the working copy, others the
 * published version while the next one is being prepared; 404 for a never-published draft of another
 * department, as if it did not exist.
 */
export async function viewResource(db: Queryable, actor: Actor, code: string): Promise<{ resource: Resource; hubAdmin: boolean }> {
  const resource = await findResource(db, code);
  const hubAdmin = await isHubAdmin(db, actor);
  if (!resource) throw notFound('hub.resource', code);
  if (canSeeEntry(actor, resource, hubAdmin)) return { resource, hubAdmin };
  const published = seesWorkingCopy(actor, resource, hubAdmin) ? null : await findPublishedResource(db, code);
  if (!published || !canSeeEntry(actor, published, hubAdmin)) throw notFound('hub.resource', code);
  return { resource: { ...published, rowCount: resource.rowCount, qualityScore: resource.qualityScore }, hubAdmin };
}

export interface VersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string;
}

/** 版本: every published version of an entry, newest first. */
export async function listVersions(db: Queryable, actor: Actor, code: string): Promise<VersionSummary[]> {
  const { resource } = await viewResource(db, actor, code);
  const { rows } = await db.query<VersionSummary>(
    `SELECT version, to_json(published_at) #>> '{}' AS "publishedAt", published_by AS "publishedBy"
       FROM hub_resource_versions WHERE resource_id = $1 ORDER BY version DESC`, [resource.id]);
  return rows;
}

/** One published version of an entry, as it was. */
export async function getVersion(db: Queryable, actor: Actor, code: string, version: number): Promise<Resource> {
  const { resource } = await viewResource(db, actor, code);
  const { rows } = await db.query<{ entry: Resource }>('SELECT entry FROM hub_resource_versions WHERE resource_id = $1 AND version = $2',
    [resource.id, version]);
  if (!rows[0]) throw notFound('hub.version', `${code}@${version}`);
  return rows[0].entry;
}
