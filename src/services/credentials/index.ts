/** 电子证照: what other modules (办件 approval), the server, the CLI and the demo may use of e-certificates. */
export {
  bindCredentialToDevice, certificatesOf, credentialsInForce, issueCredential, presentCredential, signCredential, type ClaimValue, type Credential,
  type CertificateEntry, type IssueCredential, type Presentation,
} from './credentials.ts';
export type { Issuer } from './issuers.ts';
export { credentialLedgerActions, credentialMessages } from './messages.ts';
export { issueVerifierNonce } from './nonces.ts';
export { credentialActions } from './policy.ts';
export { credentialTypes, marriageCertificateNumber, type CredentialType } from './types.ts';
export { verifyPresentation, verifyWith, type TrustSource, type Verification } from './verify.ts';
export { loadCredentialDemo, removeCredentialDemo } from './demo.ts';
export { es256Signer, hasher, newP256KeyPair } from './sdjwt.ts';
