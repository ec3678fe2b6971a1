/** 一网统管 (city operations): what other modules, the benchmarks and the tests may use. */
export { addKind, listCatalogue, updateKind, type ComponentClass, type ComponentKind } from './catalogue.ts';
export { splitComponentCode } from './codes.ts';
export {
  componentsInBox, createComponent, getComponent, listComponents, parseBbox, updateComponent, type Bbox, type ComponentFilter, type ComponentView,
} from './components.ts';
export { exportComponents, featureRows, importComponents, toFeatureCollection } from './transfer.ts';
export { listCaseKinds, routeCase, setDispatchRule, type CaseKind, type Urgency } from './case-kinds.ts';
export { sweepCaseDeadlines } from './case-deadlines.ts';
export { getCase, listCases } from './case-reads.ts';
export {
  checkCase, closeCase, dispatchCase, evaluateCase, fileCase, handleCase, openCase, refuseCase, reportCase, returnCase, verifyCase,
  type Case, type CaseSource, type CaseState, type OpenCase,
} from './cases.ts';
export { evaluateMonth } from './evaluation.ts';
