/** 行政处罚: what other modules may use. */
export { decideCase, fileCase, listCases, proposePenalty, reviewCase, viewCase, type PenaltyCase } from './cases.ts';
export { listItems, saveItem, type PenaltyItem } from './items.ts';
