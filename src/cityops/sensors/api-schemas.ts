/** What the sensors' API answers, as schemas. */
import Type from 'typebox';
import { Nullable, OneOf, Page, Timestamp } from '../../kernel/http/index.ts';

const connectivity = ['never', 'online', 'offline'] as const;

export const DeviceSchema = Type.Object({
  code: Type.String(), typeCode: Type.String(), name: Type.String(), divisionCode: Type.String(), gridCode: Nullable(Type.String()),
  lon: Type.Number(), lat: Type.Number(),
  /** the component (部件) the device is mounted on */
  componentCode: Nullable(Type.String()),
  /** a disabled device's readings and connections are refused */
  enabled: Type.Boolean(),
  /** never: no reading yet; offline: silent for longer than its type allows */
  connectivity: OneOf(connectivity),
  lastSeenAt: Nullable(Timestamp), lastSeq: Nullable(Type.Number()), lastValue: Nullable(Type.Number()), lastReadingAt: Nullable(Timestamp),
  createdAt: Timestamp, updatedAt: Timestamp,
  abilities: Type.Object({ manage: Type.Boolean() }),
});
export const DevicesSchema = Page(DeviceSchema);

/** A device with its secret: answered once, when registered or re-keyed. */
export const DeviceWithSecretSchema = Type.Object({
  ...DeviceSchema.properties,
  /** the MQTT password, and the key readings are signed with (HMAC-SHA256 keyed by HMAC-SHA256(secret, "yiwang/sensor-reading/v1")) */
  secret: Type.String(),
  /** where the device publishes its readings */
  topic: Type.String(),
});

const RuleSchema = Type.Object({
  name: Type.String(), label: Type.Optional(Type.String()), kind: OneOf(['threshold', 'rate'] as const), direction: OneOf(['above', 'below', 'rise', 'fall'] as const),
  raise: Type.Optional(Type.Number()), clear: Type.Optional(Type.Number()), perMinute: Type.Optional(Type.Number()),
  clearPerMinute: Type.Optional(Type.Number()), windowSeconds: Type.Optional(Type.Number()),
  debounceReadings: Type.Number(), debounceSeconds: Type.Number(),
});

export const SensorTypeSchema = Type.Object({
  code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), unit: Type.String(), offlineAfterSeconds: Type.Integer(),
  /** readings older than this many days are deleted; events stay */
  retentionDays: Type.Integer(),
  rules: Type.Array(RuleSchema), caseClassCode: Type.String(), caseKindCode: Type.String(),
});

export const SensorEventSchema = Type.Object({
  id: Type.Integer(), deviceCode: Type.String(), typeCode: Type.String(), rule: Type.String(), ruleKind: OneOf(['threshold', 'rate'] as const),
  state: OneOf(['raised', 'cleared'] as const), raisedAt: Timestamp, raisedValue: Type.Number(), clearedAt: Nullable(Timestamp),
  clearedValue: Nullable(Type.Number()), divisionCode: Type.String(), gridCode: Nullable(Type.String()), lon: Type.Number(), lat: Type.Number(),
  componentCode: Nullable(Type.String()),
  /** the kind (小类) a case about the event is filed under */
  caseClassCode: Type.String(), caseKindCode: Type.String(), description: Type.String(),
  /** the case (案件) the event opened; null while still to be opened, or when refused (`caseError` says why) */
  caseId: Nullable(Type.Integer()), caseError: Nullable(Type.String()),
});
export const SensorEventsSchema = Page(SensorEventSchema);

export const ReadingOutcomesSchema = Type.Object({
  /** per reading: stored; late (stored, older than the device's latest, not fed to the rules); duplicate (seen before, ignored) */
  outcomes: Type.Array(OneOf(['stored', 'late', 'duplicate'] as const)),
});

export const IngestStatsSchema = Type.Object({
  received: Type.Integer(), stored: Type.Integer(), late: Type.Integer(), duplicate: Type.Integer(),
  refused: Type.Record(Type.String(), Type.Integer()), flushes: Type.Integer(), eventsRaised: Type.Integer(), eventsCleared: Type.Integer(),
});

export const DeviceReadingsSchema = Type.Object({
  items: Type.Array(Type.Object({ seq: Type.Number(), at: Timestamp, value: Type.Number() })),
});
