export { anonymous, jurisdictionOf, roles, systemActor, type Actor, type Ctx, type Jurisdiction, type Role, type StatementCtx } from './actor.ts';
export { joinCapabilities, type CapabilityChange, type CapabilityRule } from './capabilities.ts';
export { assertCan, can, grantsOf, hasGrant, inJurisdiction } from './policy.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { citizensByIdNumber, createStaff, getUser, listStaff, resetPassword, updateStaff } from './users.ts';
export { issueApiToken, revokeApiToken, resolveApiToken } from './tokens.ts';
export { login } from './login.ts';
export { countFromAddress, type AddressLimit } from './limits.ts';
export { demoLogins, demoPassword, type DemoLogin } from './demo.ts';
