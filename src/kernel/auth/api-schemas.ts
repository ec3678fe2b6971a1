/** What the auth and user routes answer, as schemas (docs/http.md). */
import Type from 'typebox';
import { Nullable, OneOf, Timestamp } from '../http/responses.ts';
import { roles } from './actor.ts';
import { permissionActions } from './capabilities.ts';

/**
 * The caller as the console knows it. Grants and capabilities name only actions the modules define, so the
 * console checks names the server has (built when the routes are, after every module has declared its own).
 */
export function callerSchema() {
  return Type.Object({ user: userOfCaller() });
}

/** What `GET /auth/me` says: the caller, or null for a visitor who presented no credentials (an anonymous page asks too). */
export function meSchema() {
  return Type.Object({ user: Nullable(userOfCaller()) });
}

function userOfCaller() {
  const Action = OneOf(permissionActions());
  return Type.Object({
    kind: OneOf(['staff', 'citizen', 'system', 'anonymous']), id: Type.String(), name: Type.String(), roles: Type.Array(OneOf(roles)),
    grants: Type.Array(Action), departmentId: Nullable(Type.Integer()),
    /** Division code at the top of what the user may see; null for none. */
    jurisdiction: Nullable(Type.String()),
    /** The granted actions module rules let the user use, plus abilities such as `hotline.metrics.read`: what the console may offer. */
    capabilities: Type.Array(Action),
  });
}

/** A user as the API shows it: the phone only to the user and to admins over them. */
export const UserSchema = Type.Object({
  id: Type.Integer(), username: Type.String(), displayName: Type.String(), kind: OneOf(['staff', 'citizen']),
  departmentId: Nullable(Type.Integer()), divisionCode: Nullable(Type.String()), roles: Type.Array(OneOf(roles)), disabled: Type.Boolean(),
  /** some address is locked out of the account */
  locked: Type.Boolean(),
  phone: Type.Optional(Nullable(Type.String())),
  createdAt: Timestamp,
  abilities: Type.Object({ edit: Type.Boolean(), resetPassword: Type.Boolean(), unlock: Type.Boolean() }),
});

/** The caller's own contact details, to prefill their forms (a citizen's report). */
export const ContactSchema = Type.Object({ name: Type.String(), phone: Nullable(Type.String()) });
