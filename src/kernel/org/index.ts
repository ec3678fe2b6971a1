/** 组织机构: what other modules may use of divisions, departments and grids. */
export {
  createDepartment, findDepartment, findDepartmentByCode, getDepartment, listDepartments, updateDepartment,
  type CreateDepartment, type Department, type DepartmentQuery, type DepartmentSummary, type UpdateDepartment,
} from './departments.ts';
export {
  createDivision, divisionTree, getDivision, listDivisionChildren, renameDivision,
  type CreateDivision, type Division, type DivisionDetail, type DivisionNode, type DivisionSummary,
} from './divisions.ts';
export { checkPolygon, createGrid, gridAt, gridFeature, listGrids, type CreateGrid, type Grid, type GridFeature, type Polygon } from './grids.ts';
export { boundaryLevels, listBoundaries, unionOfTiles, type BoundaryFeature, type BoundaryLevel, type Boundaries, type MultiPolygon } from './boundaries.ts';
export { orgLedgerActions, orgMessages } from './messages.ts';
export { presentDepartment, presentDivision, presentDivisionNode } from './present.ts';
export { exportDepartments, exportDivisions, importDepartments, importDivisions, type ImportReport, type RowError } from './transfer.ts';
export { assertMayAppointTo, reserveDepartmentKind } from './policy.ts';
