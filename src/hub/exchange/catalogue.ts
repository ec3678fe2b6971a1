/**
 * What the exchange side uses of the catalogue side, in one place, from the files that define it: never
 * through src/hub/index.ts, which re-exports the exchange (that would be a cycle).
 */
export { findPublishedResource, maskings, type Field, type Resource } from '../entries.ts';
export { maskValue } from '../masking.ts';
export { hubAdminSql, isHubAdmin } from '../policy.ts';
export { findSystem, listSystems, systemOfActor, type System } from '../systems.ts';
// Raw reads stay inside the hub: other modules read through the gateway (a grant, and evidence per subject).
export { readRows, readRowsOf, type ReadRows, type RowFilter } from '../rows.ts';
