/** A load's progress: its counts, added to by each stage step, and its sign of life for the resume sweep. */
import type { Queryable } from '../kernel/db/index.ts';

/** Adds to the load's counts and marks it alive, in the stage's transaction. */
export async function countLoad(tx: Queryable, loadId: number, add: Record<string, number>, now: Date): Promise<void> {
  await tx.query(
    `UPDATE registry_loads SET heartbeat_at = $3, counts = counts || (SELECT coalesce(jsonb_object_agg(k, coalesce((counts ->> k)::int, 0) + v::int), '{}')
       FROM jsonb_each_text($2::jsonb) AS e (k, v)) WHERE id = $1`, [loadId, JSON.stringify(add), now]);
}
