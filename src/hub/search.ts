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
import { containsPattern } from '../kernel/like.ts';

/** A column of an entry as the caller is shown it, for conditions (CKAN's `fq`), facets and sorting. */
export type EntryColumn = 'provider' | 'shareType' | 'openType' | 'sensitivity' | 'status' | 'updateCycle' | 'format' | 'code' | 'theme' | 'tag';

/**
 * A condition over the entries as shown (published version where one is prepared): any of `values` (a tag:
 * any field name), a `modified` range (ISO instants, inclusive, either end open), a substring of the code or
 * name (`contains`), and their conjunctions, disjunctions and negations.
 */
export type EntryCondition =
  | { column: EntryColumn; values: string[] }
  | { modified: { from?: string; to?: string } }
  | { contains: string }
  | { and: EntryCondition[] } | { or: EntryCondition[] } | { not: EntryCondition };

/** Facets beyond the five every search counts: format, theme (项 of the code), update cycle, tags (field names). */
export type ExtraFacet = 'format' | 'theme' | 'updateCycle' | 'tag';

/** Sort keys: relevance (newest first without a text query), last change, code, name. */
export type SortKey = { key: 'score' | 'modified' | 'code' | 'name'; desc: boolean };

export interface CatalogueQuery {
  q?: string;
  where?: EntryCondition;
  sort?: SortKey[];
  extraFacets?: ExtraFacet[];
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
  extraFacets: Partial<Record<ExtraFacet, FacetValue[]>>;
}

// The SQL of each column over the shown entries `m`; the theme is the 项 of the code (A01-… → 01).
const COLUMN_SQL: Record<Exclude<EntryColumn, 'tag'>, string> = {
  provider: 'm.provider_department_id::text', shareType: 'm.share_type', openType: 'm.open_type', sensitivity: 'm.top_sensitivity',
  status: 'm.status', updateCycle: 'm.update_cycle', format: 'm.format', code: 'm.code', theme: 'substr(m.code, 2, 2)',
};

const usesTags = (c: EntryCondition | undefined): boolean => c !== undefined && ('column' in c ? c.column === 'tag'
  : 'and' in c ? c.and.some(usesTags) : 'or' in c ? c.or.some(usesTags) : 'not' in c && usesTags(c.not));

function conditionSql(c: EntryCondition, params: unknown[]): string {
  if ('and' in c) return c.and.length ? `(${c.and.map((x) => conditionSql(x, params)).join(' AND ')})` : 'true';
  if ('or' in c) return c.or.length ? `(${c.or.map((x) => conditionSql(x, params)).join(' OR ')})` : 'false';
  if ('not' in c) return `NOT ${conditionSql(c.not, params)}`;
  if ('contains' in c) {
    params.push(containsPattern(c.contains));
    return `(m.code ILIKE $${params.length} OR m.name ILIKE $${params.length})`;
  }
  if ('modified' in c) {
    const parts: string[] = [];
    for (const [bound, op] of [[c.modified.from, '>='], [c.modified.to, '<=']] as const) {
      if (bound === undefined) continue;
      params.push(bound);
      parts.push(`m.updated_at ${op} $${params.length}::timestamptz`);
    }
    return parts.length ? `(${parts.join(' AND ')})` : 'true';
  }
  params.push(c.values);
  return c.column === 'tag' ? `(m.tags && $${params.length}::text[])` : `(${COLUMN_SQL[c.column]} = ANY($${params.length}::text[]))`;
}

const SORT_SQL: Record<SortKey['key'], string> = { score: 'rank', modified: 'updated_at', code: 'code', name: 'name' };

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
  // Tags (the field names) are gathered only when a condition or facet needs them.
  const tags = usesTags(query.where) || query.extraFacets?.includes('tag');
  const shown = `SELECT r.id, r.code, r.name, r.provider_department_id, r.share_type, r.top_sensitivity, r.open_type, r.status, r.update_cycle,
        r.format, r.search, r.updated_at${tags ? ', ARRAY(SELECT f.name FROM hub_resource_fields f WHERE f.resource_id = r.id) AS tags' : ''}
      FROM hub_resources r WHERE ${scope.join(' AND ')} AND NOT (${asPublished})
    UNION ALL
    SELECT r.id, r.code, v.entry->>'name', r.provider_department_id, v.entry->>'shareType', v.entry->>'topSensitivity', v.entry->>'openType',
        v.entry->>'status', v.entry->>'updateCycle', v.entry->>'format', v.search, (v.entry->>'updatedAt')::timestamptz${
        tags ? `, ARRAY(SELECT jsonb_array_elements(v.entry->'fields')->>'name')` : ''}
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
  if (query.where) where.push(conditionSql(query.where, params));
  const hits = `SELECT m.id, m.code, m.name, m.provider_department_id, m.share_type, m.top_sensitivity, m.open_type, m.status, m.update_cycle,
      m.format, m.updated_at${tags ? ', m.tags' : ''}, ${rank} AS rank
    FROM (${shown}) m${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  // One pass over the matches counts every facet (grouping sets), instead of one scan per facet.
  const facetSql = `SELECT CASE WHEN GROUPING(provider_department_id) = 0 THEN 'provider' WHEN GROUPING(share_type) = 0 THEN 'shareType'
        WHEN GROUPING(top_sensitivity) = 0 THEN 'sensitivity' WHEN GROUPING(open_type) = 0 THEN 'openType' ELSE 'status' END AS facet,
      coalesce(provider_department_id::text, share_type, top_sensitivity, open_type, status) AS value, count(*)::int AS count
    FROM (${hits}) h GROUP BY GROUPING SETS ((provider_department_id), (share_type), (top_sensitivity), (open_type), (status))`;
  const pageParams = [...params, query.limit, query.offset];
  const order = (alias: string) => [...(query.sort ?? [{ key: 'score', desc: true }]), { key: 'code', desc: false } as const]
    .map((s) => `${alias}${SORT_SQL[s.key]} ${s.desc ? 'DESC' : 'ASC'}`).join(', ');
  const extraSql: Record<ExtraFacet, string> = {
    format: 'SELECT format AS value, count(*)::int AS count FROM h GROUP BY 1',
    theme: 'SELECT substr(code, 2, 2) AS value, count(*)::int AS count FROM h GROUP BY 1',
    updateCycle: 'SELECT update_cycle AS value, count(*)::int AS count FROM h GROUP BY 1',
    tag: 'SELECT t AS value, count(*)::int AS count FROM h, unnest(h.tags) t GROUP BY 1',
  };
  const extras = query.extraFacets ?? [];
  const [facetRows, pageRows, ...extraRows] = await Promise.all([
    db.query<{ facet: keyof CataloguePage['facets']; value: string; count: number }>(facetSql, params),
    db.query<Omit<Resource, 'fields'>>(
      `WITH page AS (${hits} ORDER BY ${order('')} LIMIT $${params.length + 1} OFFSET $${params.length + 2})
       ${resourceSelect} JOIN page ON page.id = r.id ORDER BY ${order('page.')}`, pageParams),
    ...extras.map((facet) => db.query<FacetValue>(`WITH h AS (${hits}) ${extraSql[facet]}`, params)),
  ]);
  const extraFacets: CataloguePage['extraFacets'] = {};
  for (const [i, facet] of extras.entries())
    extraFacets[facet] = extraRows[i]!.rows.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const facets: CataloguePage['facets'] = { provider: [], shareType: [], sensitivity: [], status: [], openType: [] };
  for (const row of facetRows.rows) facets[row.facet].push({ value: row.value, count: row.count });
  const providerNames = await departmentNames(db, facets.provider.map((f) => Number(f.value)));
  for (const f of facets.provider) f.label = providerNames.get(Number(f.value));
  for (const list of Object.values(facets)) list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const items = await publishedWhereDue(db, pageRows.rows,
    (r) => r.status !== 'published' && r.status !== 'retired' && (query.publishedOnly === true || !seesWorkingCopy(actor, r, hubAdmin)));
  return { total: facets.status.reduce((sum, f) => sum + f.count, 0), items, facets, extraFacets };
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
