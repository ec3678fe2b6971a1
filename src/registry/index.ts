/** 基础库 (base libraries): what other modules, the benchmarks and the tests may use. */
export { addSource, setUpLibrary } from './sources.ts';
export { runLoad, runLoadOn, startLoad } from './loads.ts';
export { readGoldenRecord } from './entities.ts';
