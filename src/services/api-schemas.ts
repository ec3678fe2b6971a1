/**
 * What the services API answers, as schemas: they type the presenters' output at the routes, make the
 * OpenAPI document and, through it, the console's types (docs/http.md).
 */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../kernel/http/index.ts';
import { applicationStates, channels } from './applications.ts';
import { amountKinds, Condition, Material, PrefillRule, Step, type AmountKind } from './items.ts';
import { PolicyRule } from './benefits.ts';
import { rectificationStates } from './ratings.ts';

/** The form an item asks for, a JSON Schema its administrator wrote: passed through as it was saved. */
const FormSchema = Nullable(Type.Object({}, { additionalProperties: true }));
const levels = ['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied'] as const;

const summaryProperties = {
  id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String(), kindName: Type.Optional(Type.String()),
  statutoryDays: Type.Integer(), committedDays: Type.Integer(), visits: Type.Integer(), fullyOnline: Type.Boolean(),
  lifeEvents: Type.Array(Type.String()),
  /** online with a form: the portal offers to apply */
  applyOnline: Type.Boolean(),
};
/** A short line of an item for lists. */
export const ItemSummarySchema = Type.Object({ ...summaryProperties, department: Type.Object({ id: Type.Integer(), name: Type.String() }) });

/** What a decision of the item pays (benefit) or charges (fee), stated in 分 on each approval; null: no amount. */
export const AmountKindSchema = Nullable(OneOf(Object.keys(amountKinds) as AmountKind[]));

/** 办事指南: an item with its guide, materials, time limits and form. */
export const ItemSchema = Type.Object({
  ...summaryProperties,
  itemGroup: Nullable(Type.String()),
  department: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  divisionCode: Type.String(), implementingBody: Type.String(), level: Type.String(), legalBasis: Type.String(),
  conditions: Type.Array(Condition), materials: Type.Array(Material), fee: Type.String(), steps: Type.Array(Step),
  formSchema: FormSchema, prefill: Type.Array(PrefillRule), issuesCredentialType: Nullable(Type.String()), online: Type.Boolean(),
  guide: Type.String(), updatedAt: Timestamp,
  amountKind: AmountKindSchema,
});

export const LifeEventCountsSchema = Items(Type.Object({ key: Type.String(), count: Type.Integer() }));

export const ImportReportSchema = Type.Object({
  total: Type.Integer(), saved: Type.Integer(), failed: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
});

const State = OneOf(applicationStates);
const Channel = OneOf(channels);

/** An application as its viewer sees it: clocks (statutory, committed, actual), history, ratings and the buttons to press. */
export const ApplicationSchema = Type.Object({
  id: Type.Integer(), receiptNumber: Nullable(Type.String()), state: State, channel: Channel,
  item: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String(), steps: Type.Array(Step),
    materials: Type.Array(Material), formSchema: FormSchema, issuesCredentialType: Nullable(Type.String()),
    amountKind: AmountKindSchema }),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  applicant: Type.Object({ id: Nullable(Type.Integer()), name: Type.String() }),
  form: Type.Record(Type.String(), Type.Unknown()),
  prefilled: Type.Array(Type.String()),
  /** per prefilled field: the hub resource, and the department whose record gave the value (for a golden record, the one chosen) */
  prefillSources: Type.Record(Type.String(), Type.Object({ resource: Type.String(), resourceName: Type.String(), department: Type.String() })),
  currentStep: Nullable(Step),
  signedBy: Type.Array(Type.String()),
  reason: Nullable(Type.String()),
  /** what the approval paid or charged, in 分 */
  amount: Nullable(Type.Integer()),
  correctionNote: Nullable(Type.String()),
  clock: Type.Object({
    submittedAt: Nullable(Timestamp), statutoryDays: Type.Integer(), committedDays: Type.Integer(), statutoryDue: Nullable(Timestamp),
    committedDue: Nullable(Timestamp),
    /** working days used so far, pauses left out */
    elapsedDays: Nullable(Type.Integer()), actualDays: Nullable(Type.Integer()),
    paused: Type.Boolean(), pausedSince: Nullable(Type.String()), overdue: Type.Boolean(), escalatedAt: Nullable(Timestamp),
    finishedAt: Nullable(Timestamp),
  }),
  materials: Type.Array(Type.Object({ material: Type.String(), fileName: Type.String(), contentType: Type.String(), size: Type.Integer(),
    uploadedAt: Timestamp })),
  history: Type.Array(Type.Object({ id: Type.Integer(), at: Timestamp, action: Type.String(), stepKey: Nullable(Type.String()),
    actorName: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(), note: Nullable(Type.String()),
    /** a step staff took, which the applicant may still rate */
    rateable: Type.Boolean() })),
  ratings: Type.Array(Type.Object({ id: Type.Integer(), stepId: Nullable(Type.Integer()), level: OneOf(levels), comment: Nullable(Type.String()),
    defaulted: Type.Boolean(), ratedAt: Timestamp, rectificationId: Nullable(Type.Integer()) })),
  abilities: Type.Array(Type.String()),
  createdAt: Timestamp, updatedAt: Timestamp,
});

/** A queue line: the clocks without the form. */
export const ApplicationRowSchema = Type.Object({
  id: Type.Integer(), receiptNumber: Nullable(Type.String()), state: State, channel: Channel,
  item: Type.Object({ id: Type.Integer(), name: Type.String(), code: Type.String() }),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  applicant: Type.Object({ name: Type.String() }),
  submittedAt: Nullable(Timestamp), statutoryDue: Nullable(Timestamp), committedDue: Nullable(Timestamp),
  paused: Type.Boolean(), overdue: Type.Boolean(), actualDays: Nullable(Type.Integer()), finishedAt: Nullable(Timestamp),
});

export const RatingFigureSchema = Type.Object({
  key: Type.String(), name: Type.String(), total: Type.Integer(),
  levels: Type.Object(Object.fromEntries(levels.map((l) => [l, Type.Integer()])) as Record<(typeof levels)[number], ReturnType<typeof Type.Integer>>),
  /** share of 基本满意 or better */
  satisfaction: Type.Number(), bad: Type.Integer(), rectified: Type.Integer(), calledBack: Type.Integer(),
});

/** 差评整改: a bad rating's rectification, stage by stage. */
export const RectificationSchema = Type.Object({
  id: Type.Integer(), ratingId: Type.Integer(), departmentId: Type.Integer(), departmentName: Type.String(), divisionCode: Type.String(),
  state: OneOf(rectificationStates), due: Timestamp, substantiated: Nullable(Type.Boolean()), verifyNote: Nullable(Type.String()),
  rectifyNote: Nullable(Type.String()), reply: Nullable(Type.String()), reviewNote: Nullable(Type.String()), calledBackAt: Nullable(Timestamp),
  callbackNote: Nullable(Type.String()), createdAt: Timestamp, closedAt: Nullable(Timestamp), level: OneOf(levels), comment: Nullable(Type.String()),
  applicationId: Type.Integer(), receiptNumber: Nullable(Type.String()), itemName: Type.String(), applicantName: Type.String(), overdue: Type.Boolean(),
});

const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
export const FiguresSchema = Type.Object({
  items: Type.Object({ total: Type.Integer(), online: Type.Integer(), fullyOnline: Type.Integer(), zeroVisits: Type.Integer(), fullyOnlineRate: Type.Number() }),
  time: Type.Object({ finished: Type.Integer(), averageActualDays: Nullable(Type.Number()), averageCommittedDays: Nullable(Type.Number()),
    averageStatutoryDays: Nullable(Type.Number()), overdue: Type.Integer() }),
  applicationsByChannel: Type.Array(Count),
  applicationsByState: Type.Array(Count),
  ratings: Type.Object({ total: Type.Integer(), good: Type.Integer(), bad: Type.Integer(), rectified: Type.Integer(), calledBack: Type.Integer(),
    satisfaction: Type.Number(), rectificationRate: Type.Number(), callbackRate: Type.Number() }),
});

/** 不来即享: a benefit policy with how many it has offered, and how those offers went. */
export const PolicySchema = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), description: Type.String(), itemId: Type.Integer(), itemName: Type.String(),
  rules: Type.Array(PolicyRule), automatic: Type.Boolean(), active: Type.Boolean(), divisionCode: Type.String(), evaluatedAt: Nullable(Timestamp),
  /** what each grant pays or charges, in 分; null for an item without an amount */
  amount: Nullable(Type.Integer()),
  offers: Type.Integer(), accepted: Type.Integer(), granted: Type.Integer(),
});
export const EvaluationSchema = Type.Object({ qualified: Type.Integer(), offered: Type.Integer(), granted: Type.Integer() });

/** A benefit offered to the citizen, with why they qualify. */
export const OfferSchema = Type.Object({
  id: Type.Integer(), policyId: Type.Integer(), policyName: Type.String(), description: Type.String(), itemName: Type.String(),
  /** what accepting it pays (or charges), in 分 */
  amount: Nullable(Type.Integer()), amountKind: AmountKindSchema,
  reasons: Type.Array(Type.Object({ predicate: Type.String(), name: Type.String(), answer: Type.Boolean() })),
  state: OneOf(['offered', 'accepted', 'granted']), applicationId: Nullable(Type.Integer()), foundAt: Timestamp,
});

export const ItemPage = Page(ItemSummarySchema);
export const ApplicationPage = Page(ApplicationRowSchema);
export const RectificationPage = Page(RectificationSchema);
