/**
 * The demo city's sensors: 300 devices mounted on demo components (water level on storm drains, tilt on
 * manhole covers, smoke in refuse buildings, current on street lights), each with a day of readings every
 * 30 minutes, and a few that crossed their rules: the events are what the rules make of the history. Demo
 * devices share one secret (`demoDeviceSecret`), as demo logins share one password.
 */
import { divisionPrefix } from '../../kernel/checks/index.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { createRng } from '../../kernel/demo/index.ts';
import { hashPassword } from '../../kernel/auth/index.ts';
import { caseFieldsOf } from './cases.ts';
import { signingKeyOf } from './devices.ts';
import { evaluateReading, initialRuleState, type RuleTransition } from './rules.ts';
import { listSensorTypes, type SensorType } from './types.ts';

/** The secret of every demo device: its MQTT password and the key its readings are signed with. */
export const demoDeviceSecret = 'yiwang-demo-device';

const plan: { type: string; prefix: string; count: number; kinds: string[]; normal: [number, number] }[] = [
  { type: 'water_level', prefix: 'WL', count: 60, kinds: ['0103', '0104'], normal: [0.0, 0.08] },
  { type: 'manhole_tilt', prefix: 'MT', count: 120, kinds: ['0101', '0102', '0103', '0105', '0107'], normal: [0, 2] },
  { type: 'smoke', prefix: 'SM', count: 40, kinds: ['0302', '0304', '0307'], normal: [0, 0.6] },
  { type: 'streetlight_current', prefix: 'SL', count: 80, kinds: ['0117'], normal: [2.2, 2.8] },
];

const HISTORY = 48;
const STEP_MS = 30 * 60_000;

/** An abnormal stretch of a device's day: from reading `from` to `to` (exclusive) the value is `value` (plus noise). */
const incidents: Record<string, { from: number; to: number; value: number }[]> = {
  water_level: [{ from: 30, to: 38, value: 0.42 }, { from: 40, to: 48, value: 0.55 }, { from: 12, to: 16, value: 0.36 }],
  manhole_tilt: [{ from: 44, to: 48, value: 28 }, { from: 20, to: 24, value: 19 }],
  smoke: [{ from: 33, to: 36, value: 7.5 }],
  streetlight_current: [{ from: 45, to: 48, value: 9.6 }, { from: 10, to: 14, value: 8.8 }],
};

interface Columns { deviceId: number[]; seq: number[]; at: Date[]; value: number[] }

export async function loadSensorsDemo(tx: Tx, { seed, cityCode }: { seed: string; cityCode: string }) {
  const rng = createRng(`${seed}/cityops/sensors`);
  const types = new Map((await listSensorTypes(tx)).map((t): [string, SensorType] => [t.code, t]));
  const secretHash = await hashPassword(demoDeviceSecret);
  const signingKey = signingKeyOf(demoDeviceSecret);
  const now = Date.now();
  const first = now - HISTORY * STEP_MS;
  const readings: Columns = { deviceId: [], seq: [], at: [], value: [] };
  let devices = 0;
  let events = 0;
  for (const p of plan) {
    const type = types.get(p.type)!;
    const { rows: components } = await tx.query<{ code: string; lon: number; lat: number; divisionCode: string; gridCode: string | null;
      classCode: string; kindCode: string }>(
      `SELECT code, lon, lat, division_code AS "divisionCode", grid_code AS "gridCode", class_code AS "classCode", kind_code AS "kindCode"
         FROM cityops_components WHERE division_code LIKE $1 AND class_code || kind_code = ANY($2::text[]) ORDER BY code LIMIT $3`,
      [`${divisionPrefix(cityCode)}%`, p.kinds, p.count * 20]);
    const chosen = rng.shuffle([...components]).slice(0, p.count).sort((a, b) => a.code.localeCompare(b.code));
    const stretches = incidents[p.type] ?? [];
    for (const [i, component] of chosen.entries()) {
      const code = `${p.prefix}-${String(i + 1).padStart(4, '0')}`;
      // The first devices of a type carry its incidents; one in twenty is silent since the morning (offline).
      const incident = stretches[i];
      const silentFrom = i % 20 === 19 ? HISTORY - 16 : HISTORY;
      const values: number[] = [];
      for (let n = 0; n < silentFrom; n++) {
        const base = incident && n >= incident.from && n < incident.to ? incident.value : rng.float(p.normal[0], p.normal[1]);
        values.push(Math.round(base * (1 + rng.float(-0.03, 0.03)) * 1000) / 1000);
      }
      const lastAt = first + (values.length - 1) * STEP_MS;
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO cityops_sensor_devices (code, type_code, name, division_code, grid_code, lon, lat, component_code, secret_hash, signing_key,
           connectivity, last_seen_at, last_seq, last_value, last_reading_at, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $12, 'demo') RETURNING id`,
        [code, p.type, `${type.nameZh} ${code}`, component.divisionCode, component.gridCode, component.lon, component.lat, component.code,
          secretHash, signingKey, silentFrom < HISTORY ? 'offline' : 'online', new Date(lastAt), values.length - 1, values.at(-1)!]);
      const id = rows[0]!.id;
      devices++;
      const state = initialRuleState(type.rules);
      const device = {
        code, place: { divisionCode: component.divisionCode, gridCode: component.gridCode, lon: component.lon, lat: component.lat, componentCode: component.code },
        caseKind: { classCode: component.classCode, kindCode: component.kindCode, typeNameZh: type.nameZh, unit: type.unit },
      };
      const open = new Map<string, number>();
      for (const [seq, value] of values.entries()) {
        const at = first + seq * STEP_MS;
        readings.deviceId.push(id);
        readings.seq.push(seq);
        readings.at.push(new Date(at));
        readings.value.push(value);
        for (const t of evaluateReading(type.rules, state, at, value)) {
          events += await writeDemoEvent(tx, id, device, t, { seq, at, value }, open);
        }
      }
    }
  }
  await tx.query(`INSERT INTO cityops_sensor_readings (device_id, seq, at, value)
    SELECT * FROM unnest($1::int[], $2::int8[], $3::timestamptz[], $4::float8[])`, [readings.deviceId, readings.seq, readings.at, readings.value]);
  return { sensorDevices: devices, sensorReadings: readings.seq.length, sensorEvents: events };
}

async function writeDemoEvent(tx: Tx, deviceId: number, device: Parameters<typeof caseFieldsOf>[0], t: RuleTransition,
  reading: { seq: number; at: number; value: number }, open: Map<string, number>): Promise<number> {
  if (t.change === 'cleared') {
    await tx.query(`UPDATE cityops_sensor_events SET state = 'cleared', cleared_at = $2, cleared_seq = $3, cleared_value = $4 WHERE id = $1`,
      [open.get(t.rule.name), new Date(reading.at), reading.seq, t.measure]);
    open.delete(t.rule.name);
    return 0;
  }
  const f = caseFieldsOf(device, t, reading);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO cityops_sensor_events (device_id, rule, rule_kind, state, raised_at, raised_seq, raised_value, division_code, grid_code, lon, lat,
       component_code, case_class_code, case_kind_code, description)
     VALUES ($1, $2, $3, 'raised', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id::int`,
    [deviceId, t.rule.name, t.rule.kind, new Date(reading.at), reading.seq, t.measure, f.divisionCode, f.gridCode, f.lon, f.lat, f.componentCode,
      f.classCode, f.kindCode, f.description]);
  open.set(t.rule.name, rows[0]!.id);
  return 1;
}

export async function removeSensorsDemo(tx: Tx, cityCode: string) {
  const ids = `SELECT id FROM cityops_sensor_devices WHERE source = 'demo' AND division_code LIKE $1`;
  const like = [`${divisionPrefix(cityCode)}%`];
  const readings = await tx.query(`DELETE FROM cityops_sensor_readings WHERE device_id IN (${ids})`, like);
  const events = await tx.query(`DELETE FROM cityops_sensor_events WHERE device_id IN (${ids})`, like);
  const devices = await tx.query(`DELETE FROM cityops_sensor_devices WHERE source = 'demo' AND division_code LIKE $1`, like);
  return { sensorDevices: devices.rowCount ?? 0, sensorReadings: readings.rowCount ?? 0, sensorEvents: events.rowCount ?? 0 };
}
