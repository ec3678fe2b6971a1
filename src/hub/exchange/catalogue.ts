/** What the exchange side uses of the catalogue side (hub-core's contract), in one place. */
export {
  findPublishedResource, findSystem, hubAdminSql, isHubAdmin, listSystems, maskValue, maskings, systemOfActor,
  type Field, type Resource, type RowFilter, type System,
} from '../index.ts';
// Raw reads stay inside the hub: other modules read through the gateway (a grant, and evidence per subject).
export { readRows, readRowsOf, type ReadRows } from '../rows.ts';
