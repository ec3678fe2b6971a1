/** 数据共享 (data hub): what other modules, the server, the CLI and the demo may use. */
// Catalogue (目录, resources, rows, quality, objections)
export {
  createResource, entryStates, fieldTypes, findPublishedResource, findResource, levels, maskings, openTypes, reviewResource, sensitivities, shareTypes,
  submitResource, updateResource, viewResource,
  type ApiMapping, type CreateEntry, type Field, type FieldRules, type Masking, type Resource,
} from './entries.ts';
export { importRows, pushRows, type LoadReport, type RowError } from './loads.ts';
export { maskValue } from './masking.ts';
export { answerObjection, listObjections, raiseObjection, type Objection } from './objections.ts';
export type { RowCondition, RowFilter } from './rows.ts';
export { scoreQuality } from './quality.ts';
export { searchCatalogue, type CataloguePage, type CatalogueQuery } from './search.ts';
export { createSystem, findSystem, issueSystemToken, listSystems, systemOfActor, type System } from './systems.ts';
export { hubActions, hubAdminDepartmentKind, hubAdminSql, hubCapabilities, isHubAdmin } from './policy.ts';
export { hubCatalogueLedgerActions, hubCatalogueMessages } from './messages.ts';
export { loadHubDemo, removeHubDemo, type HubDemoSummary } from './demo.ts';
// Exchange (共享申请, 授权, 网关, 核验, 存证)
export {
  askPredicate, callResource, evaluatePredicateInBulk,
  type AskAnswer, type BulkAsk, type AskInput, type CallAnswer, type CallInput, type Caller,
} from './exchange/gateway.ts';
export { verifyEvidence, type EvidenceRecord } from './exchange/evidence.ts';
export { activeGrant, issueGrant, revokeGrant, type Grant, type GrantTerms } from './exchange/grants.ts';
export { definePredicate, evaluatePredicate, findPredicate, listPredicates, type Predicate } from './exchange/predicates.ts';
export { decideRequest, escalateOverdueRequests, listRequests, submitRequest, withdrawRequest, type SharingRequest } from './exchange/requests.ts';
export { exchangeActions } from './exchange/policy.ts';
export { hubExchangeLedgerActions, hubExchangeMessages } from './exchange/messages.ts';
// What the catalogue and exchange APIs answer with, as the web console reads it.
export type { EntryAbilities } from './present.ts';
export type { FacetValue } from './search.ts';
export type { Dashboard } from './exchange/dashboard.ts';
export type { EvidenceView } from './exchange/usage.ts';
export type { GrantView } from './exchange/grants.ts';
export type { RequestView } from './exchange/requests.ts';
