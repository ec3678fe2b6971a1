/** 一网通办: what other modules, the server, the CLI and the demo may use of the services. */
import { registerSweep } from '../kernel/jobs/index.ts';
import { defaultRatings } from './ratings.ts';
import { escalateOverdue } from './workflow.ts';

export {
  findItem, getItem, importItems, inputOf, itemKinds, kindOfTaskType, lifeEvents, listItems, saveItem, setItemForm, withdrawItem,
  defaultSteps, type ItemInput, type ItemKind, type ServiceItem, type Step, type Material, type Condition, type PrefillRule,
} from './items.ts';
export {
  applicationStates, findApplication, listApplications, readApplication, saveDraft, startApplication, submitApplication, uploadMaterial, viewApplication,
  type Application, type ApplicationState, type Channel,
} from './applications.ts';
export {
  acceptApplication, advanceApplication, answerCorrection, decideApplication, escalateOverdue, finishApplication, rejectApplication,
  requestCorrection,
} from './workflow.ts';
export { servicesActions } from './policy.ts';
export {
  advanceRectification, callBackRating, defaultRatings, listRectifications, rateApplication, ratingFigures, ratingLevels,
  type Rating, type RatingLevel, type Rectification,
} from './ratings.ts';
export { serviceFigures } from './figures.ts';
export { acceptOffer, evaluatePolicy, listPolicies, myOffers, savePolicy, type Offer, type Policy, type PolicyInput, type PolicyRule } from './benefits.ts';
export { checkConditions, connectDepartmentToHub, prefillForm, type ConnectToHub } from './exchange.ts';
export * from './credentials/index.ts';
export { servicesLedgerActions, servicesMessages } from './messages.ts';

// 超期督办: every ten minutes, overdue applications are flagged and escalated.
registerSweep({ name: 'services.escalate-overdue', everyMs: 10 * 60_000, run: escalateOverdue });
// 默认好评: hourly, finished cases unrated after the rating period become 基本满意.
registerSweep({ name: 'services.default-ratings', everyMs: 60 * 60_000, run: defaultRatings });
