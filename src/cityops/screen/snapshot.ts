/**
 * 指挥大屏: what the command-centre screen shows of the caller's area at a glance: the cases taken in today (China
 * day) by state and by source, the open and overdue cases, the kinds (小类) most reported today, the counties'
 * ranking, the sensor alarms still raised, the orders (一键调度) not yet acknowledged, and today's cases as map points.
 * The live feed (feed.ts) tells the screen when to read it again.
 */
import { assertCan, hasGrant, inJurisdiction, type Actor } from '../../kernel/auth/index.ts';
import { chinaDayNumber, chinaMidnight } from '../../kernel/calendar/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { openStates } from '../cases.ts';
import { deskOf, screenActions as s, seesJurisdiction } from '../policy.ts';
import { sensorActions } from '../sensors/policy.ts';
import { listOrders } from './orders.ts';

/** Map points of today's cases at most; sensor alarms at most. */
const MAX_POINTS = 2_000;
const MAX_ALARMS = 30;

/** Refuses (403) whoever does not see a whole jurisdiction's cases: the screen is for the centres and the overseers. */
export async function assertScreen(db: Queryable, actor: Actor): Promise<void> {
  assertCan(actor, s.read);
  if (!seesJurisdiction(actor, await deskOf(db, actor)))
    throw new DomainError('forbidden', { status: 403, action: s.read }, 'the screen is for the centres and overseers');
}

const countsOf = (rows: { key: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.n])) as Record<string, number>;

export async function screenSnapshot(db: Queryable, actor: Actor, now: Date) {
  await assertScreen(db, actor);
  const today = new Date(chinaMidnight(chinaDayNumber(now)));
  const params: unknown[] = [today, now, openStates];
  const within = inJurisdiction('c.division_code', actor.jurisdiction, params);
  const todayParams: unknown[] = [today];
  const todayWithin = inJurisdiction('c.division_code', actor.jurisdiction, todayParams);
  const alarmParams: unknown[] = [];
  const alarmsWithin = inJurisdiction('e.division_code', actor.jurisdiction, alarmParams);
  const seesAlarms = hasGrant(actor, sensorActions.read);
  const [byState, bySource, totals, kinds, districts, points, alarms, orders] = await Promise.all([
    db.query<{ key: string; n: number }>(`SELECT c.state AS key, count(*)::int AS n FROM cityops_cases c
      WHERE ${todayWithin} AND c.created_at >= $1 GROUP BY 1`, todayParams),
    db.query<{ key: string; n: number }>(`SELECT c.source AS key, count(*)::int AS n FROM cityops_cases c
      WHERE ${todayWithin} AND c.created_at >= $1 GROUP BY 1`, todayParams),
    db.query<{ today: number; open: number; overdue: number }>(`SELECT count(*) FILTER (WHERE c.created_at >= $1)::int AS today,
        count(*) FILTER (WHERE c.state = ANY($3::text[]))::int AS open,
        count(*) FILTER (WHERE c.state = ANY($3::text[]) AND c.due_at < $2)::int AS overdue
      FROM cityops_cases c WHERE ${within} AND (c.created_at >= $1 OR c.state = ANY($3::text[]))`, params),
    db.query<{ kindCode: string; nameZh: string; nameEn: string; count: number }>(`SELECT c.kind_code AS "kindCode", k.name_zh AS "nameZh",
        k.name_en AS "nameEn", count(*)::int AS count
      FROM cityops_cases c JOIN cityops_case_kinds k ON k.code = c.kind_code
      WHERE ${todayWithin} AND c.created_at >= $1 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT 10`, todayParams),
    // Counties (区县) by today's cases, then by open ones; the overdue beside.
    db.query<{ divisionCode: string; name: string | null; today: number; open: number; overdue: number }>(`SELECT a.code AS "divisionCode", dv.name,
        a.today, a.open, a.overdue
      FROM (SELECT rpad(left(c.division_code, 6), 12, '0') AS code, count(*) FILTER (WHERE c.created_at >= $1)::int AS today,
              count(*) FILTER (WHERE c.state = ANY($3::text[]))::int AS open,
              count(*) FILTER (WHERE c.state = ANY($3::text[]) AND c.due_at < $2)::int AS overdue
              FROM cityops_cases c WHERE ${within} AND (c.created_at >= $1 OR c.state = ANY($3::text[])) GROUP BY 1) AS a
      LEFT JOIN divisions dv ON dv.code = a.code ORDER BY a.today DESC, a.open DESC, a.code LIMIT 20`, params),
    db.query<{ id: number; code: string; state: string; source: string; kindCode: string; lon: number; lat: number; overdue: boolean }>(
      `SELECT c.id::int, c.code, c.state, c.source, c.kind_code AS "kindCode", c.lon, c.lat,
          (c.state = ANY($3::text[]) AND c.due_at IS NOT NULL AND c.due_at < $2) AS overdue
        FROM cityops_cases c WHERE ${within} AND c.created_at >= $1 ORDER BY c.created_at DESC LIMIT ${MAX_POINTS}`, params),
    seesAlarms
      ? db.query<{ id: number; deviceCode: string; typeNameZh: string; typeNameEn: string; rule: string; raisedAt: Date; raisedValue: number;
          unit: string; divisionCode: string; lon: number; lat: number; description: string; caseId: number | null }>(
        `SELECT e.id::int, d.code AS "deviceCode", t.name_zh AS "typeNameZh", t.name_en AS "typeNameEn", e.rule, e.raised_at AS "raisedAt",
            e.raised_value AS "raisedValue", t.unit, e.division_code AS "divisionCode", e.lon, e.lat, e.description, e.case_id::int AS "caseId"
          FROM cityops_sensor_events e JOIN cityops_sensor_devices d ON d.id = e.device_id JOIN cityops_sensor_types t ON t.code = d.type_code
          WHERE e.state = 'raised' AND ${alarmsWithin} ORDER BY e.raised_at DESC, e.id DESC LIMIT ${MAX_ALARMS}`, alarmParams)
      : { rows: [] },
    listOrders(db, actor, { open: true }),
  ]);
  return {
    at: now,
    today: { total: totals.rows[0]!.today, byState: countsOf(byState.rows), bySource: countsOf(bySource.rows) },
    open: totals.rows[0]!.open,
    overdue: totals.rows[0]!.overdue,
    topKinds: kinds.rows,
    districts: districts.rows,
    points: points.rows,
    alarms: alarms.rows,
    orders,
  };
}
