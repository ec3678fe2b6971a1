export { anonymous, jurisdictionOf, roles, systemActor, type Actor, type Ctx, type Jurisdiction, type Role } from './actor.ts';
export { capabilitiesOf, declareAbilities, permissionActions, registerCapabilities, type CapabilityChange, type CapabilityRule } from './capabilities.ts';
export { assertCan, can, grantToRoles, hasGrant, inJurisdiction } from './policy.ts';
export { hashPassword, passwordWeakness } from './passwords.ts';
export { citizensByIdNumber, createStaff, getUser, listStaff, registerCitizen, resetPassword, updateStaff, type User } from './users.ts';
export { issueApiToken, revokeApiToken, resolveApiToken } from './tokens.ts';
export { login, unlockUser } from './login.ts';
export { presentUser } from './present.ts';
export { countFromAddress, type AddressLimit } from './limits.ts';
