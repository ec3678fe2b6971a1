import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import mqtt from 'mqtt';
import { signingKeyOf } from '../../src/cityops/sensors/devices.ts';
import { signReading } from '../../src/cityops/sensors/ingest.ts';
import { acquireIngest, readingsTopic, releaseIngest, startSensorMqtt, type RunningMqtt } from '../../src/cityops/sensors/service.ts';
import { cityopsAppPerFile, inGa } from './factories.ts';

const t = cityopsAppPerFile();
const secrets = new Map<string, string>();
const mosquitto = { host: '127.0.0.1', port: 1883 };

function reading(device: string, seq: number, value: number, secret = secrets.get(device)!) {
  const r = { device, seq, at: Date.now(), value };
  return JSON.stringify({ ...r, sig: signReading(signingKeyOf(secret), r) });
}

async function register(code: string) {
  const res = await t.call('POST', '/sensors/devices', 'ga_admin', { code, typeCode: 'manhole_tilt', ...inGa });
  assert.equal(res.statusCode, 201, res.body);
  secrets.set(code, res.json().secret);
}

/** Waits until `check` holds (the ingest flushes within a few tens of milliseconds). */
async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const storedSeqs = async (code: string) => (await t.db.query(`SELECT seq::int FROM cityops_sensor_readings r JOIN cityops_sensor_devices d ON d.id = r.device_id
  WHERE d.code = $1 ORDER BY seq`, [code])).rows.map((r) => r.seq);

const reachable = () => new Promise<boolean>((resolve) => {
  const socket = net.connect(mosquitto.port, mosquitto.host, () => {
    socket.end();
    resolve(true);
  });
  socket.on('error', () => resolve(false));
  socket.setTimeout(500, () => {
    socket.destroy();
    resolve(false);
  });
});

test('embedded broker: a device logs in with its secret, publishes on its own topic only; bad readings are refused and counted', async () => {
  await register('MT-M001');
  await register('MT-M002');
  const ingest = await acquireIngest(t.db, { log: () => undefined });
  const broker: RunningMqtt = await startSensorMqtt(t.db, { port: 0, host: '127.0.0.1' }, () => undefined);
  try {
    const refused = await mqtt.connectAsync(broker.address, { username: 'MT-M001', password: 'wrong', reconnectPeriod: 0 }).then(() => 'connected', (e: Error) => e.message);
    assert.match(refused, /Bad username or password/i);
    const device = await mqtt.connectAsync(broker.address, { username: 'MT-M001', password: secrets.get('MT-M001')!, reconnectPeriod: 0 });
    await device.publishAsync(readingsTopic('MT-M001'), reading('MT-M001', 1, 1.5), { qos: 1 });
    await device.publishAsync(readingsTopic('MT-M001'), reading('MT-M001', 1, 1.5), { qos: 1 });
    await device.publishAsync(readingsTopic('MT-M001'), '{"device": "MT-M001", "seq": 2', { qos: 1 });
    await device.publishAsync(readingsTopic('MT-M001'), reading('MT-M002', 2, 1.5), { qos: 1 });
    await device.publishAsync(readingsTopic('MT-M001'), reading('MT-M001', 3, 1.5, 'not-the-secret'), { qos: 1 });
    await until(async () => ingest.stats.refused['cityops.sensor.bad-signature'] === 1 && ingest.stats.duplicate === 1, 'the readings and refusals');
    assert.deepEqual(await storedSeqs('MT-M001'), [1], 'the repeat, the malformed, the foreign and the unsigned reading are not stored');
    assert.equal(ingest.stats.duplicate, 1);
    assert.equal(ingest.stats.refused['cityops.sensor.malformed-reading'], 1);
    assert.equal(ingest.stats.refused['cityops.sensor.foreign-topic'], 1);
    // Publishing on another device's topic closes the connection; nothing is stored for the other device.
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(readingsTopic('MT-M002'), reading('MT-M002', 1, 1.5), { qos: 0 });
    await closed;
    device.end(true);
    assert.deepEqual(await storedSeqs('MT-M002'), []);
    assert.equal(ingest.stats.refused['cityops.sensor.foreign-topic'], 2);
    const subscriber = await mqtt.connectAsync(broker.address, { username: 'MT-M002', password: secrets.get('MT-M002')!, reconnectPeriod: 0 });
    const granted = await subscriber.subscribeAsync('yiwang/sensors/+/readings').catch((e: Error) => e);
    assert.ok(granted instanceof Error || granted.every((g) => g.qos === 128), 'a device may not listen to the others\' readings');
    subscriber.end(true);
  } finally {
    await broker.stop();
    await releaseIngest(t.db);
  }
});

test('external broker (Mosquitto at 127.0.0.1:1883): the platform subscribes and checks device, topic and signature itself', async (ctx) => {
  if (!(await reachable())) {
    ctx.skip('no MQTT broker answers at 127.0.0.1:1883 (install and start mosquitto to run this case)');
    return;
  }
  await register('MT-X001');
  const ingest = await acquireIngest(t.db, { log: () => undefined });
  const url = `mqtt://${mosquitto.host}:${mosquitto.port}`;
  const platform = await startSensorMqtt(t.db, { url, port: 0, host: '127.0.0.1' }, () => undefined);
  const device = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  try {
    const before = { ...ingest.stats.refused };
    await device.publishAsync(readingsTopic('MT-X001'), reading('MT-X001', 1, 20), { qos: 1 });
    await device.publishAsync(readingsTopic('MT-X001'), reading('MT-X001', 2, 21), { qos: 1 });
    // The broker lets anyone publish anywhere: a reading of MT-M001 on MT-X001's topic, and a forged one.
    await device.publishAsync(readingsTopic('MT-X001'), reading('MT-M001', 5, 20), { qos: 1 });
    await device.publishAsync(readingsTopic('MT-M001'), reading('MT-M001', 6, 20, 'forged'), { qos: 1 });
    await until(async () => (await storedSeqs('MT-X001')).length === 2 && (ingest.stats.refused['cityops.sensor.bad-signature'] ?? 0) > (before['cityops.sensor.bad-signature'] ?? 0),
      'the readings through Mosquitto');
    assert.equal(ingest.stats.refused['cityops.sensor.foreign-topic'], (before['cityops.sensor.foreign-topic'] ?? 0) + 1);
    assert.deepEqual(await storedSeqs('MT-M001'), [1], 'nothing more for MT-M001');
    const events = (await t.call('GET', '/sensors/events?deviceCode=MT-X001', 'ga_officer')).json().items;
    assert.deepEqual(events.map((e: { rule: string; state: string }) => `${e.rule}:${e.state}`), ['tilted:raised']);
  } finally {
    device.end(true);
    await platform.stop();
    await releaseIngest(t.db);
  }
});
