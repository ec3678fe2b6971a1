import assert from 'node:assert/strict';
import { jurisdictionOf, type Actor, type Ctx, type Role } from '../../../src/kernel/auth/actor.ts';
import { grantsOf } from '../../../src/kernel/auth/policy.ts';
import { withTransaction, type Db } from '../../../src/kernel/db/index.ts';
import { DomainError } from '../../../src/kernel/errors.ts';

/** A staff actor with `roles` over the division `root`, without a user row behind it. */
export function staffActor(roles: Role[], root: string): Actor {
  return {
    kind: 'staff', id: `${roles.join('+')}@${root}`, name: 'test', roles, grants: grantsOf(roles),
    jurisdiction: jurisdictionOf(root), departmentId: null,
  };
}

/** Runs a command in its own transaction, as the routes do. */
export function run<I, R>(db: Db, actor: Actor, command: (ctx: Ctx, input: I) => Promise<R>, input: I): Promise<R> {
  return withTransaction(db, (tx) => command({ tx, actor, now: new Date() }, input));
}

/** Matches a DomainError by code, status and field, for assert.rejects. */
export const refusal = (code: string, status: number, field?: string) => (error: unknown) => {
  assert.ok(error instanceof DomainError, `expected a refusal, got ${String(error)}`);
  assert.deepEqual({ code: error.code, status: error.status, field: error.details.field }, { code, status, field });
  return true;
};

export { ledgerCount } from '../../helpers/factories.ts';

/** A closed axis-aligned rectangle as a GeoJSON Polygon. */
export function rectangle(west: number, south: number, east: number, north: number) {
  return { type: 'Polygon' as const, coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}
