/**
 * The catalogue in DCAT-AP (JSON-LD): a dcat:Catalog whose datasets are the published entries the caller
 * may see, with publisher, update frequency and access rights on the EU vocabularies, and one
 * distribution per entry: the hub's gateway, through which every resource is read.
 */
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { fieldsByResource } from './entries.ts';
import { searchCatalogue } from './search.ts';

const EU = 'http://publications.europa.eu/resource/authority';
const FREQUENCY: Record<string, string> = {
  realtime: 'UPDATE_CONT', daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', yearly: 'ANNUAL', irregular: 'IRREG',
};
// 无条件共享 → public, 有条件 → restricted, 不予共享 → non-public.
const ACCESS: Record<string, string> = { unconditional: 'PUBLIC', conditional: 'RESTRICTED', none: 'NON_PUBLIC' };

/** At most this many datasets per export; harvesters page with CKAN's package_search beyond it. */
export const dcatExportLimit = 50_000;

export async function dcatCatalogue(db: Queryable, actor: Actor, baseUrl: string) {
  const page = await searchCatalogue(db, actor, { publishedOnly: true, limit: dcatExportLimit, offset: 0 });
  const fields = await fieldsByResource(db, page.items.map((r) => r.id));
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/',
      owl: 'http://www.w3.org/2002/07/owl#', xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': `${baseUrl}/api/v1/hub/catalogue.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': { '@value': '政务信息资源目录', '@language': 'zh' },
    'dct:description': { '@value': '本平台登记并发布的政务数据资源', '@language': 'zh' },
    'dcat:dataset': page.items.map((r) => ({
      '@id': `${baseUrl}/api/v1/hub/resources/${r.code}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': r.code,
      'dct:title': { '@value': r.name, '@language': 'zh' },
      'dct:description': { '@value': r.summary, '@language': 'zh' },
      'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': r.providerName },
      'dct:modified': { '@value': r.updatedAt, '@type': 'xsd:dateTime' },
      'dct:accrualPeriodicity': { '@id': `${EU}/frequency/${FREQUENCY[r.updateCycle] ?? 'UNKNOWN'}` },
      'dct:accessRights': { '@id': `${EU}/access-right/${ACCESS[r.shareType]}` },
      'owl:versionInfo': String(r.publishedVersion ?? r.version),
      'dcat:keyword': fields.get(r.id)!.map((f) => ({ '@value': f.name, '@language': 'zh' })),
      'dcat:distribution': [{
        '@type': 'dcat:Distribution',
        'dct:format': r.format,
        'dcat:accessURL': { '@id': `${baseUrl}/hub/v1/call/${r.code}` },
      }],
    })),
  };
}
