/** 信息系统: a department's information systems, and the API tokens a system calls the hub with. */
import { issueApiToken, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { assertProvider, hubActions, isHubAdmin } from './policy.ts';
import { assertCan } from '../kernel/auth/index.ts';

export interface System {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  departmentName: string;
  description: string;
}

const systemSelect = `SELECT s.id, s.code, s.name, s.department_id AS "departmentId", d.name AS "departmentName", s.description
  FROM hub_systems s JOIN departments d ON d.id = s.department_id`;

export interface CreateSystem {
  code: string;
  name: string;
  departmentId?: number;
  description?: string;
}

/** 登记信息系统: a data officer registers a system of their department (hub administrators: of any department). */
export async function createSystem(ctx: Ctx, input: CreateSystem): Promise<System> {
  assertCan(ctx.actor, hubActions.register);
  const departmentId = input.departmentId ?? ctx.actor.departmentId;
  if (departmentId === null) throw new DomainError('hub.provider-required', { field: 'departmentId' }, 'name the department');
  await assertProvider(ctx.tx, ctx.actor, departmentId);
  if (!(await findDepartment(ctx.tx, departmentId))) throw new DomainError('hub.department-unknown', { field: 'departmentId' }, 'no such department');
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_systems (code, name, department_id, description) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [input.code, input.name, departmentId, input.description ?? '']);
  if (!rows[0]) throw new DomainError('hub.system-code-taken', { field: 'code', status: 409 }, `${input.code} is taken`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.system.registered', object: { type: 'hub-system', id: input.code }, payload: input });
  return (await findSystem(ctx.tx, rows[0].id))!;
}

export async function findSystem(db: Queryable, id: number): Promise<System | null> {
  const { rows } = await db.query<System>(`${systemSelect} WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Systems the actor may see: all for hub administrators, their department's for everyone else. */
export async function listSystems(db: Queryable, actor: Actor): Promise<System[]> {
  assertCan(actor, hubActions.read);
  if (await isHubAdmin(db, actor)) return (await db.query<System>(`${systemSelect} ORDER BY s.code`)).rows;
  const { rows } = await db.query<System>(`${systemSelect} WHERE s.department_id = $1 ORDER BY s.code`, [actor.departmentId]);
  return rows;
}

/**
 * Issues an API token that speaks for a system (the gateway's caller). The token carries no console
 * role: what it may read is decided by the system's grants alone.
 */
export async function issueSystemToken(ctx: Ctx, input: { systemId: number; validDays: number }): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
  const system = await findSystem(ctx.tx, input.systemId);
  if (!system) throw notFound('hub.system', input.systemId);
  await assertProvider(ctx.tx, ctx.actor, system.departmentId);
  const department = (await findDepartment(ctx.tx, system.departmentId))!;
  const { token, row } = await issueApiToken(ctx, { name: `${system.code} ${system.name}`, roles: [], divisionCode: department.divisionCode,
    departmentId: system.departmentId, validDays: input.validDays });
  await ctx.tx.query('INSERT INTO hub_system_tokens (token_id, system_id) VALUES ($1, $2)', [row.id, system.id]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.system.token-issued', object: { type: 'hub-system', id: system.code },
    payload: { tokenId: row.id, expiresAt: row.expires_at } });
  return { token, tokenId: row.id, expiresAt: row.expires_at };
}

/** The system an API-token actor speaks for, or null (a person, or a token not tied to a system). */
export async function systemOfActor(db: Queryable, actor: Actor): Promise<System | null> {
  if (actor.kind !== 'system' || !actor.id.startsWith('token:')) return null;
  const { rows } = await db.query<System>(
    `${systemSelect} JOIN hub_system_tokens t ON t.system_id = s.id WHERE t.token_id = $1`, [actor.id.slice('token:'.length)]);
  return rows[0] ?? null;
}
