/**
 * 部件分类: the six classes (大类) and their kinds (小类). The standard's kinds ship as data
 * (data/component-classes.json, with its source) and are loaded at start; a city adds its own kinds as
 * extensions and may retire any kind, so that no new component takes it.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import { assertCan } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import standardJson from './data/component-classes.json' with { type: 'json' };
import { cityopsActions } from './policy.ts';

export interface ComponentKind {
  classCode: string;
  code: string;
  nameZh: string;
  nameEn: string;
  /** The kind of department (org `departments.kind`) usually in charge (主管); null: utilities companies. */
  departmentKind: string | null;
  standard: boolean;
  active: boolean;
}

export interface ComponentClass {
  code: string;
  nameZh: string;
  nameEn: string;
  kinds: ComponentKind[];
}

/** Where the standard's classes and kinds come from, as the data file says. */
export const catalogueSource: string = standardJson.source;

/** Adds the standard's classes and kinds that the database lacks; a city's edits to them stay. */
export async function prepareCatalogue(db: Queryable): Promise<void> {
  const classes = standardJson.classes;
  await db.query(
    `INSERT INTO cityops_component_classes (code, name_zh, name_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
    [classes.map((c) => c.code), classes.map((c) => c.zh), classes.map((c) => c.en)]);
  const kinds = classes.flatMap((c) => c.kinds.map((k) => ({ ...k, classCode: c.code })));
  await db.query(
    `INSERT INTO cityops_component_kinds (class_code, code, name_zh, name_en, department_kind, standard)
     SELECT c, k, zh, en, d, true FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(c, k, zh, en, d)
     ON CONFLICT DO NOTHING`,
    [kinds.map((k) => k.classCode), kinds.map((k) => k.code), kinds.map((k) => k.zh), kinds.map((k) => k.en), kinds.map((k) => k.department)]);
}

const kindColumns = `class_code AS "classCode", code, name_zh AS "nameZh", name_en AS "nameEn", department_kind AS "departmentKind",
  standard, active`;

/** The catalogue, classes in code order with their kinds (retired ones too, marked). */
export async function listCatalogue(db: Queryable): Promise<ComponentClass[]> {
  const [{ rows: classes }, { rows: kinds }] = await Promise.all([
    db.query<Omit<ComponentClass, 'kinds'>>('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM cityops_component_classes ORDER BY code'),
    db.query<ComponentKind>(`SELECT ${kindColumns} FROM cityops_component_kinds ORDER BY class_code, code`),
  ]);
  return classes.map((c) => ({ ...c, kinds: kinds.filter((k) => k.classCode === c.code) }));
}

export async function findKind(db: Queryable, classCode: string, code: string): Promise<ComponentKind | null> {
  const { rows } = await db.query<ComponentKind>(
    `SELECT ${kindColumns} FROM cityops_component_kinds WHERE class_code = $1 AND code = $2`, [classCode, code]);
  return rows[0] ?? null;
}

export async function classExists(db: Queryable, code: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM cityops_component_classes WHERE code = $1', [code])).rowCount === 1;
}

export interface AddKind {
  classCode: string;
  code: string;
  nameZh: string;
  nameEn: string;
  departmentKind?: string | null;
}

/** 扩展小类: a kind of the city's own under one of the six classes. */
export async function addKind(ctx: Ctx, input: AddKind): Promise<ComponentKind> {
  assertCan(ctx.actor, cityopsActions.catalogue);
  if (!(await classExists(ctx.tx, input.classCode)))
    throw new DomainError('cityops.component.unknown-class', { field: 'classCode' }, `no class ${input.classCode}`);
  const { rows } = await ctx.tx.query<ComponentKind>(
    `INSERT INTO cityops_component_kinds (class_code, code, name_zh, name_en, department_kind, standard, updated_at)
     VALUES ($1, $2, $3, $4, $5, false, $6) ON CONFLICT DO NOTHING RETURNING ${kindColumns}`,
    [input.classCode, input.code, input.nameZh.trim(), input.nameEn.trim(), input.departmentKind ?? null, ctx.now]);
  if (!rows[0]) throw new DomainError('cityops.kind.code-taken', { status: 409, field: 'code' }, `kind ${input.classCode}${input.code} exists`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.kind.added', object: { type: 'component-kind', id: `${input.classCode}${input.code}` },
    payload: rows[0], at: ctx.now });
  return rows[0];
}

export interface UpdateKind {
  classCode: string;
  code: string;
  nameZh?: string;
  nameEn?: string;
  departmentKind?: string | null;
  active?: boolean;
}

/** Renames an extension, changes the usual department, or retires/restores a kind. */
export async function updateKind(ctx: Ctx, input: UpdateKind): Promise<ComponentKind> {
  assertCan(ctx.actor, cityopsActions.catalogue);
  const kind = await findKind(ctx.tx, input.classCode, input.code);
  if (!kind) throw new DomainError('cityops.kind.not-found', { status: 404, field: 'code' }, `no kind ${input.classCode}${input.code}`);
  if (kind.standard && (input.nameZh !== undefined || input.nameEn !== undefined))
    throw new DomainError('cityops.kind.standard', { field: input.nameZh !== undefined ? 'nameZh' : 'nameEn' });
  const next = {
    ...kind, nameZh: input.nameZh?.trim() ?? kind.nameZh, nameEn: input.nameEn?.trim() ?? kind.nameEn,
    departmentKind: input.departmentKind === undefined ? kind.departmentKind : input.departmentKind, active: input.active ?? kind.active,
  };
  await ctx.tx.query(
    `UPDATE cityops_component_kinds SET name_zh = $3, name_en = $4, department_kind = $5, active = $6, updated_at = $7
      WHERE class_code = $1 AND code = $2`,
    [kind.classCode, kind.code, next.nameZh, next.nameEn, next.departmentKind, next.active, ctx.now]);
  const { classCode, code, ...changes } = input;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.kind.updated', object: { type: 'component-kind', id: `${classCode}${code}` },
    payload: changes, at: ctx.now });
  return next;
}
