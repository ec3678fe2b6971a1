/**
 * 目录检索: full-text search over the catalogue (jieba words in a GIN-indexed tsvector), filtered and
 * faceted by provider, share type, sensitivity grade, open type and state, in pages. Lists only what the
 * caller may see (policy.entryScope).
 */
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { resourceSelect, type Resource } from './entries.ts';
import { entryScope, isHubAdmin, seesWorkingCopy, workingCopyScope } from './policy.ts';
import { searchQuery } from './search-text.ts';

export interface CatalogueQuery {
  q?: string;
  providerDepartmentId?: number;
  shareType?: string;
  sensitivity?: string;
  openType?: string;
  status?: string;
  /** Only entries in use (with a published version, not retired), each shown as published. */
  publishedOnly?: boolean;
  limit: number;
  offset: number;
}

export interface FacetValue {
  value: string;
  label?: string;
  count: number;
}

export interface CataloguePage {
  total: number;
  items: Omit<Resource, 'fields'>[];
  facets: { provider: FacetValue[]; shareType: FacetValue[]; sensitivity: FacetValue[]; status: FacetValue[]; openType: FacetValue[] };
}

/**
 * Matching entries, best match first (newest first without a text query), with facet counts over all matches.
 * An entry the caller is shown as published while its next version is prepared is matched, filtered and
 * counted by that published version, so a draft's words and terms do not leak into results or facets.
 */
export async function searchCatalogue(db: Queryable, actor: Actor, query: CatalogueQuery): Promise<CataloguePage> {
  const params: unknown[] = [];
  const hubAdmin = await isHubAdmin(db, actor);
  const scope = [entryScope(actor, hubAdmin, params)];
  if (query.publishedOnly) scope.push(`r.published_version IS NOT NULL AND r.status <> 'retired'`);
  const asPublished = `r.status IN ('draft', 'review') AND r.published_version IS NOT NULL${
    query.publishedOnly ? '' : ` AND NOT (${workingCopyScope(actor, hubAdmin, params)})`}`;
  // Each entry once, as the caller is shown it: the working copy, or the published version while the next is
  // prepared. The conditions below are pushed into both branches, so each uses its own GIN index.
  const shown = `SELECT r.id, r.code, r.provider_department_id, r.share_type, r.top_sensitivity, r.open_type, r.status, r.search, r.updated_at
      FROM hub_resources r WHERE ${scope.join(' AND ')} AND NOT (${asPublished})
    UNION ALL
    SELECT r.id, r.code, r.provider_department_id, v.entry->>'shareType', v.entry->>'topSensitivity', v.entry->>'openType', v.entry->>'status',
        v.search, r.updated_at
      FROM hub_resources r JOIN hub_resource_versions v ON v.resource_id = r.id AND v.version = r.published_version
      WHERE ${scope.join(' AND ')} AND ${asPublished}`;
  const where: string[] = [];
  const text = query.q ? searchQuery(query.q) : null;
  let rank = 'extract(epoch FROM m.updated_at)';
  if (text !== null) {
    params.push(text);
    where.push(`m.search @@ to_tsquery('simple', $${params.length})`);
    rank = `ts_rank(m.search, to_tsquery('simple', $${params.length}))`;
  } else if (query.q?.trim()) {
    where.push('false');
  }
  const filters: [keyof CatalogueQuery, string][] = [['providerDepartmentId', 'provider_department_id'], ['shareType', 'share_type'],
    ['sensitivity', 'top_sensitivity'], ['openType', 'open_type'], ['status', 'status']];
  for (const [key, column] of filters) {
    if (query[key] === undefined) continue;
    params.push(query[key]);
    where.push(`m.${column} = $${params.length}`);
  }
  const hits = `SELECT m.id, m.code, m.provider_department_id, m.share_type, m.top_sensitivity, m.open_type, m.status, ${rank} AS rank
    FROM (${shown}) m${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  // One pass over the matches counts every facet (grouping sets), instead of one scan per facet.
  const facetSql = `SELECT CASE WHEN GROUPING(provider_department_id) = 0 THEN 'provider' WHEN GROUPING(share_type) = 0 THEN 'shareType'
        WHEN GROUPING(top_sensitivity) = 0 THEN 'sensitivity' WHEN GROUPING(open_type) = 0 THEN 'openType' ELSE 'status' END AS facet,
      coalesce(provider_department_id::text, share_type, top_sensitivity, open_type, status) AS value, count(*)::int AS count
    FROM (${hits}) h GROUP BY GROUPING SETS ((provider_department_id), (share_type), (top_sensitivity), (open_type), (status))`;
  const pageParams = [...params, query.limit, query.offset];
  const [facetRows, pageRows] = await Promise.all([
    db.query<{ facet: keyof CataloguePage['facets']; value: string; count: number }>(facetSql, params),
    db.query<Omit<Resource, 'fields'>>(
      `WITH page AS (${hits} ORDER BY rank DESC, code LIMIT $${params.length + 1} OFFSET $${params.length + 2})
       ${resourceSelect} JOIN page ON page.id = r.id ORDER BY page.rank DESC, page.code`, pageParams),
  ]);
  const facets: CataloguePage['facets'] = { provider: [], shareType: [], sensitivity: [], status: [], openType: [] };
  for (const row of facetRows.rows) facets[row.facet].push({ value: row.value, count: row.count });
  const providerNames = await departmentNames(db, facets.provider.map((f) => Number(f.value)));
  for (const f of facets.provider) f.label = providerNames.get(Number(f.value));
  for (const list of Object.values(facets)) list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const items = await publishedWhereDue(db, pageRows.rows,
    (r) => r.status !== 'published' && r.status !== 'retired' && (query.publishedOnly === true || !seesWorkingCopy(actor, r, hubAdmin)));
  return { total: facets.status.reduce((sum, f) => sum + f.count, 0), items, facets };
}

async function departmentNames(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM departments WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Replaces the entries `due` picks (a draft of the next version) with their published version. */
async function publishedWhereDue(db: Queryable, rows: Omit<Resource, 'fields'>[], due: (r: Omit<Resource, 'fields'>) => boolean) {
  const ids = rows.filter(due).map((r) => r.id);
  if (ids.length === 0) return rows;
  const { rows: versions } = await db.query<{ entry: Resource }>(
    `SELECT v.entry FROM hub_resources r JOIN hub_resource_versions v ON v.resource_id = r.id AND v.version = r.published_version
      WHERE r.id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(versions.map(({ entry: { fields: _f, ...entry } }) => [entry.id, entry]));
  return rows.map((r) => (byId.has(r.id) ? { ...byId.get(r.id)!, rowCount: r.rowCount, qualityScore: r.qualityScore } : r));
}
