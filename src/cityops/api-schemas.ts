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
  overdue: Type.Boolean(), handleDueAt: Nullable(Timestamp),
  /** the open jurisdiction dispute (管辖争议) the case waits on: the command centre decides it instead of dispatching */
  disputeId: Nullable(Type.Integer()), rating: Nullable(Type.Integer()), ratingComment: Nullable(Type.String()),
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
  /** the unit a dispatch would choose now: by a jurisdiction rule, component ownership or the dispatch catalogue; null when none or several could */
  route: Nullable(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), by: OneOf(['rule', 'component', 'catalogue'] as const) })),
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

const DisputeReasons = Type.Array(OneOf(['boundary', 'no-owner', 'returned'] as const), { description: 'boundary: the point is on the line between two '
  + 'areas whose catalogue units differ; no-owner: the component names no department serving the area; returned: two units returned the case' });

export const DisputeSchema = Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), caseCode: Type.String(), kindCode: Type.String(), kindNameZh: Type.String(), description: Type.String(),
  address: Type.String(), lon: Type.Number(), lat: Type.Number(), gridCode: Nullable(Type.String()), gridName: Nullable(Type.String()),
  divisionCode: Type.String(), divisionName: Nullable(Type.String()), componentCode: Nullable(Type.String()), state: OneOf(['open', 'decided'] as const),
  reasons: DisputeReasons,
  /** the units that could own the case; `returned`: the unit returned it */
  candidates: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), divisionCode: Type.String(), returned: Type.Boolean() })),
  /** the grids within reach of the point, the case's own first */
  gridCodes: Type.Array(Type.String()),
  /** the decision's limit in working hours; the warning (预警) and 督办 the deadline sweep raised */
  openedAt: Timestamp, dueAt: Timestamp, overdue: Type.Boolean(), warnedAt: Nullable(Timestamp), supervisedAt: Nullable(Timestamp),
  decidedDepartmentId: Nullable(Type.Integer()), decidedDepartmentName: Nullable(Type.String()), decisionReason: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()), decidedAt: Nullable(Timestamp),
  /** the grid the decision placed the case in, when its unit serves the other side of the line */
  placedGridCode: Nullable(Type.String()), ruleId: Nullable(Type.Integer()),
  abilities: Type.Object({ decide: Type.Boolean() }),
});
export const DisputesSchema = Page(DisputeSchema);

export const DisputeDetailSchema = Type.Object({
  ...DisputeSchema.properties,
  /** the grids around the point with their township and county, as GeoJSON polygons */
  grids: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Object({
    type: Type.Literal('Feature'), id: Type.String(), geometry: Type.Unknown(),
    properties: Type.Object({ code: Type.String(), name: Type.String(), divisionCode: Type.String(), divisionName: Nullable(Type.String()),
      countyName: Nullable(Type.String()) }) })) }),
  /** the component record the case names (部件), with its 权属 */
  component: Nullable(Type.Object({ code: Type.String(), kindNameZh: Type.String(), address: Type.String(), lon: Type.Number(), lat: Type.Number(),
    ownerName: Nullable(Type.String()), maintainerName: Nullable(Type.String()), competentName: Nullable(Type.String()) })),
  returns: Type.Array(Type.Object({ at: Timestamp, departmentName: Nullable(Type.String()), actorName: Type.String(), note: Nullable(Type.String()) })),
});

export const JurisdictionRuleSchema = Type.Object({
  id: Type.Integer(), scope: OneOf(['component', 'place', 'grid'] as const),
  /** null: any kind */
  kindCode: Nullable(Type.String()), kindNameZh: Nullable(Type.String()), componentCode: Nullable(Type.String()), gridCode: Nullable(Type.String()),
  gridName: Nullable(Type.String()), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), radiusM: Nullable(Type.Integer()),
  homeGridCode: Nullable(Type.String()), divisionCode: Type.String(), divisionName: Nullable(Type.String()), departmentId: Type.Integer(),
  departmentName: Type.String(), reason: Type.String(), disputeId: Nullable(Type.Integer()), createdByName: Type.String(), createdAt: Timestamp,
  retiredAt: Nullable(Timestamp), retiredByName: Nullable(Type.String()), retiredReason: Nullable(Type.String()),
  abilities: Type.Object({ retire: Type.Boolean() }),
});
