/** 基础库 (base libraries): what other modules, the benchmarks and the tests may use. */
export { libraries, libraryFields, type Library } from './libraries.ts';
export { addSource, setUpLibrary, type Source } from './sources.ts';
export { runLoad, runLoadOn, startLoad, type Load } from './loads.ts';
export { readGoldenRecord, mergeEntities, splitRecord, undoChange, type Entity } from './entities.ts';
export { decidePair, reviewQueue } from './review.ts';
export { fileCorrection, myRecord } from './citizen.ts';
export { qualityDashboard } from './quality.ts';
