/** What the catalogue API answers, as schemas: they type the presenters at the routes and make the console's types (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Timestamp } from '../kernel/http/index.ts';
import { entryStates, fieldTypes, identityChecks, levels, maskings, openTypes, sensitivities, shareTypes } from './entries.ts';

/** 信息项: a field with its grade and masking. */
const FieldViewSchema = Type.Object({
  code: Type.String(), name: Type.String(), type: OneOf(fieldTypes), length: Nullable(Type.Integer()),
  sensitivity: OneOf(sensitivities), level: OneOf(levels), masking: OneOf(maskings),
  rules: Type.Object({
    required: Type.Optional(Type.Boolean()), pattern: Type.Optional(Type.String()), min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()), check: Type.Optional(OneOf(identityChecks)),
    /** code of another resource whose key values this field must be one of */
    reference: Type.Optional(Type.String()),
  }),
});

const entryProperties = {
  id: Type.Integer(), code: Type.String(), name: Type.String(), providerDepartmentId: Type.Integer(), providerName: Type.String(),
  systemId: Nullable(Type.Integer()), kind: OneOf(['table', 'api'] as const), summary: Type.String(), format: Type.String(),
  updateCycle: Type.String(), shareType: OneOf(shareTypes), shareCondition: Type.String(), openType: OneOf(openTypes),
  subjectKind: Nullable(OneOf(['person', 'company'] as const)), subjectField: Nullable(Type.String()), keyField: Nullable(Type.String()),
  status: OneOf(entryStates), version: Type.Integer(), publishedVersion: Nullable(Type.Integer()), reviewNote: Nullable(Type.String()),
  /** api details: null for anyone but the provider and the hub administrators */
  apiUrl: Nullable(Type.String()), apiTimeoutMs: Nullable(Type.Integer()),
  apiMapping: Nullable(Type.Object({ root: Type.String(), fields: Type.Record(Type.String(), Type.String()) })),
  topSensitivity: OneOf(sensitivities), rowCount: Type.Integer(), qualityScore: Nullable(Type.Number()), qualityCheckedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
};

/** An entry with its fields and the buttons the viewer may press. */
export const EntrySchema = Type.Object({
  ...entryProperties, fields: Type.Array(FieldViewSchema),
  abilities: Type.Object({ edit: Type.Boolean(), submit: Type.Boolean(), review: Type.Boolean(), retire: Type.Boolean(),
    load: Type.Boolean(), object: Type.Boolean() }),
});
/** One published version as it was. */
export const VersionSchema = Type.Object({ ...entryProperties, fields: Type.Array(FieldViewSchema) });
export const FieldsSchema = Items(FieldViewSchema);

const Facet = Type.Array(Type.Object({ value: Type.String(), label: Type.Optional(Type.String()), count: Type.Integer() }));
/** 目录检索: a page of entries (without their fields) with the facets of the whole result. */
export const CataloguePageSchema = Type.Object({
  total: Type.Integer(), items: Type.Array(Type.Object(entryProperties)),
  facets: Type.Object({ provider: Facet, shareType: Facet, sensitivity: Facet, status: Facet, openType: Facet }),
  extraFacets: Type.Object({ format: Type.Optional(Facet), theme: Type.Optional(Facet), updateCycle: Type.Optional(Facet), tag: Type.Optional(Facet) }),
});

export const VersionsSchema = Items(Type.Object({ version: Type.Integer(), publishedAt: Timestamp, publishedBy: Type.String() }));

/** 疑义: an objection to a record of another department's resource. */
export const ObjectionSchema = Type.Object({
  id: Type.Integer(), resourceCode: Type.String(), resourceName: Type.String(), providerDepartmentId: Type.Integer(), providerName: Type.String(),
  rowKey: Type.String(), fieldCode: Type.String(), description: Type.String(), raisedByDepartmentId: Type.Integer(),
  raisedByName: Type.String(), raisedAt: Timestamp, dueAt: Timestamp, state: OneOf(['open', 'corrected', 'rejected'] as const),
  answer: Nullable(Type.String()), answeredAt: Nullable(Timestamp), overdue: Type.Boolean(),
});
export const ObjectionsSchema = Items(ObjectionSchema);

/** What a load did: rows loaded, rows refused with the first errors, and the quality score after it. */
export const LoadReportSchema = Type.Object({
  importId: Type.Integer(), code: Type.String(), source: OneOf(['csv', 'json', 'push'] as const),
  total: Type.Integer(), loaded: Type.Integer(), failed: Type.Integer(),
  /** the first errors; `row` is 1-based, a CSV file's header being row 1 */
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
  durationMs: Type.Number(), qualityScore: Nullable(Type.Number()),
});

/** 信息系统: a department's information system. */
export const SystemSchema = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), departmentId: Type.Integer(), departmentName: Type.String(),
  purpose: Type.String(), contact: Type.String(),
});
export const SystemsSchema = Items(SystemSchema);
/** A system's token as lists show it: never its text. */
export const SystemTokenSchema = Type.Object({ id: Type.String(), createdBy: Nullable(Type.String()), createdAt: Timestamp, expiresAt: Timestamp, revokedAt: Nullable(Timestamp) });
export const SystemTokensSchema = Items(SystemTokenSchema);
/** A token just issued: its text, shown this once. */
export const IssuedTokenSchema = Type.Object({ token: Type.String(), tokenId: Type.String(), expiresAt: Timestamp,
  /** on rotation: the tokens that stopped working */
  revoked: Type.Optional(Type.Array(Type.String())) });
