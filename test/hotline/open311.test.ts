import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { issueApiToken, revokeApiToken, systemActor } from '../../src/kernel/auth/index.ts';
import { zhCategories } from '../../src/hotline/classifier/index.ts';
import { createTestApp } from '../helpers/factories.ts';
import { inside, ledgerCount, makeHotlineCity, makeTicket, run } from './factories.ts';
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
const staff: Record<string, string> = {};
before(async () => {
  t = await createTestApp();
  city = await makeHotlineCity(t.db);
  for (const user of ['operator', 'handler', 'yc_handler']) staff[user] = await t.login(user);
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

const get = (url: string, user?: string) =>
  t.app.inject({ method: 'GET', url: `/open311/v2${url}`, headers: user ? { cookie: staff[user]! } : {} });
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
  const parents = new Set(zhCategories.map((c) => c.parent));
  assert.deepEqual([...codes].sort(), zhCategories.filter((c) => !parents.has(c.code)).map((c) => c.code).sort(), 'every leaf of the category tree');
  assert.deepEqual(codes.slice(0, 2), ['CG-GYSY-GD', 'CG-GYSY-RQ']);
  assert.equal(res.json()[0].group, '城乡建设与管理');
  const litter = res.json().find((s: { service_code: string }) => s.service_code === 'CG-SRHW-LJQY');
  assert.equal(litter.keywords, '垃圾,清运,垃圾桶,建筑垃圾,环卫工', 'keywords: the synonyms of the category tree');
  assert.deepEqual((await get('/services')).json(), res.json());
  const xml = await get('/services.xml');
  assert.match(xml.headers['content-type'] as string, /^text\/xml/);
  assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>CG-GYSY-GD<\/service_code><service_name>供电<\/service_name>/);
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
  const byAddress = (await get(`/requests/${json.json()[0].service_request_id}.json`, 'operator')).json()[0];
  assert.deepEqual([byAddress.address, 'lat' in byAddress, 'long' in byAddress], ['浓洄街道建设路', false, false], 'GeoReport v2 omits an absent point');
  const publicView = (await get(`/requests/${json.json()[0].service_request_id}.json`)).json()[0];
  assert.deepEqual([publicView.address, 'lat' in publicView, 'description' in publicView], ['广安市', false, false], 'the public: the division it was placed in, no finer than a township');
  await run(t.db, systemActor('test'), revokeApiToken, tokenId);
  assert.equal((await post('/requests.json', { ...fields, api_key: apiKey })).statusCode, 403);
});

test('GET requests filters by id, service_code, dates and status; responses validate; bad dates are 400', async () => {
  const all = await get('/requests.json');
  assert.equal(all.statusCode, 200);
  assertValid('requests.json', all.json());
  assert.ok(all.json().length >= 2);
  const closed = (await get('/requests.json?status=closed', 'operator')).json();
  assert.deepEqual(closed.map((r: { service_request_id: string }) => r.service_request_id), [closedNumber]);
  assert.equal(closed[0].status_notes, '已清运完毕');
  assert.equal(closed[0].agency_responsible, '广安区城市管理综合执法局');
  const closedPublic = (await get('/requests.json?status=closed')).json();
  assert.deepEqual([closedPublic[0].status_notes, closedPublic[0].agency_responsible], ['已办结 Closed', '广安区城市管理综合执法局'],
    'the public get the platform\'s status note, not the department\'s reply');
  const signals = (await get('/requests.json?service_code=JT-XHD', 'operator')).json();
  assert.deepEqual(signals.map((r: { description: string }) => r.description), ['红绿灯坏了', '路口信号灯不亮'], 'newest first');
  assert.equal((await get(`/requests.json?service_request_id=${closedNumber}`)).json().length, 1);
  assert.deepEqual((await get('/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z')).json(), []);
  const badDate = await get('/requests.json?start_date=yesterday');
  assert.equal(badDate.statusCode, 400);
  assert.match(badDate.json()[0].description, /^start_date must be a W3C date-time/);
  // An impossible day is refused, not rolled over into March.
  for (const [param, value] of [['start_date', '2026-02-30'], ['end_date', '2026-02-29T08:00:00Z'], ['start_date', '2026-04-31T00:00:00+08:00'],
    ['end_date', '2026-03-01T24:00:00Z']]) {
    const impossible = await get(`/requests.json?${param}=${encodeURIComponent(value!)}`);
    assert.equal(impossible.statusCode, 400, `${param}=${value}`);
    assert.match(impossible.json()[0].description, new RegExp(`^${param} must be a W3C date-time`));
  }
  assert.equal((await get('/requests.json?start_date=2024-02-29&end_date=2024-03-01')).statusCode, 200, 'a leap day is a real day');
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

test('public data policy: the public see service, status, dates and a coarse place; staff in jurisdiction and the reporter see all', async () => {
  const secretText = '家门口垃圾堆了三天，联系我13912345678，身份证511602199001011234';
  const point = { lon: 106.6327, lat: 30.4713 };
  const ticket = await makeTicket(t.db, { description: secretText, address: '浓洄街道建设路12号3单元', ...point }, city.actors.operator);
  const { number } = ticket;
  const hidden = ['13912345678', '511602199001011234', '建设路12号', '家门口', '30.4713', '106.6327'];
  for (const url of [`/requests/${number}.json`, `/requests.json?service_request_id=${number}`, `/requests.xml?service_request_id=${number}`,
    `/requests/${number}.json?token=not-the-token`]) {
    const res = await get(url);
    assert.equal(res.statusCode, 200);
    for (const secret of hidden) assert.ok(!res.body.includes(secret), `${url} must not contain ${secret}`);
  }
  const [anonymous] = (await get(`/requests/${number}.json`)).json();
  assertValid('requests.json', [anonymous]);
  assert.deepEqual(anonymous, {
    service_request_id: number, status: 'open', service_name: '垃圾清运', service_code: 'CG-SRHW-LJQY', agency_responsible: null,
    service_notice: null, requested_datetime: ticket.receivedAt.toISOString(), updated_datetime: ticket.updatedAt.toISOString(),
    expected_datetime: ticket.resolveDue.toISOString(), address_id: null, zipcode: null, status_notes: '已受理 Received',
    address: '浓洄街道', lat: 30.472, long: 106.632,
  });
  // Staff of the centre (jurisdiction: the city) see everything; an officer of another county sees the public view.
  const [full] = (await get(`/requests/${number}.json`, 'operator')).json();
  assert.deepEqual([full.description, full.address, full.lat, full.long], [secretText, '浓洄街道建设路12号3单元', point.lat, point.lon]);
  const [foreign] = (await get(`/requests/${number}.json`, 'yc_handler')).json();
  assert.deepEqual(foreign, anonymous);
  const forged = await get(`/requests/${number}.json?api_key=forged`);
  assert.deepEqual([forged.statusCode, forged.json()[0].description], [403, 'api_key is invalid, expired or revoked']);
  // The handling department sees its ticket in full once it is dispatched there.
  assert.equal('description' in (await get(`/requests/${number}.json`, 'handler')).json()[0], false);
  await run(t.db, city.actors.operator, dispatchTicket, { ticketId: ticket.id });
  assert.equal((await get(`/requests/${number}.json`, 'handler')).json()[0].description, secretText);

  // The reporter, with the status token handed out at submission, sees their own report in full.
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/hotline/reports',
    payload: { channel: 'web', description: '楼下烧烤油烟，电话0826-2345678', categoryCode: 'CG-SRHW-LJQY', ...point } });
  assert.equal(filed.statusCode, 201, filed.body);
  const own = (await get(`/requests/${filed.json().number}.json?token=${encodeURIComponent(filed.json().statusToken)}`)).json()[0];
  assert.deepEqual([own.description, own.lat], ['楼下烧烤油烟，电话0826-2345678', point.lat]);
  assert.equal('description' in (await get(`/requests/${filed.json().number}.json`)).json()[0], false);
});

test('a report its reporter chose to publish shows its text, address and point, phone and ID numbers masked', async () => {
  const point = { lon: 106.6327, lat: 30.4713 };
  const text = '路灯坏了，手机13812345678，座机(0826)2345678，身份证51160219900101123X';
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/hotline/reports',
    payload: { channel: 'app', description: text, address: '建设路路口', categoryCode: 'CG-SRHW-LJQY', ...point, public: true } });
  assert.equal(filed.statusCode, 201, filed.body);
  const [published] = (await get(`/requests/${filed.json().number}.json`)).json();
  assertValid('requests.json', [published]);
  assert.deepEqual([published.description, published.address, published.lat, published.long],
    ['路灯坏了，手机138****5678，座机(0826)*****78，身份证5****************X', '建设路路口', point.lat, point.lon]);
  assert.equal('media_url' in published, false);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.published'), 1);
  const row = (await t.db.query('SELECT published, description FROM hotline_tickets WHERE number = $1', [filed.json().number])).rows[0];
  assert.deepEqual(row, { published: true, description: text }, 'the ticket keeps the text; only what leaves is masked');

  // Through Open311: attribute[public], true or false only.
  const issued = await run(t.db, systemActor('test'), issueApiToken, { name: 'open data app', roles: ['officer'], divisionCode: '511600000000', validDays: 1 });
  const fields = { api_key: issued.token, service_code: 'CG-SRHW-LJQY', lat: String(point.lat), long: String(point.lon), description: '井盖丢了 13700001111' };
  const bad = await post('/requests.json', { ...fields, 'attribute[public]': 'yes' });
  assert.deepEqual([bad.statusCode, bad.json()[0].description], [400, 'attribute[public] must be true or false']);
  const blank = await post('/requests.json', { ...fields, 'attribute[kind]': '', 'attribute[public]': '' });
  assert.equal(blank.statusCode, 200, `empty optional attributes are absent: ${blank.body}`);
  const blankKind = await t.db.query('SELECT kind, published FROM hotline_tickets WHERE number = $1', [blank.json()[0].service_request_id]);
  assert.deepEqual(blankKind.rows[0], { kind: 'complaint', published: false });
  const ok = await post('/requests.json', { ...fields, 'attribute[public]': 'true' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await get(`/requests/${ok.json()[0].service_request_id}.json`)).json()[0].description, '井盖丢了 137****1111');
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.published'), 2);
});
