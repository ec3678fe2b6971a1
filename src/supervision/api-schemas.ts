/** What the supervision API answers, as schemas: the OpenAPI document and, through it, the console's types. */
import Type from 'typebox';
import { Nullable, OneOf, Timestamp } from '../kernel/http/index.ts';
import { causeCategories, preventionKinds, problemSources, problemStates } from './problems.ts';
import { reportKinds, taskStates } from './tasks.ts';

const Named = Type.Object({ id: Type.Integer(), name: Type.String() });
const Ref = Type.Object({ id: Type.Integer(), number: Type.String() });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const ListSchema = Type.Object({
  id: Type.Integer(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), builtin: Type.Boolean(), divisionCode: Nullable(Type.String()),
});

export const AttachmentSchema = Type.Object({ id: Type.String(), name: Type.String(), contentType: Type.String(), size: Type.Integer(), sha256: Type.String() });

export const ProblemSchema = Type.Object({
  id: Type.Integer(), number: Type.String(), title: Type.String(), description: Type.String(),
  list: Type.Object({ id: Type.Integer(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  source: OneOf(problemSources), sourceRef: Nullable(Type.String()), kind: Type.String(),
  department: Named, divisionCode: Type.String(), divisionName: Nullable(Type.String()),
  state: OneOf(problemStates), dueDays: Type.Integer(), due: Timestamp, overdue: Type.Boolean(),
  analysis: Nullable(Type.Object({ whys: Type.Array(Type.String()), causeCategory: OneOf(causeCategories), rootCause: Type.String() })),
  prevention: Nullable(Type.Object({ kind: OneOf(preventionKinds), description: Type.String(), everyDays: Nullable(Type.Integer()) })),
  recurrenceOf: Nullable(Ref),
  openedBy: Type.String(), openedAt: Timestamp, acceptedBy: Nullable(Type.String()), acceptedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp), watchUntil: Nullable(Timestamp), nextCheckAt: Nullable(Timestamp),
});

export const ProblemViewSchema = Type.Object({
  problem: ProblemSchema,
  steps: Type.Array(Type.Object({ id: Type.Integer(), description: Type.String(), doneBy: Type.String(), doneAt: Timestamp, attachments: Type.Array(AttachmentSchema) })),
  events: Type.Array(Type.Object({ action: Type.String(), actorName: Type.String(), note: Nullable(Type.String()), at: Timestamp })),
  recurrences: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), openedAt: Timestamp })),
  can: Type.Object({ rectify: Type.Boolean(), review: Type.Boolean(), prevent: Type.Boolean() }),
});

const Count = Type.Object({
  key: Type.String(), name: Type.String(), total: Type.Integer(), open: Type.Integer(), closed: Type.Integer(), overdue: Type.Integer(), recurrences: Type.Integer(),
});
export const StatsSchema = Type.Object({ total: Count, byList: Type.Array(Count), byDepartment: Type.Array(Count), byArea: Type.Array(Count) });

export const FindingSchema = Type.Object({
  source: OneOf(problemSources), sourceRef: Type.String(), subject: Type.String(), topic: Nullable(Type.String()),
  thisWeek: Nullable(Type.Integer()), weeklyAverage: Nullable(Type.Number()), comment: Nullable(Type.String()), kind: Type.String(),
  divisionCode: Nullable(Type.String()), departmentId: Nullable(Type.Integer()), problem: Nullable(Ref),
});

export const TaskSchema = Type.Object({
  id: Type.Integer(), number: Type.String(), title: Type.String(), detail: Type.String(), department: Named, divisionCode: Type.String(),
  state: OneOf(taskStates), dueDays: Type.Integer(), due: Timestamp, overdue: Type.Boolean(), progress: Type.Integer(),
  assignedByName: Type.String(), assignedAt: Timestamp, remindedAt: Nullable(Timestamp), escalatedAt: Nullable(Timestamp), closedAt: Nullable(Timestamp),
  milestones: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), due: Timestamp, doneAt: Nullable(Timestamp), overdue: Type.Boolean() })),
});

export const TaskViewSchema = Type.Object({
  task: TaskSchema,
  reports: Type.Array(Type.Object({
    id: Type.Integer(), kind: OneOf(reportKinds), text: Type.String(), progress: Nullable(Type.Integer()), milestoneId: Nullable(Type.Integer()),
    actorName: Type.String(), at: Timestamp, attachments: Type.Array(AttachmentSchema),
  })),
  can: Type.Object({ report: Type.Boolean(), close: Type.Boolean() }),
});

// One property per score component (scoreComponents).
export const Weights = Type.Object({ tasks: Type.Integer({ minimum: 0, maximum: 100 }), hotline: Type.Integer({ minimum: 0, maximum: 100 }),
  ratings: Type.Integer({ minimum: 0, maximum: 100 }), problems: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false });
const Rate = Nullable(Type.Number());
export const WeightsSchema = Type.Object({ weights: Weights, divisionCode: Nullable(Type.String()) });

export const ScoresSchema = Type.Object({
  month: Type.String(), weights: Weights, formula: Bilingual,
  rows: Type.Array(Type.Object({
    department: Named,
    rates: Type.Object({ tasks: Rate, hotline: Rate, ratings: Rate, problems: Rate }),
    counts: Type.Object({ tasks: Type.Integer(), problems: Type.Integer(), tickets: Type.Integer(), ratings: Type.Integer() }),
    score: Nullable(Type.Number()), rank: Nullable(Type.Integer()), formula: Bilingual,
  })),
});
