/**
 * What admins configure: the category tree (诉求分类, each an Open311 service), the dispatch catalogue
 * (派单目录: category × area → department) and the time limits (办理时限) per category × urgency.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { readStamps, stampedCache, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { hotlineActions } from './policy.ts';
import type { Urgency } from './states.ts';

export interface Category {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  ancestry: number[];
  /** Names from the root down: 城乡建设与管理 › 市容环卫 › 垃圾清运 */
  path: string[];
  description: string | null;
  keywords: string | null;
  active: boolean;
}

const categoryColumns = `c.id::int, c.code, c.name, c.parent_id::int AS "parentId", c.ancestry::int[] AS ancestry,
  (SELECT array_agg(a.name ORDER BY array_position(c.ancestry, a.id)) FROM hotline_categories a WHERE a.id = ANY(c.ancestry)) AS path,
  c.description, c.keywords, c.active`;

/** Every category (active ones unless `all`), parents before children. */
export async function listCategories(db: Queryable, opts: { all?: boolean } = {}): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `SELECT ${categoryColumns} FROM hotline_categories c ${opts.all ? '' : 'WHERE c.active'} ORDER BY cardinality(c.ancestry), c.code`);
  return rows;
}

export async function findCategory(db: Queryable, ref: { id?: number; code?: string }): Promise<Category | null> {
  const { rows } = ref.id !== undefined
    ? await db.query<Category>(`SELECT ${categoryColumns} FROM hotline_categories c WHERE c.id = $1`, [ref.id])
    : await db.query<Category>(`SELECT ${categoryColumns} FROM hotline_categories c WHERE c.code = $1`, [ref.code]);
  return rows[0] ?? null;
}

export async function requireCategory(db: Queryable, code: string, field = 'categoryCode'): Promise<Category> {
  return requireCategoryIn(await hotlineConfig(db), code, field);
}

/** Categories without active children: what a ticket is filed under and what Open311 lists as services. */
export async function leafCategories(db: Queryable): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `SELECT ${categoryColumns} FROM hotline_categories c
      WHERE c.active AND NOT EXISTS (SELECT 1 FROM hotline_categories k WHERE k.parent_id = c.id AND k.active)
      ORDER BY c.code`);
  return rows;
}

export interface CreateCategory {
  code: string;
  name: string;
  parentCode?: string;
  description?: string;
  keywords?: string;
}

/** Adds a category under `parentCode` (or a new root). */
export async function createCategory(ctx: Ctx, input: CreateCategory): Promise<Category> {
  assertCan(ctx.actor, hotlineActions.manage);
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(input.code))
    throw new DomainError('validation', { field: 'code' }, 'a category code is 1-40 letters, digits, _ . -');
  const name = input.name.trim();
  if (!name || name.length > 40) throw new DomainError('validation', { field: 'name' }, 'a name of 1-40 characters');
  let parent: Category | null = null;
  if (input.parentCode !== undefined) {
    parent = await findCategory(ctx.tx, { code: input.parentCode });
    if (!parent) throw new DomainError('hotline.category.unknown', { field: 'parentCode' }, `no category ${input.parentCode}`);
  }
  const sibling = await ctx.tx.query('SELECT 1 FROM hotline_categories WHERE parent_id IS NOT DISTINCT FROM $1 AND name = $2', [parent?.id ?? null, name]);
  if (sibling.rowCount) throw new DomainError('hotline.category.name-taken', { status: 409, field: 'name' }, `${name} exists at this level`);
  const id = Number((await ctx.tx.query<{ id: string }>(`SELECT nextval('hotline_categories_id_seq') AS id`)).rows[0]!.id);
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hotline_categories (id, code, name, parent_id, ancestry, description, keywords, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (code) DO NOTHING RETURNING id::int`,
    [id, input.code, name, parent?.id ?? null, [...(parent?.ancestry ?? []), id], input.description ?? null, input.keywords ?? null, ctx.now]);
  if (!rows[0]) throw new DomainError('hotline.category.code-taken', { status: 409, field: 'code' }, `category ${input.code} exists`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.category.created', object: { type: 'hotline-category', id: input.code },
    payload: { ...input, name }, at: ctx.now });
  return (await findCategory(ctx.tx, { id: rows[0].id }))!;
}

export interface DispatchRule {
  id: number;
  categoryCode: string;
  categoryPath: string[];
  divisionPrefix: string;
  departmentId: number;
  departmentName: string;
}

export async function listDispatchRules(db: Queryable, actor: Actor): Promise<DispatchRule[]> {
  assertCan(actor, hotlineActions.read);
  const { rows } = await db.query<DispatchRule>(
    `SELECT r.id::int, c.code AS "categoryCode",
        (SELECT array_agg(a.name ORDER BY array_position(c.ancestry, a.id)) FROM hotline_categories a WHERE a.id = ANY(c.ancestry)) AS "categoryPath",
        r.division_prefix AS "divisionPrefix", r.department_id::int AS "departmentId", d.name AS "departmentName"
       FROM hotline_dispatch_rules r JOIN hotline_categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id
      ORDER BY c.code, r.division_prefix`);
  return rows;
}

export interface SetDispatchRule {
  categoryCode: string;
  /** Significant digits of a division code (2-12). */
  divisionPrefix: string;
  departmentId: number;
}

/** Sets (or replaces) the department responsible for a category in an area. */
export async function setDispatchRule(ctx: Ctx, input: SetDispatchRule): Promise<DispatchRule> {
  if (!/^[0-9]{2,12}$/.test(input.divisionPrefix))
    throw new DomainError('validation', { field: 'divisionPrefix' }, 'a division prefix is 2-12 digits');
  assertCan(ctx.actor, hotlineActions.manage, { divisionCode: input.divisionPrefix.padEnd(12, '0') });
  const category = await requireCategory(ctx.tx, input.categoryCode);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('hotline.department.unknown', { field: 'departmentId' }, `no department ${input.departmentId}`);
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hotline_dispatch_rules (category_id, division_prefix, department_id, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (category_id, division_prefix) DO UPDATE SET department_id = EXCLUDED.department_id, updated_at = EXCLUDED.updated_at
     RETURNING id::int`, [category.id, input.divisionPrefix, department.id, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.dispatch-rule.set', object: { type: 'hotline-dispatch-rule', id: rows[0]!.id },
    payload: input, at: ctx.now });
  return { id: rows[0]!.id, categoryCode: category.code, categoryPath: category.path, divisionPrefix: input.divisionPrefix,
    departmentId: department.id, departmentName: department.name };
}

/**
 * 派单目录 lookup: the department for a category at a place. The most specific area wins (longest
 * division prefix), then the nearest category (itself before its parent). Null when nothing matches.
 */
export function routeIn(config: HotlineConfig, category: Pick<Category, 'ancestry'>, divisionCode: string): number | null {
  let best: { rule: DispatchRuleRow; depth: number } | null = null;
  for (const rule of config.rules) {
    const depth = category.ancestry.indexOf(rule.categoryId);
    if (depth < 0 || !divisionCode.startsWith(rule.divisionPrefix)) continue;
    if (!best || rule.divisionPrefix.length > best.rule.divisionPrefix.length
      || (rule.divisionPrefix.length === best.rule.divisionPrefix.length && depth > best.depth)) best = { rule, depth };
  }
  return best?.rule.departmentId ?? null;
}

export async function routeTicket(db: Queryable, category: Pick<Category, 'ancestry'>, divisionCode: string): Promise<number | null> {
  return routeIn(await hotlineConfig(db), category, divisionCode);
}

export interface TimeLimit {
  acceptHours: number;
  replyDays: number;
  resolveDays: number;
}

/** The time limit of the nearest category in the ancestry that has one, else the default for the urgency. */
export function timeLimitIn(config: HotlineConfig, category: Pick<Category, 'ancestry'>, urgency: Urgency): TimeLimit {
  let best: { limit: TimeLimitRow; depth: number } | null = null;
  for (const limit of config.limits) {
    if (limit.urgency !== urgency) continue;
    const depth = limit.categoryId === null ? -1 : category.ancestry.indexOf(limit.categoryId);
    if (limit.categoryId !== null && depth < 0) continue;
    if (!best || depth > best.depth) best = { limit, depth };
  }
  if (best) return { acceptHours: best.limit.acceptHours, replyDays: best.limit.replyDays, resolveDays: best.limit.resolveDays };
  return urgency === 'urgent' ? { acceptHours: 2, replyDays: 1, resolveDays: 3 } : { acceptHours: 24, replyDays: 5, resolveDays: 15 };
}

export async function timeLimitFor(db: Queryable, category: Pick<Category, 'ancestry'>, urgency: Urgency): Promise<TimeLimit> {
  return timeLimitIn(await hotlineConfig(db), category, urgency);
}

export interface SetTimeLimit extends TimeLimit {
  /** Absent: the default for every category without its own limit. */
  categoryCode?: string;
  urgency: Urgency;
}

export async function setTimeLimit(ctx: Ctx, input: SetTimeLimit): Promise<SetTimeLimit> {
  assertCan(ctx.actor, hotlineActions.manage);
  if (!(input.acceptHours > 0)) throw new DomainError('validation', { field: 'acceptHours' }, 'acceptHours must be positive');
  for (const field of ['replyDays', 'resolveDays'] as const)
    if (!Number.isInteger(input[field]) || input[field] < 0) throw new DomainError('validation', { field }, `${field} must be a whole number ≥ 0`);
  const category = input.categoryCode === undefined ? null : await requireCategory(ctx.tx, input.categoryCode);
  await ctx.tx.query(
    `INSERT INTO hotline_time_limits (category_id, urgency, accept_hours, reply_days, resolve_days) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (coalesce(category_id, 0), urgency) DO UPDATE
       SET accept_hours = EXCLUDED.accept_hours, reply_days = EXCLUDED.reply_days, resolve_days = EXCLUDED.resolve_days`,
    [category?.id ?? null, input.urgency, input.acceptHours, input.replyDays, input.resolveDays]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.time-limit.set',
    object: { type: 'hotline-time-limit', id: `${input.categoryCode ?? '*'}/${input.urgency}` }, payload: input, at: ctx.now });
  return input;
}

const settingDefaults = {
  duplicateRadiusMetres: 250, maxReopens: 2, warningShare: 0.8, supervisionAfterWorkingHours: 8, photoMaxBytes: 5 * 1024 * 1024,
  reportsPerHourPerAddress: 20,
};

type SettingName = keyof typeof settingDefaults;

/** A setting of the hotline (duplicate radius, reopen limit, deadline alerts, photo size, report rate). */
export function settingIn(config: HotlineConfig, name: SettingName): number {
  return Number(config.settings[name] ?? settingDefaults[name]);
}

export async function hotlineSetting(db: Queryable, name: SettingName): Promise<number> {
  return settingIn(await hotlineConfig(db), name);
}

interface DispatchRuleRow { categoryId: number; divisionPrefix: string; departmentId: number }
interface TimeLimitRow extends TimeLimit { categoryId: number | null; urgency: Urgency }

/**
 * What intake reads on every ticket (categories, time limits, the dispatch catalogue, settings), held in
 * memory by the configuration's cache stamp, so a change is seen by the next command that can see it.
 */
export interface HotlineConfig {
  categories: Map<string, Category>;
  rules: DispatchRuleRow[];
  limits: TimeLimitRow[];
  settings: Partial<Record<SettingName, number>>;
}

const configs = stampedCache<HotlineConfig>(8);

/** The hotline's configuration as `db` sees it; a command that has read the stamps passes the 'hotline' one. */
export async function hotlineConfig(db: Queryable, stamp?: string): Promise<HotlineConfig> {
  return configs(stamp ?? (await readStamps(db, ['hotline'])).hotline, async () => {
    const { rows: [loaded] } = await db.query<{ categories: Category[]; rules: DispatchRuleRow[] | null; limits: TimeLimitRow[] | null;
      settings: Record<string, unknown> | null }>(
      `SELECT (SELECT json_agg(k) FROM (SELECT ${categoryColumns} FROM hotline_categories c) k) AS categories,
              (SELECT json_agg(json_build_object('categoryId', category_id, 'divisionPrefix', division_prefix, 'departmentId', department_id))
                 FROM hotline_dispatch_rules) AS rules,
              (SELECT json_agg(json_build_object('categoryId', category_id, 'urgency', urgency, 'acceptHours', accept_hours::float8,
                 'replyDays', reply_days, 'resolveDays', resolve_days)) FROM hotline_time_limits) AS limits,
              (SELECT json_object_agg(name, value) FROM hotline_settings) AS settings`);
    return {
      categories: new Map((loaded!.categories ?? []).map((c) => [c.code, c])),
      rules: loaded!.rules ?? [],
      limits: loaded!.limits ?? [],
      settings: Object.fromEntries(Object.entries(loaded!.settings ?? {}).map(([k, v]) => [k, Number(v)])),
    };
  });
}

/** The active categories among `codes`, in the order of `codes`. */
export function activeCategoriesIn(config: HotlineConfig, codes: readonly string[]): Category[] {
  return codes.flatMap((code) => {
    const category = config.categories.get(code);
    return category?.active ? [category] : [];
  });
}

/** An active category by code; 400 naming `field` when there is none. */
export function requireCategoryIn(config: HotlineConfig, code: string, field = 'categoryCode'): Category {
  const category = config.categories.get(code);
  if (!category?.active) throw new DomainError('hotline.category.unknown', { field, code }, `no category with the code ${code}`);
  return category;
}
