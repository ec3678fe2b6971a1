import type { Queryable } from '../db/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { containsPattern } from '../like.ts';
import { appendToLedger } from '../ledger/index.ts';
import { checkMobile, checkResidentId } from '../checks/index.ts';
import { assertMayAppointTo, findDepartment } from '../org/index.ts';
import { roles as allRoles, type Actor, type Ctx, type Role } from './actor.ts';
import { assertCan, hasGrant, inJurisdiction } from './policy.ts';
import { hashPassword, passwordWeakness, verifyPassword } from './passwords.ts';
import { forgetUserSessions } from './sessions.ts';
import { revokeTokensBeyond } from './tokens.ts';
import { addressKey, countAccountFailure, lockedOutUntil } from './lockouts.ts';

export interface User {
  id: number;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen';
  department_id: number | null;
  division_code: string | null;
  roles: Role[];
  id_number: string | null;
  phone: string | null;
  disabled: boolean;
  locked_until: Date | null;
  created_at: Date;
}

const columns = 'id, username, display_name, kind, department_id, division_code, roles, id_number, phone, disabled, locked_until, created_at';
const usernamePattern = /^[a-z0-9][a-z0-9_.-]{2,39}$/;

function assertUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!usernamePattern.test(u))
    throw new DomainError('auth.bad-username', { field: 'username' }, 'username must be 3–40 letters, digits, "_", "." or "-"');
  return u;
}

function assertStrongPassword(password: string, username: string, field = 'password'): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw new DomainError('auth.weak-password', { field }, weakness);
}

function normalisedPhone(phone: string | undefined): string | null {
  if (phone === undefined || phone === '') return null;
  const checked = checkMobile(phone);
  if (!checked.ok) throw new DomainError('auth.bad-phone', { field: 'phone', reason: checked.reason }, checked.message);
  return checked.value;
}

/** May the actor give (or take away) `role`: one they hold, officer or data officer, or any for a platform admin. */
const mayGrant = (actor: Actor, role: Role) =>
  hasGrant(actor, 'auth.role.grant-any') || actor.roles.includes(role) || role === 'officer' || role === 'data_officer';

/** An admin may give a role only if `mayGrant` says so; never `citizen` to staff. */
function assertGrantable(actor: Actor, roles: readonly string[]): asserts roles is Role[] {
  for (const role of roles) {
    if (!(allRoles as readonly string[]).includes(role) || role === 'citizen')
      throw new DomainError('auth.unknown-role', { field: 'roles', role }, `unknown staff role ${role}`);
    if (!mayGrant(actor, role as Role))
      throw new DomainError('auth.role-not-grantable', { status: 403, field: 'roles', role }, `you cannot give role ${role}`);
  }
}

async function insertUser(tx: Queryable, values: {
  username: string; displayName: string; kind: 'staff' | 'citizen'; passwordHash: string; departmentId: number | null;
  divisionCode: string | null; roles: Role[]; idNumber: string | null; phone: string | null;
}): Promise<User> {
  const { rows } = await tx.query<User>(
    `INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles, id_number, phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING ${columns}`,
    [values.username, values.displayName, values.kind, values.passwordHash, values.departmentId, values.divisionCode,
      values.roles, values.idNumber, values.phone]);
  if (rows[0]) return rows[0];
  const taken = await tx.query('SELECT 1 FROM users WHERE username = $1', [values.username]);
  if (taken.rowCount) throw new DomainError('auth.username-taken', { status: 409, field: 'username' }, `username ${values.username} is taken`);
  throw new DomainError('auth.id-number-taken', { status: 409, field: 'idNumber' }, 'an account with this ID number exists');
}

export interface CreateStaff {
  username: string;
  displayName: string;
  password: string;
  departmentId: number;
  roles: string[];
  phone?: string;
}

/** Adds a staff member to a department within the admin's jurisdiction. */
export async function createStaff(ctx: Ctx, input: CreateStaff): Promise<User> {
  const username = assertUsername(input.username);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('org.department.not-found', { status: 400, field: 'departmentId' }, `no department ${input.departmentId}`);
  assertCan(ctx.actor, 'auth.user.manage', { divisionCode: department.divisionCode });
  assertMayAppointTo(ctx.actor, department);
  assertGrantable(ctx.actor, input.roles);
  assertStrongPassword(input.password, username);
  const user = await insertUser(ctx.tx, {
    username, displayName: input.displayName.trim(), kind: 'staff', passwordHash: await hashPassword(input.password),
    departmentId: department.id, divisionCode: department.divisionCode, roles: input.roles, idNumber: null,
    phone: normalisedPhone(input.phone),
  });
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.user.created', object: { type: 'user', id: user.id },
    payload: { username, departmentId: department.id, roles: input.roles } });
  return user;
}

export interface RegisterCitizen {
  username: string;
  displayName: string;
  password: string;
  idNumber: string;
  phone?: string;
}

/** A citizen opens an account; the resident ID is checked (GB 11643) and is unique. */
export async function registerCitizen(ctx: Ctx, input: RegisterCitizen): Promise<User> {
  const username = assertUsername(input.username);
  const id = checkResidentId(input.idNumber, ctx.now);
  if (!id.ok) throw new DomainError('auth.bad-id-number', { field: 'idNumber', reason: id.reason }, id.message);
  assertStrongPassword(input.password, username);
  const user = await insertUser(ctx.tx, {
    username, displayName: input.displayName.trim(), kind: 'citizen', passwordHash: await hashPassword(input.password),
    departmentId: null, divisionCode: null, roles: ['citizen'], idNumber: id.value, phone: normalisedPhone(input.phone),
  });
  await appendToLedger(ctx.tx, { actor: { kind: 'citizen', id: String(user.id) }, action: 'auth.citizen.registered', object: { type: 'user', id: user.id } });
  return user;
}

async function lockUser(tx: Queryable, id: number): Promise<User> {
  const { rows } = await tx.query<User>(`SELECT ${columns} FROM users WHERE id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) throw notFound('user', id);
  return rows[0];
}

export interface UpdateStaff {
  id: number;
  displayName?: string;
  departmentId?: number;
  roles?: string[];
  disabled?: boolean;
  phone?: string;
}

/**
 * Nobody changes their own permissions: no self-demotion or self-disabling (409, the account would lock
 * itself out), and no self-granting, by roles or by moving into another department (403).
 */
function assertNotOwnPermissions(user: User, input: UpdateStaff): void {
  const dropsRole = input.roles !== undefined && user.roles.some((r) => !input.roles!.includes(r));
  if (input.disabled || dropsRole)
    throw new DomainError('auth.self-demotion', { status: 409, field: input.disabled ? 'disabled' : 'roles' }, 'you cannot remove your own roles or disable yourself');
  if (input.roles !== undefined && input.roles.some((r) => !user.roles.includes(r as Role)))
    throw new DomainError('auth.self-grant', { status: 403, field: 'roles' }, 'you cannot give yourself roles');
  if (input.departmentId !== undefined && input.departmentId !== user.department_id)
    throw new DomainError('auth.self-grant', { status: 403, field: 'departmentId' }, 'you cannot move yourself to another department');
}

/**
 * May `actor` manage `user` (change, disable, set a password)? Within the admin's jurisdiction, and never
 * someone holding a role the admin could not give: a county admin neither disables a platform admin nor
 * takes over their account by setting its password.
 */
function assertManages(actor: Actor, user: User): void {
  assertCan(actor, 'auth.user.manage', { divisionCode: user.division_code ?? '' });
  const above = user.roles.find((role) => !mayGrant(actor, role));
  if (above !== undefined) throw new DomainError('auth.user-above', { status: 403, field: 'id', role: above }, `the user holds ${above}`);
}

/** Changes a staff member; role and department changes are permission changes and go to the ledger as such. */
export async function updateStaff(ctx: Ctx, input: UpdateStaff): Promise<User> {
  const user = await lockUser(ctx.tx, input.id);
  if (user.kind !== 'staff') throw notFound('user', input.id);
  assertManages(ctx.actor, user);
  let departmentId = user.department_id;
  let divisionCode = user.division_code;
  if (input.departmentId !== undefined && input.departmentId !== user.department_id) {
    const department = await findDepartment(ctx.tx, input.departmentId);
    if (!department) throw new DomainError('org.department.not-found', { field: 'departmentId' }, `no department ${input.departmentId}`);
    assertCan(ctx.actor, 'auth.user.manage', { divisionCode: department.divisionCode });
    assertMayAppointTo(ctx.actor, department);
    departmentId = department.id;
    divisionCode = department.divisionCode;
  }
  if (input.roles) {
    assertGrantable(ctx.actor, input.roles);
    const department = departmentId === null ? null : await findDepartment(ctx.tx, departmentId);
    if (department && input.roles.join() !== user.roles.join()) assertMayAppointTo(ctx.actor, department);
  }
  if (ctx.actor.kind === 'staff' && String(user.id) === ctx.actor.id) assertNotOwnPermissions(user, input);
  const { rows } = await ctx.tx.query<User>(
    `UPDATE users SET display_name = $2, department_id = $3, division_code = $4, roles = $5, disabled = $6, phone = $7, updated_at = $8
      WHERE id = $1 RETURNING ${columns}`,
    [user.id, input.displayName?.trim() ?? user.display_name, departmentId, divisionCode, input.roles ?? user.roles,
      input.disabled ?? user.disabled, input.phone === undefined ? user.phone : normalisedPhone(input.phone), ctx.now]);
  const updated = rows[0]!;
  const permissionChanged = departmentId !== user.department_id || updated.disabled !== user.disabled ||
    updated.roles.join() !== user.roles.join();
  if (permissionChanged) {
    forgetUserSessions(user.id);
    await revokeTokensBeyond(ctx, user.id, { kind: 'staff', roles: updated.roles, departmentId, divisionCode, disabled: updated.disabled },
      updated.disabled ? 'issuer-disabled' : 'issuer-permissions-changed');
  }
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: permissionChanged ? 'auth.permissions.changed' : 'auth.user.updated', object: { type: 'user', id: user.id },
    payload: { before: { roles: user.roles, departmentId: user.department_id, disabled: user.disabled },
      after: { roles: updated.roles, departmentId, disabled: updated.disabled } },
  });
  return updated;
}

export type PasswordChange =
  | { ok: true; user: User }
  | { ok: false; reason: 'bad-current-password' | 'locked'; retryAfterSeconds?: number };

/**
 * Sets a new password and ends the user's sessions. Users changing their own MUST give the current one, so a
 * session left open cannot take the account over; a wrong one counts as a failed login from the caller's
 * address (committed, so it returns a refusal rather than throwing), which bounds guessing through a stolen
 * session. Administrators over the user need not, and their reset lifts every lockout too.
 */
export async function resetPassword(ctx: Ctx, input: { id: number; password: string; currentPassword?: string; ip?: string }): Promise<PasswordChange> {
  const user = await lockUser(ctx.tx, input.id);
  const self = String(user.id) === ctx.actor.id && ctx.actor.kind === user.kind;
  if (self) {
    if (input.currentPassword === undefined)
      throw new DomainError('validation', { field: 'currentPassword' }, 'give the current password to change your own');
    const address = addressKey(input.ip ?? 'unknown');
    const locked = await lockedOutUntil(ctx.tx, user.id, address, ctx.now);
    const { rows: [stored] } = await ctx.tx.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    if (locked || !(await verifyPassword(input.currentPassword, stored!.password_hash))) {
      const until = locked ?? await countAccountFailure(ctx.tx, user.id, address, ctx.now);
      await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.password.change-refused', object: { type: 'user', id: user.id },
        payload: { address, locked: until !== null } });
      return until ? { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((until.getTime() - ctx.now.getTime()) / 1000) }
        : { ok: false, reason: 'bad-current-password' };
    }
  } else {
    assertManages(ctx.actor, user);
  }
  assertStrongPassword(input.password, user.username);
  await ctx.tx.query('UPDATE users SET password_hash = $2, locked_until = NULL, updated_at = $3 WHERE id = $1',
    [user.id, await hashPassword(input.password), ctx.now]);
  await ctx.tx.query('DELETE FROM login_lockouts WHERE user_id = $1', [user.id]);
  await ctx.tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
  forgetUserSessions(user.id);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'auth.password.reset', object: { type: 'user', id: user.id }, payload: { self } });
  return { ok: true, user };
}

export interface StaffQuery {
  departmentId?: number;
  q?: string;
  limit: number;
  offset: number;
}

/** Staff the actor may see: those in its jurisdiction. */
export async function listStaff(db: Queryable, actor: Actor, query: StaffQuery): Promise<{ total: number; items: User[] }> {
  assertCan(actor, 'org.read');
  const params: unknown[] = [];
  const where = [`kind = 'staff'`, inJurisdiction('division_code', actor.jurisdiction, params)];
  if (query.departmentId !== undefined) {
    params.push(query.departmentId);
    where.push(`department_id = $${params.length}`);
  }
  if (query.q) {
    params.push(containsPattern(query.q));
    where.push(`(username ILIKE $${params.length} OR display_name ILIKE $${params.length})`);
  }
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE ${where.join(' AND ')}`, params);
  params.push(query.limit, query.offset);
  const { rows } = await db.query<User>(
    `SELECT ${columns} FROM users WHERE ${where.join(' AND ')} ORDER BY department_id, id LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total: total.rows[0]!.n, items: rows };
}

export async function getUser(db: Queryable, id: number): Promise<User | null> {
  const { rows } = await db.query<User>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Citizens' account ids by resident ID, for a module linking what it found about people to their accounts. */
export async function citizensByIdNumber(db: Queryable, idNumbers: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: number; idNumber: string }>(
    `SELECT id, id_number AS "idNumber" FROM users WHERE kind = 'citizen' AND id_number = ANY($1)`, [idNumbers]);
  return new Map(rows.map((r) => [r.idNumber, r.id]));
}
