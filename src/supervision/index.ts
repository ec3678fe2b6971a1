/** 七张问题清单 and 督考: what other modules (oversight alerts, imports) may use. */
export { openProblem, problemSources, type OpenProblem, type Problem, type ProblemSource } from './problems.ts';
export { builtinListId } from './lists.ts';
