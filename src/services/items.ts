/**
 * 政务服务事项: the service catalogue. An item carries the basic elements of GB/T 39554.1-style item lists
 * (code, type, competent department, implementing body and level, legal basis, conditions, materials,
 * statutory and committed time limits in working days, fees, visits, online depth, steps), its guide and
 * its application form. Browsing is public; changes are made by admins within their jurisdiction.
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { assertCan, roles, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { containsPattern } from '../kernel/like.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartmentByCode } from '../kernel/org/index.ts';
import { credentialTypes } from './credentials/index.ts';
import { checkFormSchema } from './forms.ts';
import { servicesActions } from './policy.ts';

/** 事项类型, with the national item-type code of each (1 行政许可 … 20 公共服务). */
export const itemKinds = {
  licence: { code: 1, zh: '行政许可' },
  benefit: { code: 5, zh: '行政给付' },
  confirmation: { code: 7, zh: '行政确认' },
  reward: { code: 8, zh: '行政奖励' },
  ruling: { code: 9, zh: '行政裁决' },
  'other-power': { code: 10, zh: '其他行政权力' },
  'public-service': { code: 20, zh: '公共服务' },
} as const;
export type ItemKind = keyof typeof itemKinds;
export const kindOfTaskType = (taskType: number): ItemKind | undefined =>
  (Object.entries(itemKinds) as [ItemKind, { code: number }][]).find(([, k]) => k.code === taskType)?.[0];

/**
 * What an item's decision pays or charges, in 分: a benefit paid to the applicant (临时救助, 高龄津贴, a subsidy) or
 * a fee. The decision of such an item records its amount, and the ledger entry publishes it for the oversight rules.
 */
export const amountKinds = { benefit: { zh: '发放金额' }, fee: { zh: '收取金额' } } as const;
export type AmountKind = keyof typeof amountKinds;

/** 主题: the life events a citizen browses by (个人) and a firm's (法人). */
export const lifeEvents = ['birth', 'school', 'employment', 'business', 'retirement', 'marriage', 'residence', 'housing', 'transport', 'health', 'social-aid'] as const;

const oneOf = (values: readonly string[]) => Type.Enum([...values]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const Condition = Type.Object({
  text: Text(300),
  /** a hub predicate that answers the condition (e.g. `age_over_18`); asked at submission */
  predicate: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_.-]{1,60}$' })),
}, { additionalProperties: false });

export const Material = Type.Object({
  name: Text(100),
  form: oneOf(['original', 'copy', 'electronic']),
  required: Type.Boolean(),
  /** 免提交: an e-certificate type or a hub resource that replaces the paper */
  replacedBy: Type.Optional(Type.Object({ kind: oneOf(['credential', 'hub']), ref: Text(80) }, { additionalProperties: false })),
  /** accepted file types of an upload */
  accept: Type.Optional(Type.Array(oneOf(['application/pdf', 'image/jpeg', 'image/png']), { minItems: 1 })),
}, { additionalProperties: false });

export const Step = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,30}$' }),
  label: Text(30),
  role: oneOf(roles.filter((r) => r !== 'citizen')),
  /** 会签: two different officers must sign before the application moves on */
  countersign: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const PrefillRule = Type.Object({
  field: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,40}$' }),
  resource: Text(80),
  resourceField: Text(80),
}, { additionalProperties: false });

export const ItemInput = Type.Object({
  code: Type.String({ minLength: 3, maxLength: 120, pattern: '^[0-9A-Za-z][0-9A-Za-z-]*$' }),
  name: Text(200),
  kind: oneOf(Object.keys(itemKinds)),
  itemGroup: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  departmentCode: Text(60),
  implementingBody: Text(200),
  level: oneOf(['province', 'city', 'county', 'township', 'village']),
  legalBasis: Type.String({ maxLength: 4000 }),
  conditions: Type.Array(Condition, { maxItems: 30 }),
  materials: Type.Array(Material, { maxItems: 40 }),
  statutoryDays: Type.Integer({ minimum: 0, maximum: 365 }),
  committedDays: Type.Integer({ minimum: 0, maximum: 365 }),
  fee: Type.String({ maxLength: 200 }),
  visits: Type.Integer({ minimum: 0, maximum: 10 }),
  fullyOnline: Type.Boolean(),
  steps: Type.Array(Step, { minItems: 1, maxItems: 10 }),
  lifeEvents: Type.Array(oneOf(lifeEvents), { maxItems: 6 }),
  formSchema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  prefill: Type.Array(PrefillRule, { maxItems: 40 }),
  issuesCredentialType: Type.Union([Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{1,60}$' }), Type.Null()]),
  online: Type.Boolean(),
  guide: Type.String({ maxLength: 20000 }),
  /** what the decision pays (benefit) or charges (fee), recorded in 分 on each approval; null: no amount */
  amountKind: Type.Optional(Type.Union([oneOf(Object.keys(amountKinds)), Type.Null()])),
}, { additionalProperties: false });
export type ItemInput = Static<typeof ItemInput>;
export type Step = Static<typeof Step>;
export type Material = Static<typeof Material>;
export type Condition = Static<typeof Condition>;
export type PrefillRule = Static<typeof PrefillRule>;

export interface ServiceItem extends Omit<ItemInput, 'departmentCode' | 'amountKind'> {
  id: number;
  amountKind: AmountKind | null;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  divisionCode: string;
  /** replaced by every change of the item (a trigger): what the item cache checks */
  revision: string;
  updatedAt: Date;
}

/** 受理 → 审查 → 决定: the steps of an item that names none. */
export const defaultSteps: Step[] = [
  { key: 'accept', label: '受理', role: 'officer' },
  { key: 'review', label: '审查', role: 'officer' },
  { key: 'decide', label: '决定', role: 'officer' },
];

export const itemColumns = `i.id, i.code, i.name, i.kind, i.item_group AS "itemGroup", i.department_id AS "departmentId",
  d.code AS "departmentCode", d.name AS "departmentName", i.division_code AS "divisionCode",
  i.implementing_body AS "implementingBody", i.level, i.legal_basis AS "legalBasis", i.conditions, i.materials,
  i.statutory_days AS "statutoryDays", i.committed_days AS "committedDays", i.fee, i.visits, i.fully_online AS "fullyOnline",
  i.steps, i.life_events AS "lifeEvents", i.form_schema AS "formSchema", i.prefill,
  i.issues_credential_type AS "issuesCredentialType", i.online, i.guide, i.amount_kind AS "amountKind", i.revision, i.updated_at AS "updatedAt"`;

export async function findItem(db: Queryable, id: number): Promise<ServiceItem | null> {
  const { rows } = await db.query<ServiceItem>(
    `SELECT ${itemColumns} FROM services_items i JOIN departments d ON d.id = i.department_id WHERE i.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getItem(db: Queryable, id: number): Promise<ServiceItem> {
  const item = await findItem(db, id);
  if (!item) throw notFound('services.item', id);
  return item;
}

/** What identifies the content of an item as read now: its revision and its department's code and name. */
export interface ItemStamp {
  id: number;
  revision: string;
  departmentCode: string;
  departmentName: string;
}

// Items as this process last read them. Every submission needs its item; a statement the command runs anyway
// reads the stamp, and an entry is used only while the stamp matches, so no change is ever missed.
const itemCache = new Map<number, ServiceItem>();

/** The item with the stamp just read on `db`, from the cache when it is that content; MUST NOT be changed by the caller. */
export async function itemAsOf(db: Queryable, stamp: ItemStamp): Promise<ServiceItem> {
  const cached = itemCache.get(stamp.id);
  if (cached && cached.revision === stamp.revision && cached.departmentCode === stamp.departmentCode && cached.departmentName === stamp.departmentName)
    return cached;
  const item = await getItem(db, stamp.id);
  if (itemCache.size >= 5_000) itemCache.clear();
  itemCache.set(item.id, item);
  return item;
}

export interface ItemQuery {
  q?: string;
  lifeEvent?: string;
  kind?: string;
  departmentId?: number;
  fullyOnline?: boolean;
  limit: number;
  offset: number;
}

/** The public catalogue: items open online, by life event, type, department or words of the name. */
export async function listItems(db: Queryable, query: ItemQuery): Promise<{ total: number; items: ServiceItem[] }> {
  const params: unknown[] = [];
  const where = ['i.online'];
  if (query.q) {
    params.push(containsPattern(query.q));
    where.push(`(i.name ILIKE $${params.length} OR i.code ILIKE $${params.length} OR i.item_group ILIKE $${params.length})`);
  }
  if (query.lifeEvent) { params.push(query.lifeEvent); where.push(`$${params.length} = ANY(i.life_events)`); }
  if (query.kind) { params.push(query.kind); where.push(`i.kind = $${params.length}`); }
  if (query.departmentId) { params.push(query.departmentId); where.push(`i.department_id = $${params.length}`); }
  if (query.fullyOnline !== undefined) { params.push(query.fullyOnline); where.push(`i.fully_online = $${params.length}`); }
  const filter = where.join(' AND ');
  const { rows: [{ total }] } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM services_items i WHERE ${filter}`, params);
  params.push(query.limit, query.offset);
  // Items with a form (applied for online) first, then by name.
  const { rows } = await db.query<ServiceItem>(
    `SELECT ${itemColumns} FROM services_items i JOIN departments d ON d.id = i.department_id WHERE ${filter}
      ORDER BY (i.form_schema IS NULL), i.name, i.id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total, items: rows };
}

/** Counts per life event, for the portal's tiles. */
export async function lifeEventCounts(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ event: string; n: number }>(
    `SELECT e AS event, count(*)::int AS n FROM services_items, unnest(life_events) e WHERE online GROUP BY e`);
  return Object.fromEntries(lifeEvents.map((e) => [e, rows.find((r) => r.event === e)?.n ?? 0]));
}

async function departmentFor(db: Queryable, code: string) {
  const department = await findDepartmentByCode(db, code);
  if (!department) throw new DomainError('services.department.unknown', { field: 'departmentCode' }, `no department has the code ${code}`);
  return department;
}

/** Checks what the schema cannot: time limits that fit, one key per step, a form schema that compiles, prefill into form fields. */
function checkItem(input: ItemInput): void {
  if (input.statutoryDays > 0 && input.committedDays > input.statutoryDays)
    throw new DomainError('services.committed-over-statutory', { field: 'committedDays' }, 'the committed time limit cannot exceed the statutory one');
  const keys = input.steps.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw new DomainError('services.step-key-twice', { field: 'steps' }, 'each step needs its own key');
  checkFormSchema(input.formSchema);
  if (input.issuesCredentialType !== null && !(input.issuesCredentialType in credentialTypes))
    throw new DomainError('services.credential-type-unknown', { field: 'issuesCredentialType' }, `no e-certificate type ${input.issuesCredentialType}`);
  const fields = Object.keys((input.formSchema as { properties?: object } | null)?.properties ?? {});
  const stray = input.prefill.find((p) => !fields.includes(p.field));
  if (stray) throw new DomainError('services.prefill-unknown-field', { field: 'prefill' }, `prefill names ${stray.field}, which the form does not have`);
}

/** Adds an item, or replaces the item with the same code; one ledger entry either way. */
export async function saveItem(ctx: Ctx, input: ItemInput): Promise<ServiceItem> {
  const department = await departmentFor(ctx.tx, input.departmentCode);
  assertCan(ctx.actor, servicesActions.manageItems, department);
  // Replacing an item by its code needs the right over the item as it is, too.
  const { rows: [existing] } = await ctx.tx.query<{ divisionCode: string }>(
    'SELECT division_code AS "divisionCode" FROM services_items WHERE code = $1', [input.code]);
  if (existing) assertCan(ctx.actor, servicesActions.manageItems, existing);
  checkItem(input);
  const { rows: [saved] } = await ctx.tx.query<{ id: number; created: boolean }>(
    `INSERT INTO services_items (code, name, kind, item_group, department_id, division_code, implementing_body, level, legal_basis,
       conditions, materials, statutory_days, committed_days, fee, visits, fully_online, steps, life_events, form_schema, prefill,
       issues_credential_type, online, guide, updated_at, amount_kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, item_group = EXCLUDED.item_group,
       department_id = EXCLUDED.department_id, division_code = EXCLUDED.division_code, implementing_body = EXCLUDED.implementing_body,
       level = EXCLUDED.level, legal_basis = EXCLUDED.legal_basis, conditions = EXCLUDED.conditions, materials = EXCLUDED.materials,
       statutory_days = EXCLUDED.statutory_days, committed_days = EXCLUDED.committed_days, fee = EXCLUDED.fee, visits = EXCLUDED.visits,
       fully_online = EXCLUDED.fully_online, steps = EXCLUDED.steps, life_events = EXCLUDED.life_events, form_schema = EXCLUDED.form_schema,
       prefill = EXCLUDED.prefill, issues_credential_type = EXCLUDED.issues_credential_type, online = EXCLUDED.online,
       guide = EXCLUDED.guide, updated_at = EXCLUDED.updated_at, amount_kind = EXCLUDED.amount_kind
     RETURNING id, (xmax = 0) AS created`,
    [input.code, input.name, input.kind, input.itemGroup ?? null, department.id, department.divisionCode, input.implementingBody,
      input.level, input.legalBasis, JSON.stringify(input.conditions), JSON.stringify(input.materials), input.statutoryDays,
      input.committedDays, input.fee, input.visits, input.fullyOnline, JSON.stringify(input.steps), input.lifeEvents,
      input.formSchema === null ? null : JSON.stringify(input.formSchema), JSON.stringify(input.prefill), input.issuesCredentialType,
      input.online, input.guide, ctx.now, input.amountKind ?? null]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: saved!.created ? 'services.item.created' : 'services.item.updated',
    object: { type: 'service-item', id: saved!.id }, payload: input, at: ctx.now,
  });
  return getItem(ctx.tx, saved!.id);
}

/** Replaces the form schema of an item (the admin's JSON editor). */
export async function setItemForm(ctx: Ctx, input: { id: number; formSchema: object | null; prefill?: PrefillRule[]; amountKind?: AmountKind | null }): Promise<ServiceItem> {
  const item = await getItem(ctx.tx, input.id);
  return saveItem(ctx, { ...inputOf(item), formSchema: input.formSchema, prefill: input.prefill ?? item.prefill,
    amountKind: input.amountKind === undefined ? item.amountKind : input.amountKind });
}

/** Takes an item off the catalogue (not online); applications already made go on. */
export async function withdrawItem(ctx: Ctx, id: number): Promise<ServiceItem> {
  const item = await getItem(ctx.tx, id);
  return saveItem(ctx, { ...inputOf(item), online: false });
}

/** An item as the input that would save it again: the exchange format of import and export. */
export function inputOf(item: ServiceItem): ItemInput {
  return {
    code: item.code, name: item.name, kind: item.kind, itemGroup: item.itemGroup ?? null, departmentCode: item.departmentCode,
    implementingBody: item.implementingBody, level: item.level, legalBasis: item.legalBasis, conditions: item.conditions,
    materials: item.materials, statutoryDays: item.statutoryDays, committedDays: item.committedDays, fee: item.fee, visits: item.visits,
    fullyOnline: item.fullyOnline, steps: item.steps, lifeEvents: item.lifeEvents, formSchema: item.formSchema, prefill: item.prefill,
    issuesCredentialType: item.issuesCredentialType ?? null, online: item.online, guide: item.guide, amountKind: item.amountKind,
  };
}

// ---- import and export ----

/** CSV columns of an item; lists and objects are JSON text in their cell, life events joined by `;`. */
export const itemCsvColumns = ['code', 'name', 'kind', 'itemGroup', 'departmentCode', 'implementingBody', 'level', 'legalBasis',
  'statutoryDays', 'committedDays', 'fee', 'visits', 'fullyOnline', 'online', 'lifeEvents', 'conditions', 'materials', 'steps',
  'formSchema', 'prefill', 'issuesCredentialType', 'guide', 'amountKind'] as const;
const jsonColumns = new Set(['conditions', 'materials', 'steps', 'formSchema', 'prefill']);

export interface RowError { row: number; field: string; code: string; message: string }
export interface ImportReport { total: number; saved: number; failed: number; errors: RowError[] }

const checkInput = Compile(ItemInput);

/** A CSV row (all text) as item input; empty optional cells take the defaults an admin would expect. */
function itemFromCsv(row: Record<string, string>): unknown {
  const out: Record<string, unknown> = {};
  for (const column of itemCsvColumns) {
    const text = (row[column] ?? '').trim();
    if (jsonColumns.has(column)) {
      if (text === '') out[column] = column === 'formSchema' ? null : column === 'steps' ? defaultSteps : [];
      else try { out[column] = JSON.parse(text); } catch {
        throw new DomainError('services.import.bad-json', { field: column }, `${column} is not JSON`);
      }
    } else if (['statutoryDays', 'committedDays', 'visits'].includes(column)) out[column] = text === '' ? 0 : Number(text);
    else if (column === 'fullyOnline' || column === 'online') out[column] = text === '' ? column === 'online' : /^(true|1|是)$/i.test(text);
    else if (column === 'lifeEvents') out[column] = text === '' ? [] : text.split(';').map((e) => e.trim()).filter(Boolean);
    else if (column === 'itemGroup' || column === 'issuesCredentialType' || column === 'amountKind') out[column] = text === '' ? null : text;
    else out[column] = text;
  }
  return out;
}

/** Parses an import file into rows: a JSON array of item inputs or CSV with the export's header. */
export function parseItemFile(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body !== 'string') throw new DomainError('services.import.bad-file', { field: 'body' }, 'send a JSON array or CSV');
  try {
    const rows = parse(body, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
    return rows.map((row) => ({ csv: row }));
  } catch (error) {
    throw new DomainError('services.import.bad-file', { field: 'body' }, (error as Error).message);
  }
}

/**
 * Saves each row of a file in its own savepoint: the good rows are kept, each bad one is reported with
 * its number (1 = first row) and the field at fault. One ledger entry with the counts.
 */
export async function importItems(ctx: Ctx, rows: readonly unknown[]): Promise<ImportReport> {
  assertCan(ctx.actor, servicesActions.manageItems);
  const errors: RowError[] = [];
  for (const [index, raw] of rows.entries()) {
    await ctx.tx.query('SAVEPOINT item_row');
    try {
      const candidate = raw && typeof raw === 'object' && 'csv' in raw ? itemFromCsv((raw as { csv: Record<string, string> }).csv) : raw;
      const first = checkInput.Errors(candidate)[0];
      if (first) {
        const path = first.instancePath.split('/').filter(Boolean);
        const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0];
        throw new DomainError('validation', { field: [...path, ...(missing ? [missing] : [])].join('.') || 'row' }, first.message);
      }
      await saveItem(ctx, candidate as ItemInput);
    } catch (error) {
      await ctx.tx.query('ROLLBACK TO SAVEPOINT item_row');
      if (!(error instanceof DomainError)) throw error;
      errors.push({ row: index + 1, field: error.details.field ?? 'row', code: error.code, message: error.message });
    }
    await ctx.tx.query('RELEASE SAVEPOINT item_row');
  }
  const counts = { total: rows.length, saved: rows.length - errors.length, failed: errors.length };
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'services.items.imported', payload: counts, at: ctx.now });
  return { ...counts, errors };
}

/** Every item (online or not) within reach of an admin, as item inputs. */
export async function exportItems(db: Queryable, ctx: Pick<Ctx, 'actor'>): Promise<ItemInput[]> {
  assertCan(ctx.actor, servicesActions.manageItems);
  const prefix = ctx.actor.jurisdiction.prefix;
  if (prefix === null) return [];
  const { rows } = await db.query<ServiceItem>(
    `SELECT ${itemColumns} FROM services_items i JOIN departments d ON d.id = i.department_id
      WHERE i.division_code LIKE $1 ORDER BY i.code`, [`${prefix}%`]);
  return rows.map(inputOf);
}

/** Item inputs as CSV with a byte-order mark, so Excel and WPS read the Chinese right. */
export function itemsToCsv(items: readonly ItemInput[]): string {
  const rows = items.map((item) => Object.fromEntries(itemCsvColumns.map((c) => {
    const value = item[c];
    if (jsonColumns.has(c)) return [c, value === null ? '' : JSON.stringify(value)];
    if (c === 'lifeEvents') return [c, (value as string[]).join(';')];
    return [c, value ?? ''];
  })));
  return `\uFEFF${stringify(rows, { header: true, columns: [...itemCsvColumns] })}`;
}
