/** What the base-library API answers, as schemas: they type the routes and make the console's types. */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../kernel/http/index.ts';
import { libraries } from './libraries.ts';
import { stages } from './loads.ts';

const Counts = Type.Record(Type.String(), Type.Integer());
const Finding = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
const Values = Type.Record(Type.String(), Nullable(Type.String()));

export const SourceSchema = Type.Object({
  id: Type.Integer(), library: OneOf(libraries), resourceCode: Type.String(), resourceName: Type.String(), keyField: Nullable(Type.String()),
  providerDepartmentId: Type.Integer(), providerName: Type.String(), divisionCode: Type.String(),
  mapping: Type.Record(Type.String(), Type.String()), trust: Type.Record(Type.String(), Type.Integer()), cursor: Type.Integer(), createdAt: Timestamp,
});
export const SourcesSchema = Items(SourceSchema);

export const SourceOptionsSchema = Type.Object({
  resources: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), providerName: Type.String() })),
  fields: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  libraries: Type.Array(Type.Object({ library: OneOf(libraries), fields: Type.Array(Type.Object({ code: Type.String(), mandatory: Type.Boolean() })) })),
});

export const LoadSchema = Type.Object({
  id: Type.Integer(), sourceId: Type.Integer(), state: OneOf(['running', 'done', 'failed'] as const), stage: OneOf(stages), counts: Counts,
  cursorFrom: Type.Integer(), cursorTo: Nullable(Type.Integer()), error: Nullable(Type.String()), startedAt: Timestamp, finishedAt: Nullable(Timestamp),
});
export const LoadsSchema = Items(LoadSchema);

/** The weight of a pair from the prior through each field's part (the waterfall). */
const ExplanationSchema = Type.Object({
  prior: Type.Number(),
  parts: Type.Array(Type.Object({ field: Type.String(), level: Nullable(Type.String()), weight: Type.Number(), m: Nullable(Type.Number()),
    u: Nullable(Type.Number()), termFrequency: Type.Optional(Type.Number()) })),
  weight: Type.Number(), probability: Type.Number(), rule: Type.Optional(Type.Literal('same-valid-id')),
});

const pairProperties = {
  id: Type.Integer(), leftId: Type.Integer(), rightId: Type.Integer(), weight: Type.Number(), probability: Type.Number(),
  explanation: ExplanationSchema, band: OneOf(['match', 'review', 'non-match'] as const), decision: Nullable(OneOf(['match', 'non-match'] as const)),
};
const SideSchema = Type.Object({
  id: Type.Integer(), entityId: Nullable(Type.Integer()), sourceName: Type.String(), providerName: Type.String(), raw: Values,
  findings: Type.Array(Finding), divisionCode: Type.String(),
});
export const ReviewPairSchema = Type.Object({ ...pairProperties, left: SideSchema, right: SideSchema });
export const ReviewQueueSchema = Page(ReviewPairSchema);

const GoldenField = Type.Object({ value: Type.String(), original: Type.String(), recordId: Type.Integer(), sourceId: Type.Integer(), at: Type.String(),
  rule: Type.String(), reason: Type.String() });
const ConflictValue = Type.Object({ value: Type.String(), recordIds: Type.Array(Type.Integer()), sourceIds: Type.Array(Type.Integer()) });

/** 电子证照库: a certificate about the subject, read through the credentials' index. */
const CertificateSchema = Type.Object({ id: Type.String(), type: Type.String(), typeName: Type.String(), issuerName: Type.String(), number: Type.String(),
  issuedAt: Timestamp, validUntil: Nullable(Timestamp), status: OneOf(['valid', 'revoked', 'expired'] as const) });

export const EntitySchema = Type.Object({
  id: Type.Integer(), library: OneOf(libraries), subject: Nullable(Type.String()), divisionCode: Type.String(),
  golden: Type.Record(Type.String(), GoldenField), conflicts: Type.Record(Type.String(), Type.Array(ConflictValue)), updatedAt: Timestamp,
  records: Type.Array(Type.Object({ id: Type.Integer(), sourceId: Type.Integer(), sourceName: Type.String(), providerName: Type.String(),
    sourceKey: Type.String(), raw: Values, findings: Type.Array(Finding), changedAt: Timestamp })),
  pairs: Type.Array(Type.Object(pairProperties)),
  history: Type.Array(Type.Object({ id: Type.Integer(), action: OneOf(['created', 'merged', 'split', 'golden', 'undone'] as const),
    detail: Type.Record(Type.String(), Type.Unknown()), actor: Type.String(), at: Timestamp, undoable: Type.Boolean() })),
  certificates: Type.Array(CertificateSchema),
});

export const EntitiesSchema = Items(Type.Object({ id: Type.Integer(), subject: Nullable(Type.String()), name: Nullable(Type.String()),
  records: Type.Integer(), conflicts: Type.Integer(), updatedAt: Timestamp }));

export const QualitySchema = Items(Type.Object({
  sourceId: Type.Integer(), resourceName: Type.String(), providerName: Type.String(), records: Type.Integer(), duplicates: Type.Integer(),
  linked: Type.Integer(), conflicts: Type.Array(Type.Object({ field: Type.String(), entities: Type.Integer() })),
  completeness: Type.Array(Type.Object({ field: Type.String(), share: Type.Number() })), checkDigitFailures: Type.Integer(),
  findings: Type.Array(Type.Object({ code: Type.String(), count: Type.Integer() })),
  loads: Type.Array(Type.Object({ id: Type.Integer(), startedAt: Timestamp, state: Type.String(), counts: Counts })),
}));

export const MyRecordSchema = Type.Object({
  entityId: Nullable(Type.Integer()),
  fields: Type.Array(Type.Object({ field: Type.String(), value: Type.String(), sourceName: Type.String(), providerName: Type.String(), at: Timestamp,
    correction: Nullable(Type.Object({ objectionId: Type.Integer(), dueAt: Timestamp, at: Timestamp })) })),
  certificates: Type.Array(CertificateSchema),
});

export const AccessRequestSchema = Type.Object({ id: Type.Integer(), state: Type.String() });
