/**
 * Departments (部门): the bodies of a division's government, such as 岳池县民政局. A department may sit
 * under another one at the same division or above it: an internal office under its bureau, or a county
 * branch (分局) under the city bureau.
 */
import { divisionPrefix } from '../checks/index.ts';
import type { Actor, Ctx } from '../auth/actor.ts';
import { assertCan, inJurisdiction } from '../auth/policy.ts';
import type { Queryable } from '../db/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { containsPattern } from '../like.ts';
import { appendToLedger } from '../ledger/index.ts';
import { divisionExists } from './divisions.ts';
import { checkedCode, checkedDivisionCode, optionalText, requiredText } from './input.ts';
import { assertMayChangeKind } from './policy.ts';

export interface Department {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  /** What the department does, the same key at every level (civil-affairs, public-security, …). */
  kind: string;
  divisionCode: string;
  parentId: number | null;
}

/** A department as lists show it: with its division's name and its number of staff. */
export interface DepartmentSummary extends Department {
  divisionName: string;
  staffCount: number;
}

const departmentColumns =
  'id, code, name, short_name AS "shortName", kind, division_code AS "divisionCode", parent_id AS "parentId"';

// Staff are counted from auth's users table, a read for reporting.
const summaryColumns = `${departmentColumns},
  (SELECT v.name FROM divisions v WHERE v.code = departments.division_code) AS "divisionName",
  (SELECT count(*)::int FROM users u WHERE u.department_id = departments.id AND u.kind = 'staff') AS "staffCount"`;

export async function findDepartment(db: Queryable, id: number): Promise<Department | null> {
  const { rows } = await db.query<Department>(`SELECT ${departmentColumns} FROM departments WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findDepartmentByCode(db: Queryable, code: string): Promise<Department | null> {
  const { rows } = await db.query<Department>(`SELECT ${departmentColumns} FROM departments WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

/** One department; 404 when there is none, 403 when it lies outside the actor's jurisdiction. */
export async function getDepartment(db: Queryable, actor: Actor, id: number): Promise<DepartmentSummary> {
  assertCan(actor, 'org.read');
  const { rows } = await db.query<DepartmentSummary>(`SELECT ${summaryColumns} FROM departments WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound('org.department', id);
  assertCan(actor, 'org.read', rows[0]);
  return rows[0];
}

export interface DepartmentQuery {
  divisionCode?: string;
  /** With divisionCode: also the departments of the divisions under it. */
  includeDescendants?: boolean;
  /** Part of the name, short name or code. */
  q?: string;
  limit?: number;
  offset?: number;
}

/** Departments within the actor's jurisdiction, by division then code. */
export async function listDepartments(db: Queryable, actor: Actor, query: DepartmentQuery): Promise<{ total: number; items: DepartmentSummary[] }> {
  assertCan(actor, 'org.read');
  const params: unknown[] = [];
  const where = [inJurisdiction('division_code', actor.jurisdiction, params)];
  if (query.divisionCode !== undefined) {
    const code = checkedDivisionCode(query.divisionCode, 'divisionCode');
    params.push(query.includeDescendants ? `${divisionPrefix(code)}%` : code);
    where.push(`division_code ${query.includeDescendants ? 'LIKE' : '='} $${params.length}`);
  }
  if (query.q) {
    params.push(containsPattern(query.q));
    where.push(`(name ILIKE $${params.length} OR short_name ILIKE $${params.length} OR code ILIKE $${params.length})`);
  }
  const condition = where.join(' AND ');
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM departments WHERE ${condition}`, params);
  params.push(query.limit ?? 200, query.offset ?? 0);
  const { rows } = await db.query<DepartmentSummary>(
    `SELECT ${summaryColumns} FROM departments WHERE ${condition}
      ORDER BY division_code, code LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total: total.rows[0]!.n, items: rows };
}

const kindPattern = /^[a-z][a-z0-9-]{1,39}$/;

function checkedKind(input: string | undefined): string {
  const kind = input?.trim() || 'government';
  if (!kindPattern.test(kind))
    throw new DomainError('org.department.bad-kind', { field: 'kind' }, 'a kind is lower-case letters, digits and "-", such as civil-affairs');
  return kind;
}

/** The parent a department may have: an existing department at its own division or one above. */
async function checkedParent(tx: Queryable, parentId: number, divisionCode: string, field: string): Promise<Department> {
  const parent = await findDepartment(tx, parentId);
  if (!parent) throw new DomainError('org.department.unknown-parent', { field, parentId }, `no department ${parentId}`);
  if (!divisionCode.startsWith(divisionPrefix(parent.divisionCode)))
    throw new DomainError('org.department.parent-elsewhere', { field, parentId },
      `the parent department must belong to division ${divisionCode} or one above it`);
  return parent;
}

async function assertNameFree(tx: Queryable, divisionCode: string, name: string, exceptId: number | null): Promise<void> {
  const taken = await tx.query('SELECT 1 FROM departments WHERE division_code = $1 AND name = $2 AND id IS DISTINCT FROM $3',
    [divisionCode, name, exceptId]);
  if (taken.rowCount)
    throw new DomainError('org.department.name-taken', { status: 409, field: 'name' }, `division ${divisionCode} has a department named ${name}`);
}

export interface CreateDepartment {
  code: string;
  name: string;
  shortName?: string;
  kind?: string;
  divisionCode: string;
  parentId?: number;
}

/** Adds a department to a division within the admin's jurisdiction. */
export async function createDepartment(ctx: Ctx, input: CreateDepartment): Promise<Department> {
  const divisionCode = checkedDivisionCode(input.divisionCode, 'divisionCode');
  assertCan(ctx.actor, 'org.department.manage', { divisionCode });
  const code = checkedCode(input.code, 'org.department.bad-code');
  const name = requiredText(input.name, 'name', 100);
  const shortName = optionalText(input.shortName, 'shortName', 40);
  const kind = checkedKind(input.kind);
  assertMayChangeKind(ctx.actor, null, kind);
  if (!(await divisionExists(ctx.tx, divisionCode)))
    throw new DomainError('org.division.unknown', { field: 'divisionCode' }, `division ${divisionCode} does not exist`);
  if (input.parentId !== undefined) await checkedParent(ctx.tx, input.parentId, divisionCode, 'parentId');
  if (await findDepartmentByCode(ctx.tx, code))
    throw new DomainError('org.department.code-taken', { status: 409, field: 'code' }, `a department has the code ${code}`);
  await assertNameFree(ctx.tx, divisionCode, name, null);
  const { rows } = await ctx.tx.query<Department>(
    `INSERT INTO departments (code, name, short_name, kind, division_code, parent_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${departmentColumns}`,
    [code, name, shortName, kind, divisionCode, input.parentId ?? null, ctx.now]);
  const department = rows[0]!;
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'org.department.created', object: { type: 'department', id: department.id },
    payload: { code, name, shortName, kind, divisionCode, parentId: department.parentId }, at: ctx.now });
  return department;
}

export interface UpdateDepartment {
  id: number;
  name?: string;
  /** null clears it. */
  shortName?: string | null;
  kind?: string;
  /** null makes it a top department of its division. */
  parentId?: number | null;
}

/**
 * Changes a department's names, kind or parent. Its code and division stay: staff, grants and tickets
 * refer to them, and moving a department to another division is a new department.
 */
export async function updateDepartment(ctx: Ctx, input: UpdateDepartment): Promise<Department> {
  const { rows: found } = await ctx.tx.query<Department>(`SELECT ${departmentColumns} FROM departments WHERE id = $1 FOR UPDATE`, [input.id]);
  const before = found[0];
  if (!before) throw notFound('org.department', input.id);
  assertCan(ctx.actor, 'org.department.manage', before);
  const after: Department = {
    ...before,
    name: input.name === undefined ? before.name : requiredText(input.name, 'name', 100),
    shortName: input.shortName === undefined ? before.shortName : optionalText(input.shortName, 'shortName', 40),
    kind: input.kind === undefined ? before.kind : checkedKind(input.kind),
    parentId: input.parentId === undefined ? before.parentId : input.parentId,
  };
  assertMayChangeKind(ctx.actor, before.kind, after.kind);
  if (after.name !== before.name) await assertNameFree(ctx.tx, before.divisionCode, after.name, before.id);
  if (after.parentId !== null && after.parentId !== before.parentId) {
    await checkedParent(ctx.tx, after.parentId, before.divisionCode, 'parentId');
    const cycle = await ctx.tx.query(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM departments WHERE id = $1
         UNION SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id)
       SELECT 1 FROM up WHERE id = $2`, [after.parentId, before.id]);
    if (cycle.rowCount)
      throw new DomainError('org.department.cycle', { field: 'parentId' }, 'a department cannot sit under itself or one of its own sub-units');
  }
  const { rows } = await ctx.tx.query<Department>(
    `UPDATE departments SET name = $2, short_name = $3, kind = $4, parent_id = $5, updated_at = $6 WHERE id = $1
     RETURNING ${departmentColumns}`, [before.id, after.name, after.shortName, after.kind, after.parentId, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'org.department.updated', object: { type: 'department', id: before.id },
    payload: { before, after: rows[0] }, at: ctx.now });
  return rows[0]!;
}
