import type { Actor } from './actor.ts';
import { can } from './policy.ts';
import type { ApiTokenRow } from './tokens.ts';
import type { User } from './users.ts';

/** A user as the API shows it: the phone only to the user and to admins over them; no secrets ever. */
export function presentUser(user: User, viewer: Actor) {
  const self = viewer.id === String(user.id) && (viewer.kind === 'staff' || viewer.kind === 'citizen');
  const manages = user.division_code !== null && can(viewer, 'auth.user.manage', { divisionCode: user.division_code });
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    kind: user.kind,
    departmentId: user.department_id,
    divisionCode: user.division_code,
    roles: user.roles,
    disabled: user.disabled,
    // Some address is locked out of the account (see login.ts); an administrator over the user may lift it.
    locked: user.locked_until !== null && user.locked_until > new Date(),
    ...(self || manages ? { phone: user.phone } : {}),
    createdAt: user.created_at,
    abilities: { edit: manages, resetPassword: manages || self, unlock: manages },
  };
}

export function presentApiToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    roles: row.roles,
    divisionCode: row.division_code,
    departmentId: row.department_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * What the console needs to know about the caller: who, which roles and actions, over which division, and
 * the capabilities (the actions module rules let them use; see capabilities.ts) its menu is built from.
 */
export function presentActor(actor: Actor, capabilities: readonly string[]) {
  return {
    kind: actor.kind,
    id: actor.id,
    name: actor.name,
    roles: [...actor.roles],
    grants: [...actor.grants].sort(),
    departmentId: actor.departmentId,
    jurisdiction: actor.jurisdiction.root,
    capabilities: [...capabilities],
  };
}
