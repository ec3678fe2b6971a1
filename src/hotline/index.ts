/** 12345 热线: what other modules, the server, the CLI and the demo may use of the hotline. */
export {
  createCategory, findCategory, hotlineSetting, leafCategories, listCategories, listDispatchRules, requireCategory, routeTicket,
  setDispatchRule, setTimeLimit, timeLimitFor,
  type Category, type CreateCategory, type DispatchRule, type SetDispatchRule, type SetTimeLimit, type TimeLimit,
} from './catalogue.ts';
export {
  currentClassifier, retrainClassifier, suggestClassification, suggestForText, type CategorySuggestion, type TrainedModel,
} from './classification.ts';
export { findDuplicates, haversineMetres, mergeTickets, type DuplicateQuery, type DuplicateSuggestion, type MergeTickets } from './duplicates.ts';
export { decideExtension, requestExtension, type DecideExtension, type RequestExtension } from './extensions.ts';
export { findHotspots, risingRule, trendOf, type CategoryTrend, type HotspotFeature, type HotspotQuery, type Hotspots, type Trend } from './hotspots.ts';
export { createTicket, intakeTicket, type CreateTicket, type Intake, type IntakeExtras } from './intake.ts';
export { hotlineLedgerActions, hotlineMessages } from './messages.ts';
export {
  basicallySatisfiedWeight, compositeScore, computeMetrics, metricGroupings, officeClock, rankByScore, scoreWeights,
  type MetricGrouping, type Metrics, type MetricsQuery, type MetricsRow,
} from './metrics.ts';
export { placeAt, type Place } from './place.ts';
export { hotlineActions, hotlineCapabilities, isCentre } from './policy.ts';
export { maskName, maskPhone, overdueOf, presentTicket, presentTicketView } from './present.ts';
export {
  channels, openStates, returnReasons, satisfactions, ticketKinds, ticketStates, transitions, urgencies,
  type Channel, type Satisfaction, type TicketKind, type TicketState, type Urgency,
} from './states.ts';
export {
  findTicket, listTickets, ticketHistory, viewTicket,
  type Ticket, type TicketEvent, type TicketQuery, type TicketView,
} from './tickets.ts';
export {
  acceptTicket, answerTicket, callbackTicket, closeTicket, dispatchTicket, redispatchTicket, replyTicket, returnTicket,
  type CallbackTicket, type DispatchTicket, type ReturnTicket,
} from './workflow.ts';
export { demoCategories, loadDemoCategories, loadHotlineDemo, removeHotlineDemo, type HotlineDemoSummary } from './demo.ts';
export {
  open311Discovery, Open311Error, open311Request, open311RequestById, open311Requests, open311ServiceDefinition, open311Services,
  submitOpen311Request, toXml,
} from './open311.ts';
export { assignCoHandlers, coHandlersOf, coReplyTicket, type CoHandler } from './cohandling.ts';
export { dueAlerts, listAlerts, markAlertRead, sweepDeadlines, workingClock, alertKinds, type Alert, type AlertKind, type DeadlineName, type WorkingClock } from './deadlines.ts';
export { attachPhotos, photoIdsOf, photoUrl, readPhoto, storePhoto, sweepOrphanPhotos, MAX_PHOTOS_PER_TICKET, type StoredPhoto } from './photos.ts';
export { fileReport, myTickets, publicDuplicates, publicStatus, reportChannels, type FileReport, type PublicDuplicate, type PublicStatus } from './reports.ts';
export { answerFromKnowledge, listKnowledge, loadDemoKnowledge, saveKnowledge, type KnowledgeEntry, type SaveKnowledge } from './knowledge.ts';
export { importTickets, importLayouts, parseImportDate, MIN_IMPORT_CONFIDENCE, type ImportLayout, type ImportReport, type ImportTickets, type RowRejection } from './import.ts';
export { loadHotlineOpsDemo, type OpsDemoSummary } from './demo-ops.ts';
