/**
 * The clock of each step: the sweep `cityops.cases.deadlines` raises a warning (预警) once a step has used
 * WARNING_SHARE of its time, and marks 督办 once the limit has passed. Each is raised once per step (a new
 * step clears both), as a history row and a ledger entry acted by the system.
 */
import { systemActor } from '../kernel/auth/index.ts';
import { withTransaction, type Db } from '../kernel/db/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { openStates } from './cases.ts';
import { caseMessage, notifyScreen } from './screen/feed.ts';

const actor = systemActor('cityops.deadlines');
const BATCH = 500;

/** Warns and supervises the open cases whose time is due at `now`; returns how many alerts it raised. */
export async function sweepCaseDeadlines(db: Db, now: Date): Promise<number> {
  let raised = 0;
  for (const kind of ['warning', 'supervision'] as const) {
    for (;;) {
      const n = await withTransaction(db, async (tx) => {
        const due = kind === 'warning'
          ? 'c.warned_at IS NULL AND c.supervised_at IS NULL AND c.warning_due_at <= $1 AND c.due_at > $1'
          : 'c.supervised_at IS NULL AND c.due_at <= $1';
        const mark = kind === 'warning' ? 'warned_at' : 'supervised_at';
        const { rows } = await tx.query<{ id: number; code: string; state: string; source: string; kindCode: string; divisionCode: string; lon: number;
          lat: number; departmentId: number | null; dueAt: Date }>(
          `UPDATE cityops_cases c SET ${mark} = $1 WHERE c.id IN (
             SELECT c.id FROM cityops_cases c WHERE c.state = ANY($2::text[]) AND ${due} ORDER BY c.due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING c.id::int, c.code, c.state, c.source, c.kind_code AS "kindCode", c.division_code AS "divisionCode", c.lon, c.lat,
             c.department_id::int AS "departmentId", c.due_at AS "dueAt"`,
          [now, openStates]);
        if (rows.length === 0) return 0;
        await tx.query(
          `INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, from_state, to_state, department_id, division_code, note)
           SELECT id, $1, $2, $3, $4, s, s, d, dv, $5 FROM unnest($6::bigint[], $7::text[], $8::bigint[], $9::text[]) AS t(id, s, d, dv)`,
          [now, kind === 'warning' ? 'warned' : 'supervised', `system:${actor.id}`, actor.name, kind === 'warning' ? '即将超时' : '已超时，督办',
            rows.map((r) => r.id), rows.map((r) => r.state), rows.map((r) => r.departmentId), rows.map((r) => r.divisionCode)]);
        for (const r of rows)
          await appendToLedger(tx, { actor, action: kind === 'warning' ? 'cityops.case.warned' : 'cityops.case.supervised',
            object: { type: 'cityops-case', id: String(r.id) }, at: now, payload: { state: r.state, dueAt: r.dueAt } });
        // The screen counts overdue cases: it hears of each new 督办 (a warning changes no count).
        if (kind === 'supervision') await notifyScreen(tx, rows.map((r) => caseMessage(r, 'supervised', now)));
        return rows.length;
      });
      raised += n;
      if (n < BATCH) break;
    }
  }
  return raised;
}
