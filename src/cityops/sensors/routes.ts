/** 感知设备 (sensors): devices, types, events and HTTP ingest of readings, under /api/v1/cityops/sensors. */
import Type from 'typebox';
import type { Actor } from '../../kernel/auth/index.ts';
import { can } from '../../kernel/auth/index.ts';
import { runCommand, type App } from '../../kernel/http/index.ts';
import {
  DeviceReadingsSchema, DeviceSchema, DevicesSchema, DeviceWithSecretSchema, IngestStatsSchema, ReadingOutcomesSchema, SensorEventsSchema,
  SensorTypeSchema,
} from './api-schemas.ts';
import { getDevice, listDevices, registerDevice, rotateDeviceSecret, setDeviceEnabled, type Device } from './devices.ts';
import { deviceReadings, listSensorEvents } from './events.ts';
import type { SensorIngest } from './ingest.ts';
import { sensorActions } from './policy.ts';
import { acquireIngest, readingsTopic, releaseIngest, runningIngest } from './service.ts';
import { listSensorTypes, updateSensorType } from './types.ts';
import { assertCan } from '../../kernel/auth/index.ts';

const DeviceCode = Type.String({ minLength: 1, maxLength: 40 });
const connectivity = Type.Union([Type.Literal('never'), Type.Literal('online'), Type.Literal('offline')]);

/** A device as the API shows it: without its row number, with what the viewer may do. */
function presentDevice(device: Device, viewer: Actor) {
  const { id: _id, ...shown } = device;
  return { ...shown, abilities: { manage: can(viewer, sensorActions.manage, device) } };
}
const withSecret = (device: Device & { secret: string }, viewer: Actor) =>
  ({ ...presentDevice(device, viewer), secret: device.secret, topic: readingsTopic(device.code) });

export async function sensorRoutes(app: App) {
  // The ingest starts with the first reading over HTTP (the platform's MQTT service may have started it already).
  let ingest: Promise<SensorIngest> | undefined;
  const ingestNow = () => (ingest ??= acquireIngest(app.db, { log: (line) => app.log.warn(line) }));
  // After a change to a device commits, this process's ingest reads the device again on its next reading.
  const changed = <T extends { code: string }>(device: T) => {
    runningIngest(app.db)?.forget(device.code);
    return device;
  };
  app.addHook('onClose', async () => {
    if (ingest) await releaseIngest(app.db);
  });

  app.post('/sensors/readings', {
    schema: { tags: ['cityops'], summary: '读数接入 One reading, signed by its device (HMAC-SHA256, see docs/cityops.md); no login',
      body: Type.Unknown(), response: { 200: ReadingOutcomesSchema } },
  }, async (req) => ({ outcomes: await (await ingestNow()).accept(req.body, { transport: 'http' }) }));

  app.post('/sensors/readings/batch', {
    schema: { tags: ['cityops'], summary: 'Readings in one request, each signed by its device: stored all, or (one refused) none',
      body: Type.Object({ readings: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) }), response: { 200: ReadingOutcomesSchema } },
  }, async (req) => ({ outcomes: await (await ingestNow()).accept(req.body.readings, { transport: 'http', batch: true }) }));

  app.get('/sensors/ingest', {
    schema: { tags: ['cityops'], summary: 'Counts of this process\'s ingest since it started: readings stored, late, repeated, refused by reason',
      response: { 200: IngestStatsSchema } },
  }, async (req) => {
    assertCan(req.actor, sensorActions.manage);
    return (await ingestNow()).stats;
  });

  app.get('/sensors/types', {
    schema: { tags: ['cityops'], summary: 'Device types with their rules', response: { 200: Type.Object({ items: Type.Array(SensorTypeSchema) }) } },
  }, async (req) => {
    assertCan(req.actor, sensorActions.read);
    return { items: await listSensorTypes(app.db) };
  });

  app.patch('/sensors/types/:code', {
    schema: { tags: ['cityops'], summary: 'Set a device type\'s rules (threshold with hysteresis, rate of change, debounce), offline interval and readings\' retention',
      params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
      body: Type.Object({ rules: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 10 })), offlineAfterSeconds: Type.Optional(Type.Integer()),
        retentionDays: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
      response: { 200: SensorTypeSchema } },
  }, (req) => runCommand(req, updateSensorType, { ...req.body, code: req.params.code }));

  app.get('/sensors/devices', {
    schema: { tags: ['cityops'], summary: 'Devices within the jurisdiction with state, last seen and latest reading',
      querystring: Type.Object({ typeCode: Type.Optional(Type.String({ maxLength: 40 })), connectivity: Type.Optional(connectivity),
        enabled: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ maxLength: 40 })),
        page: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }),
      response: { 200: DevicesSchema } },
  }, async (req) => {
    const page = await listDevices(app.db, req.actor, req.query);
    return { total: page.total, items: page.items.map((d) => presentDevice(d, req.actor)) };
  });

  app.get('/sensors/devices/:code', {
    schema: { tags: ['cityops'], params: Type.Object({ code: DeviceCode }), response: { 200: DeviceSchema } },
  }, async (req) => presentDevice(await getDevice(app.db, req.actor, req.params.code), req.actor));

  app.get('/sensors/devices/:code/readings', {
    schema: { tags: ['cityops'], summary: 'A device\'s latest readings, newest first', params: Type.Object({ code: DeviceCode }),
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }) }), response: { 200: DeviceReadingsSchema } },
  }, async (req) => ({ items: await deviceReadings(app.db, (await getDevice(app.db, req.actor, req.params.code)).id, req.query.limit) }));

  app.post('/sensors/devices', {
    schema: { tags: ['cityops'], summary: '设备登记 Register a device; the answer holds its secret, shown this once',
      body: Type.Object({ code: DeviceCode, typeCode: Type.String({ maxLength: 40 }), name: Type.Optional(Type.String({ maxLength: 100 })),
        componentCode: Type.Optional(Type.String({ maxLength: 40 })), lon: Type.Optional(Type.Number()), lat: Type.Optional(Type.Number()) },
      { additionalProperties: false }),
      response: { 201: DeviceWithSecretSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, registerDevice, req.body, withSecret);
  });

  app.post('/sensors/devices/:code/disable', {
    schema: { tags: ['cityops'], summary: '停用 Disable a device: its readings and connections are refused',
      params: Type.Object({ code: DeviceCode }), body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) })),
      response: { 200: DeviceSchema } },
  }, async (req) => changed(await runCommand(req, setDeviceEnabled, { code: req.params.code, enabled: false, reason: req.body?.reason }, presentDevice)));

  app.post('/sensors/devices/:code/enable', {
    schema: { tags: ['cityops'], summary: '启用 Enable a disabled device', params: Type.Object({ code: DeviceCode }), response: { 200: DeviceSchema } },
  }, async (req) => changed(await runCommand(req, setDeviceEnabled, { code: req.params.code, enabled: true }, presentDevice)));

  app.post('/sensors/devices/:code/secret', {
    schema: { tags: ['cityops'], summary: '更换密钥 A new secret for the device (shown once); the old one stops working',
      params: Type.Object({ code: DeviceCode }), response: { 200: DeviceWithSecretSchema } },
  }, async (req) => changed(await runCommand(req, rotateDeviceSecret, { code: req.params.code }, withSecret)));

  app.get('/sensors/events', {
    schema: { tags: ['cityops'], summary: 'Events raised by the rules within the jurisdiction, newest first',
      querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('raised'), Type.Literal('cleared')])),
        deviceCode: Type.Optional(DeviceCode), typeCode: Type.Optional(Type.String({ maxLength: 40 })),
        page: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }),
      response: { 200: SensorEventsSchema } },
  }, (req) => listSensorEvents(app.db, req.actor, req.query));
}
