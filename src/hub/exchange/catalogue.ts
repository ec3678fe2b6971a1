/** What the exchange side uses of the catalogue side (hub-core's contract), in one place. */
export { findPublishedResource, isHubAdmin, maskValue, readRows, systemOfActor, findSystem, maskings, type Field, type Resource, type RowFilter, type System } from '../index.ts';
export { listSystems } from '../systems.ts';
