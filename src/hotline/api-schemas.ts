/**
 * What the hotline API answers, as schemas: they type the presenters' output at the routes, make the
 * OpenAPI document and, through it, the console's types (docs/http.md).
 */
import Type from 'typebox';
import { Nullable, OneOf, Timestamp } from '../kernel/http/index.ts';
import { alertKinds } from './deadlines.ts';
import { metricGroupings } from './metrics.ts';
import { channels, satisfactions, ticketKinds, ticketStates, transitions, urgencies, type Transition } from './states.ts';

const Transitions = OneOf(Object.keys(transitions) as Transition[]);
const Department = Type.Object({ id: Type.Integer(), name: Nullable(Type.String()) });
const Photo = Type.Object({ id: Type.String(), url: Type.String() });

const ticketProperties = {
  id: Type.Integer(),
  number: Type.String(),
  channel: OneOf(channels),
  kind: OneOf(ticketKinds),
  category: Type.Object({ code: Type.String(), path: Type.Array(Type.String()) }),
  urgency: OneOf(urgencies),
  emergency: Type.Boolean(),
  emergencyKind: Nullable(OneOf(['fire', 'police', 'medical'])),
  transferTo: Nullable(Type.String()),
  suggestion: Nullable(Type.Object({ categoryCode: Type.String(), confidence: Nullable(Type.Number()), corrected: Nullable(Type.Boolean()) })),
  description: Type.String(),
  location: Type.Object({ lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), address: Nullable(Type.String()),
    divisionCode: Type.String(), gridCode: Nullable(Type.String()),
    /** the typed address names another township (or county) than the one the point lies in */
    addressMismatch: Nullable(Type.Object({ address: Type.String(), point: Type.String() })) }),
  anonymous: Type.Boolean(),
  caller: Nullable(Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), masked: Type.Boolean() })),
  state: OneOf(ticketStates),
  department: Nullable(Department),
  mainTicketId: Nullable(Type.Integer()),
  reopenCount: Type.Integer(),
  reply: Nullable(Type.String()),
  callback: Nullable(Type.Object({ resolved: Nullable(Type.Boolean()), satisfaction: Nullable(OneOf(satisfactions)), at: Timestamp })),
  needsSupervision: Type.Boolean(),
  times: Type.Object({ receivedAt: Timestamp, dispatchedAt: Nullable(Timestamp), acceptedAt: Nullable(Timestamp),
    repliedAt: Nullable(Timestamp), closedAt: Nullable(Timestamp), updatedAt: Timestamp }),
  deadlines: Type.Object({ acceptDue: Nullable(Timestamp), replyDue: Timestamp, resolveDue: Timestamp, provisional: Type.Boolean() }),
  overdue: Type.Object({ accept: Type.Boolean(), reply: Type.Boolean(), resolve: Type.Boolean(), any: Type.Boolean() }),
  /** The buttons the viewer may press on this ticket now. */
  abilities: Type.Array(Transitions),
};

/** A ticket as staff see it: the caller masked unless shown, deadlines with whether they are overdue. */
export const TicketSchema = Type.Object(ticketProperties);

export const QueueSchema = Type.Object({
  total: Type.Integer(),
  /** `total` is a lower bound: the queue counts only so far. */
  totalCapped: Type.Boolean(),
  /** 主办 or 协办: how the caller's department takes part in the ticket. */
  items: Type.Array(Type.Object({ ...ticketProperties, handlingRole: Nullable(OneOf(['main', 'co'])),
    /** 退单原因: why the department returned the ticket, while it waits for the centre's review. */
    returnReason: Nullable(Type.Object({ code: Type.String(), note: Nullable(Type.String()) })) })),
});

export const TicketEventSchema = Type.Object({
  at: Timestamp,
  action: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Type.String(), name: Nullable(Type.String()) }),
  from: Nullable(OneOf(ticketStates)),
  to: OneOf(ticketStates),
  department: Nullable(Department),
  reasonCode: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

export const CoHandlerSchema = Type.Object({
  departmentId: Type.Integer(), departmentName: Type.String(), reply: Nullable(Type.String()), repliedAt: Nullable(Timestamp),
});

export const TicketViewSchema = Type.Object({
  ...ticketProperties,
  routedDepartmentId: Nullable(Type.Integer()),
  pendingExtension: Nullable(Type.Object({ days: Type.Integer(), reason: Type.String(), requestedAt: Timestamp })),
  merged: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String() })),
  coHandlers: Type.Array(CoHandlerSchema),
  mayCoReply: Type.Boolean(),
  photos: Type.Array(Photo),
  history: Type.Array(TicketEventSchema),
});

export const DuplicateSchema = Type.Object({
  id: Type.Integer(), number: Type.String(), state: OneOf(ticketStates), description: Type.String(), address: Nullable(Type.String()),
  lon: Type.Number(), lat: Type.Number(), receivedAt: Timestamp, distanceMetres: Type.Number(),
});

/** What intake answers: the ticket, the department the catalogue names for it and open tickets nearby. */
export const IntakeSchema = Type.Object({
  ...ticketProperties, routedDepartmentId: Nullable(Type.Integer()), duplicates: Type.Array(DuplicateSchema),
});

export const MergeSchema = Type.Object({ main: TicketSchema, merged: Type.Array(TicketSchema) });

export const CategorySchema = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), parentId: Nullable(Type.Integer()), ancestry: Type.Array(Type.Integer()),
  path: Type.Array(Type.String()), description: Nullable(Type.String()), keywords: Nullable(Type.String()), active: Type.Boolean(),
});

export const ReturnReasonSchema = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

const SuggestedCategory = Type.Object({ code: Type.String(), name: Type.String(), path: Type.Array(Type.String()) });
export const SuggestionSchema = Type.Object({
  category: Nullable(SuggestedCategory),
  confidence: Type.Number(),
  /** Below the calibrated threshold (不确定): the operator should choose. */
  uncertain: Type.Boolean(),
  alternatives: Type.Array(Type.Object({ ...SuggestedCategory.properties, confidence: Type.Number() })),
  /** The most likely first-level category, its confidence summed over the categories under it. */
  firstLevel: Nullable(Type.Object({ ...SuggestedCategory.properties, confidence: Type.Number() })),
  urgency: OneOf(urgencies),
  emergency: Type.Optional(OneOf(['fire', 'police', 'medical'])),
  transferTo: Type.Optional(Type.String()),
  matched: Type.Array(Type.String()),
});
/** What the public report page gets for a text: no confidence, no alternatives. */
export const PublicSuggestionSchema = Type.Object({
  category: Nullable(SuggestedCategory), uncertain: Type.Boolean(), urgency: OneOf(urgencies), transferTo: Type.Optional(Type.String()),
});

export const AlertSchema = Type.Object({
  id: Type.Integer(), ticketId: Type.Integer(), number: Type.String(), kind: OneOf(alertKinds), deadline: OneOf(['accept', 'reply', 'resolve']),
  due: Timestamp, at: Timestamp, departmentId: Nullable(Type.Integer()), read: Type.Boolean(),
});
export const AlertReadSchema = Type.Object({ id: Type.Integer(), read: Type.Boolean() });

/** An open ticket near a point as anyone may see it: no text, no people. */
export const PublicDuplicateSchema = Type.Object({
  number: Type.String(), category: Type.Object({ code: Type.String(), name: Type.String() }), distanceMetres: Type.Number(),
  state: OneOf(ticketStates), receivedDate: Type.String(),
});

export const FiledReportSchema = Type.Object({ number: Type.String(), statusToken: Type.String(), duplicates: Type.Array(PublicDuplicateSchema) });

const publicTicketProperties = {
  number: Type.String(), state: OneOf(ticketStates), kind: OneOf(ticketKinds), channel: OneOf(channels),
  category: Type.Object({ code: Type.String(), path: Type.Array(Type.String()) }), description: Type.String(), address: Nullable(Type.String()),
  receivedAt: Timestamp, deadlines: Type.Object({ replyDue: Timestamp, resolveDue: Timestamp }), department: Nullable(Type.String()),
  reply: Nullable(Type.String()), repliedAt: Nullable(Timestamp), closedAt: Nullable(Timestamp),
};
/** A ticket as its reporter sees it: what happens to it, never who the people are. */
export const PublicTicketSchema = Type.Object(publicTicketProperties);
export const PublicStatusSchema = Type.Object({
  ...publicTicketProperties,
  timeline: Type.Array(Type.Object({ at: Timestamp, action: Type.String(), state: OneOf(ticketStates), department: Nullable(Type.String()) })),
  photos: Type.Array(Photo),
});

export const KnowledgeSchema = Type.Object({
  id: Type.Integer(), question: Type.String(), answer: Type.String(), keywords: Type.String(), categoryCode: Nullable(Type.String()),
  active: Type.Boolean(), updatedAt: Timestamp, score: Type.Number(),
});

const MetricsRowSchema = Type.Object({
  key: Type.String(), label: Type.String(), received: Type.Integer(),
  /** dispatched tickets whose time to accept has run out or that were accepted: the base of the response rate */
  responseDue: Type.Integer(), responded: Type.Integer(), responseRate: Nullable(Type.Number()),
  resolvedRated: Type.Integer(), resolved: Type.Integer(), resolutionRate: Nullable(Type.Number()),
  satisfactionRated: Type.Integer(), satisfied: Type.Integer(), basicallySatisfied: Type.Integer(), satisfactionRate: Nullable(Type.Number()),
  score: Nullable(Type.Number()), rank: Nullable(Type.Integer()), avgHandlingHours: Nullable(Type.Number()),
  overdue: Type.Object({ accept: Type.Integer(), reply: Type.Integer(), resolve: Type.Integer() }),
});
/** 接诉即办考评: rates, score and ranking per group, and over everything. */
export const MetricsSchema = Type.Object({
  from: Type.String(), to: Type.String(), by: OneOf(metricGroupings),
  /** rows that received fewer tickets are not ranked (样本不足) */
  minReceived: Type.Integer(), total: MetricsRowSchema, rows: Type.Array(MetricsRowSchema),
});

const trendProperties = {
  thisWeek: Type.Integer(), weeklyAverage: Type.Number(),
  /** thisWeek / weeklyAverage; null when there was nothing before */
  rise: Nullable(Type.Number()), rising: Type.Boolean(),
};
const CategoryTrendSchema = Type.Object({ ...trendProperties, code: Type.String(), name: Type.String() });
/** 热点: a GeoJSON FeatureCollection of townships or grids with their trends, and the categories rising overall. */
export const HotspotsSchema = Type.Object({
  type: Type.Literal('FeatureCollection'), asOf: Type.String(), level: OneOf(['township', 'grid'] as const),
  rule: Type.Object({ factor: Type.Number(), minTickets: Type.Integer(), baselineWeeks: Type.Integer() }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'), id: Type.String(),
    geometry: Type.Object({ type: OneOf(['Polygon', 'MultiPolygon'] as const), coordinates: Type.Array(Type.Unknown()) }),
    properties: Type.Object({ ...trendProperties, code: Type.String(), name: Type.String(), topCategories: Type.Array(CategoryTrendSchema) }),
  })),
  categories: Type.Array(CategoryTrendSchema),
});
