/** What leaves the API about credentials: the holder's card, the issuer's register row, a verification. */
import type { Credential } from './credentials.ts';
import { claimLabel, credentialTypes, type CredentialType, type Label } from './types.ts';
import type { Verification } from './verify.ts';

export interface ClaimView {
  /** What to send back in `disclose` to show this claim: `name`, `age_equal_or_over.18`. */
  path: string;
  label: Label;
  value: unknown;
}

/** Display order: the holder, then the type's claims as its spec lists them, then the ages; anything else last. */
function claimOrder(type: CredentialType | null): string[] {
  return ['name', 'id_number', 'birthdate', ...(type ? Object.keys(credentialTypes[type].claims) : []), 'age_equal_or_over'];
}

/** Claims as flat, labelled rows in display order; each age threshold is a row of its own, since each is disclosed alone. */
export function claimRows(type: CredentialType | null, claims: Record<string, unknown>): ClaimView[] {
  const order = claimOrder(type);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const sorted = Object.entries(claims).sort(([a], [b]) => rank(a) - rank(b));
  return sorted.flatMap(([key, value]) =>
    key === 'age_equal_or_over' && value && typeof value === 'object'
      ? Object.entries(value).map(([age, reached]) => ({ path: `${key}.${age}`, label: claimLabel(type ?? undefined, `${key}.${age}`), value: reached }))
      : [{ path: key, label: claimLabel(type ?? undefined, key), value }]);
}

const stateOf = (c: Credential, now: Date): 'valid' | 'revoked' | 'expired' =>
  c.revokedAt ? 'revoked' : c.validUntil && c.validUntil.getTime() <= now.getTime() ? 'expired' : 'valid';

const base = (c: Credential, now: Date) => ({
  id: c.id,
  type: c.type,
  typeName: credentialTypes[c.type].name,
  vct: c.vct,
  issuer: { departmentId: c.issuerDepartmentId, name: c.issuerName },
  issuedAt: c.issuedAt.toISOString(),
  validUntil: c.validUntil?.toISOString() ?? null,
  state: stateOf(c, now),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  revokeReason: c.revokeReason,
  applicationId: c.applicationId,
  deviceBound: c.deviceBoundAt !== null,
});

/** The holder's card: every claim, since they are the holder's own. */
export const presentWalletCard = (c: Credential, now = new Date()) => ({ ...base(c, now), claims: claimRows(c.type, c.claims) });

/** A register row for the issuing department: who holds it, not what it says. */
export const presentRegisterRow = (c: Credential, now = new Date()) => ({
  ...base(c, now),
  // read with every row the register lists
  holderName: c.holderName ?? '',
  statusList: { id: c.statusListId, index: c.statusIndex },
  // The register lists only what the viewer may revoke (registerScope), so every live row can be.
  abilities: c.revokedAt ? [] : ['revoke'],
});

export const presentVerification = (v: Verification) => ({
  valid: v.valid,
  status: v.status,
  type: v.type,
  typeName: v.type ? credentialTypes[v.type].name : null,
  vct: v.vct,
  issuer: v.issuer,
  kid: v.kid,
  issuedAt: v.issuedAt?.toISOString() ?? null,
  validUntil: v.validUntil?.toISOString() ?? null,
  presentedAt: v.presentedAt?.toISOString() ?? null,
  claims: claimRows(v.type, v.claims),
});
