import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { issueApiToken, revokeApiToken, systemActor } from '../../src/kernel/auth/index.ts';
import { createTestApp } from '../helpers/factories.ts';
import { inside, makeHotlineCity, makeTicket, run } from './factories.ts';
import type { TestApp } from '../helpers/factories.ts';
import { acceptTicket, closeTicket, dispatchTicket, replyTicket } from '../../src/hotline/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/open311');
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its plugin is the default export's default under NodeNext typing.
(formats as unknown as { default: (a: Ajv) => void }).default(ajv);
for (const file of ['request.json', 'requests.json', 'service.json', 'services.json', 'service-definition.json'])
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8')), file);

function assertValid(schema: string, value: unknown) {
  const validate = ajv.getSchema(schema)!;
  assert.ok(validate(value), `${schema}: ${ajv.errorsText(validate.errors)}`);
}

let t: TestApp;
let city: Awaited<ReturnType<typeof makeHotlineCity>>;
let apiKey: string;
let tokenId: string;
let closedNumber: string;
before(async () => {
  t = await createTestApp();
  city = await makeHotlineCity(t.db);
  const issued = await run(t.db, systemActor('test'), issueApiToken, { name: 'city app', roles: ['officer'], divisionCode: '511600000000', validDays: 30 });
  apiKey = issued.token;
  tokenId = issued.row.id;
  const done = await makeTicket(t.db, {}, city.actors.operator);
  await run(t.db, city.actors.operator, dispatchTicket, { ticketId: done.id });
  await run(t.db, city.actors.handler, acceptTicket, { ticketId: done.id });
  await run(t.db, city.actors.handler, replyTicket, { ticketId: done.id, reply: '已清运完毕' });
  closedNumber = (await run(t.db, city.actors.operator, closeTicket, { ticketId: done.id })).number;
  await makeTicket(t.db, { categoryCode: 'JT-XHD', description: '路口信号灯不亮' }, city.actors.operator);
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311/v2${url}` });
const post = (url: string, fields: Record<string, string>) => t.app.inject({
  method: 'POST', url: `/open311/v2${url}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

test('services: the leaf categories, valid against services.json, in JSON and XML', async () => {
  const res = await get('/services.json');
  assert.equal(res.statusCode, 200);
  assertValid('services.json', res.json());
  res.json().forEach((s: unknown) => assertValid('service.json', s));
  const codes = res.json().map((s: { service_code: string }) => s.service_code);
  assert.equal(codes.length, 20, 'every leaf of the category tree');
  assert.deepEqual(codes.slice(0, 2), ['CG-SRHW-LJQY', 'CG-SRHW-ZDJY']);
  assert.equal(res.json()[0].group, '城市管理');
  assert.deepEqual((await get('/services')).json(), res.json());
  const xml = await get('/services.xml');
  assert.match(xml.headers['content-type'] as string, /^text\/xml/);
  assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>CG-SRHW-LJQY<\/service_code><service_name>垃圾清运<\/service_name>/);
});

test('services/{code}: the definition, valid against service-definition.json; unknown codes 404 in Open311 format', async () => {
  const res = await get('/services/CG-SRHW-LJQY.json');
  assert.equal(res.statusCode, 200);
  assertValid('service-definition.json', res.json());
  assert.equal(res.json().attributes[0].values.length, 5);
  const missing = await get('/services/nope.json');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), [{ code: 404, description: 'service_code nope not found' }]);
  const missingXml = await get('/services/nope.xml');
  assert.equal(missingXml.body, '<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>service_code nope not found</description></error></errors>');
});

test('POST requests needs a valid api_key and a known service and location; then files an open311 ticket', async () => {
  const fields = { service_code: 'CG-SRHW-LJQY', lat: String(inside.lat), long: String(inside.lon), description: '垃圾桶满了', first_name: '五', last_name: '王', phone: '13700001111' };
  const noKey = await post('/requests.json', fields);
  assert.deepEqual([noKey.statusCode, noKey.json()[0].code], [400, 400]);
  const badKey = await post('/requests.json', { ...fields, api_key: 'forged' });
  assert.deepEqual([badKey.statusCode, badKey.json()], [403, [{ code: 403, description: 'api_key is invalid, expired or revoked' }]]);
  assert.equal((await post('/requests.json', { ...fields, api_key: apiKey, service_code: 'nope' })).statusCode, 404);
  const outside = await post('/requests.json', { ...fields, api_key: apiKey, lat: '30.66', long: '104.06' });
  assert.equal(outside.statusCode, 400);
  assert.match(outside.json()[0].description, /^long: /);
  const nowhere = await post('/requests.json', { api_key: apiKey, service_code: 'CG-SRHW-LJQY' });
  assert.equal(nowhere.statusCode, 400);
  const ok = await post('/requests.json', { ...fields, api_key: apiKey });
  assert.equal(ok.statusCode, 200);
  const [created] = ok.json();
  assert.match(created.service_request_id, /^\d{14}$/);
  const row = (await t.db.query('SELECT channel, caller_name, division_code FROM hotline_tickets WHERE number = $1', [created.service_request_id])).rows[0];
  assert.deepEqual(row, { channel: 'open311', caller_name: '王五', division_code: '511602001000' });
  const fetched = await get(`/requests/${created.service_request_id}.json`);
  assertValid('requests.json', fetched.json());
  assert.deepEqual([fetched.json()[0].status, fetched.json()[0].service_code, fetched.json()[0].lat], ['open', 'CG-SRHW-LJQY', inside.lat]);
  assert.doesNotMatch(fetched.body, /王五|13700001111/, 'Open311 never shows the caller');
  const asXml = await post('/requests.xml', { ...fields, api_key: apiKey });
  assert.match(asXml.body, /<service_requests><request><service_request_id>\d{14}<\/service_request_id><service_notice\/><account_id\/><\/request><\/service_requests>$/);
  const json = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${encodeURIComponent(apiKey)}`,
    payload: { service_code: 'JT-XHD', address_string: '浓洄街道建设路', description: '红绿灯坏了' } });
  assert.equal(json.statusCode, 200, json.body);
  const byAddress = (await get(`/requests/${json.json()[0].service_request_id}.json`)).json()[0];
  assert.deepEqual([byAddress.address, byAddress.lat, byAddress.long], ['浓洄街道建设路', null, null]);
  await run(t.db, systemActor('test'), revokeApiToken, tokenId);
  assert.equal((await post('/requests.json', { ...fields, api_key: apiKey })).statusCode, 403);
});

test('GET requests filters by id, service_code, dates and status; responses validate; bad dates are 400', async () => {
  const all = await get('/requests.json');
  assert.equal(all.statusCode, 200);
  assertValid('requests.json', all.json());
  assert.ok(all.json().length >= 2);
  const closed = (await get('/requests.json?status=closed')).json();
  assert.deepEqual(closed.map((r: { service_request_id: string }) => r.service_request_id), [closedNumber]);
  assert.equal(closed[0].status_notes, '已清运完毕');
  assert.equal(closed[0].agency_responsible, '广安区城市管理综合执法局');
  const signals = (await get('/requests.json?service_code=JT-XHD')).json();
  assert.deepEqual(signals.map((r: { description: string }) => r.description), ['红绿灯坏了', '路口信号灯不亮'], 'newest first');
  assert.equal((await get(`/requests.json?service_request_id=${closedNumber}`)).json().length, 1);
  assert.deepEqual((await get('/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z')).json(), []);
  const badDate = await get('/requests.json?start_date=yesterday');
  assert.equal(badDate.statusCode, 400);
  assert.match(badDate.json()[0].description, /^start_date must be a W3C date-time/);
  assert.equal((await get('/requests.json?status=lost')).statusCode, 400);
  const xml = await get('/requests.xml?status=closed');
  assert.match(xml.body, new RegExp(`<service_requests><request><service_request_id>${closedNumber}</service_request_id><status>closed</status>`));
  assert.equal((await get('/requests/000.json')).statusCode, 404);
});

test('discovery lists the endpoint and its formats', async () => {
  const res = await get('/discovery.json');
  assert.equal(res.json().endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.match((await get('/discovery.xml')).body, /<formats><format>application\/json<\/format><format>text\/xml<\/format><\/formats>/);
  assert.deepEqual((await get('/nothing-here.json')).json()[0].code, 404);
});
