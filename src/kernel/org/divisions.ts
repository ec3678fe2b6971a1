/**
 * 行政区划: divisions in five levels (省/市/县/乡/村) with 12-digit codes. The code says where a division
 * sits, so its level and its parent follow from it; the table keeps both for queries.
 */
import { divisionLevel, divisionPrefix, parentDivisionCode, type DivisionLevel } from '../checks/index.ts';
import type { Actor, Ctx } from '../auth/actor.ts';
import { assertCan, inJurisdiction } from '../auth/policy.ts';
import type { Queryable } from '../db/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { appendToLedger } from '../ledger/index.ts';
import { checkedDivisionCode, requiredText } from './input.ts';
import { divisionAncestors, seesDivision, visibleDivisions } from './policy.ts';

const divisionLevels: readonly DivisionLevel[] = ['province', 'city', 'county', 'township', 'village'];
const levelIndex = (code12: string) => divisionLevels.indexOf(divisionLevel(code12));

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  /** Made up by the demo (villages and communities); real divisions are false. */
  generated: boolean;
}

/** A division with what the organisation tree shows beside it, all counted within the actor's jurisdiction. */
export interface DivisionSummary extends Division {
  /** False for the divisions above the jurisdiction, shown only as the path down to it. */
  withinJurisdiction: boolean;
  /** Children the actor sees; more than `children.length` in a tree node means the depth cut them off. */
  childCount: number;
  /** Departments of this division itself. */
  departmentCount: number;
  /** Staff of this division's own departments. */
  staffCount: number;
  totalDepartments: number;
  totalStaff: number;
}

export interface DivisionNode extends DivisionSummary {
  children: DivisionNode[];
}

export interface DivisionDetail extends DivisionSummary {
  geometry: unknown;
  updatedAt: Date;
}

const divisionColumns = 'code, name, level, parent_code AS "parentCode", generated';

/** Division columns of `d`, any `extra` ones, and the number of its children the actor sees. */
function selectDivisions(actor: Actor, params: unknown[], extra = ''): string {
  return `SELECT d.code, d.name, d.level, d.parent_code AS "parentCode", d.generated${extra},
    (SELECT count(*)::int FROM divisions c WHERE c.parent_code = d.code AND ${visibleDivisions('c.code', actor, params)}) AS "childCount"
    FROM divisions d`;
}

type Counted = Pick<DivisionSummary, 'departmentCount' | 'staffCount' | 'totalDepartments' | 'totalStaff'>;

/**
 * Departments and staff within the jurisdiction for every division under `prefix`, and their sums up the
 * tree. Staff are counted from auth's users table: a read for reporting, one grouped query.
 */
async function countsUnder(db: Queryable, actor: Actor, prefix: string): Promise<(code: string) => Counted> {
  const params: unknown[] = [`${prefix}%`];
  const scope = inJurisdiction('division_code', actor.jurisdiction, params);
  const { rows } = await db.query<{ code: string; departments: number; staff: number }>(
    `SELECT division_code AS code, count(*) FILTER (WHERE is_department)::int AS departments,
            count(*) FILTER (WHERE NOT is_department)::int AS staff
       FROM (SELECT division_code, true AS is_department FROM departments WHERE division_code LIKE $1 AND ${scope}
             UNION ALL
             SELECT division_code, false FROM users WHERE kind = 'staff' AND division_code LIKE $1 AND ${scope}) counted
      GROUP BY division_code`, params);
  const direct = new Map(rows.map((row) => [row.code, row]));
  const totals = new Map<string, { departments: number; staff: number }>();
  for (const row of rows) {
    for (const code of [row.code, ...divisionAncestors(row.code)]) {
      const total = totals.get(code) ?? { departments: 0, staff: 0 };
      total.departments += row.departments;
      total.staff += row.staff;
      totals.set(code, total);
    }
  }
  return (code) => ({
    departmentCount: direct.get(code)?.departments ?? 0,
    staffCount: direct.get(code)?.staff ?? 0,
    totalDepartments: totals.get(code)?.departments ?? 0,
    totalStaff: totals.get(code)?.staff ?? 0,
  });
}

function summarise<R extends Division & { childCount: number }>(row: R, actor: Actor, counted: (code: string) => Counted) {
  return { ...row, withinJurisdiction: actor.jurisdiction.covers(row.code), ...counted(row.code) };
}

function visibleOr404(actor: Actor, code: string, field: string): string {
  const code12 = checkedDivisionCode(code, field);
  if (!seesDivision(actor, code12)) throw notFound('org.division', code12);
  return code12;
}

/** One division the actor sees, with its counts and geometry; 404 when outside its view. */
export async function getDivision(db: Queryable, actor: Actor, code: string): Promise<DivisionDetail> {
  assertCan(actor, 'org.read');
  const code12 = visibleOr404(actor, code, 'code');
  const params: unknown[] = [];
  const select = selectDivisions(actor, params, ', d.geometry, d.updated_at AS "updatedAt"');
  params.push(code12);
  const { rows } = await db.query<Division & { childCount: number; geometry: unknown; updatedAt: Date }>(
    `${select} WHERE d.code = $${params.length}`, params);
  if (!rows[0]) throw notFound('org.division', code12);
  return summarise(rows[0], actor, await countsUnder(db, actor, divisionPrefix(code12)));
}

/**
 * The children of a division that the actor sees, or the top divisions (no parent) for null. Starting at
 * null and going down, a county officer meets the province, the city and then their own county: the
 * path to the jurisdiction, without the other cities and counties beside it.
 */
export async function listDivisionChildren(db: Queryable, actor: Actor, parentCode: string | null): Promise<DivisionSummary[]> {
  assertCan(actor, 'org.read');
  const parent = parentCode === null ? null : visibleOr404(actor, parentCode, 'parent');
  const params: unknown[] = [];
  const select = selectDivisions(actor, params);
  let where = 'd.parent_code IS NULL';
  if (parent !== null) {
    params.push(parent);
    where = `d.parent_code = $${params.length}`;
  }
  const { rows } = await db.query<Division & { childCount: number }>(
    `${select} WHERE ${where} AND ${visibleDivisions('d.code', actor, params)} ORDER BY d.code`, params);
  const counted = await countsUnder(db, actor, parent === null ? '' : divisionPrefix(parent));
  return rows.map((row) => summarise(row, actor, counted));
}

/**
 * The organisation tree from `rootCode` (default: the top of what the actor sees), `depth` levels deep.
 * Depth counts from the first division inside the jurisdiction, so the path down from an ancestor is
 * free: a county officer asking for depth 1 gets province › city › county › townships. One query for
 * the divisions and one for the counts, whatever the size of the tree.
 */
export async function divisionTree(db: Queryable, actor: Actor, rootCode: string | null, depth: number): Promise<DivisionNode[]> {
  assertCan(actor, 'org.read');
  const start = rootCode === null ? null : visibleOr404(actor, rootCode, 'root');
  const { root } = actor.jurisdiction;
  const baseLevel = start !== null && actor.jurisdiction.covers(start) ? levelIndex(start) : root ? levelIndex(root) : 0;
  const levels = divisionLevels.slice(start === null ? 0 : levelIndex(start), baseLevel + depth + 1);
  const prefix = start === null ? '' : divisionPrefix(start);
  const params: unknown[] = [];
  const select = selectDivisions(actor, params);
  params.push(`${prefix}%`, levels);
  const { rows } = await db.query<Division & { childCount: number }>(
    `${select} WHERE d.code LIKE $${params.length - 1} AND d.level = ANY($${params.length}::text[])
       AND ${visibleDivisions('d.code', actor, params)} ORDER BY d.code`, params);
  const counted = await countsUnder(db, actor, prefix);
  const nodes = new Map<string, DivisionNode>(rows.map((row) => [row.code, { ...summarise(row, actor, counted), children: [] }]));
  const roots: DivisionNode[] = [];
  // Rows come in code order, which puts every parent before its children.
  for (const node of nodes.values()) {
    const parent = node.code === start || node.parentCode === null ? undefined : nodes.get(node.parentCode);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export interface CreateDivision {
  code: string;
  name: string;
  /** Optional: the code determines the parent; when given it must be that one. */
  parentCode?: string;
}

/** Adds a division under its existing parent, within the admin's jurisdiction. */
export async function createDivision(ctx: Ctx, input: CreateDivision): Promise<Division> {
  const code = checkedDivisionCode(input.code, 'code');
  assertCan(ctx.actor, 'org.division.manage', { divisionCode: code });
  const name = requiredText(input.name, 'name', 60);
  const parentCode = parentDivisionCode(code);
  if (input.parentCode !== undefined && input.parentCode.trim() !== '') {
    const given = checkedDivisionCode(input.parentCode, 'parentCode');
    if (given !== parentCode)
      throw new DomainError('org.division.wrong-parent', { field: 'parentCode', expected: parentCode },
        `the parent of ${code} is ${parentCode ?? 'none (it is a province)'}, not ${given}`);
  }
  if (parentCode !== null && !(await divisionExists(ctx.tx, parentCode)))
    throw new DomainError('org.division.unknown-parent', { field: 'parentCode', parentCode }, `division ${parentCode} does not exist; add it first`);
  const { rows } = await ctx.tx.query<Division>(
    `INSERT INTO divisions (code, name, level, parent_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT DO NOTHING RETURNING ${divisionColumns}`, [code, name, divisionLevel(code), parentCode, ctx.now]);
  if (!rows[0]) throw new DomainError('org.division.exists', { status: 409, field: 'code' }, `division ${code} exists`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'org.division.created', object: { type: 'division', id: code },
    payload: { code, name, parentCode }, at: ctx.now });
  return rows[0];
}

/** Renames a division (区划更名); the code stays, since everything refers to it. */
export async function renameDivision(ctx: Ctx, input: { code: string; name: string }): Promise<Division> {
  const code = checkedDivisionCode(input.code, 'code');
  assertCan(ctx.actor, 'org.division.manage', { divisionCode: code });
  const name = requiredText(input.name, 'name', 60);
  const before = await ctx.tx.query<{ name: string }>('SELECT name FROM divisions WHERE code = $1 FOR UPDATE', [code]);
  if (!before.rows[0]) throw notFound('org.division', code);
  const { rows } = await ctx.tx.query<Division>(
    `UPDATE divisions SET name = $2, updated_at = $3 WHERE code = $1 RETURNING ${divisionColumns}`, [code, name, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'org.division.renamed', object: { type: 'division', id: code },
    payload: { before: before.rows[0].name, after: name }, at: ctx.now });
  return rows[0]!;
}

/** Does the division exist? For commands that attach something to it. */
export async function divisionExists(db: Queryable, code12: string): Promise<boolean> {
  return !!(await db.query('SELECT 1 FROM divisions WHERE code = $1', [code12])).rowCount;
}
