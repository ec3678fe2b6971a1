/** What the city-operations API answers, as schemas: they type the presenters at the routes and make the console's types (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../kernel/http/index.ts';
import { urgencies } from './case-kinds.ts';
import { caseSources, caseStates } from './cases.ts';
import { componentSources, componentStates } from './components.ts';

export const ComponentKindSchema = Type.Object({
  classCode: Type.String(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(),
  /** the kind of department usually in charge (主管); null for kinds that utilities companies own */
  departmentKind: Nullable(Type.String()),
  /** shipped with the standard (true) or added by the city (false) */
  standard: Type.Boolean(),
  /** a retired kind takes no new components */
  active: Type.Boolean(),
});

export const CatalogueSchema = Type.Object({
  /** where the standard's classes and kinds come from */
  source: Type.String(),
  classes: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), kinds: Type.Array(ComponentKindSchema) })),
});

export const ComponentSchema = Type.Object({
  code: Type.String(), classCode: Type.String(), kindCode: Type.String(), divisionCode: Type.String(), gridCode: Nullable(Type.String()),
  lon: Type.Number(), lat: Type.Number(), state: OneOf(componentStates),
  competentDepartmentId: Nullable(Type.Integer()), ownerDepartmentId: Nullable(Type.Integer()), maintainerDepartmentId: Nullable(Type.Integer()),
  address: Type.String(), installedOn: Nullable(Type.String()), surveyedOn: Nullable(Type.String()), source: OneOf(componentSources),
  createdAt: Timestamp, updatedAt: Timestamp,
  classNameZh: Type.String(), classNameEn: Type.String(), kindNameZh: Type.String(), kindNameEn: Type.String(), gridName: Nullable(Type.String()),
  competentDepartmentName: Nullable(Type.String()), ownerDepartmentName: Nullable(Type.String()), maintainerDepartmentName: Nullable(Type.String()),
  abilities: Type.Object({ edit: Type.Boolean() }),
});
export const ComponentsSchema = Page(ComponentSchema);

/** Components of a box as map points. */
export const ComponentPointsSchema = Type.Object({
  /** more components matched than the limit let through: zoom in */
  truncated: Type.Boolean(),
  ...Items(Type.Object({ code: Type.String(), classCode: Type.String(), kindCode: Type.String(), state: OneOf(componentStates),
    lon: Type.Number(), lat: Type.Number() })).properties,
});

export const CaseKindSchema = Type.Object({
  /** C (部件) or E (事件) + 2-digit class + 2-digit kind */
  code: Type.String(), type: OneOf(['component', 'event'] as const), classNameZh: Type.String(), nameZh: Type.String(), nameEn: Type.String(),
  /** 立案条件 and 结案条件 */
  filingCondition: Type.String(), closingCondition: Type.String(), departmentKind: Nullable(Type.String()),
  /** 处置时限 by urgency: hours, in working hours of the calendar unless round the clock */
  normalHours: Type.Number(), normalRoundClock: Type.Boolean(), urgentHours: Type.Number(), urgentRoundClock: Type.Boolean(), active: Type.Boolean(),
});

export const DispatchRuleSchema = Type.Object({
  id: Type.Integer(), divisionCode: Type.String(), divisionName: Nullable(Type.String()), kindCode: Type.String(), kindNameZh: Type.String(),
  departmentId: Type.Integer(), departmentName: Type.String(),
});

const CaseAbilities = Type.Object(Object.fromEntries(['verify', 'file', 'refuse', 'dispatch', 'return', 'handle', 'check', 'close', 'evaluate']
  .map((k) => [k, Type.Boolean()])) as Record<'verify' | 'file' | 'refuse' | 'dispatch' | 'return' | 'handle' | 'check' | 'close' | 'evaluate', ReturnType<typeof Type.Boolean>>);

export const CaseSchema = Type.Object({
  id: Type.Integer(), code: Type.String(), source: OneOf(caseSources), sourceRef: Nullable(Type.String()), kindCode: Type.String(),
  kindNameZh: Type.String(), kindNameEn: Type.String(), kindType: OneOf(['component', 'event'] as const), urgency: OneOf(urgencies),
  state: OneOf(caseStates), outcome: Nullable(OneOf(['closed', 'not-filed', 'unfounded'] as const)), reason: Nullable(Type.String()),
  description: Type.String(), address: Type.String(), lon: Type.Number(), lat: Type.Number(), gridCode: Nullable(Type.String()),
  gridName: Nullable(Type.String()), divisionCode: Type.String(), divisionName: Nullable(Type.String()), componentCode: Nullable(Type.String()),
  reporterName: Nullable(Type.String()), assigneeUserId: Nullable(Type.Integer()), assigneeName: Nullable(Type.String()),
  /** the unit's worker who goes out to handle it (处置人员) */
  workerUserId: Nullable(Type.Integer()), workerName: Nullable(Type.String()),
  departmentId: Nullable(Type.Integer()), departmentName: Nullable(Type.String()), reply: Nullable(Type.String()), reworkCount: Type.Integer(),
  hotlineTicketId: Nullable(Type.Integer()),
  /** the current step's clock: started, warning (预警), limit; when the warning and 督办 were raised */
  stepStartedAt: Timestamp, warnAt: Nullable(Timestamp), dueAt: Nullable(Timestamp), warnedAt: Nullable(Timestamp), supervisedAt: Nullable(Timestamp),
  overdue: Type.Boolean(), handleDueAt: Nullable(Timestamp), rating: Nullable(Type.Integer()), ratingComment: Nullable(Type.String()),
  createdAt: Timestamp, updatedAt: Timestamp, closedAt: Nullable(Timestamp),
  abilities: CaseAbilities,
});
export const CasesSchema = Page(CaseSchema);

export const CaseDetailSchema = Type.Object({
  ...CaseSchema.properties,
  filingCondition: Type.String(), closingCondition: Type.String(),
  events: Type.Array(Type.Object({
    at: Timestamp, action: Type.String(), actorName: Type.String(), fromState: Nullable(Type.String()), toState: Nullable(Type.String()),
    departmentName: Nullable(Type.String()), note: Nullable(Type.String()), onTime: Nullable(Type.Boolean()), passed: Nullable(Type.Boolean()),
  })),
  photos: Type.Array(Type.Object({ id: Type.String(), step: Type.String(), url: Type.String(), width: Type.Integer(), height: Type.Integer(), uploadedAt: Timestamp })),
  /** where field workers' phones were: the distance for everyone, the point only for the worker themself */
  positions: Type.Array(Type.Object({ step: Type.String(), distanceM: Type.Number(), at: Timestamp, mine: Type.Boolean(), lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()), accuracy: Nullable(Type.Number()) })),
  /** the unit a dispatch would choose now: by component ownership or the dispatch catalogue */
  route: Nullable(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), by: OneOf(['component', 'catalogue'] as const) })),
});

const Rate = Nullable(Type.Number({ description: 'share 0–1, null with nothing to count' }));
const RateCounts = { handled: Type.Integer(), handledOnTime: Type.Integer(), checks: Type.Integer(), checksPassed: Type.Integer(),
  onTimeRate: Rate, reworkRate: Rate, checkPassRate: Rate };
export const EvaluationSchema = Type.Object({
  month: Type.String(),
  units: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), dispatched: Type.Integer(), returned: Type.Integer(), ...RateCounts })),
  areas: Type.Array(Type.Object({ divisionCode: Type.String(), divisionName: Nullable(Type.String()), opened: Type.Integer(), filed: Type.Integer(),
    closed: Type.Integer(), ...RateCounts })),
  workers: Type.Array(Type.Object({ userId: Type.Integer(), name: Type.String(), reports: Type.Integer(), reportsFiled: Type.Integer(),
    verifications: Type.Integer(), checks: Type.Integer(), tasksOnTime: Type.Integer(), filedRate: Rate, onTimeRate: Rate })),
});
