/**
 * The catalogue as CKAN sees it (Action API v3: package_search, package_show, organization_list), so CKAN
 * clients and harvesters can read it. A catalogue entry is a CKAN package named by its code, its
 * provider a CKAN organization named by its department code; share type, update cycle and grades go in
 * `extras`, the fields (信息项) in the resource's `fields`. Visibility is the catalogue's own.
 */
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { fieldsByResource, viewResource, type Field, type Resource } from './entries.ts';
import { searchCatalogue, type CatalogueQuery } from './search.ts';

/** A CKAN error: `type` is CKAN's `__type`, `status` the HTTP status CKAN uses for it. */
export class CkanError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

/** CKAN names are lower-case; our codes are upper-case. */
const ckanName = (code: string) => code.toLowerCase();

export function ckanPackage(resource: Omit<Resource, 'fields'>, fields: Field[], departmentCode: string) {
  return {
    id: resource.code,
    name: ckanName(resource.code),
    title: resource.name,
    notes: resource.summary,
    type: 'dataset',
    state: resource.status === 'retired' ? 'deleted' : 'active',
    private: resource.openType !== 'open',
    version: String(resource.version),
    metadata_modified: resource.updatedAt,
    organization: { id: String(resource.providerDepartmentId), name: ckanName(departmentCode), title: resource.providerName, type: 'organization' },
    owner_org: String(resource.providerDepartmentId),
    num_resources: 1,
    num_tags: 0,
    tags: [],
    resources: [{
      id: `${resource.code}/${resource.kind}`, package_id: resource.code, name: resource.name, format: resource.format,
      url: `/hub/v1/call/${resource.code}`,
      fields: fields.map((f) => ({ id: f.code, name: f.name, type: f.type, length: f.length, sensitivity: f.sensitivity, level: f.level })),
    }],
    extras: [
      { key: 'share_type', value: resource.shareType },
      { key: 'open_type', value: resource.openType },
      { key: 'update_cycle', value: resource.updateCycle },
      { key: 'sensitivity', value: resource.topSensitivity },
      { key: 'status', value: resource.status },
    ],
  };
}

async function departmentCodes(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  const { rows } = await db.query<{ id: number; code: string }>('SELECT id, code FROM departments WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.code]));
}

const FQ_KEYS: Record<string, keyof CatalogueQuery> = {
  share_type: 'shareType', sensitivity: 'sensitivity', open_type: 'openType', status: 'status',
};

/** `fq` as CKAN writes it (`organization:511600-ga share_type:conditional`, terms joined by spaces or AND). */
async function filtersOf(db: Queryable, fq: string): Promise<Partial<CatalogueQuery>> {
  const out: Partial<CatalogueQuery> = {};
  for (const term of fq.split(/\s+(?:AND\s+)?/).filter(Boolean)) {
    const match = /^\+?([a-z_]+):"?([^"]*)"?$/.exec(term);
    if (!match) throw new CkanError(409, 'Validation Error', `fq: cannot read "${term}"`);
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'organization') {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM departments WHERE lower(code) = $1', [value.toLowerCase()]);
      out.providerDepartmentId = rows[0]?.id ?? -1;
    } else if (FQ_KEYS[key]) {
      (out as Record<string, unknown>)[FQ_KEYS[key]] = value;
    } else {
      throw new CkanError(409, 'Validation Error', `fq: unknown field "${key}"`);
    }
  }
  return out;
}

export async function packageSearch(db: Queryable, actor: Actor, input: { q?: string; fq?: string; rows: number; start: number }) {
  const filters = input.fq ? await filtersOf(db, input.fq) : {};
  // CKAN's "match everything" query.
  const q = input.q === '*:*' ? undefined : input.q;
  const page = await searchCatalogue(db, actor, { ...filters, q, limit: input.rows, offset: input.start });
  const [fields, codes] = await Promise.all([fieldsByResource(db, page.items.map((r) => r.id)),
    departmentCodes(db, page.items.map((r) => r.providerDepartmentId))]);
  return {
    count: page.total,
    sort: q ? 'score desc' : 'metadata_modified desc',
    results: page.items.map((r) => ckanPackage(r, fields.get(r.id)!, codes.get(r.providerDepartmentId)!)),
    facets: {},
    search_facets: {
      organization: { title: 'organization', items: page.facets.provider.map((f) => ({ name: f.value, display_name: f.label, count: f.count })) },
      share_type: { title: 'share_type', items: page.facets.shareType.map((f) => ({ name: f.value, display_name: f.value, count: f.count })) },
    },
  };
}

export async function packageShow(db: Queryable, actor: Actor, id: string) {
  let resource: Resource;
  try {
    resource = (await viewResource(db, actor, id.toUpperCase())).resource;
  } catch (error) {
    // Only a missing or hidden entry is CKAN's 404; a database failure stays a 500.
    if (error instanceof DomainError && error.status === 404) throw new CkanError(404, 'Not Found Error', 'Not found');
    throw error;
  }
  const codes = await departmentCodes(db, [resource.providerDepartmentId]);
  return ckanPackage(resource, resource.fields, codes.get(resource.providerDepartmentId)!);
}

/** Departments providing at least one entry the caller may see: names, or whole objects with `all_fields`. */
export async function organizationList(db: Queryable, actor: Actor, allFields: boolean) {
  const page = await searchCatalogue(db, actor, { limit: 0, offset: 0 });
  const ids = page.facets.provider.map((f) => Number(f.value));
  const codes = await departmentCodes(db, ids);
  const orgs = page.facets.provider.map((f) => ({ id: f.value, name: ckanName(codes.get(Number(f.value))!), title: f.label ?? '', display_name: f.label ?? '',
    package_count: f.count, type: 'organization', state: 'active' })).sort((a, b) => a.name.localeCompare(b.name));
  return allFields ? orgs : orgs.map((o) => o.name);
}
