/**
 * MQTT for sensors. By default the platform runs its own broker (aedes) on a port of its own: a device
 * connects with its code as username and its secret as password (checked against the stored scrypt hash),
 * may publish only on its own topic `yiwang/sensors/<code>/readings` (publishing on another's closes its
 * connection) and subscribe only under its own `yiwang/sensors/<code>/`. With an external broker
 * (YIWANG_MQTT_URL, e.g. Mosquitto) the platform subscribes to `yiwang/sensors/+/readings`; the broker's ACL
 * may bind topics to users, and the platform checks on its side that a reading is its topic's device's and
 * signed with that device's key. Either way each reading carries its HMAC signature (ingest.ts).
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqtt from 'mqtt';
import { verifyPassword } from '../../kernel/auth/index.ts';
import type { Db } from '../../kernel/db/index.ts';
import { StartupError } from '../../kernel/errors.ts';
import type { ModuleService } from '../../kernel/module.ts';
import { openEventCases } from './cases.ts';
import { SensorIngest, type IngestOptions } from './ingest.ts';

export const readingsTopic = (code: string) => `yiwang/sensors/${code}/readings`;
const topicPattern = /^yiwang\/sensors\/([A-Za-z0-9][A-Za-z0-9_-]{2,39})\/readings$/;

// One ingest per database pool in a process, shared by the brokers and the HTTP routes, counted by its users.
const ingests = new Map<Db, { ingest: SensorIngest; ready: Promise<void>; users: number }>();

/** The process's ingest for `db`, started on first use; give it back with `releaseIngest` (the last one stops it). */
export async function acquireIngest(db: Db, options?: IngestOptions): Promise<SensorIngest> {
  let held = ingests.get(db);
  if (!held) {
    const ingest = new SensorIngest(db, options);
    // The case of a raised event is opened as soon as the event is committed (the sweep catches any missed).
    ingest.onEvents((events) => {
      const raised = events.filter((e) => e.change === 'raised').map((e) => e.id);
      if (raised.length > 0) openEventCases(db, raised).catch((error: unknown) => (options?.log ?? console.error)(`sensor event cases: ${String(error)}`));
    });
    held = { ingest, ready: ingest.start(), users: 0 };
    ingests.set(db, held);
  }
  held.users++;
  await held.ready;
  return held.ingest;
}

/** The ingest running for `db` in this process, if any. */
export const runningIngest = (db: Db): SensorIngest | undefined => ingests.get(db)?.ingest;

export async function releaseIngest(db: Db): Promise<void> {
  const held = ingests.get(db);
  if (!held || --held.users > 0) return;
  ingests.delete(db);
  await held.ingest.stop();
}

export interface MqttSettings {
  /** External broker URL (mqtt://user:password@host:1883); unset, the embedded broker runs. */
  url?: string;
  /** Port and address of the embedded broker. */
  port: number;
  host: string;
}

export interface RunningMqtt {
  /** Where devices connect: the embedded broker's address, or the external URL without its credentials. */
  address: string;
  /** Devices connected to the embedded broker (none counted with an external one). */
  clients(): number;
  stop(): Promise<void>;
}

const authError = (message: string): AuthenticateError => Object.assign(new Error(message), { returnCode: 4 as const }) as AuthenticateError;
const deviceOf = new WeakMap<Client, string>();

// Logins that passed scrypt, by a keyed digest of (code, secret, stored hash): a device reconnecting (a network
// blip, a restart of the broker) costs no second scrypt while its secret stays the same. The key lives in memory only.
const loginKey = crypto.randomBytes(32);
const verified = new Set<string>();
const loginDigest = (code: string, secret: Buffer, hash: string) =>
  crypto.createHmac('sha256', loginKey).update(code).update('\0').update(secret).update('\0').update(hash).digest('base64');

/** Checks a device's MQTT login: an enabled device whose secret matches the stored hash. */
async function deviceLogin(db: Db, username: string | undefined, password: Buffer | undefined): Promise<string | null> {
  if (!username || !password) return null;
  const { rows } = await db.query<{ hash: string; enabled: boolean }>(
    'SELECT secret_hash AS hash, enabled FROM cityops_sensor_devices WHERE code = $1', [username]);
  const row = rows[0];
  if (!row?.enabled) return null;
  const digest = loginDigest(username, password, row.hash);
  if (verified.has(digest)) return username;
  if (!(await verifyPassword(password.toString('utf8'), row.hash))) return null;
  if (verified.size >= 100_000) verified.clear();
  verified.add(digest);
  return username;
}

/** Starts the embedded broker on its port, feeding the ingest. */
async function startEmbedded(db: Db, ingest: SensorIngest, settings: MqttSettings, log: (line: string) => void): Promise<RunningMqtt> {
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      deviceLogin(db, username, password).then((code) => {
        if (!code) {
          ingest.stats.refused['cityops.sensor.bad-login'] = (ingest.stats.refused['cityops.sensor.bad-login'] ?? 0) + 1;
          return done(authError('bad device code or secret, or the device is disabled'), false);
        }
        deviceOf.set(client, code);
        done(null, true);
      }, (error: unknown) => {
        log(`sensor device ${username ?? '?'} login failed: ${String(error)}`);
        done(Object.assign(error as Error, { returnCode: 3 as const }) as AuthenticateError, false);
      });
    },
    authorizePublish(client, packet, callback) {
      const code = client ? deviceOf.get(client) : undefined;
      const topicDevice = topicPattern.exec(packet.topic)?.[1];
      if (!code || topicDevice !== code) {
        // Another device's topic, or no reading topic at all: refused, and the connection closed (MQTT 3.1.1 has no refusal code).
        ingest.stats.refused['cityops.sensor.foreign-topic'] = (ingest.stats.refused['cityops.sensor.foreign-topic'] ?? 0) + 1;
        log(`sensor device ${code ?? '?'} published on ${packet.topic}: refused, connection closed`);
        return callback(new Error(`device ${code} may publish only on ${readingsTopic(code ?? '<code>')}`));
      }
      callback(null);
      feed(ingest, packet.payload, code, 'mqtt');
    },
    authorizeSubscribe(client, subscription, callback) {
      const code = deviceOf.get(client);
      const own = code !== undefined && subscription.topic.startsWith(`yiwang/sensors/${code}/`) && !subscription.topic.includes('+')
        && !subscription.topic.slice(`yiwang/sensors/${code}/`.length).startsWith('#') ;
      if (!own) return callback(new Error(`a device subscribes only under yiwang/sensors/${code ?? '<code>'}/`));
      callback(null, subscription);
    },
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `mqtt://${settings.host}:${port}`,
    clients: () => broker.connectedClients,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Hands an MQTT payload to the ingest; a refusal is counted and logged there, nothing goes back to the device. */
function feed(ingest: SensorIngest, payload: Buffer | string, topicDevice: string, transport: string): void {
  let reading: unknown;
  try {
    reading = JSON.parse(payload.toString());
  } catch {
    reading = null; // the ingest refuses it as malformed, and counts it
  }
  // A refusal is counted and logged by the ingest; MQTT 3.1.1 has no way to tell the device (operators read the counts at GET /sensors/ingest).
  ingest.accept(reading, { transport, topicDevice }).catch(() => undefined);
}

/** Subscribes to the devices' topics on an external broker. */
async function startExternal(ingest: SensorIngest, url: string, log: (line: string) => void): Promise<RunningMqtt> {
  const client = await mqtt.connectAsync(url, {
    clientId: `yiwang-platform-${crypto.randomBytes(4).toString('hex')}`, reconnectPeriod: 2_000, connectTimeout: 5_000,
  });
  client.on('error', (error) => log(`MQTT broker ${url}: ${error.message}`));
  client.on('message', (topic, payload) => {
    const device = topicPattern.exec(topic)?.[1];
    if (device) feed(ingest, payload, device, 'mqtt');
  });
  await client.subscribeAsync('yiwang/sensors/+/readings', { qos: 1 });
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  return { address: shown.toString(), clients: () => 0, stop: () => client.endAsync() };
}

/** Starts MQTT for sensors: the external broker's subscription when a URL is set, the embedded broker otherwise. */
export async function startSensorMqtt(db: Db, settings: MqttSettings, log: (line: string) => void = console.error): Promise<RunningMqtt> {
  const ingest = await acquireIngest(db, { log });
  try {
    const running = settings.url ? await startExternal(ingest, settings.url, log) : await startEmbedded(db, ingest, settings, log);
    return { ...running, async stop() {
      await running.stop();
      await releaseIngest(db);
    } };
  } catch (error) {
    await releaseIngest(db);
    throw error;
  }
}

/** The platform's MQTT service for sensors (started by `yiwang start`, with the settings of YIWANG_MQTT_*). */
export const sensorMqttService: ModuleService = {
  name: 'cityops.sensors.mqtt',
  async start({ db, config, log }) {
    try {
      const running = await startSensorMqtt(db, { url: config.mqttUrl, port: config.mqttPort, host: config.mqttHost }, log);
      return { describe: [`Sensors MQTT: ${config.mqttUrl ? 'subscribed to the broker at' : 'broker at'} ${running.address}`], stop: running.stop };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new StartupError(`the sensors' MQTT port ${config.mqttPort} is in use. Start with YIWANG_MQTT_PORT=<another port>, `
          + 'or YIWANG_MQTT_URL=<the broker that runs there>.');
      throw error;
    }
  },
};
