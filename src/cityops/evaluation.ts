/**
 * 考评: a month of the case loop, counted from the cases' history (China time). Units: 处置 on time
 * (handled within the limit of their dispatch), rework (核查 failed, over cases handled) and 核查 pass rate.
 * Areas (counties): cases taken in, filed, handled on time, closed, rework. Patrol workers: reports and how
 * many were filed, 核实 and 核查 done and on time. Whoever sees a whole jurisdiction's cases reads it.
 */
import { assertCan, type Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { cityopsActions as a, deskOf } from './policy.ts';

const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 1000);

interface Counts { handled: number; handledOnTime: number; checks: number; checksPassed: number }

const withRates = <T extends Counts>(row: T) => ({
  ...row, onTimeRate: rate(row.handledOnTime, row.handled), reworkRate: rate(row.checks - row.checksPassed, row.handled),
  checkPassRate: rate(row.checksPassed, row.checks),
});

export async function evaluateMonth(db: Queryable, actor: Actor, month: string) {
  assertCan(actor, a.caseRead);
  const desk = await deskOf(db, actor);
  if (!(desk === 'platform' || desk === 'supervision' || desk === 'command' || actor.roles.includes('inspector') || actor.roles.includes('dept_admin')))
    throw new DomainError('forbidden', { status: 403, action: 'cityops.case.evaluation' }, 'the evaluation is for centres and overseers');
  const [year, mon] = month.split('-').map(Number) as [number, number];
  if (!(mon >= 1 && mon <= 12)) throw new DomainError('cityops.case.bad-month', { field: 'month' });
  const from = new Date(`${month}-01T00:00:00+08:00`);
  const to = new Date(`${mon === 12 ? year + 1 : year}-${String(mon === 12 ? 1 : mon + 1).padStart(2, '0')}-01T00:00:00+08:00`);
  const prefix = actor.jurisdiction.prefix;
  if (prefix === null) throw new DomainError('forbidden', { status: 403 });
  const params = [from, to, `${prefix}%`];
  const counts = `count(*) FILTER (WHERE e.action = 'handled')::int AS handled,
    count(*) FILTER (WHERE e.action = 'handled' AND e.on_time)::int AS "handledOnTime",
    count(*) FILTER (WHERE e.action IN ('check-passed', 'check-failed'))::int AS checks,
    count(*) FILTER (WHERE e.action = 'check-passed')::int AS "checksPassed"`;
  const inMonth = 'e.at >= $1 AND e.at < $2 AND e.division_code LIKE $3';
  const [{ rows: units }, { rows: areas }, { rows: workers }] = await Promise.all([
    db.query<Counts & { departmentId: number; departmentName: string; dispatched: number; returned: number }>(
      `SELECT e.department_id::int AS "departmentId", d.name AS "departmentName",
              count(*) FILTER (WHERE e.action = 'dispatched')::int AS dispatched, count(*) FILTER (WHERE e.action = 'returned')::int AS returned, ${counts}
         FROM cityops_case_events e JOIN departments d ON d.id = e.department_id
        WHERE ${inMonth} AND e.department_id IS NOT NULL GROUP BY 1, 2 ORDER BY 2`, params),
    db.query<Counts & { divisionCode: string; divisionName: string | null; opened: number; filed: number; closed: number }>(
      `SELECT a.code AS "divisionCode", dv.name AS "divisionName", a.opened, a.filed, a.closed, a.handled, a."handledOnTime", a.checks, a."checksPassed"
         FROM (SELECT left(e.division_code, 6) || '000000' AS code,
                      count(*) FILTER (WHERE e.action IN ('reported', 'opened'))::int AS opened, count(*) FILTER (WHERE e.action = 'filed')::int AS filed,
                      count(*) FILTER (WHERE e.action = 'closed')::int AS closed, ${counts}
                 FROM cityops_case_events e WHERE ${inMonth} GROUP BY 1) AS a
         LEFT JOIN divisions dv ON dv.code = a.code ORDER BY 1`, params),
    db.query<{ userId: number; name: string; reports: number; reportsFiled: number; verifications: number; checks: number; tasksOnTime: number }>(
      `SELECT e.user_id::int AS "userId", u.display_name AS name,
              count(*) FILTER (WHERE e.action = 'reported')::int AS reports,
              count(*) FILTER (WHERE e.action = 'reported' AND EXISTS (SELECT 1 FROM cityops_case_events f WHERE f.case_id = e.case_id AND f.action = 'filed'))::int
                AS "reportsFiled",
              count(*) FILTER (WHERE e.action IN ('verified', 'unfounded'))::int AS verifications,
              count(*) FILTER (WHERE e.action IN ('check-passed', 'check-failed'))::int AS checks,
              count(*) FILTER (WHERE e.action IN ('verified', 'unfounded', 'check-passed', 'check-failed') AND e.on_time)::int AS "tasksOnTime"
         FROM cityops_case_events e JOIN users u ON u.id = e.user_id JOIN departments d ON d.id = u.department_id AND d.kind = 'city-patrol'
        WHERE ${inMonth} GROUP BY 1, 2 ORDER BY 2`, params),
  ]);
  return {
    month,
    units: units.map(withRates),
    areas: areas.map(withRates),
    workers: workers.map((w) => ({ ...w, filedRate: rate(w.reportsFiled, w.reports), onTimeRate: rate(w.tasksOnTime, w.verifications + w.checks) })),
  };
}
