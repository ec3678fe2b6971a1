/** What the exchange side uses of the catalogue side (hub-core's contract), in one place. */
export {
  findPublishedResource, findSystem, hubAdminSql, isHubAdmin, listSystems, maskValue, maskings, readRows, readRowsOf, systemOfActor,
  type Field, type ReadRows, type Resource, type RowFilter, type System,
} from '../index.ts';
