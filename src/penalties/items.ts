/**
 * 处罚事项 and their 裁量基准: each item names the law it enforces, the fine the law allows, and three bands inside
 * it (从轻, 一般, 从重) that the department's discretion standard sets. A case's amount is judged against the band
 * of the level its investigator chose.
 */
import { assertCan, hasGrant, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { divisionLevel } from '../kernel/checks/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { overseesCases, penaltiesActions as a } from './policy.ts';

export const levels = ['light', 'ordinary', 'severe'] as const;
export type Level = (typeof levels)[number];
/** A band of the discretion standard, in 分: [lowest, highest]. */
export type Bands = Record<Level, [number, number]>;

export interface PenaltyItem {
  id: number;
  code: string;
  name: string;
  departmentKind: string;
  violatedBasis: string;
  penaltyBasis: string;
  legalMin: number;
  legalMax: number;
  bands: Bands;
  active: boolean;
}

export const itemColumns = `i.id, i.code, i.name, i.department_kind AS "departmentKind", i.violated_basis AS "violatedBasis",
  i.penalty_basis AS "penaltyBasis", i.legal_min::float8 AS "legalMin", i.legal_max::float8 AS "legalMax", i.bands, i.active`;

/** The items the actor's work may use: all of them for the platform and inspectors, its department kind's for staff. */
export async function listItems(db: Queryable, actor: Actor): Promise<PenaltyItem[]> {
  assertCan(actor, a.read);
  const departmentKind = overseesCases(actor) || actor.departmentId === null ? null : (await findDepartment(db, actor.departmentId))?.kind;
  const { rows } = await db.query<PenaltyItem>(
    `SELECT ${itemColumns} FROM penalty_items i WHERE ($1::text IS NULL OR i.department_kind = $1) ORDER BY i.department_kind, i.code`, [departmentKind ?? null]);
  return rows;
}

export async function getItem(db: Queryable, id: number): Promise<PenaltyItem | undefined> {
  const { rows: [row] } = await db.query<PenaltyItem>(`SELECT ${itemColumns} FROM penalty_items i WHERE i.id = $1`, [id]);
  return row;
}

export type SaveItem = Omit<PenaltyItem, 'id'>;

/** Bands lie inside the legal range, each from its lowest to its highest, 从轻 below 一般 below 从重 (touching, not overlapping). */
function checkBands(item: SaveItem): void {
  if (item.legalMax < item.legalMin) throw new DomainError('validation', { field: 'legalMax' }, 'the legal maximum is below the minimum');
  let previous = item.legalMin;
  for (const level of levels) {
    const [low, high] = item.bands[level];
    if (low < item.legalMin || high > item.legalMax || low > high || low < previous)
      throw new DomainError('penalties.item.bad-band', { field: `bands.${level}` },
        `the ${level} band lies within the legal range, from its lowest to its highest, from where the band before it ends`);
    previous = high;
  }
}

/**
 * Who sets an item: the platform, or an admin of a city-wide (or province-wide) department of the item's kind. The
 * standard binds every county's bureau, so a county's head does not change it for the others.
 */
async function assertSetsItem(ctx: Ctx, kinds: readonly string[]): Promise<void> {
  assertCan(ctx.actor, a.manageItems);
  if (hasGrant(ctx.actor, '*') || ctx.actor.roles.includes('platform_admin')) return;
  const department = ctx.actor.departmentId === null ? undefined : await findDepartment(ctx.tx, ctx.actor.departmentId);
  if (!department || !['city', 'province'].includes(divisionLevel(department.divisionCode)) || kinds.some((kind) => kind !== department.kind))
    throw new DomainError('penalties.item.not-yours', { status: 403 }, 'only an admin of a city-wide department of this kind, or the platform, sets this item');
}

/** Adds an item or edits the one with its code. */
export async function saveItem(ctx: Ctx, input: SaveItem): Promise<PenaltyItem> {
  const { rows: [existing] } = await ctx.tx.query<{ kind: string }>('SELECT department_kind AS kind FROM penalty_items WHERE code = $1 FOR UPDATE', [input.code]);
  // Editing an item of another kind would take it from the departments that enforce it.
  await assertSetsItem(ctx, existing ? [existing.kind, input.departmentKind] : [input.departmentKind]);
  checkBands(input);
  const { rows: [saved] } = await ctx.tx.query<PenaltyItem>(
    `INSERT INTO penalty_items AS i (code, name, department_kind, violated_basis, penalty_basis, legal_min, legal_max, bands, active, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, department_kind = excluded.department_kind, violated_basis = excluded.violated_basis,
       penalty_basis = excluded.penalty_basis, legal_min = excluded.legal_min, legal_max = excluded.legal_max, bands = excluded.bands,
       active = excluded.active, updated_at = excluded.updated_at
     RETURNING ${itemColumns}`,
    [input.code, input.name.trim(), input.departmentKind, input.violatedBasis.trim(), input.penaltyBasis.trim(), input.legalMin, input.legalMax,
      JSON.stringify(input.bands), input.active, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'penalties.item.saved', object: { type: 'penalty-item', id: saved!.code }, payload: input, at: ctx.now });
  return saved!;
}

/** Whether `amount` lies in the band of `level`. */
export const withinBand = (item: Pick<PenaltyItem, 'bands'>, level: Level, amount: number) =>
  amount >= item.bands[level][0] && amount <= item.bands[level][1];
