/** 12345 热线: what other modules, the server, the CLI and the demo may use of the hotline. */
export { createCategory, findCategory, routeTicket, setDispatchRule, setTimeLimit, timeLimitFor, type Category } from './catalogue.ts';
export { learnFromCorrections, retrainClassifier, suggestClassification } from './classification.ts';
export { findDuplicates, haversineMetres, mergeTickets } from './duplicates.ts';
export { decideExtension, requestExtension } from './extensions.ts';
export { findHotspots, trendOf, type CategoryTrend, type Hotspots, type Trend } from './hotspots.ts';
export { createTicket, intakeTicket, type CreateTicket, type Intake } from './intake.ts';
export { compositeScore, computeMetrics, metricGroupings, officeClock, rankByScore, type Metrics, type MetricsRow } from './metrics.ts';
export { ticketsInTile, type TicketTileFilter } from './map.ts';
export { rollUpTicketCounts } from './tile-counts.ts';
export { overdueOf } from './present.ts';
export { channels, openStates, satisfactions, ticketKinds, ticketStates, transitions, type Channel, type TicketKind, type TicketState } from './states.ts';
export {
  findTicket, listTickets, queueCountCap, ticketHistory, viewTicket, type Ticket, type TicketEvent, type TicketView,
} from './tickets.ts';
export { acceptTicket, answerTicket, callbackTicket, closeTicket, dispatchTicket, redispatchTicket, replyTicket, returnTicket } from './workflow.ts';
export { demoCategories, loadDemoCategories, loadHotlineDemo, removeHotlineDemo } from './demo.ts';
export type { CoHandler } from './cohandling.ts';
export { listAlerts, markAlertRead, sweepDeadlines, workingClock, type Alert } from './deadlines.ts';
export { sweepOrphanPhotos } from './photos.ts';
export type { PublicDuplicate, PublicStatus } from './reports.ts';
export { listKnowledge, loadDemoKnowledge, type KnowledgeEntry } from './knowledge.ts';
export { importTickets, parseImportDate, type ImportReport } from './import.ts';
