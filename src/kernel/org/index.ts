/** 组织机构: what other modules may use of divisions, departments and grids. */
export {
  createDepartment, findDepartment, findDepartmentByCode, getDepartment, listDepartments, updateDepartment, type Department,
  type DepartmentSummary,
} from './departments.ts';
export {
  createDivision, divisionExists, divisionTree, getDivision, listDivisionChildren, renameDivision, type Division, type DivisionNode,
  type DivisionSummary,
} from './divisions.ts';
export { checkPolygon, createGrid, gridAt, listGrids, type Grid, type GridFeature, type Polygon } from './grids.ts';
export { checkAddress, searchPlaces, type AddressCheck, type Place } from './places.ts';
export { listBoundaries, unionOfTiles, type BoundaryFeature, type MultiPolygon } from './boundaries.ts';
export { presentDepartment, presentDivision } from './present.ts';
export {
  exportDepartments, exportDivisions, importDepartments, importDivisions, importRows, parseCsv, toCsv, type ImportReport, type Row, type RowError,
} from './transfer.ts';
export { assertMayAppointTo } from './policy.ts';
export { ImportReportSchema } from './api-schemas.ts';
