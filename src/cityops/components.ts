/**
 * 部件: the city's components, each with its 16-digit code, place (point, grid), state and the departments
 * in charge (主管), owning (权属) and maintaining (养护) it. Every change is one ledger entry in the
 * command's transaction.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { assertCan, inJurisdiction } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { divisionExists, findDepartment, gridAt } from '../kernel/org/index.ts';
import { classExists, findKind } from './catalogue.ts';
import { countyOf, splitComponentCode } from './codes.ts';
import { cityopsActions } from './policy.ts';

export const componentStates = ['intact', 'damaged', 'missing', 'occupied'] as const;
export type ComponentState = (typeof componentStates)[number];
/** 普查 (a survey), 导入 (a file), 登记 (entered by hand), 演示 (the demo city). */
export const componentSources = ['survey', 'import', 'registered', 'demo'] as const;
export type ComponentSource = (typeof componentSources)[number];
export const departmentRoles = ['competent', 'owner', 'maintainer'] as const;
export type DepartmentRole = (typeof departmentRoles)[number];

export interface Component {
  code: string;
  classCode: string;
  kindCode: string;
  divisionCode: string;
  gridCode: string | null;
  lon: number;
  lat: number;
  state: ComponentState;
  competentDepartmentId: number | null;
  ownerDepartmentId: number | null;
  maintainerDepartmentId: number | null;
  address: string;
  installedOn: string | null;
  surveyedOn: string | null;
  source: ComponentSource;
  createdAt: Date;
  updatedAt: Date;
}

/** A component as reads show it: with the names of its kind, grid and departments. */
export interface ComponentView extends Component {
  classNameZh: string;
  classNameEn: string;
  kindNameZh: string;
  kindNameEn: string;
  gridName: string | null;
  competentDepartmentName: string | null;
  ownerDepartmentName: string | null;
  maintainerDepartmentName: string | null;
}

const componentColumns = `c.code, c.class_code AS "classCode", c.kind_code AS "kindCode", c.division_code AS "divisionCode",
  c.grid_code AS "gridCode", c.lon, c.lat, c.state, c.competent_department_id::int AS "competentDepartmentId",
  c.owner_department_id::int AS "ownerDepartmentId", c.maintainer_department_id::int AS "maintainerDepartmentId", c.address,
  to_char(c.installed_on, 'YYYY-MM-DD') AS "installedOn", to_char(c.surveyed_on, 'YYYY-MM-DD') AS "surveyedOn", c.source,
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

// Reads join the names of the kernel's grids and departments: read-only, as docs/architecture.md allows.
const viewFrom = `SELECT ${componentColumns}, cl.name_zh AS "classNameZh", cl.name_en AS "classNameEn", k.name_zh AS "kindNameZh",
    k.name_en AS "kindNameEn", g.name AS "gridName", dc.name AS "competentDepartmentName", dow.name AS "ownerDepartmentName",
    dm.name AS "maintainerDepartmentName"
  FROM cityops_components c
  JOIN cityops_component_classes cl ON cl.code = c.class_code
  JOIN cityops_component_kinds k ON k.class_code = c.class_code AND k.code = c.kind_code
  LEFT JOIN grids g ON g.code = c.grid_code
  LEFT JOIN departments dc ON dc.id = c.competent_department_id
  LEFT JOIN departments dow ON dow.id = c.owner_department_id
  LEFT JOIN departments dm ON dm.id = c.maintainer_department_id`;

/** What a component is made of, before the checks. */
export interface ComponentInput {
  code: string;
  lon: number;
  lat: number;
  state?: ComponentState;
  competentDepartmentId?: number | null;
  ownerDepartmentId?: number | null;
  maintainerDepartmentId?: number | null;
  address?: string;
  installedOn?: string | null;
  surveyedOn?: string | null;
  source?: ComponentSource;
}

type Checked = Omit<Component, 'createdAt' | 'updatedAt'>;

function checkPoint(lon: number, lat: number): void {
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new DomainError('cityops.component.bad-location', { field: 'lon' }, `longitude ${lon} is outside [-180, 180]`);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new DomainError('cityops.component.bad-location', { field: 'lat' }, `latitude ${lat} is outside [-90, 90]`);
}

function checkDate(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new DomainError('cityops.component.bad-date', { field }, `${field}: ${value} is not a date (YYYY-MM-DD)`);
  return value;
}

async function checkDepartment(db: Queryable, id: number | null | undefined, role: DepartmentRole): Promise<number | null> {
  if (id === undefined || id === null) return null;
  if (!(await findDepartment(db, id)))
    throw new DomainError('cityops.component.unknown-department', { field: `${role}DepartmentId` }, `no department ${id}`);
  return id;
}

/**
 * Checks the code against the divisions and the catalogue and places the point in its grid: the grid must
 * lie in the code's county. Refusals name the field (`code` for a wrong division, class or kind).
 */
async function checkComponent(ctx: Ctx, input: ComponentInput): Promise<Checked> {
  const parts = splitComponentCode(input.code);
  const county = countyOf(parts);
  if (!(await divisionExists(ctx.tx, county)))
    throw new DomainError('cityops.component.unknown-division', { field: 'code', part: 'division' }, `no county ${parts.division}`);
  if (!(await classExists(ctx.tx, parts.classCode)))
    throw new DomainError('cityops.component.unknown-class', { field: 'code', part: 'class' }, `no class ${parts.classCode}`);
  const kind = await findKind(ctx.tx, parts.classCode, parts.kindCode);
  if (!kind?.active)
    throw new DomainError('cityops.component.unknown-kind', { field: 'code', part: 'kind' }, `no kind ${parts.kindCode} in class ${parts.classCode}`);
  checkPoint(input.lon, input.lat);
  const grid = await gridAt(ctx.tx, input.lon, input.lat);
  if (grid && !grid.divisionCode.startsWith(parts.division))
    throw new DomainError('cityops.component.outside-division', { field: 'code', part: 'division', gridCode: grid.code },
      `the point lies in grid ${grid.code}, outside county ${parts.division}`);
  const state = input.state ?? 'intact';
  if (!(componentStates as readonly string[]).includes(state)) throw new DomainError('cityops.component.bad-state', { field: 'state' });
  const source = input.source ?? 'registered';
  if (!(componentSources as readonly string[]).includes(source)) throw new DomainError('cityops.component.bad-source', { field: 'source' });
  const divisionCode = grid?.divisionCode ?? county;
  assertCan(ctx.actor, cityopsActions.manage, { divisionCode });
  return {
    code: input.code, classCode: parts.classCode, kindCode: parts.kindCode, divisionCode, gridCode: grid?.code ?? null,
    lon: input.lon, lat: input.lat, state, address: (input.address ?? '').trim(), source,
    competentDepartmentId: await checkDepartment(ctx.tx, input.competentDepartmentId, 'competent'),
    ownerDepartmentId: await checkDepartment(ctx.tx, input.ownerDepartmentId, 'owner'),
    maintainerDepartmentId: await checkDepartment(ctx.tx, input.maintainerDepartmentId, 'maintainer'),
    installedOn: checkDate(input.installedOn, 'installedOn'), surveyedOn: checkDate(input.surveyedOn, 'surveyedOn'),
  };
}

const writeColumns = `code, class_code, kind_code, division_code, grid_code, lon, lat, state, competent_department_id, owner_department_id,
  maintainer_department_id, address, installed_on, surveyed_on, source`;
const writeValues = (c: Checked) => [c.code, c.classCode, c.kindCode, c.divisionCode, c.gridCode, c.lon, c.lat, c.state,
  c.competentDepartmentId, c.ownerDepartmentId, c.maintainerDepartmentId, c.address, c.installedOn, c.surveyedOn, c.source];

/** 部件登记: registers one component. */
export async function createComponent(ctx: Ctx, input: ComponentInput): Promise<ComponentView> {
  assertCan(ctx.actor, cityopsActions.manage);
  const checked = await checkComponent(ctx, input);
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO cityops_components (${writeColumns}, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) ON CONFLICT DO NOTHING`,
    [...writeValues(checked), ctx.now]);
  if (rowCount !== 1) throw new DomainError('cityops.component.code-taken', { status: 409, field: 'code' }, `component ${input.code} exists`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.component.created', object: { type: 'component', id: checked.code },
    payload: checked, at: ctx.now });
  return readComponent(ctx.tx, checked.code);
}

export type UpdateComponent = { code: string } & Partial<Omit<ComponentInput, 'code' | 'source'>>;

/** Changes a component's state, place, departments, address or dates; its code stays. */
export async function updateComponent(ctx: Ctx, input: UpdateComponent): Promise<ComponentView> {
  const { rows } = await ctx.tx.query<Component>(`SELECT ${componentColumns} FROM cityops_components c WHERE c.code = $1 FOR UPDATE`, [input.code]);
  const current = rows[0];
  if (!current || !ctx.actor.jurisdiction.covers(current.divisionCode)) throw notFound(input.code);
  assertCan(ctx.actor, cityopsActions.manage, current);
  const { code, ...changes } = input;
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const checked = await checkComponent(ctx, { ...current, ...defined, code });
  await ctx.tx.query(
    `UPDATE cityops_components SET (${writeColumns}, updated_at) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
      WHERE code = $1`, [...writeValues(checked), ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.component.updated', object: { type: 'component', id: code },
    payload: { changes: defined, before: Object.fromEntries(Object.keys(defined).map((k) => [k, current[k as keyof Component]])) }, at: ctx.now });
  return readComponent(ctx.tx, code);
}

const notFound = (code: string) => new DomainError('cityops.component.not-found', { status: 404 }, `no component ${code}`);

async function readComponent(db: Queryable, code: string): Promise<ComponentView> {
  const { rows } = await db.query<ComponentView>(`${viewFrom} WHERE c.code = $1`, [code]);
  if (!rows[0]) throw notFound(code);
  return rows[0];
}

/** One component; 404 also when it lies outside the reader's jurisdiction (its existence is not told). */
export async function getComponent(db: Queryable, actor: Actor, code: string): Promise<ComponentView> {
  assertCan(actor, cityopsActions.read);
  const component = await readComponent(db, code);
  if (!actor.jurisdiction.covers(component.divisionCode)) throw notFound(code);
  return component;
}

/** [minLon, minLat, maxLon, maxLat] */
export type Bbox = [number, number, number, number];

export function parseBbox(text: string, field = 'bbox'): Bbox {
  const numbers = text.split(',').map((part) => Number(part.trim()));
  const bad = numbers.length !== 4 || !numbers.every(Number.isFinite) || numbers[0]! > numbers[2]! || numbers[1]! > numbers[3]!
    || numbers.some((n, i) => Math.abs(n) > (i % 2 === 0 ? 180 : 90));
  if (bad) throw new DomainError('cityops.component.bad-bbox', { field }, `"${text}" is not minLon,minLat,maxLon,maxLat`);
  return numbers as Bbox;
}

export interface ComponentFilter {
  classCode?: string;
  kindCode?: string;
  state?: ComponentState;
  gridCode?: string;
  /** In charge of, owning or maintaining. */
  departmentId?: number;
  /** A division (12 digits) the components lie under. */
  divisionCode?: string;
  bbox?: Bbox;
}

/** The SQL condition of a filter within the jurisdiction; parameters are pushed onto `params`. */
function whereOf(actor: Actor, filter: ComponentFilter, params: unknown[]): string {
  const conditions = [inJurisdiction('c.division_code', actor.jurisdiction, params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (filter.classCode) add((n) => `c.class_code = $${n}`, filter.classCode);
  if (filter.kindCode) add((n) => `c.kind_code = $${n}`, filter.kindCode);
  if (filter.state) add((n) => `c.state = $${n}`, filter.state);
  if (filter.gridCode) add((n) => `c.grid_code = $${n}`, filter.gridCode);
  if (filter.divisionCode) add((n) => `c.division_code LIKE $${n}`, `${divisionPrefix(filter.divisionCode)}%`);
  if (filter.departmentId)
    add((n) => `(c.competent_department_id = $${n} OR c.owner_department_id = $${n} OR c.maintainer_department_id = $${n})`, filter.departmentId);
  if (filter.bbox) add((n) => `c.location <@ (SELECT box(point(b[1], b[2]), point(b[3], b[4])) FROM (SELECT $${n}::float8[] AS b) AS box)`, filter.bbox);
  return conditions.join(' AND ');
}

/** A page of the components in the jurisdiction matching the filter, in code order. */
export async function listComponents(db: Queryable, actor: Actor, query: ComponentFilter & { page: number; pageSize: number }) {
  assertCan(actor, cityopsActions.read);
  const params: unknown[] = [];
  const where = whereOf(actor, query, params);
  const [{ rows: count }, { rows: items }] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cityops_components c WHERE ${where}`, params),
    db.query<ComponentView>(`${viewFrom} WHERE ${where} ORDER BY c.code LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, params),
  ]);
  return { total: count[0]!.n, items };
}

/** Every component matching the filter, for an export. */
export async function allComponents(db: Queryable, actor: Actor, filter: ComponentFilter): Promise<ComponentView[]> {
  assertCan(actor, cityopsActions.read);
  const params: unknown[] = [];
  return (await db.query<ComponentView>(`${viewFrom} WHERE ${whereOf(actor, filter, params)} ORDER BY c.code`, params)).rows;
}

export interface ComponentPoint {
  code: string;
  classCode: string;
  kindCode: string;
  state: ComponentState;
  lon: number;
  lat: number;
}

/**
 * The components in a box, for a map layer: at most `limit` points (code order), and whether more
 * matched. The box goes through the GiST index on the location.
 */
export async function componentsInBox(db: Queryable, actor: Actor, filter: ComponentFilter & { bbox: Bbox; limit: number }) {
  assertCan(actor, cityopsActions.read);
  const params: unknown[] = [];
  const { rows } = await db.query<ComponentPoint>(
    `SELECT c.code, c.class_code AS "classCode", c.kind_code AS "kindCode", c.state, c.lon, c.lat FROM cityops_components c
      WHERE ${whereOf(actor, filter, params)} LIMIT ${filter.limit + 1}`, params);
  return { truncated: rows.length > filter.limit, points: rows.slice(0, filter.limit) };
}
