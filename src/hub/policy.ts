/**
 * Who may do what in the catalogue. A data officer (数据专员) registers systems and resources of their own
 * department; hub administrators (platform admins of the whole installation, and data officers of the
 * top division's department of kind `government-services`, the 政务服务和数据管理局 that runs the hub)
 * review entries and may act for any department. Published entries are read by all staff; drafts only by their provider and the hub administrators.
 */
import { assertCan, hasGrant, type Actor, type CapabilityChange } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

export const hubActions = {
  read: 'hub.catalogue.read',
  register: 'hub.resource.register',
  review: 'hub.resource.review',
  objection: 'hub.objection.raise',
} as const;

const a = hubActions;
/** The roles that hold each action; the manifest grants them. */
export const hubCatalogueGrants = {
  platform_admin: [a.read, a.register, a.review, a.objection],
  data_officer: [a.read, a.register, a.review, a.objection],
  dept_admin: [a.read],
  officer: [a.read, a.objection],
  inspector: [a.read],
} as const;

/** The department kind whose data officers administer the hub (政务服务和数据管理局). */
export const hubAdminDepartmentKind = 'government-services';

// A division is at the top of the installation when no department sits at a higher level (the city, for a city's platform).
const levels = `ARRAY['province', 'city', 'county', 'township', 'village']`;
const noDepartmentAbove = (division: string) => `NOT EXISTS (SELECT 1 FROM departments o JOIN divisions ov ON ov.code = o.division_code
  WHERE array_position(${levels}, ov.level) < (SELECT array_position(${levels}, v.level) FROM divisions v WHERE v.code = ${division}))`;

/** SQL twin of `isHubAdmin` for the user row `u` (enabled), for checks that run in a query. */
export const hubAdminSql = (u: string) => `(NOT ${u}.disabled AND (('platform_admin' = ANY(${u}.roles) AND ${noDepartmentAbove(`${u}.division_code`)})
  OR ('data_officer' = ANY(${u}.roles) AND EXISTS (SELECT 1 FROM departments hd WHERE hd.id = ${u}.department_id
    AND hd.kind = '${hubAdminDepartmentKind}' AND ${noDepartmentAbove('hd.division_code')}))))`;

/**
 * Is the actor a hub administrator? The system; a platform admin whose jurisdiction is the top of the
 * installation; or a data officer of the data bureau (kind `government-services`) of the top division.
 * A county's 政数局 is a department like any other: its data officer decides for their own data only.
 */
export async function isHubAdmin(db: Queryable, actor: Actor): Promise<boolean> {
  if (hasGrant(actor, '*')) return true;
  if (actor.roles.includes('platform_admin') && actor.jurisdiction.root !== null) {
    const { rows } = await db.query<{ top: boolean }>(`SELECT ${noDepartmentAbove('$1')} AS top`, [actor.jurisdiction.root]);
    if (rows[0]!.top) return true;
  }
  if (!actor.roles.includes('data_officer') || actor.departmentId === null) return false;
  const { rows } = await db.query<{ admin: boolean }>(
    `SELECT d.kind = $2 AND ${noDepartmentAbove('d.division_code')} AS admin FROM departments d WHERE d.id = $1`,
    [actor.departmentId, hubAdminDepartmentKind]);
  return rows[0]?.admin === true;
}

/** The ability behind 数据质量: the quality of a department's own resources and the objections it raised. */
export const readOwnQuality = 'hub.quality.own';

/**
 * What the console offers in the catalogue: review only to hub administrators (assertReviewer); 数据质量 to
 * hub administrators and staff of a department that provides a resource or has raised an objection, since it
 * shows only those.
 */
export async function hubCapabilities(db: Queryable, actor: Actor): Promise<CapabilityChange> {
  const admin = await isHubAdmin(db, actor);
  const withhold = hasGrant(actor, a.review) && !admin ? [a.review] : [];
  if (admin) return { withhold, add: [readOwnQuality] };
  if (actor.kind !== 'staff' || actor.departmentId === null) return { withhold };
  const { rows } = await db.query<{ involved: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM hub_resources WHERE provider_department_id = $1)
         OR EXISTS (SELECT 1 FROM hub_objections WHERE raised_by_department_id = $1) AS involved`, [actor.departmentId]);
  return { withhold, add: rows[0]!.involved ? [readOwnQuality] : [] };
}

/** A registration act (systems, resources, imports, answers to objections) for `departmentId`'s data. */
export async function assertProvider(db: Queryable, actor: Actor, departmentId: number): Promise<void> {
  assertCan(actor, a.register);
  if (actor.departmentId === departmentId || await isHubAdmin(db, actor)) return;
  throw new DomainError('hub.not-provider', { status: 403 }, 'only the providing department may do this');
}

/** Reviewing (approving or rejecting) catalogue entries: hub administrators only. */
export async function assertReviewer(db: Queryable, actor: Actor): Promise<void> {
  assertCan(actor, a.review);
  if (!(await isHubAdmin(db, actor))) throw new DomainError('hub.not-hub-admin', { status: 403 }, 'only hub administrators may review');
}

/**
 * May the actor see an entry? Published and retired entries: all staff; drafts: provider and admins.
 * Anyone (citizens, anonymous catalogue clients) sees the published entries open to the public (无条件开放).
 */
export function canSeeEntry(actor: Actor, entry: { status: string; openType: string; providerDepartmentId: number }, hubAdmin: boolean): boolean {
  if (!hasGrant(actor, a.read)) return entry.status === 'published' && entry.openType === 'open';
  return entry.status === 'published' || entry.status === 'retired' || hubAdmin || actor.departmentId === entry.providerDepartmentId;
}

/** Does the actor see the working copy, or (for a published entry whose next version is a draft) only the published version? */
export const seesWorkingCopy = (actor: Actor, entry: { providerDepartmentId: number }, hubAdmin: boolean) =>
  hubAdmin || actor.departmentId === entry.providerDepartmentId;

/** SQL twin of seesWorkingCopy for lists; `r` is the hub_resources alias. */
export function workingCopyScope(actor: Actor, hubAdmin: boolean, params: unknown[]): string {
  if (hubAdmin) return 'true';
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `r.provider_department_id = $${params.length}`;
}

/** SQL condition for the entries a list may show; `r` is the hub_resources alias. */
export function entryScope(actor: Actor, hubAdmin: boolean, params: unknown[]): string {
  if (!hasGrant(actor, a.read)) return `(r.status = 'published' AND r.open_type = 'open')`;
  if (hubAdmin) return 'true';
  const visible = `(r.status IN ('published', 'retired') OR r.published_version IS NOT NULL)`;
  if (actor.departmentId === null) return visible;
  params.push(actor.departmentId);
  return `(${visible} OR r.provider_department_id = $${params.length})`;
}
