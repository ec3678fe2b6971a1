/**
 * Sensor events become cases (案件): what a case about an event needs (where, the component (部件) the device is
 * mounted on, the kind (小类) it is filed under, a description a dispatcher reads), stored on the event when it is
 * raised, and the opening of the case from those fields.
 */
import { systemActor } from '../../kernel/auth/index.ts';
import { withTransaction, type Db } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import type { Sweep } from '../../kernel/jobs/index.ts';
import { openCase } from '../cases.ts';
import type { RuleTransition } from './rules.ts';

export interface CaseFields {
  divisionCode: string;
  gridCode: string | null;
  lon: number;
  lat: number;
  componentCode: string | null;
  classCode: string;
  kindCode: string;
  description: string;
}

interface EventDevice {
  code: string;
  place: { divisionCode: string; gridCode: string | null; lon: number; lat: number; componentCode: string | null };
  caseKind: { classCode: string; kindCode: string; typeNameZh: string; unit: string };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The case fields of an event raised on `device` by `transition` at reading `reading`. */
export function caseFieldsOf(device: EventDevice, transition: RuleTransition, reading: { at: number; value: number }): CaseFields {
  const rule = transition.rule;
  const unit = device.caseKind.unit;
  const what = rule.kind === 'threshold'
    ? `读数 ${round(reading.value)} ${unit}，${rule.direction === 'above' ? '达到或超过' : '达到或低于'}阈值 ${rule.raise} ${unit}`
    : `${rule.windowSeconds} 秒内每分钟${rule.direction === 'rise' ? '上升' : '下降'} ${round(Math.abs(transition.measure))} ${unit}，超过 ${rule.perMinute} ${unit}/分钟`;
  const where = device.place.componentCode ? `（部件 ${device.place.componentCode}）` : '';
  return {
    divisionCode: device.place.divisionCode, gridCode: device.place.gridCode, lon: device.place.lon, lat: device.place.lat,
    componentCode: device.place.componentCode, classCode: device.caseKind.classCode, kindCode: device.caseKind.kindCode,
    description: `${device.caseKind.typeNameZh}设备 ${device.code}${where}报警「${rule.label ?? rule.name}」：${what}。`,
  };
}

const sensorsActor = systemActor('cityops.sensors');

/**
 * Opens the case of each raised event that has none yet (of `eventIds` only, when given), each in its own
 * transaction: the process's ingest calls it as soon as a flush with raised events commits, and a sweep catches
 * what that missed (a process stopped in between). Sensor cases are urgent, filed under the kind of the
 * component (C + class + kind) and go straight to 立案. An event whose case is refused (its point in no grid of
 * the city, its kind retired) keeps the reason in `case_error` and is not tried again. Each case is dated when its
 * own transaction starts, not when the batch began. Returns the cases opened.
 */
export async function openEventCases(db: Db, eventIds?: number[]): Promise<number> {
  const { rows: due } = await db.query<{ id: number }>(
    `SELECT id::int FROM cityops_sensor_events WHERE state = 'raised' AND case_id IS NULL AND case_error IS NULL
       ${eventIds ? 'AND id = ANY($1::bigint[])' : ''} ORDER BY id LIMIT 1000`, eventIds ? [eventIds] : []);
  // A few at a time: a burst of alarms (a storm, a power cut) waits for the slowest of a few, not for all before it.
  let next = 0;
  const opener = async () => {
    let opened = 0;
    while (next < due.length) opened += await openEventCase(db, due[next++]!.id);
    return opened;
  };
  const counts = await Promise.all(Array.from({ length: Math.min(CASES_OPENED_AT_ONCE, due.length) }, opener));
  return counts.reduce((a, b) => a + b, 0);
}

/** Cases of events opened side by side, each on its own connection (the pool has room for them and the requests). */
const CASES_OPENED_AT_ONCE = 4;

/** One event's case, in its own transaction; a refusal is kept on the event. Returns 1 if opened. */
async function openEventCase(db: Db, id: number): Promise<number> {
  try {
    return await withTransaction(db, async (tx) => {
      // Another process may have opened it meanwhile: the row lock and the check decide who does.
      const { rows: [event] } = await tx.query<Pick<CaseFields, 'lon' | 'lat' | 'componentCode' | 'classCode' | 'kindCode' | 'description'>>(
        `SELECT lon, lat, component_code AS "componentCode", case_class_code AS "classCode", case_kind_code AS "kindCode", description
           FROM cityops_sensor_events WHERE id = $1 AND case_id IS NULL AND case_error IS NULL FOR UPDATE SKIP LOCKED`, [id]);
      if (!event) return 0;
      const opened = await openCase({ tx, actor: sensorsActor, now: new Date() }, { source: 'sensor', sourceRef: `sensor-event:${id}`, urgency: 'urgent',
        kindCode: `C${event.classCode}${event.kindCode}`, description: event.description, lon: event.lon, lat: event.lat,
        componentCode: event.componentCode });
      await tx.query('UPDATE cityops_sensor_events SET case_id = $2 WHERE id = $1', [id, opened.id]);
      return 1;
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await db.query('UPDATE cityops_sensor_events SET case_error = $2 WHERE id = $1', [id, `${error.code}: ${error.message}`]);
    return 0;
  }
}

/** The sweep behind the ingest's own call: events whose case is still to be opened, every minute. */
export const eventCasesSweep: Sweep = { name: 'cityops.sensors.cases', everyMs: 60_000, run: (db) => openEventCases(db) };
