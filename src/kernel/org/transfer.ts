/**
 * Import and export of divisions and departments as rows of CSV or JSON, so that a city can load its
 * organisation from a spreadsheet and move it between installations. An import keeps the good rows and
 * reports each bad one: every row runs in its own savepoint through the same command the API uses, so a
 * refused row leaves nothing behind and the rows around it still commit.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Actor, Ctx } from '../auth/actor.ts';
import { assertCan, inJurisdiction } from '../auth/policy.ts';
import type { Queryable } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { appendToLedger } from '../ledger/index.ts';
import { createDepartment, findDepartmentByCode } from './departments.ts';
import { createDivision } from './divisions.ts';
import { requiredText } from './input.ts';

export type Row = Record<string, unknown>;

/** A refused row: its number (1 for the first row after the CSV header, or the first array item), the field at fault and why. */
export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportReport {
  total: number;
  created: number;
  failed: number;
  errors: RowError[];
}

/** Columns of a division row. `level` is exported for people to read; an import derives it from the code. */
export const divisionFields = ['code', 'name', 'level', 'parentCode'] as const;
/** Columns of a department row; the parent is named by its code, since ids differ between installations. */
export const departmentFields = ['code', 'name', 'shortName', 'kind', 'divisionCode', 'parentCode'] as const;

/** CSV text to rows keyed by the header line; a byte-order mark and spaces around values are dropped. */
export function parseCsv(text: string): Row[] {
  try {
    return parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new DomainError('org.import.malformed-csv', { field: 'body' }, (error as Error).message);
  }
}

/** Rows as CSV with a header line, led by a byte-order mark: Excel and WPS need it to read UTF-8. */
export function toCsv(rows: readonly Row[], fields: readonly string[]): string {
  return `\uFEFF${stringify(rows as Row[], { header: true, columns: [...fields] })}`;
}

/** The divisions inside the actor's jurisdiction, parents before children (code order does that). */
export async function exportDivisions(db: Queryable, actor: Actor): Promise<Row[]> {
  assertCan(actor, 'org.read');
  const params: unknown[] = [];
  const { rows } = await db.query<Row>(
    `SELECT code, name, level, parent_code AS "parentCode" FROM divisions
      WHERE ${inJurisdiction('code', actor.jurisdiction, params)} ORDER BY code`, params);
  return rows;
}

/** The departments inside the actor's jurisdiction, each after its parent, so that the file imports as it is. */
export async function exportDepartments(db: Queryable, actor: Actor): Promise<Row[]> {
  assertCan(actor, 'org.read');
  const params: unknown[] = [];
  const { rows } = await db.query<Row>(
    `WITH RECURSIVE nesting AS (
       SELECT id, 0 AS depth FROM departments WHERE parent_id IS NULL
       UNION ALL
       SELECT d.id, n.depth + 1 FROM departments d JOIN nesting n ON d.parent_id = n.id)
     SELECT d.code, d.name, d.short_name AS "shortName", d.kind, d.division_code AS "divisionCode", p.code AS "parentCode"
       FROM departments d JOIN nesting n ON n.id = d.id LEFT JOIN departments p ON p.id = d.parent_id
      WHERE ${inJurisdiction('d.division_code', actor.jurisdiction, params)}
      ORDER BY n.depth, d.division_code, d.code`, params);
  return rows;
}

/** A cell as text: CSV cells are strings already, JSON may carry numbers; empty is absent. */
function cell(row: Row, field: string): string | undefined {
  const value = row[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new DomainError('org.import.not-text', { field }, `${field} must be text`);
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

const requiredCell = (row: Row, field: string) => requiredText(cell(row, field), field, 200);

/**
 * Runs `importRow` on each row in a savepoint and records one ledger entry with the counts; other modules'
 * imports use it too, so every import reports its rows the same way. A refusal
 * without a field (outside the jurisdiction) is put on `scopeField`; `fieldOf` maps the command's field
 * names back to the file's columns.
 */
export async function importRows(ctx: Ctx, rows: readonly Row[], options: {
  action: string;
  scopeField: string;
  fieldOf?: Record<string, string>;
  importRow: (row: Row) => Promise<unknown>;
}): Promise<ImportReport> {
  const errors: RowError[] = [];
  for (const [index, row] of rows.entries()) {
    await ctx.tx.query('SAVEPOINT import_row');
    try {
      await options.importRow(row);
    } catch (error) {
      await ctx.tx.query('ROLLBACK TO SAVEPOINT import_row');
      if (!(error instanceof DomainError)) throw error;
      const field = error.details.field ?? options.scopeField;
      errors.push({ row: index + 1, field: options.fieldOf?.[field] ?? field, code: error.code, message: error.message });
    }
    await ctx.tx.query('RELEASE SAVEPOINT import_row');
  }
  const counts = { total: rows.length, created: rows.length - errors.length, failed: errors.length };
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: options.action, payload: counts, at: ctx.now });
  return { ...counts, errors };
}

/** Adds the divisions of a file, parents first (as exports are ordered); existing codes are refused as duplicates. */
export async function importDivisions(ctx: Ctx, rows: readonly Row[]): Promise<ImportReport> {
  assertCan(ctx.actor, 'org.division.manage');
  return importRows(ctx, rows, {
    action: 'org.divisions.imported',
    scopeField: 'code',
    importRow: (row) => createDivision(ctx, { code: requiredCell(row, 'code'), name: requiredCell(row, 'name'), parentCode: cell(row, 'parentCode') }),
  });
}

/** Adds the departments of a file, each after its parent; existing codes are refused as duplicates. */
export async function importDepartments(ctx: Ctx, rows: readonly Row[]): Promise<ImportReport> {
  assertCan(ctx.actor, 'org.department.manage');
  return importRows(ctx, rows, {
    action: 'org.departments.imported',
    scopeField: 'divisionCode',
    fieldOf: { parentId: 'parentCode' },
    importRow: async (row) => {
      const parentCode = cell(row, 'parentCode');
      const parent = parentCode === undefined ? null : await findDepartmentByCode(ctx.tx, parentCode);
      if (parentCode !== undefined && !parent)
        throw new DomainError('org.department.unknown-parent', { field: 'parentCode' }, `no department has the code ${parentCode}`);
      return createDepartment(ctx, {
        code: requiredCell(row, 'code'), name: requiredCell(row, 'name'), shortName: cell(row, 'shortName'), kind: cell(row, 'kind'),
        divisionCode: requiredCell(row, 'divisionCode'), parentId: parent?.id,
      });
    },
  });
}
