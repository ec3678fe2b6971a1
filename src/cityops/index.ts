/** 一网统管 (city operations): what other modules, the benchmarks and the tests may use. */
export { addKind, listCatalogue, updateKind, type ComponentClass, type ComponentKind } from './catalogue.ts';
export { splitComponentCode } from './codes.ts';
export {
  componentsInBox, createComponent, getComponent, listComponents, parseBbox, updateComponent, type Bbox, type ComponentFilter, type ComponentView,
} from './components.ts';
export { exportComponents, featureRows, importComponents, toFeatureCollection } from './transfer.ts';
