/** 一网通办: what other modules, the server, the CLI and the demo may use of the services. */
export { getItem, lifeEvents, listItems, saveItem, type ItemInput, type Step, type Material, type Condition } from './items.ts';
export type { Application, Channel } from './applications.ts';
export { escalateOverdue } from './workflow.ts';
export { defaultRatings, listRectifications, ratingFigures, ratingLevels, type RatingFigure } from './ratings.ts';
export { evaluatePolicy, type Offer, type Policy } from './benefits.ts';
export { connectDepartmentToHub, connectItemsToResource, type PrefillSource } from './exchange.ts';
export * from './credentials/index.ts';
