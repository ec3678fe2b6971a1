import Type from 'typebox';
import { Items, Nullable, OneOf, runCommand, Timestamp, type App } from '../kernel/http/index.ts';
import { Photos, photoBody, step } from './case-routes.ts';
import { assignWorker, checkIn, fieldSteps, listFieldTasks } from './field.ts';
import { getDuty, listStaffOnDuty, reportPosition, setDuty } from './field-duty.ts';

const tags = ['cityops'];
const CaseId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const When = (description: string) => Type.String({ format: 'date-time', description });
const Position = { lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }),
  accuracy: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000 }))), at: When('when the phone took the position') };

const CheckInSchema = Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), step: OneOf(fieldSteps), distanceM: Type.Number(), allowedM: Type.Number(),
  accuracy: Nullable(Type.Number()), positionAt: Timestamp,
  /** when the worker checked in on the phone; receivedAt is later when it waited in the phone's offline queue */
  recordedAt: Timestamp, receivedAt: Timestamp, dueAt: Nullable(Timestamp),
  /** arrived after the step's limit (迟到) */
  late: Type.Boolean(),
});
const TaskSchema = Type.Object({
  caseId: Type.Integer(), code: Type.String(), step: OneOf(fieldSteps), kindCode: Type.String(), kindNameZh: Type.String(),
  kindNameEn: Type.String(), urgency: Type.String(), description: Type.String(), address: Type.String(), lon: Type.Number(), lat: Type.Number(),
  reply: Nullable(Type.String()), dueAt: Nullable(Timestamp), stepStartedAt: Timestamp, checkIn: Nullable(CheckInSchema),
});
const DutySchema = Type.Object({ onDuty: Type.Boolean(), changedAt: Nullable(Timestamp) });

/** 一网统管, field work (现场作业): the worker's tasks, the arrival check-in, duty and positions, under /api/v1/cityops. */
export async function cityopsFieldRoutes(app: App) {
  app.get('/field/tasks', {
    schema: { tags, summary: '今日任务 The caller\'s own open field tasks (核实, 处置, 核查) with their check-ins; the unit\'s cases nobody has taken',
      response: { 200: Type.Object({ items: Type.Array(TaskSchema), available: Type.Array(TaskSchema) }) } },
  }, (req) => listFieldTasks(app.db, req.actor));

  app.post('/cases/:id/worker', {
    schema: { tags, summary: '指派处置人员 The unit gives a case in 处置 to one of its workers; without userId the caller takes it', params: CaseId,
      body: Type.Object({ userId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))) }, { additionalProperties: false }) },
  }, (req) => step(app, req, assignWorker, { ...req.body, caseId: req.params.id }));

  app.post('/cases/:id/arrive', {
    ...photoBody,
    schema: { tags, summary: '到场签到 Check in on site: refused outside the task\'s fence (with the distance) or for a stale position', params: CaseId,
      body: Type.Object({ clientId: Type.String({ format: 'uuid', description: 'the phone\'s id for this check-in: sending it again is harmless' }),
        ...Position, recordedAt: Type.Optional(Nullable(When('when the worker checked in, if it waited in the phone\'s offline queue'))),
        photos: Type.Optional(Photos) }, { additionalProperties: false }),
      response: { 200: CheckInSchema } },
  }, (req) => runCommand(req, checkIn, { ...req.body, caseId: req.params.id }));

  app.get('/field/duty', { schema: { tags, summary: 'Whether the caller is on duty (在岗)', response: { 200: DutySchema } } },
    (req) => getDuty(app.db, req.actor));

  app.put('/field/duty', {
    schema: { tags, summary: '上岗 / 离岗 Go on or off duty; off duty deletes the caller\'s positions',
      body: Type.Object({ onDuty: Type.Boolean() }, { additionalProperties: false }), response: { 200: DutySchema } },
  }, (req) => runCommand(req, setDuty, req.body));

  app.post('/field/positions', {
    schema: { tags, summary: 'The phone\'s position while on duty (kept 24 hours at most, deleted on going off duty)',
      body: Type.Object(Position, { additionalProperties: false }), response: { 200: Type.Object({ at: Timestamp }) } },
  }, (req) => runCommand(req, reportPosition, req.body));

  app.get('/field/on-duty', {
    schema: { tags, summary: '在岗人员 Field workers on duty in the caller\'s jurisdiction with their latest position (centres)',
      response: { 200: Items(Type.Object({ userId: Type.Integer(), name: Type.String(), departmentName: Nullable(Type.String()), divisionCode: Type.String(),
        since: Timestamp, position: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), accuracy: Nullable(Type.Number()), at: Timestamp })) })) } },
  }, (req) => runCommand(req, listStaffOnDuty, undefined, (items) => ({ items })));
}
