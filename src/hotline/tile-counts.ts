/**
 * 一张图's tickets counted ahead of time (migration 0186): running totals per map cell, county and day of receipt,
 * so that a zoomed-out tile of a year's tickets reads two rows per cell instead of every ticket in it. The
 * sweep rolls up whole UTC days once they are an hour past; a tile takes the whole days of its window that are
 * rolled up from the totals and counts the rest (the window's part days, today, days changed since the sweep)
 * from the tickets, so its counts are always those of the tickets.
 */
import type { Jurisdiction } from '../kernel/auth/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import type { Sweep } from '../kernel/jobs/index.ts';
import { cellOf, cellRange, type CellCount, type KeptCounts, type TileAddress } from '../kernel/tiles.ts';

/** The cells kept: those of tiles at zooms 8 to 13, which are also the tiles at 12 to 17 whole. */
const keptLevels = [12, 13, 14, 15, 16, 17];
const dayMs = 86_400_000;
/** A day is rolled up this long after it ends: a transaction that began the day before and is still writing it
 * has had its hour (statements time out long before). The triggers mark changes to days before today. */
const settleMs = 3_600_000;

const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);
/** A time written into a statement: the planner then knows how few rows a range of received_at holds. */
export const sqlInstant = (date: Date) => `to_timestamp(${date.getTime() / 1000})`;

/**
 * The kept counts of the tiles' cells at `level` for tickets received in [from, to) in a jurisdiction, or null
 * when none apply (a level not kept, a jurisdiction narrower than a county, no whole rolled-up day in the window).
 */
export async function keptTicketCounts(db: Queryable, level: number, tile: TileAddress, jurisdiction: Jurisdiction,
  window: { from?: Date; to?: Date }): Promise<KeptCounts | null> {
  const prefix = jurisdiction.prefix;
  if (!keptLevels.includes(level) || prefix === null || prefix.length > 6) return null;
  const { rows: [state] } = await db.query<{ until: number | null }>(
    `SELECT CASE WHEN isfinite(s.until) THEN s.until - date '1970-01-01' END AS until
       FROM (SELECT least(r.rolled_until, (SELECT min(d.day) FROM hotline_tile_dirty d)) AS until FROM hotline_tile_rollup r) s`);
  // Nothing rolled up yet (-infinity) gives null.
  if (state?.until === null || state?.until === undefined) return null;
  const first = window.from ? Math.ceil(window.from.getTime() / dayMs) : null;
  const last = Math.min(window.to ? Math.floor(window.to.getTime() / dayMs) : Infinity, state.until);
  if (first !== null && first >= last) return null;

  const { x0, x1, y0, y1 } = cellRange(tile, level);
  const before = (bound: string) => `SELECT x.tickets, x.lon_sum, x.lat_sum FROM hotline_tile_counts x
    WHERE x.cell_id = c.id AND x.day < ${bound} ORDER BY x.day DESC LIMIT 1`;
  const params: unknown[] = [level, x0, x1, y0, y1, `${prefix}%`, isoDay(last)];
  if (first !== null) params.push(isoDay(first));
  const { rows } = await db.query<CellCount>(
    `SELECT c.cx, c.cy, sum(hi.tickets - coalesce(lo.tickets, 0))::int AS count,
            sum(hi.lon_sum - coalesce(lo.lon_sum, 0)) AS "lonSum", sum(hi.lat_sum - coalesce(lo.lat_sum, 0)) AS "latSum"
       FROM hotline_tile_cells c
       CROSS JOIN LATERAL (${before('$7::date')}) hi
       LEFT JOIN LATERAL (${first === null ? 'SELECT 0 AS tickets, 0 AS lon_sum, 0 AS lat_sum' : before('$8::date')}) lo ON true
      WHERE c.level = $1 AND c.cx BETWEEN $2 AND $3 AND c.cy BETWEEN $4 AND $5 AND c.county LIKE $6
      GROUP BY c.cx, c.cy`, params);

  // The rest, as literal ranges so that the planner reads them through the index on received_at.
  const from = window.from ? sqlInstant(window.from) : null;
  const to = window.to ? sqlInstant(window.to) : null;
  const range = (lower: string | null, upper: string | null) =>
    [lower && `t.received_at >= ${lower}`, upper && `t.received_at < ${upper}`].filter(Boolean).join(' AND ');
  const after = range(sqlInstant(new Date(last * dayMs)), to);
  const rest = first === null ? after : `(${range(from, sqlInstant(new Date(first * dayMs)))}) OR (${after})`;
  return { cells: rows, rest };
}

/**
 * Rolls up the days from the earliest not rolled up or changed since, to the last that has settled: replaces
 * their running totals, in one snapshot with the marks of change it clears. Returns the days rolled up.
 */
export async function rollUpTicketCounts(db: Db, now: Date): Promise<number> {
  return withTransaction(db, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // The first roll-up of a long history reads all of it.
    await tx.query('SET LOCAL statement_timeout = 0');
    const target = isoDay(Math.floor((now.getTime() - settleMs) / dayMs));
    const { rows: [span] } = await tx.query<{ start: string }>(
      `SELECT least(r.rolled_until, (SELECT min(d.day) FROM hotline_tile_dirty d))::text AS start FROM hotline_tile_rollup r`);
    const start = span!.start === '-infinity'
      ? (await tx.query<{ day: string | null }>(`SELECT min((received_at AT TIME ZONE 'UTC')::date)::text AS day FROM hotline_tickets`)).rows[0]!.day ?? target
      : span!.start;
    if (start >= target) return 0;
    await tx.query('DELETE FROM hotline_tile_counts WHERE day >= $1', [start]);
    const levels = keptLevels.map((level) => {
      const cell = cellOf('t.lon', 't.lat', level);
      return `SELECT ${level} AS level, ${cell.x} AS cx, ${cell.y} AS cy, t.county, t.day, count(*) AS tickets, sum(t.lon) AS lon_sum, sum(t.lat) AS lat_sum
                FROM t GROUP BY 2, 3, 4, 5`;
    });
    // Points beyond Web Mercator's latitudes are on no tile.
    await tx.query(
      `WITH t AS MATERIALIZED (
         SELECT lon, lat, left(division_code, 6) AS county, (received_at AT TIME ZONE 'UTC')::date AS day FROM hotline_tickets
          WHERE lon IS NOT NULL AND lat IS NOT NULL AND abs(lat) < 85.0511 AND received_at >= $1::date AND received_at < $2::date),
       days AS (${levels.join(' UNION ALL ')}),
       keys AS (SELECT DISTINCT level, cx, cy, county FROM days),
       added AS (INSERT INTO hotline_tile_cells (level, cx, cy, county) SELECT level, cx, cy, county FROM keys ON CONFLICT DO NOTHING
                 RETURNING id, level, cx, cy, county),
       cells AS (SELECT * FROM added UNION ALL SELECT c.id, c.level, c.cx, c.cy, c.county FROM hotline_tile_cells c JOIN keys USING (level, cx, cy, county))
       INSERT INTO hotline_tile_counts (cell_id, day, tickets, lon_sum, lat_sum)
       SELECT c.id, d.day, coalesce(b.tickets, 0) + sum(d.tickets) OVER w, coalesce(b.lon_sum, 0) + sum(d.lon_sum) OVER w,
              coalesce(b.lat_sum, 0) + sum(d.lat_sum) OVER w
         FROM days d JOIN cells c USING (level, cx, cy, county)
         LEFT JOIN LATERAL (SELECT x.tickets, x.lon_sum, x.lat_sum FROM hotline_tile_counts x WHERE x.cell_id = c.id AND x.day < $1::date
                             ORDER BY x.day DESC LIMIT 1) b ON true
       WINDOW w AS (PARTITION BY c.id ORDER BY d.day)`, [start, target]);
    // Marks made by transactions this snapshot does not see stay for the next run.
    await tx.query('DELETE FROM hotline_tile_dirty');
    await tx.query('UPDATE hotline_tile_rollup SET rolled_until = $1', [target]);
    return Math.max(0, Math.round((Date.parse(target) - Date.parse(start)) / dayMs));
  });
}

export const tileCountsSweep: Sweep = { name: 'hotline.tile-counts', everyMs: 10 * 60_000, run: rollUpTicketCounts };
