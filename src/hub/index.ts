/** 数据共享 (data hub): what other modules, the server, the CLI and the demo may use. */
// Catalogue (目录, resources, rows, quality)
export {
  entryStates, fieldTypes, findPublishedResource, findResource, levels, maskings, openTypes, sensitivities, shareTypes,
  type ApiMapping, type Field, type FieldRules, type Masking, type Resource,
} from './entries.ts';
export { maskValue } from './masking.ts';
export { readRows, type ReadRows, type RowCondition, type RowFilter } from './rows.ts';
export { findSystem, issueSystemToken, systemOfActor, type System } from './systems.ts';
export { hubActions, isHubAdmin } from './policy.ts';
export { hubCatalogueLedgerActions, hubCatalogueMessages } from './messages.ts';
