/** 感知事件: the events the rules raised, open or cleared, in the reader's jurisdiction; newest first. */
import type { Actor } from '../../kernel/auth/index.ts';
import { assertCan, inJurisdiction } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { sensorActions } from './policy.ts';

export interface SensorEvent {
  id: number;
  deviceCode: string;
  typeCode: string;
  rule: string;
  ruleKind: 'threshold' | 'rate';
  state: 'raised' | 'cleared';
  raisedAt: Date;
  raisedValue: number;
  clearedAt: Date | null;
  clearedValue: number | null;
  divisionCode: string;
  gridCode: string | null;
  lon: number;
  lat: number;
  componentCode: string | null;
  caseClassCode: string;
  caseKindCode: string;
  description: string;
  caseId: number | null;
  caseError: string | null;
}

export interface EventFilter {
  state?: 'raised' | 'cleared';
  deviceCode?: string;
  typeCode?: string;
}

/** A page of events in the jurisdiction matching the filter. */
export async function listSensorEvents(db: Queryable, actor: Actor, query: EventFilter & { page: number; pageSize: number }) {
  assertCan(actor, sensorActions.read);
  const params: unknown[] = [];
  const conditions = [inJurisdiction('e.division_code', actor.jurisdiction, params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (query.state) add((n) => `e.state = $${n}`, query.state);
  if (query.deviceCode) add((n) => `d.code = $${n}`, query.deviceCode);
  if (query.typeCode) add((n) => `d.type_code = $${n}`, query.typeCode);
  const where = conditions.join(' AND ');
  const from = 'FROM cityops_sensor_events e JOIN cityops_sensor_devices d ON d.id = e.device_id';
  const [{ rows: count }, { rows: items }] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n ${from} WHERE ${where}`, params),
    db.query<SensorEvent>(`SELECT e.id::int, d.code AS "deviceCode", d.type_code AS "typeCode", e.rule, e.rule_kind AS "ruleKind", e.state,
        e.raised_at AS "raisedAt", e.raised_value AS "raisedValue", e.cleared_at AS "clearedAt", e.cleared_value AS "clearedValue",
        e.division_code AS "divisionCode", e.grid_code AS "gridCode", e.lon, e.lat, e.component_code AS "componentCode",
        e.case_class_code AS "caseClassCode", e.case_kind_code AS "caseKindCode", e.description, e.case_id::int AS "caseId", e.case_error AS "caseError"
      ${from} WHERE ${where} ORDER BY e.raised_at DESC, e.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, params),
  ]);
  return { total: count[0]!.n, items };
}

/** The readings of a device between two times (newest first, at most `limit`), for its chart. */
export async function deviceReadings(db: Queryable, deviceId: number, limit: number) {
  const { rows } = await db.query<{ seq: number; at: Date; value: number }>(
    `SELECT seq::float8 AS seq, at, value::float8 AS value FROM cityops_sensor_readings WHERE device_id = $1 ORDER BY seq DESC LIMIT $2`, [deviceId, limit]);
  return rows;
}
