/**
 * 热点: where reports are rising this week. Each township or grid of the actor's jurisdiction comes with
 * its tickets of the week ending on `asOf` against the weekly average of the four weeks before, and the
 * categories behind them; the categories rising across the whole area come alongside.
 */
import { assertCan, type Actor } from '../kernel/auth/index.ts';
import type { Db } from '../kernel/db/index.ts';
import { listBoundaries, type BoundaryFeature } from '../kernel/org/index.ts';
import { chinaStart, dayParam } from './metrics.ts';
import { hotlineActions, isCentre, ticketScope } from './policy.ts';

/** Rising: at least `minTickets` this week and at least `factor` times the weekly average of the 4 weeks before. */
export const risingRule = { factor: 1.5, minTickets: 3, baselineWeeks: 4 } as const;

export interface HotspotQuery {
  /** The last day (China time) of the week looked at, 'YYYY-MM-DD'. */
  asOf: string;
  level: 'township' | 'grid';
}

export interface Trend {
  thisWeek: number;
  weeklyAverage: number;
  /** thisWeek / weeklyAverage; null when there was nothing before. */
  rise: number | null;
  rising: boolean;
}

export interface CategoryTrend extends Trend {
  code: string;
  name: string;
}

export type HotspotFeature = Omit<BoundaryFeature, 'properties'> & {
  properties: { code: string; name: string; topCategories: CategoryTrend[] } & Trend;
};

export interface Hotspots {
  type: 'FeatureCollection';
  asOf: string;
  level: 'township' | 'grid';
  rule: typeof risingRule;
  features: HotspotFeature[];
  /** Categories rising across everything the actor sees, the steepest first. */
  categories: CategoryTrend[];
}

const TOP_CATEGORIES = 3;

/** The trend of a count this week against the counts of the weeks before. */
export function trendOf(thisWeek: number, before: number): Trend {
  const weeklyAverage = before / risingRule.baselineWeeks;
  return {
    thisWeek, weeklyAverage,
    rise: weeklyAverage === 0 ? null : Math.round((thisWeek / weeklyAverage) * 100) / 100,
    rising: thisWeek >= risingRule.minTickets && thisWeek >= risingRule.factor * weeklyAverage,
  };
}

const byRise = (a: CategoryTrend, b: CategoryTrend) =>
  b.thisWeek - b.weeklyAverage - (a.thisWeek - a.weeklyAverage) || a.code.localeCompare(b.code);

/** Hotspots of the week ending on `asOf`, per township or grid. */
export async function findHotspots(db: Db, actor: Actor, query: HotspotQuery): Promise<Hotspots> {
  assertCan(actor, hotlineActions.read);
  const last = dayParam(query.asOf, 'asOf');
  const weekStart = last - 6;
  const params: unknown[] = [chinaStart(weekStart - 7 * risingRule.baselineWeeks), chinaStart(weekStart), chinaStart(last + 1)];
  const scope = ticketScope(actor, await isCentre(db, actor), params);
  // Counted per grid or division code and category id (plain columns), then summed up to areas here.
  const area = query.level === 'grid' ? 't.grid_code' : 't.division_code';
  const { rows } = await db.query<{ area: string | null; categoryId: string; thisWeek: number; before: number }>(
    `SELECT ${area} AS area, t.category_id::text AS "categoryId",
        count(*) FILTER (WHERE t.received_at >= $2)::int AS "thisWeek", count(*) FILTER (WHERE t.received_at < $2)::int AS before
       FROM hotline_tickets t
      WHERE t.received_at >= $1 AND t.received_at < $3 AND t.state <> 'merged' AND ${scope}
      GROUP BY ${area}, t.category_id`, params);
  const { rows: named } = await db.query<{ id: string; code: string; name: string }>(
    'SELECT id::text, code, name FROM hotline_categories WHERE id = ANY($1)', [[...new Set(rows.map((r) => r.categoryId))]]);
  const categoryOf = new Map(named.map((c) => [c.id, c]));
  const areaOf = (code: string | null) => (code === null || query.level === 'grid' ? code : code.slice(0, 9).padEnd(12, '0'));

  const perArea = new Map<string, Map<string, { name: string; thisWeek: number; before: number }>>();
  const perCategory = new Map<string, { name: string; thisWeek: number; before: number }>();
  const add = (into: Map<string, { name: string; thisWeek: number; before: number }>, code: string, name: string, row: typeof rows[number]) => {
    const sum = into.get(code) ?? { name, thisWeek: 0, before: 0 };
    sum.thisWeek += row.thisWeek;
    sum.before += row.before;
    into.set(code, sum);
  };
  for (const row of rows) {
    const { code, name } = categoryOf.get(row.categoryId)!;
    const key = areaOf(row.area);
    if (key !== null) add(perArea.get(key) ?? perArea.set(key, new Map()).get(key)!, code, name, row);
    add(perCategory, code, name, row);
  }
  const boundaries = await listBoundaries(db, { level: query.level });
  const features = boundaries.features
    .filter((f) => actor.jurisdiction.covers(f.properties.level === 'grid' ? f.properties.parentCode! : f.properties.code))
    .map((f): HotspotFeature => {
      const counts = [...(perArea.get(f.properties.code) ?? new Map()).entries()];
      const categories = counts.filter(([, c]) => c.thisWeek > 0).map(([code, c]) => ({ code, name: c.name, ...trendOf(c.thisWeek, c.before) }));
      return { ...f, properties: { code: f.properties.code, name: f.properties.name,
        ...trendOf(counts.reduce((s, [, c]) => s + c.thisWeek, 0), counts.reduce((s, [, c]) => s + c.before, 0)),
        topCategories: categories.sort((a, b) => b.thisWeek - a.thisWeek || a.code.localeCompare(b.code)).slice(0, TOP_CATEGORIES) } };
    });
  const categories = [...perCategory].map(([code, c]) => ({ code, name: c.name, ...trendOf(c.thisWeek, c.before) }))
    .filter((c) => c.rising).sort(byRise);
  return { type: 'FeatureCollection', asOf: query.asOf, level: query.level, rule: risingRule, features, categories };
}
