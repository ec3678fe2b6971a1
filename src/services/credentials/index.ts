/** 电子证照: what other modules (办件 approval), the server, the CLI and the demo may use of e-certificates. */
export {
  bindCredentialToDevice, credentialsInForce, findCredential, issueCredential, listIssuedCredentials, listMyCredentials, presentCredential, revokeCredential, signCredential,
  type ClaimValue, type Credential, type CredentialSubject, type IssueCredential, type KeyBindingRequest, type PresentCredential, type Presentation,
} from './credentials.ts';
export { ensureIssuer, findIssuer, issuerJwks, publicBaseUrl, rotateIssuerKey, type Issuer } from './issuers.ts';
export { credentialLedgerActions, credentialMessages } from './messages.ts';
export { issueVerifierNonce, nonceTtlSeconds, type VerifierNonce } from './nonces.ts';
export { credentialActions } from './policy.ts';
export { ageThresholds, credentialTypeNames, credentialTypes, type CredentialType } from './types.ts';
export { verifyPresentation, verifyWith, type TrustSource, type Verification } from './verify.ts';
export { loadCredentialDemo, removeCredentialDemo, type CredentialDemoSummary } from './demo.ts';
