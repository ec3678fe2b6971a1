/**
 * 读数保存期限: readings older than their type's `retention_days` are deleted by an hourly sweep, in batches so
 * that the ingest is never held up for long; each run that deleted any is one ledger entry with the counts per
 * type. Events keep the readings that raised and cleared them, so the record of what happened outlives the series.
 */
import { systemActor } from '../../kernel/auth/index.ts';
import { withTransaction, type Db } from '../../kernel/db/index.ts';
import type { Sweep } from '../../kernel/jobs/index.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';

const actor = systemActor('cityops.sensors');
const BATCH = 20_000;
/** A run stops after this many batches; the next hour goes on. */
const MAX_BATCHES = 50;

/** Deletes readings past their type's retention as of `now`; returns how many. */
export async function expireReadings(db: Db, now: Date): Promise<number> {
  const { rows: types } = await db.query<{ code: string; days: number }>('SELECT code, retention_days AS days FROM cityops_sensor_types ORDER BY code');
  const deleted: Record<string, number> = {};
  let total = 0;
  for (const type of types) {
    const before = new Date(now.getTime() - type.days * 86_400_000);
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      // The constant bound on `at` lets the BRIN index skip the blocks of recent readings.
      const { rowCount } = await db.query(
        `DELETE FROM cityops_sensor_readings WHERE ctid = ANY (ARRAY(
           SELECT r.ctid FROM cityops_sensor_readings r JOIN cityops_sensor_devices d ON d.id = r.device_id
            WHERE r.at < $1 AND d.type_code = $2 LIMIT ${BATCH}))`, [before, type.code]);
      const n = rowCount ?? 0;
      if (n > 0) deleted[type.code] = (deleted[type.code] ?? 0) + n;
      total += n;
      if (n < BATCH) break;
    }
  }
  if (total > 0)
    await withTransaction(db, (tx) => appendToLedger(tx, { actor, action: 'cityops.sensor.readings.expired', object: { type: 'sensor-readings', id: 'all' },
      payload: { deleted, retentionDays: Object.fromEntries(types.map((t) => [t.code, t.days])) }, at: now }));
  return total;
}

export const retentionSweep: Sweep = { name: 'cityops.sensors.retention', everyMs: 3_600_000, run: expireReadings };
