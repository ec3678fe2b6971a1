/**
 * 质量看板: per source of a library, what resolution found about its data: duplicates within it, records it
 * shares with other sources, conflicts with other sources by field, completeness of each mapped field, check
 * digit failures and other findings, and the trend over its loads.
 */
import { assertCan, type Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import type { Library } from './libraries.ts';
import { registryActions, registryScope } from './policy.ts';

export interface SourceQuality {
  sourceId: number;
  resourceName: string;
  providerName: string;
  records: number;
  /** records sharing their entity with another record of the same source */
  duplicates: number;
  /** records whose entity also has records of other sources */
  linked: number;
  conflicts: { field: string; entities: number }[];
  completeness: { field: string; share: number }[];
  checkDigitFailures: number;
  findings: { code: string; count: number }[];
  loads: { id: number; startedAt: string; state: string; counts: Record<string, number> }[];
}

/** The dashboard of every source of a library in the actor's jurisdiction. */
export async function qualityDashboard(db: Queryable, actor: Actor, library: Library): Promise<SourceQuality[]> {
  assertCan(actor, registryActions.quality);
  const params: unknown[] = [library];
  const within = registryScope(actor, 's.division_code', params);
  const { rows } = await db.query<SourceQuality>(
    `SELECT s.id::int AS "sourceId", s.resource_name AS "resourceName", d.name AS "providerName",
        (SELECT count(*)::int FROM registry_records r WHERE r.source_id = s.id) AS records,
        (SELECT count(*)::int FROM registry_records r WHERE r.source_id = s.id AND r.entity_id IS NOT NULL AND EXISTS (
           SELECT 1 FROM registry_records o WHERE o.entity_id = r.entity_id AND o.source_id = s.id AND o.id <> r.id)) AS duplicates,
        (SELECT count(*)::int FROM registry_records r WHERE r.source_id = s.id AND r.entity_id IS NOT NULL AND EXISTS (
           SELECT 1 FROM registry_records o WHERE o.entity_id = r.entity_id AND o.source_id <> s.id)) AS linked,
        coalesce((SELECT jsonb_agg(jsonb_build_object('field', c.field, 'entities', c.n) ORDER BY c.n DESC) FROM (
           SELECT f.key AS field, count(DISTINCT e.id)::int AS n FROM registry_entities e CROSS JOIN LATERAL jsonb_each(e.conflicts) AS f
            WHERE e.library = s.library AND EXISTS (SELECT 1 FROM jsonb_array_elements(f.value) v WHERE v -> 'sourceIds' @> to_jsonb(s.id))
            GROUP BY f.key) c), '[]') AS conflicts,
        coalesce((SELECT jsonb_agg(jsonb_build_object('field', m.key, 'share',
           (SELECT coalesce(avg(CASE WHEN r.raw ->> m.key IS NULL THEN 0 ELSE 1 END), 0) FROM registry_records r WHERE r.source_id = s.id)) ORDER BY m.key)
           FROM jsonb_each_text(s.mapping) m), '[]') AS completeness,
        (SELECT count(*)::int FROM registry_records r CROSS JOIN LATERAL jsonb_array_elements(r.findings) f
          WHERE r.source_id = s.id AND f ->> 'code' LIKE '%check-digit') AS "checkDigitFailures",
        coalesce((SELECT jsonb_agg(jsonb_build_object('code', x.code, 'count', x.n) ORDER BY x.n DESC) FROM (
           SELECT f ->> 'code' AS code, count(*)::int AS n FROM registry_records r CROSS JOIN LATERAL jsonb_array_elements(r.findings) f
            WHERE r.source_id = s.id GROUP BY 1) x), '[]') AS findings,
        coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'startedAt', l.started_at, 'state', l.state, 'counts', l.counts) ORDER BY l.id)
           FROM (SELECT * FROM registry_loads WHERE source_id = s.id ORDER BY id DESC LIMIT 20) l), '[]') AS loads
      FROM registry_sources s JOIN departments d ON d.id = s.provider_department_id
     WHERE s.library = $1 AND ${within} ORDER BY s.id`, params);
  return rows;
}
