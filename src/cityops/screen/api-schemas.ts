/** What the screen's API answers, as schemas (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Timestamp } from '../../kernel/http/index.ts';
import { orderStates } from './orders.ts';

export const OrderSchema = Type.Object({
  id: Type.Integer(), divisionCode: Type.String(),
  /** the case or the sensor event (报警) the order is about, and its description */
  caseId: Nullable(Type.Integer()), caseCode: Nullable(Type.String()), sensorEventId: Nullable(Type.Integer()), deviceCode: Nullable(Type.String()),
  subject: Type.String(), lon: Type.Number(), lat: Type.Number(),
  departmentId: Type.Integer(), departmentName: Type.String(), instruction: Type.String(),
  /** minutes to acknowledge (签收), and when that runs out */
  ackMinutes: Type.Integer(), ackDueAt: Timestamp, state: OneOf(orderStates),
  issuedAt: Timestamp, issuedByName: Type.String(),
  acknowledgedAt: Nullable(Timestamp), acknowledgedByName: Nullable(Type.String()), ackNote: Nullable(Type.String()),
  /** 升级: when the limit ran out, and the department it went to (the superior, or the command centre) */
  escalatedAt: Nullable(Timestamp), escalatedToDepartmentId: Nullable(Type.Integer()), escalatedToName: Nullable(Type.String()),
  abilities: Type.Object({ acknowledge: Type.Boolean() }),
});
export const OrdersSchema = Items(OrderSchema);

const Counts = Type.Record(Type.String(), Type.Integer());
export const ScreenSchema = Type.Object({
  at: Timestamp,
  /** cases taken in since 00:00 China time */
  today: Type.Object({ total: Type.Integer(), byState: Counts, bySource: Counts }),
  open: Type.Integer(),
  /** open cases past the limit of their step */
  overdue: Type.Integer(),
  topKinds: Type.Array(Type.Object({ kindCode: Type.String(), nameZh: Type.String(), nameEn: Type.String(), count: Type.Integer() })),
  districts: Type.Array(Type.Object({ divisionCode: Type.String(), name: Nullable(Type.String()), today: Type.Integer(), open: Type.Integer(),
    overdue: Type.Integer() })),
  points: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), state: Type.String(), source: Type.String(), kindCode: Type.String(),
    lon: Type.Number(), lat: Type.Number(), overdue: Type.Boolean() })),
  alarms: Type.Array(Type.Object({ id: Type.Integer(), deviceCode: Type.String(), typeNameZh: Type.String(), typeNameEn: Type.String(), rule: Type.String(),
    raisedAt: Timestamp, raisedValue: Type.Number(), unit: Type.String(), divisionCode: Type.String(), lon: Type.Number(), lat: Type.Number(),
    description: Type.String(), caseId: Nullable(Type.Integer()) })),
  orders: Type.Array(OrderSchema),
});

export const OrderDepartmentsSchema = Items(Type.Object({ id: Type.Integer(), name: Type.String(), divisionCode: Type.String(), kind: Type.String() }));
