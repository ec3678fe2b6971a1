/**
 * What the 数据铁笼 API answers, as schemas: they type the results at the routes, make the OpenAPI document and,
 * through it, the console's types (docs/http.md).
 */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../kernel/http/index.ts';
import { LedgerEntrySchema } from '../kernel/ledger/index.ts';
import { alertStates, caseKinds } from './alerts.ts';
import { RuleDefinition } from './rules.ts';

const Severity = OneOf(['red', 'yellow'] as const);
const Person = Type.Object({ id: Type.String(), name: Type.String(), department: Nullable(Type.String()) });

const EmissionSchema = Type.Object({
  key: Type.String(), at: Type.Number(), entries: Type.Array(Type.Integer()), people: Type.Array(Type.String()), measure: Type.Number(),
});
export const DryRunSchema = Type.Object({
  days: Type.Integer(), scanned: Type.Integer(), total: Type.Integer(),
  people: Type.Array(Type.Object({ id: Type.String(), count: Type.Integer() })), sample: Type.Array(EmissionSchema), ms: Type.Integer(),
});

const RuleVersionSchema = Type.Object({
  id: Type.Integer(), version: Type.Integer(), nameZh: Type.String(), nameEn: Type.String(), rationale: Type.String(), legalBasis: Type.String(),
  severity: Severity, scope: Type.String(), definition: RuleDefinition, createdBy: Type.String(), createdAt: Timestamp,
  testedAt: Nullable(Timestamp), tested: Nullable(DryRunSchema),
});
export const RuleSchema = Type.Object({
  id: Type.Integer(), code: Type.String(), ownerId: Type.String(), activeVersion: Nullable(Type.Integer()),
  versions: Type.Array(RuleVersionSchema),
  feedback: Type.Object({
    alerts: Type.Integer(), confirmed: Type.Integer(), dismissed: Type.Integer(),
    suggestion: Nullable(Type.Object({ parameter: Type.String(), value: Type.Number() })),
  }),
});
export const RuleList = Items(RuleSchema);

const summary = {
  id: Type.Integer(),
  rule: Type.Object({ id: Type.Integer(), code: Type.String(), version: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() }),
  severity: Severity, state: OneOf(alertStates), raisedAt: Timestamp, measure: Type.Number(), people: Type.Array(Person),
  department: Nullable(Type.String()), released: Type.Boolean(),
};
export const AlertSummarySchema = Type.Object(summary);
export const AlertPage = Page(AlertSummarySchema);

const CaseSchema = Type.Object({
  id: Type.Integer(), kind: OneOf(caseKinds), deadline: Nullable(Type.String()), note: Type.String(), openedBy: Type.String(), openedAt: Timestamp,
  outcome: Nullable(Type.String()), closedAt: Nullable(Timestamp),
});

export const AlertSchema = Type.Object({
  ...summary,
  ruleVersion: Type.Object({ rationale: Type.String(), legalBasis: Type.String(), scope: Type.String(), definition: RuleDefinition }),
  entries: Type.Array(LedgerEntrySchema),
  checkpoint: Nullable(Type.String()), verifierKey: Type.String(),
  proofs: Type.Array(Type.Object({ index: Type.Integer(), size: Type.Integer(), hashes: Type.Array(Type.String()) })),
  dismissReason: Nullable(Type.String()), answer: Nullable(Type.String()), answeredAt: Nullable(Timestamp), case: Nullable(CaseSchema),
});

export const DashboardSchema = Type.Object({
  byRule: Type.Array(Type.Object({ ruleId: Type.Integer(), nameZh: Type.String(), nameEn: Type.String(), severity: Type.String(), open: Type.Integer(), total: Type.Integer() })),
  byDepartment: Type.Array(Type.Object({ department: Type.String(), total: Type.Integer() })),
  byDay: Type.Array(Type.Object({ day: Type.String(), red: Type.Integer(), yellow: Type.Integer() })),
  byState: Type.Array(Type.Object({ state: OneOf(alertStates), total: Type.Integer() })),
});

export const MyAlerts = Items(Type.Object({ ...summary, answer: Nullable(Type.String()), rationale: Type.String() }));
export const AnswerSchema = Type.Object({ id: Type.Integer(), answer: Type.String() });

export const IntegrityIndex = Items(Type.Object({ id: Type.String(), name: Type.String(), department: Nullable(Type.String()), alerts: Type.Integer(), cases: Type.Integer() }));
export const IntegrityFileSchema = Type.Object({
  person: Person,
  alerts: Type.Array(Type.Object({ ...summary, case: Nullable(CaseSchema), answer: Nullable(Type.String()) })),
});
