/** 数据共享 (data hub): what other modules, the server, the CLI and the demo may use. */
// Catalogue (目录, resources, rows, quality)
export {
  entryStates, fieldTypes, findPublishedResource, findResource, levels, maskings, openTypes, sensitivities, shareTypes,
  type ApiMapping, type Field, type FieldRules, type Masking, type Resource,
} from './entries.ts';
export { maskValue } from './masking.ts';
export { readRows, type ReadRows, type RowCondition, type RowFilter } from './rows.ts';
export { createSystem, findSystem, issueSystemToken, listSystems, systemOfActor, type System } from './systems.ts';
export { hubActions, isHubAdmin } from './policy.ts';
export { hubCatalogueLedgerActions, hubCatalogueMessages } from './messages.ts';
// Exchange (共享申请, 授权, 网关, 核验, 存证)
export {
  askPredicate, callResource, performAsk, performCall, gatewayCaller, settleOutcome,
  type AskAnswer, type AskInput, type CallAnswer, type CallInput, type Caller, type Outcome,
} from './exchange/gateway.ts';
export { EvidenceWriter, verifyEvidence, writeEvidence, type EvidenceRecord } from './exchange/evidence.ts';
export { activeGrant, issueGrant, revokeGrant, type Grant, type GrantTerms } from './exchange/grants.ts';
export { definePredicate, evaluatePredicate, findPredicate, listPredicates, type Predicate } from './exchange/predicates.ts';
export { decideRequest, escalateOverdueRequests, listRequests, submitRequest, withdrawRequest, type SharingRequest } from './exchange/requests.ts';
export { exchangeActions } from './exchange/policy.ts';
export { hubExchangeLedgerActions, hubExchangeMessages } from './exchange/messages.ts';
