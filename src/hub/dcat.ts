/**
 * The catalogue in DCAT-AP 3: a dcat:Catalog published by the data bureau, whose datasets are the published
 * entries the caller may see, each with its publisher and contact point (the providing department), themes (the
 * subject of its code, mapped to the EU data-theme vocabulary), update frequency, access rights and licence on the
 * EU authority tables, and one distribution: the hub's gateway, which answers JSON. Every node has an IRI, so the
 * graph reads the same in each serialisation: JSON-LD, Turtle and RDF/XML.
 */
import { DataFactory, Writer } from 'n3';
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { fieldsByResource, type Resource } from './entries.ts';
import { searchCatalogue } from './search.ts';
import { themeOfCode, themes, type Theme } from './themes.ts';

export const namespaces = {
  dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/', vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#', owl: 'http://www.w3.org/2002/07/owl#', xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;
type Prefix = keyof typeof namespaces;
type Name = `${Prefix}:${string}`;

const EU = 'http://publications.europa.eu/resource/authority';
const FREQUENCY: Record<string, string> = {
  realtime: 'UPDATE_CONT', daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', yearly: 'ANNUAL', irregular: 'IRREG',
};
const EU_THEME_LABEL: Record<Theme['eu'], string> = {
  AGRI: 'Agriculture, fisheries, forestry and food', ECON: 'Economy and finance', EDUC: 'Education, culture and sport', ENER: 'Energy',
  ENVI: 'Environment', GOVE: 'Government and public sector', HEAL: 'Health', INTR: 'International issues', JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities', SOCI: 'Population and society', TECH: 'Science and technology', TRAN: 'Transport',
};
const LEVEL_PUBLISHER_TYPE: Record<string, [string, string]> = {
  province: ['RegionalAuthority', 'Regional authority'], city: ['LocalAuthority', 'Local authority'], county: ['LocalAuthority', 'Local authority'],
};

/** At most this many datasets per export; harvesters page with CKAN's package_search beyond it. */
export const dcatExportLimit = 50_000;

export type Term = { iri: string } | { value: string; lang?: string; datatype?: Name };
/** A described resource: its IRI, classes and properties; a property's values are terms or further nodes. */
export interface RdfNode {
  iri: string;
  types: Name[];
  props: [Name, (Term | RdfNode)[]][];
}

const isNode = (x: Term | RdfNode): x is RdfNode => 'types' in x;
const zh = (value: string): Term => ({ value, lang: 'zh' });
const en = (value: string): Term => ({ value, lang: 'en' });
const dateTime = (iso: string): Term => ({ value: new Date(iso).toISOString(), datatype: 'xsd:dateTime' });
const typed = (iri: string, ...types: Name[]): RdfNode => ({ iri, types, props: [] });
const concept = (iri: string, label: Term, scheme: RdfNode): RdfNode =>
  ({ iri, types: ['skos:Concept'], props: [['skos:prefLabel', [label]], ['skos:inScheme', [scheme]]] });

interface Department {
  id: number;
  code: string;
  name: string;
  divisionCode: string;
  divisionName: string;
  level: string;
}

async function departments(db: Queryable, where: string, params: unknown[]): Promise<Department[]> {
  const { rows } = await db.query<Department>(
    `SELECT d.id::int AS id, d.code, d.name, d.division_code AS "divisionCode", v.name AS "divisionName", v.level
      FROM departments d JOIN divisions v ON v.code = d.division_code WHERE ${where}
      ORDER BY array_position(ARRAY['province', 'city', 'county', 'township', 'village'], v.level), d.code`, params);
  return rows;
}

/** The graph of the catalogue as the caller may see it. */
export async function catalogueGraph(db: Queryable, actor: Actor, baseUrl: string): Promise<RdfNode> {
  const page = await searchCatalogue(db, actor, { publishedOnly: true, limit: dcatExportLimit, offset: 0 });
  const ids = page.items.map((r) => r.id);
  const [fields, providers, [bureau], issued] = await Promise.all([
    fieldsByResource(db, ids),
    departments(db, 'd.id = ANY($1::bigint[])', [[...new Set(page.items.map((r) => r.providerDepartmentId))]]),
    // The catalogue's publisher: the data bureau (政数局) at the top of the installation.
    departments(db, `d.kind = 'government-services'`, []),
    db.query<{ id: number; at: string }>(
      `SELECT resource_id::int AS id, to_json(min(published_at)) #>> '{}' AS at FROM hub_resource_versions WHERE resource_id = ANY($1::bigint[]) GROUP BY 1`, [ids]),
  ]);
  const firstIssued = new Map(issued.rows.map((r) => [r.id, r.at]));
  const catalogueIri = `${baseUrl}/api/v1/hub/catalogue`;
  const zho = typed(`${EU}/language/ZHO`, 'dct:LinguisticSystem');
  const euThemes: RdfNode = { iri: `${EU}/data-theme`, types: ['skos:ConceptScheme'], props: [['dct:title', [en('Data theme')]]] };
  const ownThemes: RdfNode = { iri: `${catalogueIri}#themes`, types: ['skos:ConceptScheme'], props: [['dct:title', [zh('政务信息资源目录资源分类（项）')]]] };
  const publisherTypes: RdfNode = { iri: 'http://purl.org/adms/publishertype/1.0', types: ['skos:ConceptScheme'], props: [['dct:title', [en('Publisher type')]]] };
  const place = (d: Department) => ({ iri: `${baseUrl}/api/v1/org/divisions/${d.divisionCode}`, types: ['dct:Location'] as Name[],
    props: [['skos:prefLabel', [zh(d.divisionName)]]] as RdfNode['props'] });
  const organizationIri = (d: Department) => `${baseUrl}/api/3/action/organization_show?id=${d.code.toLowerCase()}`;
  const agent = (d: Department): RdfNode => {
    const [type, label] = LEVEL_PUBLISHER_TYPE[d.level] ?? ['LocalAuthority', 'Local authority'];
    return { iri: organizationIri(d), types: ['foaf:Agent', 'foaf:Organization'], props: [['foaf:name', [{ value: d.name }]],
      ['dct:type', [concept(`http://purl.org/adms/publishertype/${type}`, en(label), publisherTypes)]]] };
  };
  const contact = (d: Department): RdfNode => ({ iri: `${organizationIri(d)}#contact`, types: ['vcard:Kind', 'vcard:Organization'],
    props: [['vcard:fn', [zh(d.name)]], ['vcard:hasURL', [{ iri: organizationIri(d) }]]] });
  const byId = new Map(providers.map((d) => [d.id, d]));
  const themeConcepts = (theme: Theme): RdfNode[] => [
    concept(`${EU}/data-theme/${theme.eu}`, en(EU_THEME_LABEL[theme.eu]), euThemes),
    concept(`${catalogueIri}#theme-${theme.item}`, zh(theme.name), ownThemes),
  ];

  const dataset = (r: Omit<Resource, 'fields'>): RdfNode => {
    const provider = byId.get(r.providerDepartmentId)!;
    const iri = `${baseUrl}/api/v1/hub/resources/${r.code}`;
    const theme = themeOfCode(r.code);
    const open = r.openType === 'open';
    // Open to the public → public; not shared at all → non-public; otherwise available to departments on conditions.
    const access = open ? 'PUBLIC' : r.shareType === 'none' ? 'NON_PUBLIC' : 'RESTRICTED';
    const distribution: RdfNode = { iri: `${iri}#gateway`, types: ['dcat:Distribution'], props: [
      ['dct:title', [zh(`${r.name}（共享网关）`)]],
      ['dct:description', [zh(`通过数据共享网关按授权调用，返回 JSON；登记的资源格式：${r.format}`)]],
      // Typed, so a validator without RDFS inference finds the class the DCAT-AP shapes ask for.
      ['dcat:accessURL', [typed(`${baseUrl}/hub/v1/call/${r.code}`, 'rdfs:Resource')]],
      ['dct:format', [typed(`${EU}/file-type/JSON`, 'dct:MediaTypeOrExtent')]],
      ['dcat:mediaType', [typed('https://www.iana.org/assignments/media-types/application/json', 'dct:MediaType')]],
      ...(open ? [['dct:license', [typed(`${EU}/licence/CC_BY_4_0`, 'dct:LicenseDocument')]] as [Name, RdfNode[]]] : []),
    ] };
    return { iri, types: ['dcat:Dataset'], props: [
      ['dct:identifier', [{ value: r.code }]],
      ['dct:title', [zh(r.name)]],
      ['dct:description', [zh(r.summary.trim() || r.name)]],
      ['dct:publisher', [agent(provider)]],
      ['dcat:contactPoint', [contact(provider)]],
      ['dct:modified', [dateTime(r.updatedAt)]],
      ...(firstIssued.has(r.id) ? [['dct:issued', [dateTime(firstIssued.get(r.id)!)]] as [Name, Term[]]] : []),
      ['dct:accrualPeriodicity', [typed(`${EU}/frequency/${FREQUENCY[r.updateCycle] ?? 'UNKNOWN'}`, 'dct:Frequency')]],
      ['dct:accessRights', [typed(`${EU}/access-right/${access}`, 'dct:RightsStatement')]],
      ['dcat:theme', theme ? themeConcepts(theme) : []],
      ['dcat:keyword', (fields.get(r.id) ?? []).map((f) => zh(f.name))],
      ['dct:spatial', [place(provider)]],
      ['dct:language', [zho]],
      ['owl:versionInfo', [{ value: String(r.publishedVersion ?? r.version) }]],
      ['dcat:distribution', [distribution]],
    ] };
  };

  const publisher = bureau ? agent(bureau) : { iri: `${baseUrl}/`, types: ['foaf:Agent'] as Name[], props: [['foaf:name', [{ value: '一网' }]]] as RdfNode['props'] };
  const modified = page.items.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), '');
  const firstRelease = [...firstIssued.values()].reduce((min, at) => (min === '' || at < min ? at : min), '');
  return { iri: catalogueIri, types: ['dcat:Catalog'], props: [
    ['dct:title', [zh('政务信息资源目录'), en('Government data resource catalogue')]],
    ['dct:description', [zh('本平台登记并发布的政务数据资源'), en('Data resources registered and published by the departments on this platform')]],
    ['dct:publisher', [publisher]],
    ['foaf:homepage', [typed(`${baseUrl}/`, 'foaf:Document')]],
    ['dct:language', [zho]],
    ...(bureau ? [['dct:spatial', [place(bureau)]] as [Name, RdfNode[]]] : []),
    ...(firstRelease ? [['dct:issued', [dateTime(firstRelease)]] as [Name, Term[]]] : []),
    ...(modified ? [['dct:modified', [dateTime(modified)]] as [Name, Term[]]] : []),
    ['dcat:themeTaxonomy', [euThemes, { ...ownThemes, props: [...ownThemes.props, ['skos:hasTopConcept', themes.map((t) => themeConcepts(t)[1]!)]] }]],
    ['dcat:dataset', page.items.map(dataset)],
  ] };
}

const expand = (name: Name) => {
  const [prefix, local] = name.split(':') as [Prefix, string];
  return namespaces[prefix] + local;
};

/** Each node once (the first description of an IRI wins: the same IRI is always described alike). */
export function flatten(root: RdfNode): RdfNode[] {
  const seen = new Map<string, RdfNode>();
  const visit = (node: RdfNode) => {
    if (seen.has(node.iri)) return;
    seen.set(node.iri, node);
    for (const [, values] of node.props) for (const v of values) if (isNode(v)) visit(v);
  };
  visit(root);
  return [...seen.values()];
}

const ALWAYS_LISTS = new Set<Name>(['dcat:dataset', 'dcat:distribution', 'dcat:keyword', 'dcat:theme', 'dcat:themeTaxonomy', 'skos:hasTopConcept']);

/** JSON-LD: the catalogue with its datasets nested; a node described once, referenced by `@id` after. */
export function toJsonLd(root: RdfNode): Record<string, unknown> {
  const described = new Set<string>();
  const term = (v: Term | RdfNode): unknown => {
    if (isNode(v)) return node(v);
    if ('iri' in v) return { '@id': v.iri };
    if (v.lang) return { '@value': v.value, '@language': v.lang };
    if (v.datatype) return { '@value': v.value, '@type': v.datatype };
    return v.value;
  };
  function node(n: RdfNode): Record<string, unknown> {
    if (described.has(n.iri)) return { '@id': n.iri };
    described.add(n.iri);
    const out: Record<string, unknown> = { '@id': n.iri, '@type': n.types.length === 1 ? n.types[0] : n.types };
    for (const [p, values] of n.props) {
      if (values.length === 0) continue;
      const list = values.map(term);
      out[p] = list.length === 1 && !ALWAYS_LISTS.has(p) ? list[0] : list;
    }
    return out;
  }
  const { rdf: _rdf, ...context } = namespaces;
  return { '@context': context, ...node(root) };
}

function* triples(root: RdfNode): Generator<[string, string, Term]> {
  for (const n of flatten(root)) {
    for (const t of n.types) yield [n.iri, namespaces.rdf + 'type', { iri: expand(t) }];
    for (const [p, values] of n.props) for (const v of values) yield [n.iri, expand(p), isNode(v) ? { iri: v.iri } : v];
  }
}

/** Turtle, written by n3. */
export function toTurtle(root: RdfNode): Promise<string> {
  const { namedNode, literal } = DataFactory;
  const writer = new Writer({ prefixes: { ...namespaces } });
  for (const [s, p, o] of triples(root)) {
    writer.addQuad(namedNode(s), namedNode(p), 'iri' in o ? namedNode(o.iri)
      : literal(o.value, o.lang ?? (o.datatype ? namedNode(expand(o.datatype)) : undefined)));
  }
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** RDF/XML: one rdf:Description per node. */
export function toRdfXml(root: RdfNode): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>',
    `<rdf:RDF ${Object.entries(namespaces).map(([p, ns]) => `xmlns:${p}="${ns}"`).join(' ')}>`];
  for (const n of flatten(root)) {
    out.push(`  <rdf:Description rdf:about="${xml(n.iri)}">`);
    for (const t of n.types) out.push(`    <rdf:type rdf:resource="${xml(expand(t))}"/>`);
    for (const [p, values] of n.props) {
      for (const v of values) {
        if (isNode(v) || 'iri' in v) out.push(`    <${p} rdf:resource="${xml(v.iri)}"/>`);
        else out.push(`    <${p}${v.lang ? ` xml:lang="${v.lang}"` : v.datatype ? ` rdf:datatype="${expand(v.datatype)}"` : ''}>${xml(v.value)}</${p}>`);
      }
    }
    out.push('  </rdf:Description>');
  }
  out.push('</rdf:RDF>', '');
  return out.join('\n');
}

export const dcatMediaTypes = { jsonld: 'application/ld+json', turtle: 'text/turtle', rdfxml: 'application/rdf+xml' } as const;
export type DcatFormat = keyof typeof dcatMediaTypes;

/** The serialisation an Accept header asks for (by q-value; JSON-LD for anything else), or null when it accepts none of them. */
export function negotiateDcat(accept: string | undefined): DcatFormat | null {
  if (!accept?.trim()) return 'jsonld';
  const wanted = accept.split(',').map((part, index) => {
    const [type = '', ...params] = part.trim().split(';').map((x) => x.trim().toLowerCase());
    const q = Number(params.find((x) => x.startsWith('q='))?.slice(2) ?? 1);
    return { type, q: Number.isFinite(q) ? q : 0, index };
  }).filter((w) => w.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of wanted) {
    if (type === 'application/ld+json' || type === 'application/json' || type === '*/*' || type === 'application/*') return 'jsonld';
    if (type === 'text/turtle' || type === 'text/*') return 'turtle';
    if (type === 'application/rdf+xml' || type === 'application/xml' || type === 'text/xml') return 'rdfxml';
  }
  return null;
}

/** The catalogue in one serialisation, with its media type. */
export async function dcatCatalogue(db: Queryable, actor: Actor, baseUrl: string, format: DcatFormat = 'jsonld') {
  const graph = await catalogueGraph(db, actor, baseUrl);
  const body = format === 'jsonld' ? JSON.stringify(toJsonLd(graph)) : format === 'turtle' ? await toTurtle(graph) : toRdfXml(graph);
  return { body, type: `${dcatMediaTypes[format]}; charset=utf-8` };
}
