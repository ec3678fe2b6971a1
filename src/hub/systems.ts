/**
 * 信息系统: a department's information systems, and the API tokens a system calls the hub with. A data
 * officer registers their own department's systems and issues, rotates and revokes their tokens; a token
 * text is shown once and never stored (the row it names is), and it carries no console role.
 */
import { issueApiToken, revokeApiToken, type Actor, type Ctx } from '../kernel/auth/index.ts';
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
  /** 用途: what the system is used for */
  purpose: string;
  /** 联系人: whom to reach about it */
  contact: string;
}

const systemSelect = `SELECT s.id, s.code, s.name, s.department_id AS "departmentId", d.name AS "departmentName", s.purpose, s.contact
  FROM hub_systems s JOIN departments d ON d.id = s.department_id`;

export interface CreateSystem {
  code: string;
  name: string;
  departmentId?: number;
  purpose?: string;
  contact?: string;
}

/** 登记信息系统: a data officer registers a system of their department (hub administrators: of any department). */
export async function createSystem(ctx: Ctx, input: CreateSystem): Promise<System> {
  assertCan(ctx.actor, hubActions.register);
  const departmentId = input.departmentId ?? ctx.actor.departmentId;
  if (departmentId === null) throw new DomainError('hub.provider-required', { field: 'departmentId' }, 'name the department');
  await assertProvider(ctx.tx, ctx.actor, departmentId);
  if (!(await findDepartment(ctx.tx, departmentId))) throw new DomainError('hub.department-unknown', { field: 'departmentId' }, 'no such department');
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO hub_systems (code, name, department_id, purpose, contact) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [input.code, input.name, departmentId, input.purpose ?? '', input.contact ?? '']);
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

/** A system the actor registers for (its department's data officer, or a hub administrator), or 404 when it cannot see it at all. */
async function ownSystem(ctx: Ctx, systemId: number): Promise<System> {
  const system = await findSystem(ctx.tx, systemId);
  if (!system || (system.departmentId !== ctx.actor.departmentId && !(await isHubAdmin(ctx.tx, ctx.actor)))) throw notFound('hub.system', systemId);
  await assertProvider(ctx.tx, ctx.actor, system.departmentId);
  return system;
}

export interface SystemToken {
  id: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

const tokenSelect = `SELECT a.id, u.display_name AS "createdBy", a.created_at AS "createdAt", a.expires_at AS "expiresAt", a.revoked_at AS "revokedAt"
  FROM hub_system_tokens t JOIN api_tokens a ON a.id = t.token_id LEFT JOIN users u ON u.id = a.created_by`;

/** A system's tokens, newest first (never their text). */
export async function listSystemTokens(db: Queryable, actor: Actor, systemId: number): Promise<SystemToken[]> {
  const visible = (await listSystems(db, actor)).some((s) => s.id === systemId);
  if (!visible) throw notFound('hub.system', systemId);
  return (await db.query<SystemToken>(`${tokenSelect} WHERE t.system_id = $1 ORDER BY a.created_at DESC LIMIT 100`, [systemId])).rows;
}

export interface IssuedToken {
  /** the token text: shown this once */
  token: string;
  tokenId: string;
  expiresAt: Date;
}

async function issueFor(ctx: Ctx, system: System, validDays: number): Promise<IssuedToken> {
  const department = (await findDepartment(ctx.tx, system.departmentId))!;
  // No roles, and the issuer's own department only (issueApiToken refuses more): the system's grants decide what it reads.
  const { token, row } = await issueApiToken(ctx, { name: `${system.code} ${system.name}`, roles: [], divisionCode: department.divisionCode,
    departmentId: system.departmentId, validDays });
  await ctx.tx.query('INSERT INTO hub_system_tokens (token_id, system_id) VALUES ($1, $2)', [row.id, system.id]);
  return { token, tokenId: row.id, expiresAt: row.expires_at };
}

/**
 * Issues an API token that speaks for a system (the gateway's caller). The token carries no console
 * role: what it may read is decided by the system's grants alone.
 */
export async function issueSystemToken(ctx: Ctx, input: { systemId: number; validDays: number }): Promise<IssuedToken> {
  const system = await ownSystem(ctx, input.systemId);
  const issued = await issueFor(ctx, system, input.validDays);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.system.token-issued', object: { type: 'hub-system', id: system.code },
    payload: { tokenId: issued.tokenId, expiresAt: issued.expiresAt } });
  return issued;
}

async function liveTokens(ctx: Ctx, systemId: number): Promise<string[]> {
  const { rows } = await ctx.tx.query<{ id: string }>(
    `SELECT a.id FROM hub_system_tokens t JOIN api_tokens a ON a.id = t.token_id
      WHERE t.system_id = $1 AND a.revoked_at IS NULL AND a.expires_at > $2 FOR UPDATE OF a`, [systemId, ctx.now]);
  return rows.map((r) => r.id);
}

/** 轮换令牌: a new token for the system and, in the same transaction, the end of every token it had. */
export async function rotateSystemToken(ctx: Ctx, input: { systemId: number; validDays: number }): Promise<IssuedToken & { revoked: string[] }> {
  const system = await ownSystem(ctx, input.systemId);
  const revoked = await liveTokens(ctx, system.id);
  for (const id of revoked) await revokeApiToken(ctx, id);
  const issued = await issueFor(ctx, system, input.validDays);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.system.token-rotated', object: { type: 'hub-system', id: system.code },
    payload: { tokenId: issued.tokenId, expiresAt: issued.expiresAt, revoked } });
  return { ...issued, revoked };
}

/** 吊销令牌: one of the system's tokens stops working at once. */
export async function revokeSystemToken(ctx: Ctx, input: { systemId: number; tokenId: string }): Promise<SystemToken> {
  const system = await ownSystem(ctx, input.systemId);
  const { rows } = await ctx.tx.query('SELECT 1 FROM hub_system_tokens WHERE system_id = $1 AND token_id = $2', [system.id, input.tokenId]);
  if (!rows[0]) throw notFound('hub.system-token', input.tokenId);
  await revokeApiToken(ctx, input.tokenId);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hub.system.token-revoked', object: { type: 'hub-system', id: system.code },
    payload: { tokenId: input.tokenId } });
  return (await ctx.tx.query<SystemToken>(`${tokenSelect} WHERE a.id = $1`, [input.tokenId])).rows[0]!;
}

/** The system an API-token actor speaks for, or null (a person, or a token not tied to a system). */
export async function systemOfActor(db: Queryable, actor: Actor): Promise<System | null> {
  if (actor.kind !== 'system' || !actor.id.startsWith('token:')) return null;
  const { rows } = await db.query<System>(
    `${systemSelect} JOIN hub_system_tokens t ON t.system_id = s.id WHERE t.token_id = $1`, [actor.id.slice('token:'.length)]);
  return rows[0] ?? null;
}
