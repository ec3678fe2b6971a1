/** What the exchange API answers, as schemas: they type the answers at the routes and make the console's types (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Timestamp } from '../../kernel/http/index.ts';
import { LedgerEntrySchema } from '../../kernel/ledger/index.ts';
import { maskings } from './catalogue.ts';
import { purposeNeeds } from './fitness.ts';
import { requestStates } from './requests.ts';

/** Who shares what with whom, and why: a request and the grant it leads to carry these alike. */
const partiesProperties = {
  consumerSystemId: Type.Integer(), consumerDepartmentId: Type.Integer(), resourceId: Type.Integer(), predicateId: Nullable(Type.Integer()),
  providerDepartmentId: Type.Integer(), purpose: Type.String(), legalBasis: Type.String(),
};
/** The names a list shows beside a request or a grant. */
const namesProperties = {
  resourceCode: Type.String(), resourceName: Type.String(), predicateCode: Nullable(Type.String()), systemName: Type.String(),
  consumerDepartmentName: Type.String(), providerDepartmentName: Type.String(),
};

const requestProperties = {
  ...partiesProperties, id: Type.Integer(), fields: Type.Array(Type.String()), scenario: Type.String(), state: OneOf(requestStates),
  requestedBy: Type.String(), requestedAt: Timestamp, dueAt: Timestamp, escalatedAt: Nullable(Timestamp), decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp), reason: Nullable(Type.String()),
};
const grantProperties = {
  ...partiesProperties, id: Type.Integer(), requestId: Nullable(Type.Integer()), fields: Type.Array(Type.String()),
  masking: Type.Record(Type.String(), OneOf(maskings)),
  rowFilter: Type.Array(Type.Object({ field: Type.String(), op: OneOf(['eq', 'in', 'prefix'] as const),
    value: Type.Union([Type.String(), Type.Array(Type.String())]) })),
  validFrom: Timestamp, validUntil: Nullable(Timestamp), dailyQuota: Nullable(Type.Integer()), grantedBy: Type.String(), grantedAt: Timestamp,
  revokedAt: Nullable(Timestamp), revokedBy: Nullable(Type.String()), revokeReason: Nullable(Type.String()),
};
/** 授权 as a change answers it. */
export const GrantSchema = Type.Object(grantProperties);
/** Grants as lists show them: with the names, today's answered calls, and whether they are the viewer's department's. */
export const GrantsSchema = Items(Type.Object({ ...grantProperties, ...namesProperties, callsToday: Type.Integer(),
  /** the viewer's own department is the holder (or giver) */
  ours: Type.Boolean() }));

/** 共享申请 as a change answers it. */
export const SharingRequestSchema = Type.Object({ ...requestProperties,
  /** the grant an approval made */
  grant: Type.Optional(GrantSchema) });
/** A request as lists show it: with the names and its grant. */
export const RequestsSchema = Items(Type.Object({ ...requestProperties, ...namesProperties, grantId: Nullable(Type.Integer()) }));

const evidenceProperties = {
  messageId: Type.String(), at: Timestamp, consumerSystemName: Type.String(), consumerDepartmentId: Type.Integer(),
  consumerDepartmentName: Type.String(), providerDepartmentName: Nullable(Type.String()), resourceCode: Nullable(Type.String()),
  resourceName: Nullable(Type.String()), predicateCode: Nullable(Type.String()),
  /** masked */
  subject: Nullable(Type.String()), fields: Type.Array(Type.String()), purpose: Type.String(), caseId: Type.String(),
  legalBasis: Nullable(Type.String()), requestHash: Type.String(), responseHash: Nullable(Type.String()), status: Type.Integer(),
  code: Type.String(), durationMs: Type.Number(), hiddenUntil: Nullable(Timestamp), hiddenReason: Nullable(Type.String()),
};
/** 调用日志: calls made or served by the viewer's department. */
export const EvidenceListSchema = Items(Type.Object(evidenceProperties));
/** One call's evidence with the hash of its record and its ledger entry. */
export const EvidenceDetailSchema = Type.Object({ ...evidenceProperties, providerDepartmentId: Nullable(Type.Integer()), recordHash: Type.String(), ledgerEntry: Nullable(LedgerEntrySchema) });
export const HiddenEvidenceSchema = Type.Object({ messageId: Type.String(), hiddenUntil: Timestamp, hiddenReason: Type.String() });

/** 我的数据使用记录: the calls that carried the citizen's own ID, newest first. */
export const MyUsageSchema = Type.Object({
  total: Type.Integer(),
  entries: Type.Array(Type.Object({
    messageId: Type.String(), at: Timestamp, consumerDepartmentName: Type.String(), consumerSystemName: Type.String(),
    providerDepartmentName: Nullable(Type.String()), resourceName: Nullable(Type.String()), predicateName: Nullable(Type.String()),
    fields: Type.Array(Type.String()), fieldNames: Type.Array(Type.String()), purpose: Type.String(), legalBasis: Nullable(Type.String()),
    answered: Type.Boolean(),
    /** set once a hidden entry shows: why it was hidden until then */
    hiddenReason: Nullable(Type.String()),
  })),
});

const callCounts = { calls: Type.Integer(), answered: Type.Integer(), refused: Type.Integer(), errors: Type.Integer() };
/** 共享看板: calls, refusals, errors, requests and usage over a period, for a department or the whole hub. */
export const DashboardSchema = Type.Object({
  from: Type.String(), to: Type.String(), scope: OneOf(['hub', 'department'] as const),
  totals: Type.Object(callCounts), days: Type.Array(Type.Object({ day: Type.String(), ...callCounts })),
  byProvider: Type.Array(Type.Object({ name: Type.String(), calls: Type.Integer() })),
  byConsumer: Type.Array(Type.Object({ name: Type.String(), calls: Type.Integer() })),
  topResources: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), calls: Type.Integer() })),
  requests: Type.Object({ pending: Type.Integer(), overdue: Type.Integer(), escalated: Type.Integer(), approved: Type.Integer(),
    refused: Type.Integer(), satisfactionRate: Nullable(Type.Number()) }),
  usage: Type.Object({ published: Type.Integer(), used: Type.Integer(), rate: Nullable(Type.Number()) }),
});

/** What the request form offers: the department's systems, the requestable resources, and one resource's fields and predicates. */
export const RequestOptionsSchema = Type.Object({
  systems: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() })),
  resources: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), shareType: Type.String(), providerName: Type.String() })),
  resource: Type.Optional(Type.Object({
    code: Type.String(),
    fields: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), sensitivity: Type.String(), masking: Type.String() })),
    predicates: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  })),
});

/** What approving with given terms would give the consumer: masking warnings (with an example) and the predicates that fit the purpose. */
export const DecisionReviewSchema = Type.Object({
  needs: Type.Array(OneOf(purposeNeeds)),
  warnings: Type.Array(Type.Object({
    field: Type.String(), rule: OneOf(maskings), reason: OneOf(['dropped', 'defeats-purpose'] as const), need: Nullable(OneOf(purposeNeeds)),
    /** an illustrative value and what the consumer would receive of it (null: nothing) */
    example: Type.Object({ value: Type.String(), masked: Nullable(Type.String()) }),
  })),
  predicates: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), description: Type.String(), field: Type.String() })),
});
