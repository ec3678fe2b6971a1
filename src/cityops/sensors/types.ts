/**
 * Device types (设备类型): what a type measures, after how long a silent device counts as offline, its rules
 * (data, see rules.ts) and the kind (小类) a case about it is filed under when the device is on no component.
 */
import type { Ctx } from '../../kernel/auth/index.ts';
import { assertCan } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { sensorActions } from './policy.ts';
import { checkRules, type SensorRule } from './rules.ts';

export interface SensorType {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: string;
  offlineAfterSeconds: number;
  /** Readings older than this many days are deleted (retention.ts). */
  retentionDays: number;
  rules: SensorRule[];
  caseClassCode: string;
  caseKindCode: string;
}

const typeColumns = `code, name_zh AS "nameZh", name_en AS "nameEn", unit, offline_after_s AS "offlineAfterSeconds", retention_days AS "retentionDays", rules,
  case_class_code AS "caseClassCode", case_kind_code AS "caseKindCode"`;

export async function listSensorTypes(db: Queryable): Promise<SensorType[]> {
  return (await db.query<SensorType>(`SELECT ${typeColumns} FROM cityops_sensor_types ORDER BY code`)).rows;
}

export async function findSensorType(db: Queryable, code: string): Promise<SensorType | undefined> {
  return (await db.query<SensorType>(`SELECT ${typeColumns} FROM cityops_sensor_types WHERE code = $1`, [code])).rows[0];
}

/** Sets a type's rules, offline interval and readings' retention; the ingest picks them up within a second. */
export async function updateSensorType(ctx: Ctx, input: { code: string; rules?: unknown; offlineAfterSeconds?: number; retentionDays?: number }): Promise<SensorType> {
  assertCan(ctx.actor, sensorActions.rules);
  const type = await findSensorType(ctx.tx, input.code);
  if (!type) throw new DomainError('cityops.sensor.unknown-type', { status: 404 }, `no device type ${input.code}`);
  const rules = input.rules === undefined ? type.rules : checkRules(input.rules);
  const offline = input.offlineAfterSeconds ?? type.offlineAfterSeconds;
  if (!Number.isInteger(offline) || offline < 30 || offline > 604_800)
    throw new DomainError('cityops.sensor.bad-offline-interval', { field: 'offlineAfterSeconds' }, 'from 30 s to 7 days');
  const retention = input.retentionDays ?? type.retentionDays;
  if (!Number.isInteger(retention) || retention < 7 || retention > 3650)
    throw new DomainError('cityops.sensor.bad-retention', { field: 'retentionDays' }, 'from 7 to 3650 days');
  await ctx.tx.query('UPDATE cityops_sensor_types SET rules = $2, offline_after_s = $3, retention_days = $4, updated_at = $5 WHERE code = $1',
    [type.code, JSON.stringify(rules), offline, retention, ctx.now]);
  // The devices' rows are stamped too, so that the ingest reloads them (and their type) within a second.
  await ctx.tx.query('UPDATE cityops_sensor_devices SET updated_at = $2 WHERE type_code = $1', [type.code, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.sensor.type.updated', object: { type: 'sensor-type', id: type.code },
    payload: { rules, offlineAfterSeconds: offline, retentionDays: retention,
      before: { rules: type.rules, offlineAfterSeconds: type.offlineAfterSeconds, retentionDays: type.retentionDays } }, at: ctx.now });
  return (await findSensorType(ctx.tx, type.code))!;
}
