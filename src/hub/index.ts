/** 数据共享 (data hub): what other modules, the server, the CLI and the demo may use. */
// Catalogue (目录, resources, rows, quality, objections)
export {
  createResource, fieldTypes, findPublishedResource, levels, maskings, reviewResource, sensitivities, submitResource, updateResource,
  type CreateEntry, type Field, type Resource,
} from './entries.ts';
export { importRows, pushRows, type LoadReport, type RowError } from './loads.ts';
export { maskValue } from './masking.ts';
export { listObjections, raiseObjection, type Objection } from './objections.ts';
export type { RowFilter } from './rows.ts';
export { scoreQuality } from './quality.ts';
export { searchCatalogue, type CataloguePage } from './search.ts';
export { createSystem, findSystem, issueSystemToken, listSystems, systemOfActor } from './systems.ts';
export { hubAdminSql, isHubAdmin } from './policy.ts';
export { packageSearch } from './ckan.ts';
export { searchDocument } from './search-text.ts';
export { exchangeDemo } from './exchange-demo.ts';
// Exchange (共享申请, 授权, 网关, 核验, 存证)
export {
  askPredicate, callResource, evaluatePredicateInBulk, readResourceChanges, type Caller,
} from './exchange/gateway.ts';
export { verifyEvidence } from './exchange/evidence.ts';
export { activeGrant, issueGrant, type Grant } from './exchange/grants.ts';
export { definePredicate, evaluatePredicate, findPredicate } from './exchange/predicates.ts';
export { decideRequest, escalateOverdueRequests, submitRequest, type SharingRequest } from './exchange/requests.ts';
// What the catalogue and exchange APIs answer with, as the web console reads it.
export type { EntryAbilities } from './present.ts';
export type { FacetValue } from './search.ts';
export type { Dashboard } from './exchange/dashboard.ts';
export type { EvidenceView } from './exchange/usage.ts';
export type { GrantView } from './exchange/grants.ts';
export type { RequestView } from './exchange/requests.ts';
