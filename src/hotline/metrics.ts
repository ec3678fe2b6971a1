/**
 * 接诉即办考评: the three rates (响应率, 解决率, 满意率), their composite score and ranking, handling time and
 * overdue counts, per department, area, category or month of receipt. docs/hotline.md ("Metrics") gives
 * the definitions, their sources and what was assumed where the sources are silent.
 */
import { assertCan, type Actor } from '../kernel/auth/index.ts';
import { chinaDayNumber, chinaMidnight, dayFromNumber, dayNumber, loadCalendar, type WorkCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { hotlineActions, isCentre, ticketScope } from './policy.ts';

export const metricGroupings = ['department', 'division', 'category', 'month'] as const;
export type MetricGrouping = (typeof metricGroupings)[number];

/** Weights of the composite score (综合成绩), out of 100. */
export const scoreWeights = { response: 0.1, resolution: 0.45, satisfaction: 0.45 } as const;
/** 基本满意 counts as satisfied in the satisfaction rate. */
export const basicallySatisfiedWeight = 1;

export interface MetricsQuery {
  /** First and last day of receipt (China time), inclusive, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  by: MetricGrouping;
  /** For by=division: group by county (default) or township. */
  divisionLevel?: 'county' | 'township';
  /** Rows that received fewer tickets are listed but not ranked (样本不足); default `minReceivedToRank`. */
  minReceived?: number;
}

/**
 * A unit with a handful of tickets, all handled well, would share the first place with the busiest and best:
 * below this many tickets received in the period a row is not ranked. Our choice; the sources name no number.
 */
export const minReceivedToRank = 10;

export interface Overdue {
  accept: number;
  reply: number;
  resolve: number;
}

export interface MetricsRow {
  key: string;
  label: string;
  received: number;
  /** Dispatched tickets whose time to accept has run out or that were accepted: the base of the response rate. */
  responseDue: number;
  responded: number;
  responseRate: number | null;
  resolvedRated: number;
  resolved: number;
  resolutionRate: number | null;
  satisfactionRated: number;
  satisfied: number;
  basicallySatisfied: number;
  satisfactionRate: number | null;
  score: number | null;
  rank: number | null;
  avgHandlingHours: number | null;
  overdue: Overdue;
}

export interface Metrics {
  from: string;
  to: string;
  by: MetricGrouping;
  /** Rows with fewer tickets received have no rank. */
  minReceived: number;
  total: MetricsRow;
  rows: MetricsRow[];
}

const OFFICE_HOURS_PER_DAY = 8;

/** Days since 1970-01-01 of a real 'YYYY-MM-DD' date, or a 400 naming the field. */
export function dayParam(value: string, field: string): number {
  const day = dayNumber(value);
  if (day === null) throw new DomainError('validation', { field }, `${field} must be a date YYYY-MM-DD, got "${value}"`);
  return day;
}

/** 00:00 China time of a day number, as a Date. */
export const chinaStart = (day: number) => new Date(chinaMidnight(day));

/**
 * The office clock over days first..last+1 for hotline_office_clock(): office hours (09:00–17:00 China
 * time, as the calendar's standard office hours) before each day, from the working-day calendar.
 */
export function officeClock(calendar: WorkCalendar, first: number, last: number): number[] {
  const clock = [0];
  for (let day = first; day <= last + 1; day++)
    clock.push(clock.at(-1)! + (calendar.isWorkingDay(dayFromNumber(day)) ? OFFICE_HOURS_PER_DAY : 0));
  return clock;
}

/** A rate, or null when nothing was there to rate. */
const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** 综合成绩: the weighted rates out of 100; a rate with nothing to rate drops out and the others carry its weight. */
export function compositeScore(rates: { response: number | null; resolution: number | null; satisfaction: number | null }): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of ['response', 'resolution', 'satisfaction'] as const) {
    const value = rates[key];
    if (value === null) continue;
    sum += value * scoreWeights[key];
    weight += scoreWeights[key];
  }
  return weight === 0 ? null : Math.round((sum / weight) * 100 * 100) / 100;
}

/**
 * Rank by score, highest first; equal scores share a rank (1, 2, 2, 4); rows without a score, or with fewer
 * than `minReceived` tickets, are not ranked.
 */
export function rankByScore<T extends { score: number | null; rank: number | null; received: number }>(rows: T[], minReceived: number): T[] {
  const scored = rows.filter((r) => r.score !== null && r.received >= minReceived).sort((a, b) => b.score! - a.score!);
  scored.forEach((row, i) => { row.rank = i > 0 && scored[i - 1]!.score === row.score ? scored[i - 1]!.rank : i + 1; });
  return rows;
}

interface Grouping {
  /** The column each ticket is counted under (alias t): a plain column or a cheap expression, no joins. */
  key: string;
  /** The row each counted key belongs to, with its label. */
  rows(db: Queryable, keys: (string | null)[]): Promise<Map<string | null, { key: string; label: string }>>;
}

/** Keys that are their own rows, labelled from a table (`code`, `name`) where it names them. */
async function labelled(db: Queryable, sql: string, rowKeys: Map<string | null, string>) {
  const { rows } = await db.query<{ code: string; name: string }>(sql, [[...new Set(rowKeys.values())]]);
  const names = new Map(rows.map((r) => [r.code, r.name]));
  return new Map([...rowKeys].map(([raw, key]) => [raw, { key, label: names.get(key) ?? key }]));
}

function groupingOf(query: MetricsQuery): Grouping {
  switch (query.by) {
    case 'department':
      return { key: 't.department_id',
        rows: async (db, keys) => {
          const rows = await labelled(db, 'SELECT id::text AS code, name FROM departments WHERE id::text = ANY($1)',
            new Map(keys.map((k) => [k, k ?? 'none'])));
          return rows.set(null, { key: 'none', label: '未派单' });
        } };
    case 'division': {
      const digits = query.divisionLevel === 'township' ? 9 : 6;
      return { key: 't.division_code', rows: (db, keys) => labelled(db, 'SELECT code, name FROM divisions WHERE code = ANY($1)',
        new Map(keys.map((k) => [k, k!.slice(0, digits).padEnd(12, '0')]))) };
    }
    case 'category':
      // Counted per category, summed up to its top-level category.
      return { key: 't.category_id',
        rows: async (db, keys) => new Map((await db.query<{ raw: string; key: string; label: string }>(
          `SELECT c.id::text AS raw, k.code AS key, k.name AS label FROM hotline_categories c JOIN hotline_categories k ON k.id = c.ancestry[1]
            WHERE c.id::text = ANY($1)`, [keys])).rows.map((r) => [r.raw, { key: r.key, label: r.label }])) };
    case 'month':
      // Counted per China-time day, summed up to months; the expression of the statistics in migration 0016.
      return { key: `floor((date_part('epoch', t.received_at - timestamptz '1970-01-01 00:00:00+00') + 28800) / 86400)::integer`,
        rows: async (_db, keys) => new Map(keys.map((k) => {
          const month = dayFromNumber(Number(k)).slice(0, 7);
          return [k, { key: month, label: month }];
        })) };
  }
}

interface Counts {
  key: string | null;
  received: number;
  responseDue: number;
  responded: number;
  resolvedRated: number;
  resolved: number;
  satisfactionRated: number;
  satisfied: number;
  basicallySatisfied: number;
  closed: number;
  handlingHours: number;
  overdueAccept: number;
  overdueReply: number;
  overdueResolve: number;
}

/**
 * Metrics of the tickets received from `from` to `to` (China-time days, inclusive) that the actor may
 * see: the centre, inspectors and department admins their jurisdiction, a department its own tickets.
 * Merged duplicates (并单) count once, as their main ticket. One scan of the period counts per raw key
 * (department id, division, category id, month); the rows and the total are sums of those.
 */
export async function computeMetrics(db: Queryable, actor: Actor, query: MetricsQuery, now = new Date()): Promise<Metrics> {
  assertCan(actor, hotlineActions.read);
  const first = dayParam(query.from, 'from');
  const last = dayParam(query.to, 'to');
  if (last < first) throw new DomainError('validation', { field: 'to' }, 'to must not be before from');
  if (last - first > 366) throw new DomainError('validation', { field: 'to' }, 'at most 367 days at once');
  const centre = await isCentre(db, actor);
  const calendar = await loadCalendar(db);
  // Tickets close after the period too: the clock runs up to today.
  const clockLast = Math.max(last, chinaDayNumber(now));
  const clock = officeClock(calendar, first, clockLast);
  const grouping = groupingOf(query);

  const params: unknown[] = [chinaStart(first), chinaStart(last + 1), now, first, clock];
  const scope = ticketScope(actor, centre, params);
  const hours = (column: string) => `hotline_office_clock(${column}, $4, $5::float8[])`;
  const { rows } = await db.query<Counts>(
    `SELECT (${grouping.key})::text AS key, count(*)::int AS received,
        count(*) FILTER (WHERE t.accept_due IS NOT NULL AND (t.accepted_at IS NOT NULL OR t.accept_due < $3))::int AS "responseDue",
        count(*) FILTER (WHERE t.accepted_at <= t.accept_due)::int AS responded,
        count(t.resolved)::int AS "resolvedRated",
        count(*) FILTER (WHERE t.resolved)::int AS resolved,
        count(t.satisfaction)::int AS "satisfactionRated",
        count(*) FILTER (WHERE t.satisfaction = 'satisfied')::int AS satisfied,
        count(*) FILTER (WHERE t.satisfaction = 'basically-satisfied')::int AS "basicallySatisfied",
        count(t.closed_at)::int AS closed,
        coalesce(sum(${hours('t.closed_at')} - ${hours('t.received_at')}), 0) AS "handlingHours",
        count(*) FILTER (WHERE t.accepted_at > t.accept_due OR (t.accepted_at IS NULL AND t.state = 'dispatched' AND t.accept_due < $3))::int AS "overdueAccept",
        count(*) FILTER (WHERE t.replied_at > t.reply_due
          OR (t.replied_at IS NULL AND t.state IN ('received', 'dispatched', 'accepted', 'returned') AND t.reply_due < $3))::int AS "overdueReply",
        count(*) FILTER (WHERE t.closed_at > t.resolve_due OR (t.closed_at IS NULL AND t.state <> 'closed' AND t.resolve_due < $3))::int AS "overdueResolve"
       FROM hotline_tickets t
      WHERE t.received_at >= $1 AND t.received_at < $2 AND t.state <> 'merged' AND ${scope}
      GROUP BY ${grouping.key}`, params);

  const owners = await grouping.rows(db, rows.map((r) => r.key));
  const sums = new Map<string, { label: string; counts: Counts }>();
  const total = emptyCounts('total');
  for (const counts of rows) {
    const owner = owners.get(counts.key) ?? { key: counts.key ?? 'none', label: counts.key ?? 'none' };
    const sum = sums.get(owner.key) ?? { label: owner.label, counts: emptyCounts(owner.key) };
    sums.set(owner.key, sum);
    addCounts(sum.counts, counts);
    addCounts(total, counts);
  }
  const byKey = [...sums.values()].map(({ label, counts }) => toRow(counts, label))
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  const minReceived = query.minReceived ?? minReceivedToRank;
  return { from: query.from, to: query.to, by: query.by, minReceived, total: toRow(total, '合计'), rows: rankByScore(byKey, minReceived) };
}

const emptyCounts = (key: string | null): Counts => ({ key, received: 0, responseDue: 0, responded: 0, resolvedRated: 0, resolved: 0, satisfactionRated: 0,
  satisfied: 0, basicallySatisfied: 0, closed: 0, handlingHours: 0, overdueAccept: 0, overdueReply: 0, overdueResolve: 0 });

function addCounts(into: Counts, more: Counts): void {
  for (const field of Object.keys(into) as (keyof Counts)[]) if (field !== 'key') into[field] += Number(more[field]);
}

function toRow(c: Counts, label: string): MetricsRow {
  const responseRate = rate(c.responded, c.responseDue);
  const resolutionRate = rate(c.resolved, c.resolvedRated);
  const satisfactionRate = rate(c.satisfied + basicallySatisfiedWeight * c.basicallySatisfied, c.satisfactionRated);
  return {
    key: c.key!, label, received: c.received, responseDue: c.responseDue, responded: c.responded, responseRate,
    resolvedRated: c.resolvedRated, resolved: c.resolved, resolutionRate,
    satisfactionRated: c.satisfactionRated, satisfied: c.satisfied, basicallySatisfied: c.basicallySatisfied, satisfactionRate,
    score: compositeScore({ response: responseRate, resolution: resolutionRate, satisfaction: satisfactionRate }), rank: null,
    avgHandlingHours: c.closed === 0 ? null : Math.round((c.handlingHours / c.closed) * 100) / 100,
    overdue: { accept: c.overdueAccept, reply: c.overdueReply, resolve: c.overdueResolve },
  };
}
