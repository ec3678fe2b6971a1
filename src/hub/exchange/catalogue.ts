/** What the exchange side uses of the catalogue side (hub-core's contract), in one place. */
// From the files themselves, not ../index.ts, which re-exports the exchange: that would be an import cycle.
export { findPublishedResource, maskings, type Field, type Resource } from '../entries.ts';
export { maskValue } from '../masking.ts';
export { hubAdminSql, isHubAdmin } from '../policy.ts';
export { findSystem, listSystems, systemOfActor, type System } from '../systems.ts';
export type { RowFilter } from '../rows.ts';
// Raw reads stay inside the hub: other modules read through the gateway (a grant, and evidence per subject).
export { readRows, readRowsAfter, readRowsOf, type ReadRows } from '../rows.ts';
