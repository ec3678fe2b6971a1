/**
 * 共享看板: calls per day, per provider, consumer and resource, errors and refusals, overdue requests, the
 * request satisfaction rate and the data usage rate (resources used / published). Hub administrators see
 * the whole hub; any other department only the calls and requests it is a party to.
 */
import { assertCan, type Actor } from '../../kernel/auth/index.ts';
import { chinaDay } from '../../kernel/calendar/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { isHubAdmin } from './catalogue.ts';
import { departmentScope, exchangeActions } from './policy.ts';

export interface Dashboard {
  from: string;
  to: string;
  scope: 'hub' | 'department';
  totals: { calls: number; answered: number; refused: number; errors: number };
  days: { day: string; calls: number; answered: number; refused: number; errors: number }[];
  byProvider: { name: string; calls: number }[];
  byConsumer: { name: string; calls: number }[];
  topResources: { code: string; name: string; calls: number }[];
  requests: { pending: number; overdue: number; escalated: number; approved: number; refused: number; satisfactionRate: number | null };
  usage: { published: number; used: number; rate: number | null };
}

const DAY_MS = 86_400_000;

export async function hubDashboard(db: Queryable, actor: Actor, query: { from: string; to: string }, now = new Date()): Promise<Dashboard> {
  assertCan(actor, exchangeActions.dashboard);
  const start = new Date(`${query.from}T00:00:00+08:00`);
  const end = new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + DAY_MS);
  if (!(end > start) || end.getTime() - start.getTime() > 366 * DAY_MS)
    throw new DomainError('validation', { field: 'to' }, 'from must be before to, at most a year apart');
  const hubAdmin = await isHubAdmin(db, actor);
  const scoped = (consumer: string, provider: string, params: unknown[]) =>
    departmentScope(actor, hubAdmin, exchangeActions.dashboard, { consumer, provider }, params);
  // Evidence of the period within the scope; `providerOnly` counts a department's own resources only (usage rate).
  const evidence = (select: string, tail: string, opts: { join?: string; answered?: boolean; providerOnly?: boolean } = {}) => {
    const params: unknown[] = [start, end];
    const scope = scoped(opts.providerOnly ? '-1' : 'e.consumer_department_id', 'e.provider_department_id', params);
    return db.query(`SELECT ${select} FROM hub_evidence e ${opts.join ?? ''} WHERE e.at >= $1 AND e.at < $2
      ${opts.answered ? 'AND e.status = 200' : ''} AND ${scope} ${tail}`, params);
  };
  const counts = `count(*)::int AS calls, count(*) FILTER (WHERE e.status = 200)::int AS answered,
    count(*) FILTER (WHERE e.status BETWEEN 400 AND 499)::int AS refused, count(*) FILTER (WHERE e.status >= 500)::int AS errors`;
  const requestParams: unknown[] = [start, end, now];
  const publishedParams: unknown[] = [];
  const [days, byProvider, byConsumer, topResources, requests, published, used] = await Promise.all([
    evidence(`to_char(e.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, ${counts}`, 'GROUP BY 1 ORDER BY 1'),
    evidence('d.name, count(*)::int AS calls', 'GROUP BY d.name ORDER BY calls DESC LIMIT 20', { join: 'JOIN departments d ON d.id = e.provider_department_id' }),
    evidence('d.name, count(*)::int AS calls', 'GROUP BY d.name ORDER BY calls DESC LIMIT 20', { join: 'JOIN departments d ON d.id = e.consumer_department_id' }),
    evidence('r.code, r.name, count(*)::int AS calls', 'GROUP BY r.code, r.name ORDER BY calls DESC LIMIT 10',
      { join: 'JOIN hub_resources r ON r.id = e.resource_id', answered: true }),
    db.query<Dashboard['requests']>(`SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
        count(*) FILTER (WHERE state = 'pending' AND due_at < $3)::int AS overdue, count(*) FILTER (WHERE state = 'escalated')::int AS escalated,
        count(*) FILTER (WHERE state = 'approved' AND decided_at >= $1 AND decided_at < $2)::int AS approved,
        count(*) FILTER (WHERE state = 'refused' AND decided_at >= $1 AND decided_at < $2)::int AS refused
      FROM hub_requests q WHERE ${scoped('q.consumer_department_id', 'q.provider_department_id', requestParams)}`, requestParams),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_resources r WHERE r.published_version IS NOT NULL AND r.status <> 'retired'
      AND ${scoped('-1', 'r.provider_department_id', publishedParams)}`, publishedParams),
    evidence('count(DISTINCT e.resource_id)::int AS n', '', { answered: true, providerOnly: true }),
  ]);
  // Every day of the period, with zeros where nothing was called, so the chart is a time line.
  const counted = new Map((days.rows as Dashboard['days']).map((d) => [d.day, d]));
  const dayRows: Dashboard['days'] = [];
  for (let at = start.getTime(); at < end.getTime(); at += DAY_MS) {
    const day = chinaDay(new Date(at));
    dayRows.push(counted.get(day) ?? { day, calls: 0, answered: 0, refused: 0, errors: 0 });
  }
  const sum = (k: keyof Dashboard['totals']) => dayRows.reduce((n, d) => n + d[k], 0);
  const r = requests.rows[0]!;
  const decided = r.approved + r.refused;
  const publishedCount = published.rows[0]!.n;
  return {
    from: query.from, to: query.to, scope: hubAdmin ? 'hub' : 'department',
    totals: { calls: sum('calls'), answered: sum('answered'), refused: sum('refused'), errors: sum('errors') },
    days: dayRows,
    byProvider: byProvider.rows as Dashboard['byProvider'],
    byConsumer: byConsumer.rows as Dashboard['byConsumer'],
    topResources: topResources.rows as Dashboard['topResources'],
    requests: { ...r, satisfactionRate: decided === 0 ? null : r.approved / decided },
    usage: { published: publishedCount, used: (used.rows[0] as { n: number }).n, rate: publishedCount === 0 ? null : Math.min(1, (used.rows[0] as { n: number }).n / publishedCount) },
  };
}
