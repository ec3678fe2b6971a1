/** What the e-certificate API answers, as schemas: they type the presenters at the routes and make the console's types (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../../kernel/http/index.ts';
import { credentialTypeNames } from './types.ts';

const Label = Type.Object({ zh: Type.String(), en: Type.String() });
/** A claim as a labelled row; `path` is what to send back in `disclose` to show it. */
const ClaimView = Type.Object({ path: Type.String(),
  /** a claim of the type's spec carries whether the type requires it */
  label: Type.Object({ ...Label.properties, required: Type.Optional(Type.Boolean()) }), value: Type.Unknown() });

const cardProperties = {
  id: Type.String(), type: OneOf(credentialTypeNames), typeName: Label, vct: Type.String(),
  issuer: Type.Object({ departmentId: Type.Integer(), name: Type.String() }),
  issuedAt: Timestamp, validUntil: Nullable(Timestamp), state: OneOf(['valid', 'revoked', 'expired'] as const),
  revokedAt: Nullable(Timestamp), revokeReason: Nullable(Type.String()), applicationId: Nullable(Type.String()),
  /** bound to a key on some device of the holder */
  deviceBound: Type.Boolean(),
};
/** The holder's card: every claim, since they are the holder's own. */
export const WalletCardSchema = Type.Object({ ...cardProperties, claims: Type.Array(ClaimView) });
export const WalletSchema = Items(WalletCardSchema);

/** A register row for the issuing department: who holds it, not what it says. */
export const RegisterRowSchema = Type.Object({
  ...cardProperties, holderName: Type.String(),
  statusList: Type.Object({ id: Type.Integer(), index: Type.Integer() }), abilities: Type.Array(Type.String()),
});
export const RegisterSchema = Page(RegisterRowSchema);

/** A verified presentation: only what the holder disclosed. */
export const VerificationSchema = Type.Object({
  valid: Type.Literal(true), status: Type.Literal('valid'), type: Nullable(OneOf(credentialTypeNames)), typeName: Nullable(Label),
  vct: Type.String(), issuer: Type.Object({ iss: Type.String(), departmentId: Type.Integer(), name: Type.String() }), kid: Type.String(),
  issuedAt: Nullable(Timestamp), validUntil: Nullable(Timestamp), presentedAt: Nullable(Timestamp), claims: Type.Array(ClaimView),
});

export const VerifierNonceSchema = Type.Object({ nonce: Type.String(), audience: Type.String(), expiresAt: Timestamp });

export const PresentationSchema = Type.Object({
  presentation: Type.String(), disclosed: Type.Array(Type.String()),
  /** null when the presentation is complete; otherwise the device appends a KB-JWT with these claims */
  keyBinding: Nullable(Type.Object({ iat: Type.Integer(), aud: Type.String(), nonce: Type.String() })),
});

export const RotatedKeySchema = Type.Object({ kid: Type.String(), retired: Type.Array(Type.String()) });
