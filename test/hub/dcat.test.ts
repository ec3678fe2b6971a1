// The DCAT-AP export read as a validator reads it: the same graph in JSON-LD (expanded by jsonld.js), Turtle (n3) and
// RDF/XML (rdfxml-streaming-parser), valid against the DCAT-AP 3.0.0 SHACL shapes (rdf-validate-shacl), with the
// controlled vocabularies (EU data themes, frequencies, access rights, file types, licences) where DCAT-AP wants them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import rdf from '@zazuko/env';
import jsonld from 'jsonld';
import { Parser, Store, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { makeHubCast, personEntry, publishEntry } from './factories.ts';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const EU = 'http://publications.europa.eu/resource/authority';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const shapesTurtle = fs.readFileSync(new URL('./dcat-ap/shapes.ttl', import.meta.url), 'utf8');

const ntriple = (q: Quad) => `${q.subject.value} ${q.predicate.value} ${q.object.termType === 'Literal'
  ? JSON.stringify([q.object.value, q.object.language, q.object.language ? '' : q.object.datatype.value]) : q.object.value}`;

function rdfXmlQuads(xml: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser();
    parser.on('data', (q: Quad) => quads.push(q)).on('error', reject).on('end', () => resolve(quads));
    parser.write(xml);
    parser.end();
  });
}

async function validate(quads: Quad[]) {
  const shapes = rdf.dataset(new Parser().parse(shapesTurtle) as never);
  const report = await new SHACLValidator(shapes, { factory: rdf }).validate(rdf.dataset(quads as never));
  return { conforms: report.conforms, paths: report.results.map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join()}`) };
}

describe('DCAT-AP export', () => {
  let t: TestApp;
  let officer: string;
  const get = (url: string, accept?: string, cookie: string | null = officer) =>
    t.app.inject({ method: 'GET', url, headers: { ...(accept ? { accept } : {}), ...(cookie ? { cookie } : {}) } });

  before(async () => {
    t = await createTestApp();
    const cast = await makeHubCast(t.db);
    await publishEntry(t.db, personEntry(cast.police));
    await publishEntry(t.db, { ...personEntry(cast.police), code: 'B10-0001-0001-0001', name: '公交线路与站点信息', summary: '', shareType: 'unconditional',
      openType: 'open', updateCycle: 'realtime', subjectKind: undefined, subjectField: undefined, keyField: undefined,
      fields: [{ code: 'line', name: '线路', type: 'string', sensitivity: 'general', level: 'L1', masking: 'none' }] });
    await publishEntry(t.db, { ...personEntry(cast.police), code: 'C01-0002-0001-0001', name: '违法犯罪记录', shareType: 'none', updateCycle: 'irregular' });
    officer = await t.login('civil_officer');
  });
  after(() => t.close());

  it('gives the same graph in JSON-LD, Turtle and RDF/XML, chosen by Accept or by extension', async () => {
    const jsonLd = await get('/api/v1/hub/catalogue', 'application/ld+json');
    assert.match(String(jsonLd.headers['content-type']), /^application\/ld\+json/);
    const turtle = await get('/api/v1/hub/catalogue', 'text/turtle;q=0.9, application/rdf+xml;q=0.5');
    assert.match(String(turtle.headers['content-type']), /^text\/turtle/);
    const xml = await get('/api/v1/hub/catalogue.rdf');
    assert.match(String(xml.headers['content-type']), /^application\/rdf\+xml/);
    assert.match(String((await get('/api/v1/hub/catalogue', 'application/rdf+xml')).headers['content-type']), /^application\/rdf\+xml/);
    assert.match(String((await get('/api/v1/hub/catalogue', '*/*')).headers['content-type']), /^application\/ld\+json/);
    assert.equal((await get('/api/v1/hub/catalogue', 'image/png')).statusCode, 406);

    const fromJsonLd = new Parser().parse(await jsonld.toRDF(jsonLd.json(), { format: 'application/n-quads' }) as unknown as string);
    const fromTurtle = new Parser().parse(turtle.body);
    const fromXml = await rdfXmlQuads(xml.body);
    const asSet = (quads: Quad[]) => [...new Set(quads.map(ntriple))].sort();
    assert.ok(fromTurtle.length > 100, `${fromTurtle.length} triples`);
    assert.deepEqual(asSet(fromJsonLd), asSet(fromTurtle));
    assert.deepEqual(asSet(fromXml), asSet(fromTurtle));
  });

  it('conforms to the DCAT-AP 3.0.0 shapes, which catch a missing publisher or title', async () => {
    const quads = new Parser().parse((await get('/api/v1/hub/catalogue.ttl')).body);
    const report = await validate(quads);
    assert.deepEqual(report.paths, []);
    assert.equal(report.conforms, true);
    const catalogue = quads.find((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Catalog`)!.subject.value;
    const noPublisher = await validate(quads.filter((q) => !(q.subject.value === catalogue && q.predicate.value === `${DCT}publisher`)));
    assert.equal(noPublisher.conforms, false);
    assert.ok(noPublisher.paths.some((p) => p.startsWith(`${catalogue} ${DCT}publisher`)), noPublisher.paths.join('\n'));
    const noTitle = await validate(quads.filter((q) => !(q.subject.value.endsWith('/B10-0001-0001-0001') && q.predicate.value === `${DCT}title`)));
    assert.ok(noTitle.paths.some((p) => p.includes(`B10-0001-0001-0001 ${DCT}title`)), noTitle.paths.join('\n'));
  });

  it('names publisher, contact point, themes, frequency, access rights, format and licence on the EU vocabularies', async () => {
    const store = new Store(new Parser().parse((await get('/api/v1/hub/catalogue.ttl')).body));
    const one = (s: string, p: string) => store.getObjects(s, p, null).map((o) => o.value);
    const datasets = store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null).map((s) => s.value).sort();
    assert.deepEqual(datasets.map((s) => s.split('/').pop()), ['A01-0001-0001-0001', 'B10-0001-0001-0001', 'C01-0002-0001-0001']);
    const [people, bus, records] = datasets as [string, string, string];
    const catalogue = store.getSubjects(RDF_TYPE, `${DCAT}Catalog`, null)[0]!.value;
    assert.deepEqual(one(one(catalogue, `${DCT}publisher`)[0]!, 'http://xmlns.com/foaf/0.1/name'), ['市政务服务和数据管理局']);
    assert.deepEqual(one(one(people, `${DCAT}contactPoint`)[0]!, 'http://www.w3.org/2006/vcard/ns#fn'), ['市公安局']);
    assert.deepEqual(one(one(people, `${DCT}publisher`)[0]!, 'http://xmlns.com/foaf/0.1/name'), ['市公安局']);
    assert.ok(one(people, `${DCAT}theme`).includes(`${EU}/data-theme/SOCI`));
    assert.ok(one(bus, `${DCAT}theme`).includes(`${EU}/data-theme/TRAN`));
    assert.deepEqual([people, bus, records].map((d) => one(d, `${DCT}accrualPeriodicity`)[0]),
      [`${EU}/frequency/DAILY`, `${EU}/frequency/UPDATE_CONT`, `${EU}/frequency/IRREG`]);
    assert.deepEqual([people, bus, records].map((d) => one(d, `${DCT}accessRights`)[0]),
      [`${EU}/access-right/RESTRICTED`, `${EU}/access-right/PUBLIC`, `${EU}/access-right/NON_PUBLIC`]);
    const distribution = (d: string) => one(d, `${DCAT}distribution`)[0]!;
    assert.deepEqual(one(distribution(bus), `${DCT}format`), [`${EU}/file-type/JSON`]);
    assert.deepEqual(one(distribution(bus), `${DCT}license`), [`${EU}/licence/CC_BY_4_0`]);
    assert.deepEqual(one(distribution(people), `${DCT}license`), [], 'no open licence on data closed to the public');
    assert.deepEqual(one(bus, `${DCT}description`), ['公交线路与站点信息'], 'an empty summary falls back to the name');
  });

  it('exports only what the caller may see: the public entry to anyone', async () => {
    const store = new Store(new Parser().parse((await get('/api/v1/hub/catalogue.ttl', undefined, null)).body));
    assert.deepEqual(store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null).map((s) => s.value.split('/').pop()), ['B10-0001-0001-0001']);
  });
});
