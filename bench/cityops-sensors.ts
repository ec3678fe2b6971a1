// Sensors (感知设备): MQTT ingest with the rules evaluated. The embedded broker and the ingest run in this process
// on a scratch database; 400 devices (200 water-level, 200 smoke), each on its own MQTT connection (QoS 1), publish
// from a child process at a fixed total rate for 30 s. Every tenth smoke device alternates two high and two low
// readings, so its `smoke` event is raised and cleared again and again (debounce 2). Prints the readings stored per
// second over the run after 5 s of warm-up at the same rate (sustained: the backlog at the end is counted against it),
// and the p50/p99 of reading → event (from the device stamping the reading to the commit of the event it raised).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { acquireIngest, readingsTopic, releaseIngest, signingKeyOf, signReading, startSensorMqtt } from '../src/cityops/index.ts';
import { hashPassword } from '../src/kernel/auth/index.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const secret = 'bench-device-secret';
const DEVICES = 400;
const RATE = Number(process.env.BENCH_SENSOR_RATE ?? 6_000);
const SECONDS = Number(process.env.BENCH_SENSOR_SECONDS ?? 30);
const WARMUP = 5;
const codeOf = (i: number) => `${i < DEVICES / 2 ? 'WL' : 'SM'}-${String(i).padStart(4, '0')}`;

if (process.argv[2] === '--devices') await publish(process.argv[3]!);
else await measure();

/** The devices: one connection each, publishing round-robin at RATE readings a second in 10 ms ticks. */
async function publish(address: string): Promise<void> {
  const key = signingKeyOf(secret);
  // Connected a few at a time, as devices come up after a power cut: each login is one scrypt on the platform.
  const clients: mqtt.MqttClient[] = [];
  for (let i = 0; i < DEVICES; i += 8)
    clients.push(...await Promise.all(Array.from({ length: Math.min(8, DEVICES - i) }, (_, k) =>
      mqtt.connectAsync(address, { username: codeOf(i + k), password: secret, reconnectPeriod: 0, clientId: codeOf(i + k), connectTimeout: 60_000 }))));
  process.stdout.write('connected\n');
  const seqs = new Array<number>(DEVICES).fill(0);
  const started = Date.now();
  let sent = 0;
  let next = 0;
  let measuring = false;
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const elapsed = Date.now() - started;
      if (!measuring && elapsed >= WARMUP * 1000) {
        measuring = true;
        process.stdout.write(`measuring ${sent}\n`);
      }
      if (elapsed >= (WARMUP + SECONDS) * 1000) {
        clearInterval(tick);
        done();
        return;
      }
      const due = Math.floor((elapsed / 1000) * RATE) - sent;
      for (let n = 0; n < due; n++, sent++) {
        const i = next;
        next = (next + 1) % DEVICES;
        const seq = ++seqs[i]!;
        const smoke = i >= DEVICES / 2;
        // Every tenth smoke device: high, high, low, low … (raised on the second high, cleared on the second low).
        const value = smoke && i % 10 === 0 ? (seq % 4 < 2 ? 6 : 0.5) : smoke ? 0.3 : 0.05 + (seq % 7) / 1000;
        const r = { device: codeOf(i), seq, at: Date.now(), value };
        clients[i]!.publish(readingsTopic(r.device), JSON.stringify({ ...r, sig: signReading(key, r) }), { qos: 1 });
      }
    }, 10);
  });
  process.stdout.write(`sent ${sent}\n`);
  await Promise.all(clients.map((c) => c.endAsync()));
}

async function measure(): Promise<void> {
  const { db, close } = await scratchDatabase('sensors', { dataDir: 'bench-sensors', port: Number(process.env.YIWANG_PG_PORT ?? 54347), poolSize: 8 });
  const hash = await hashPassword(secret);
  await db.query(`INSERT INTO cityops_sensor_devices (code, type_code, division_code, lon, lat, secret_hash, signing_key)
    SELECT c, CASE WHEN c LIKE 'WL-%' THEN 'water_level' ELSE 'smoke' END, '511602001000', 106.61, 30.46, $2, $3 FROM unnest($1::text[]) AS c`,
  [Array.from({ length: DEVICES }, (_, i) => codeOf(i)), hash, signingKeyOf(secret)]);
  const ingest = await acquireIngest(db, { log: (line) => console.error(line) });
  const broker = await startSensorMqtt(db, { port: 0, host: '127.0.0.1' }, (line) => console.error(line));
  const latencies: number[] = [];
  let from = Infinity;
  ingest.onEvents((events) => {
    for (const e of events) if (e.change === 'raised' && e.readingAt >= from) latencies.push(e.committedAt - e.readingAt);
  });
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--devices', broker.address], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk; });
  while (!output.includes('measuring')) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  from = Date.now();
  const sentBefore = Number(/measuring (\d+)/.exec(output)?.[1] ?? 0);
  const stored0 = ingest.stats.stored;
  const cpu0 = process.cpuUsage();
  latencies.length = 0;
  await new Promise((r) => child.on('exit', r));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // What was still waiting once the devices stopped is drained, and counted against the rate.
  const drainStart = performance.now();
  const sent = Number(/sent (\d+)/.exec(output)?.[1] ?? 0);
  while (ingest.stats.stored + ingest.stats.duplicate + ingest.stats.late < sent && performance.now() - drainStart < 30_000) await new Promise((r) => setTimeout(r, 20));
  const drained = (performance.now() - drainStart) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  const stored = ingest.stats.stored - stored0;
  report('cityops sensors MQTT ingest sustained', stored / (seconds + drained), 'readings/s',
    { offered: RATE, seconds: Math.round(seconds * 10) / 10, sent: sent - sentBefore, stored, drainSeconds: Math.round(drained * 100) / 100,
      refused: ingest.stats.refused, flushes: ingest.stats.flushes, platformCpuPerReadingUs: Math.round(((cpu.user + cpu.system) / stored) * 10) / 10 });
  report('cityops sensors reading → event p50', q(0.5), 'ms', { events: latencies.length });
  report('cityops sensors reading → event p99', q(0.99), 'ms', { events: latencies.length, max: latencies.at(-1) });
  await broker.stop();
  await releaseIngest(db);
  await close();
}
