/**
 * Figures of 一网通办 for the dashboard and the portal: items online and the share fully online (全程网办率),
 * time compression (average actual vs committed vs statutory working days of finished cases),
 * applications per channel and state, and the ratings. Aggregates only: no person's data leaves here.
 */
import type { Queryable } from '../kernel/db/index.ts';
import { ratingFigures } from './ratings.ts';

export async function serviceFigures(db: Queryable, divisionPrefix: string) {
  const like = `${divisionPrefix}%`;
  const { rows: [items] } = await db.query<{ total: number; online: number; fullyOnline: number; zeroVisits: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE online)::int AS online,
            count(*) FILTER (WHERE online AND fully_online)::int AS "fullyOnline",
            count(*) FILTER (WHERE online AND visits = 0)::int AS "zeroVisits"
       FROM services_items WHERE division_code LIKE $1`, [like]);
  const { rows: [time] } = await db.query<{ finished: number; actual: number | null; committed: number | null; statutory: number | null; overdue: number }>(
    `SELECT count(*)::int AS finished, avg(actual_days)::float AS actual, avg(committed_days)::float AS committed,
            avg(statutory_days)::float AS statutory, count(*) FILTER (WHERE overdue)::int AS overdue
       FROM services_applications WHERE division_code LIKE $1 AND state = 'finished'`, [like]);
  const { rows: channels } = await db.query<{ key: string; count: number }>(
    `SELECT channel AS key, count(*)::int AS count FROM services_applications
      WHERE division_code LIKE $1 AND state <> 'draft' GROUP BY 1 ORDER BY 2 DESC`, [like]);
  const { rows: states } = await db.query<{ key: string; count: number }>(
    `SELECT state AS key, count(*)::int AS count FROM services_applications WHERE division_code LIKE $1 GROUP BY 1 ORDER BY 1`, [like]);
  const ratings = (await ratingFigures(db, 'channel', divisionPrefix)).reduce(
    (all, r) => ({ total: all.total + r.total, good: all.good + Math.round(r.satisfaction * r.total), bad: all.bad + r.bad,
      rectified: all.rectified + r.rectified, calledBack: all.calledBack + r.calledBack }),
    { total: 0, good: 0, bad: 0, rectified: 0, calledBack: 0 });
  return {
    items: { ...items!, fullyOnlineRate: items!.online ? items!.fullyOnline / items!.online : 0 },
    time: { finished: time!.finished, averageActualDays: time!.actual, averageCommittedDays: time!.committed,
      averageStatutoryDays: time!.statutory, overdue: time!.overdue },
    applicationsByChannel: channels,
    applicationsByState: states,
    ratings: { ...ratings, satisfaction: ratings.total ? ratings.good / ratings.total : 0,
      rectificationRate: ratings.bad ? ratings.rectified / ratings.bad : 0, callbackRate: ratings.bad ? ratings.calledBack / ratings.bad : 0 },
  };
}
