/**
 * Import and export of components as CSV rows or a GeoJSON FeatureCollection of points. An import goes
 * row by row through `createComponent` with the kernel's shared row import (a savepoint per row): bad
 * rows are reported with their number, column and reason, good rows are kept. Departments travel by
 * their codes, since ids differ between installations.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { assertCan } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { findDepartmentByCode, importRows, type ImportReport, type Row } from '../kernel/org/index.ts';
import {
  allComponents, componentSources, createComponent, departmentRoles, type ComponentFilter, type ComponentSource,
  type ComponentState, type ComponentView,
} from './components.ts';
import { cityopsActions } from './policy.ts';

/** The columns of a component row. `kindName` and `gridCode` are for people reading the file; an import derives them. */
export const componentFields = ['code', 'kindName', 'state', 'lon', 'lat', 'gridCode', 'address', 'competentDepartment', 'ownerDepartment',
  'maintainerDepartment', 'installedOn', 'surveyedOn', 'source'] as const;

/** States also by their Chinese names, as people type them in a spreadsheet. */
const stateNames: Record<string, ComponentState> = { 完好: 'intact', 破损: 'damaged', 丢失: 'missing', 占用: 'occupied' };

async function departmentCodes(db: Queryable, components: readonly ComponentView[]): Promise<Map<number, string>> {
  const ids = [...new Set(components.flatMap((c) => [c.competentDepartmentId, c.ownerDepartmentId, c.maintainerDepartmentId]))]
    .filter((id): id is number => id !== null);
  // A read of the kernel's departments, as docs/architecture.md allows reads to join.
  const { rows } = await db.query<{ id: number; code: string }>('SELECT id::int, code FROM departments WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** The components matching the filter as rows of `componentFields`. */
export async function exportComponents(db: Queryable, actor: Actor, filter: ComponentFilter): Promise<Row[]> {
  const components = await allComponents(db, actor, filter);
  const codes = await departmentCodes(db, components);
  const codeOf = (id: number | null) => (id === null ? null : codes.get(id) ?? null);
  return components.map((c) => ({
    code: c.code, kindName: c.kindNameZh, state: c.state, lon: c.lon, lat: c.lat, gridCode: c.gridCode, address: c.address,
    competentDepartment: codeOf(c.competentDepartmentId), ownerDepartment: codeOf(c.ownerDepartmentId),
    maintainerDepartment: codeOf(c.maintainerDepartmentId), installedOn: c.installedOn, surveyedOn: c.surveyedOn, source: c.source,
  }));
}

export interface PointFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Row;
}

/** Rows as a GeoJSON FeatureCollection (RFC 7946) of points; the other columns become properties. */
export function toFeatureCollection(rows: readonly Row[]) {
  return {
    type: 'FeatureCollection' as const,
    features: rows.map(({ lon, lat, ...properties }): PointFeature => ({
      type: 'Feature', id: String(properties.code), geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] }, properties,
    })),
  };
}

/** A GeoJSON FeatureCollection's features as rows; each keeps its geometry, checked with the rest of its row. */
export function featureRows(body: unknown): Row[] {
  const collection = body as { type?: unknown; features?: unknown };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
    throw new DomainError('cityops.import.not-geojson', { field: 'body' });
  return collection.features.map((feature: { properties?: Row | null; geometry?: unknown } | null) => ({
    ...(feature?.properties ?? {}), geometry: feature?.geometry ?? null,
  }));
}

/** A cell as text: CSV cells are strings already, JSON may carry numbers; empty is absent. */
function cell(row: Row, field: string): string | undefined {
  const value = row[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new DomainError('cityops.component.not-text', { field }, `${field} must be text`);
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function pointOf(row: Row): { lon: number; lat: number } {
  if (!('geometry' in row)) return { lon: Number(cell(row, 'lon') ?? NaN), lat: Number(cell(row, 'lat') ?? NaN) };
  const geometry = row.geometry as { type?: unknown; coordinates?: unknown } | null;
  const coordinates = geometry?.coordinates;
  if (geometry?.type !== 'Point' || !Array.isArray(coordinates) || coordinates.length < 2 || !coordinates.every((n) => typeof n === 'number'))
    throw new DomainError('cityops.component.bad-geometry', { field: 'geometry' });
  return { lon: coordinates[0] as number, lat: coordinates[1] as number };
}

async function departmentId(db: Queryable, row: Row, role: (typeof departmentRoles)[number]): Promise<number | null> {
  const field = `${role}Department`;
  const code = cell(row, field);
  if (code === undefined) return null;
  const department = await findDepartmentByCode(db, code);
  if (!department) throw new DomainError('cityops.component.unknown-department', { field }, `no department has the code ${code}`);
  return department.id;
}

/**
 * 部件导入: registers each row as a component. Rows come from CSV, a JSON array or GeoJSON features
 * (`featureRows`); the report names each refused row (1 = the first after the header), column and reason.
 */
export async function importComponents(ctx: Ctx, rows: readonly Row[]): Promise<ImportReport> {
  assertCan(ctx.actor, cityopsActions.manage);
  return importRows(ctx, rows, {
    action: 'cityops.components.imported',
    scopeField: 'code',
    // The command names departments by id; the file names them by code.
    fieldOf: Object.fromEntries(departmentRoles.map((role) => [`${role}DepartmentId`, `${role}Department`])),
    importRow: async (row) => {
      const state = cell(row, 'state') ?? 'intact';
      const source = cell(row, 'source') ?? 'import';
      if (!(componentSources as readonly string[]).includes(source)) throw new DomainError('cityops.component.bad-source', { field: 'source' });
      return createComponent(ctx, {
        code: cell(row, 'code') ?? '', ...pointOf(row), state: stateNames[state] ?? (state as ComponentState), address: cell(row, 'address'),
        competentDepartmentId: await departmentId(ctx.tx, row, 'competent'), ownerDepartmentId: await departmentId(ctx.tx, row, 'owner'),
        maintainerDepartmentId: await departmentId(ctx.tx, row, 'maintainer'), installedOn: cell(row, 'installedOn'),
        surveyedOn: cell(row, 'surveyedOn'), source: source as ComponentSource,
      });
    },
  });
}
