/**
 * 离线告警: a device silent for longer than its type's `offline_after_s` is marked offline, one ledger entry
 * each, by a sweep; its next reading marks it online again (ingest.ts), also on the ledger.
 */
import { systemActor } from '../../kernel/auth/index.ts';
import { withTransaction, type Db } from '../../kernel/db/index.ts';
import type { Sweep } from '../../kernel/jobs/index.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';

const actor = systemActor('cityops.sensors');

/** Marks the enabled devices not seen for their type's interval offline, as of `now`; returns how many. */
export async function markOfflineDevices(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ code: string; lastSeenAt: Date; after: number }>(
      `UPDATE cityops_sensor_devices d SET connectivity = 'offline'
         FROM cityops_sensor_types t
        WHERE t.code = d.type_code AND d.connectivity = 'online' AND d.enabled
          AND d.last_seen_at < $1::timestamptz - make_interval(secs => t.offline_after_s)
        RETURNING d.code, d.last_seen_at AS "lastSeenAt", t.offline_after_s AS after`, [now]);
    if (rows.length > 0)
      await appendToLedger(tx, rows.map((r) => ({ actor, action: 'cityops.sensor.device.offline', object: { type: 'sensor-device', id: r.code },
        payload: { lastSeenAt: r.lastSeenAt.toISOString(), offlineAfterSeconds: r.after }, at: now })));
    return rows.length;
  });
}

export const offlineSweep: Sweep = { name: 'cityops.sensors.offline', everyMs: 30_000, run: markOfflineDevices };
