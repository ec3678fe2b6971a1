import { divisionPrefix } from '../checks/index.ts';

export const roles = ['platform_admin', 'dept_admin', 'officer', 'data_officer', 'inspector', 'citizen'] as const;
export type Role = (typeof roles)[number];

/** The rows an actor may touch: divisions under `root` (null for none, e.g. a citizen or an anonymous caller). */
export interface Jurisdiction {
  root: string | null;
  /** Significant prefix of the root code; a row is covered when its division code starts with it. */
  prefix: string | null;
  covers(divisionCode: string): boolean;
}

export function jurisdictionOf(root: string | null): Jurisdiction {
  const prefix = root === null ? null : divisionPrefix(root);
  return { root, prefix, covers: (code) => prefix !== null && code.startsWith(prefix) };
}

/** Who is acting. Staff, citizens and systems (API tokens) act in their own name; timers and the sequencer as `system`. */
export interface Actor {
  kind: 'staff' | 'citizen' | 'system' | 'anonymous';
  /** user id, token id, or a system process name */
  id: string;
  name: string;
  roles: readonly Role[];
  grants: ReadonlySet<string>;
  jurisdiction: Jurisdiction;
  departmentId: number | null;
  sessionId?: string;
}

export const anonymous: Actor = Object.freeze({
  kind: 'anonymous', id: 'anonymous', name: 'anonymous', roles: [], grants: new Set<string>(),
  jurisdiction: jurisdictionOf(null), departmentId: null,
});

/** An actor for work the platform does by itself (jobs, imports, demo seeding); it may do everything. */
export function systemActor(process: string): Actor {
  return {
    kind: 'system', id: process, name: process, roles: [], grants: new Set(['*']),
    jurisdiction: { root: '', prefix: '', covers: () => true }, departmentId: null,
  };
}

/** Context every command receives: one transaction, who acts, and the time of the act. */
export interface Ctx {
  tx: import('../db/index.ts').Tx;
  actor: Actor;
  now: Date;
}

/**
 * Context of a command run outside a transaction because it writes all it writes in one statement (which
 * may then be shared with other commands: a group commit). `db` is a connection with no transaction open:
 * each statement on it commits by itself, so the command's change MUST be one statement.
 */
export interface StatementCtx {
  db: import('../db/index.ts').Queryable;
  actor: Actor;
  now: Date;
}
