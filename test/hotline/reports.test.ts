import { test } from 'node:test';
import assert from 'node:assert/strict';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { sweepOrphanPhotos } from '../../src/hotline/index.ts';
import { expireRateCounts } from '../../src/hotline/rate.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { hotlineAppPerFile, inside, outside, ticketInput } from './factories.ts';
import { multipartBody, pngBytes } from './helpers.ts';
import { pngDeclaring } from '../helpers/images.ts';

const t = hotlineAppPerFile(['operator', 'handler', 'yc_handler'], async () => {
  const first17 = '51160219900101123';
  const registered = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register',
    payload: { username: 'li_si', displayName: '李四', password: 'Strong-pass-42', idNumber: first17 + residentIdCheckChar(first17) } });
  assert.equal(registered.statusCode, 201);
  cookies.citizen = await t.login('li_si', 'Strong-pass-42');
});
const { call, cookies } = t;

const upload = async (user: string | undefined, filename: string, contentType: string, bytes: Buffer) => {
  const body = multipartBody('photo', filename, contentType, bytes);
  return t.app.inject({ method: 'POST', url: '/api/v1/hotline/photos', payload: body.payload,
    headers: { ...body.headers, ...(user ? { cookie: cookies[user]! } : {}) } });
};

const photoCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_photos')).rows[0]!.n;

test('photos: checked by content, not by name or type; too large → 413 and not an image → 415, naming photo, nothing kept', async () => {
  const png = await pngBytes();
  const ok = await upload('operator', 'x.txt', 'text/plain', png);
  assert.equal(ok.statusCode, 201);
  assert.match(ok.json().url, /^\/api\/v1\/hotline\/photos\/[0-9a-f-]{36}$/);
  assert.equal(ok.json().contentType, 'image/png');
  const before = await photoCount();
  const fake = await upload('operator', 'photo.jpg', 'image/jpeg', Buffer.from('this is not an image at all, just text'));
  assert.deepEqual([fake.statusCode, fake.json().field, fake.json().code], [415, 'photo', 'hotline.photo.not-image']);
  await t.db.query(`UPDATE hotline_settings SET value = '100' WHERE name = 'photoMaxBytes'`);
  try {
    const big = await upload('operator', 'big.png', 'image/png', png);
    assert.deepEqual([big.statusCode, big.json().field, big.json().code], [413, 'photo', 'hotline.photo.too-large']);
    assert.match(big.headers['content-type'] as string, /application\/problem\+json/);
  } finally {
    await t.db.query(`UPDATE hotline_settings SET value = '5242880' WHERE name = 'photoMaxBytes'`);
  }
  assert.equal(await photoCount(), before);
  const bomb = await upload('operator', 'bomb.png', 'image/png', pngDeclaring(60_000, 60_000));
  assert.deepEqual([bomb.statusCode, bomb.json().field, bomb.json().code], [413, 'photo', 'image-too-large']);
  assert.equal(await photoCount(), before, 'a photo declaring 3.6 gigapixels is not kept');
  const wrongField = multipartBody('file', 'a.png', 'image/png', png);
  const noField = await t.app.inject({ method: 'POST', url: '/api/v1/hotline/photos', payload: wrongField.payload,
    headers: { ...wrongField.headers, cookie: cookies.operator! } });
  assert.deepEqual([noField.statusCode, noField.json().field], [400, 'photo']);

  // Before it is attached only its uploader gets it; attached, whoever may see the ticket.
  const url = ok.json().url as string;
  const own = await t.app.inject({ method: 'GET', url, headers: { cookie: cookies.operator! } });
  assert.deepEqual([own.statusCode, own.headers['content-type']], [200, 'image/png']);
  assert.deepEqual(own.rawPayload, png);
  assert.equal((await t.app.inject({ method: 'GET', url, headers: { cookie: cookies.handler! } })).statusCode, 404);
  const six = Array.from({ length: 6 }, () => ok.json().id);
  assert.equal((await call('POST', '/tickets', 'operator', { ...ticketInput(), photoIds: six })).json().field, 'photoIds');
  const stranger = (await upload('handler', 'h.png', 'image/png', png)).json().id;
  const notMine = await call('POST', '/tickets', 'operator', { ...ticketInput(), photoIds: [stranger] });
  assert.deepEqual([notMine.statusCode, notMine.json().code, notMine.json().field], [400, 'hotline.photo.unknown', 'photoIds']);
  const created = await call('POST', '/tickets', 'operator', { ...ticketInput(), photoIds: [ok.json().id] });
  assert.equal(created.statusCode, 201);
  const id = created.json().id;
  await call('POST', `/tickets/${id}/dispatch`, 'operator', {});
  const view = (await call('GET', `/tickets/${id}`, 'handler')).json();
  assert.deepEqual(view.photos, [{ id: ok.json().id, url }]);
  assert.equal((await t.app.inject({ method: 'GET', url, headers: { cookie: cookies.handler! } })).statusCode, 200);
  assert.equal((await t.app.inject({ method: 'GET', url, headers: { cookie: cookies.yc_handler! } })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404);
  // Open311 shows the first photo as media_url to staff who may see the ticket, never to the public.
  const number = created.json().number;
  const [request] = (await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${number}.json`, headers: { cookie: cookies.operator! } })).json();
  assert.equal(request.media_url, `http://localhost:80${url}`);
  const [publicRequest] = (await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${number}.json` })).json();
  assert.equal('media_url' in publicRequest, false);
});

test('citizen report: anonymous, with a photo; status token opens the public status; wrong token → 404', async () => {
  const photo = (await upload(undefined, 'p.png', 'image/png', await pngBytes('report'))).json();
  const first = await call('POST', '/reports', undefined, { channel: 'app', description: '路边垃圾堆积无人清运', categoryCode: 'CG-SRHW-LJQY',
    ...inside, photoIds: [photo.id], anonymous: true, contactName: '不该保存', contactPhone: '13800000000' });
  assert.equal(first.statusCode, 201);
  const { number, statusToken, duplicates } = first.json();
  assert.match(number, /^\d{14}$/);
  assert.ok(statusToken.length >= 43);
  assert.ok(Array.isArray(duplicates));
  const stored = (await t.db.query('SELECT caller_name, caller_phone, anonymous, channel FROM hotline_tickets WHERE number = $1', [number])).rows[0];
  assert.deepEqual(stored, { caller_name: null, caller_phone: null, anonymous: true, channel: 'app' });
  assert.equal(await ledgerCount(t.db, 'hotline.report.filed'), 1);

  // A second report nearby sees the first as a possible duplicate, with nothing personal in it.
  const near = await call('GET', `/reports/duplicates?categoryCode=CG-SRHW-LJQY&lon=${inside.lon}&lat=${inside.lat + 0.0005}`);
  assert.equal(near.statusCode, 200);
  const match = near.json().items.find((d: { number: string }) => d.number === number);
  assert.deepEqual(Object.keys(match).sort(), ['category', 'distanceMetres', 'number', 'receivedDate', 'state']);
  assert.equal(match.distanceMetres, 56);
  assert.equal((await call('GET', '/reports/duplicates?categoryCode=NOPE&lon=106.63&lat=30.47')).json().field, 'categoryCode');

  const status = await call('GET', `/public/tickets/${number}?token=${statusToken}`);
  assert.equal(status.statusCode, 200);
  const body = status.json();
  assert.deepEqual([body.state, body.category.code, body.reply], ['received', 'CG-SRHW-LJQY', null]);
  assert.deepEqual(body.timeline.map((e: { state: string }) => e.state), ['received']);
  assert.ok(!JSON.stringify(body).includes('citizen-report'), 'no actor names');
  assert.equal(body.photos.length, 1);
  const shown = await t.app.inject({ method: 'GET', url: body.photos[0].url });
  assert.deepEqual([shown.statusCode, shown.headers['content-type']], [200, 'image/png'], 'the status page shows the photo to the token holder');
  assert.equal((await t.app.inject({ method: 'GET', url: photo.url })).statusCode, 404, 'attached, the token is the key, not the id');
  assert.equal((await call('GET', `/public/tickets/${number}?token=wrong-token`)).statusCode, 404);
  assert.equal((await call('GET', `/public/tickets/${number}`)).json().field, 'token');

  // The department works the ticket: the public timeline shows states and departments, then the reply.
  const id = (await t.db.query<{ id: number }>('SELECT id::int FROM hotline_tickets WHERE number = $1', [number])).rows[0]!.id;
  await call('POST', `/tickets/${id}/dispatch`, 'operator', {});
  await call('POST', `/tickets/${id}/accept`, 'handler');
  await call('POST', `/tickets/${id}/reply`, 'handler', { reply: '已清运完毕' });
  const later = (await call('GET', `/public/tickets/${number}?token=${statusToken}`)).json();
  assert.deepEqual(later.timeline.map((e: { state: string; department: string | null }) => [e.state, e.department]),
    [['received', null], ['dispatched', '广安区城市管理综合执法局'], ['accepted', '广安区城市管理综合执法局'], ['replied', '广安区城市管理综合执法局']]);
  assert.equal(later.reply, '已清运完毕');
  assert.ok(!JSON.stringify(later).match(/operator|handler/));
});

test('citizen report: an address naming another county than the point is taken, and the clerk sees both', async () => {
  const file = async (address: string) => {
    const res = await call('POST', '/reports', undefined, { channel: 'web', description: '人行道井盖缺失很危险', categoryCode: 'CG-SRHW-LJQY',
      ...inside, address, anonymous: true });
    assert.equal(res.statusCode, 201, res.body);
    const { id } = (await t.db.query<{ id: number }>('SELECT id::int FROM hotline_tickets WHERE number = $1', [res.json().number])).rows[0]!;
    const view = await call('GET', `/tickets/${id}`, 'operator');
    assert.equal(view.statusCode, 200, view.body);
    return view.json().location.addressMismatch;
  };
  assert.deepEqual(await file('岳池县建设路8号'), { address: '岳池县', point: '广安区浓洄街道' });
  assert.equal(await file('广安区浓洄街道建设路8号'), null, 'the same township');
  assert.equal(await file('建设路8号'), null, 'an address naming no division is not checked');
});

test('citizen report: bad input gets a clear error and files nothing; a logged-in citizen sees their own reports', async () => {
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_tickets')).rows[0]!.n;
  const before = await count();
  const body = { channel: 'web', description: '小区门口垃圾三天没人清运', categoryCode: 'CG-SRHW-LJQY', ...inside };
  const cases: [unknown, number, string][] = [
    [{ ...body, lon: undefined, lat: undefined }, 400, 'location'],
    [{ ...body, ...outside }, 400, 'lon'],
    [{ ...body, categoryCode: 'NOPE' }, 400, 'categoryCode'],
    [{ ...body, channel: 'phone' }, 400, 'channel'],
    [{ ...body, contactPhone: '12345' }, 400, 'contactPhone'],
    [{ ...body, photoIds: ['00000000-0000-4000-8000-000000000000'] }, 400, 'photoIds'],
  ];
  for (const [payload, status, field] of cases) {
    const res = await call('POST', '/reports', 'citizen', payload);
    assert.deepEqual([res.statusCode, res.json().field], [status, field], JSON.stringify(payload));
  }
  assert.equal(await count(), before);

  const mine = await call('POST', '/reports', 'citizen', { ...body, channel: 'mayor-mailbox', kind: 'suggestion' });
  assert.equal(mine.statusCode, 201);
  const list = (await call('GET', '/my/tickets', 'citizen')).json().items;
  assert.deepEqual(list.map((x: { number: string; kind: string; channel: string }) => [x.number, x.kind, x.channel]),
    [[mine.json().number, 'suggestion', 'mayor-mailbox']]);
  assert.equal((await call('GET', '/my/tickets')).statusCode, 401);
  assert.equal((await call('GET', '/my/tickets', 'operator')).statusCode, 403);
  // Staff see the citizen's name as the caller, masked.
  const id = (await t.db.query<{ id: number }>('SELECT id::int FROM hotline_tickets WHERE number = $1', [mine.json().number])).rows[0]!.id;
  assert.deepEqual((await call('GET', `/tickets/${id}`, 'operator')).json().caller, { name: '李*', phone: null, masked: true });
});

test('citizen report: more than the hourly limit from one address → 429, nothing filed', async () => {
  await t.db.query(`UPDATE hotline_settings SET value = '1' WHERE name = 'reportsPerHourPerAddress'`);
  try {
    const body = { channel: 'wechat', description: '路灯不亮', categoryCode: 'CG-SRHW-LJQY', ...inside };
    await t.db.query('DELETE FROM hotline_report_hits');
    assert.equal((await call('POST', '/reports', undefined, body)).statusCode, 201);
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotline_tickets')).rows[0]!.n;
    const before = await count();
    const limited = await call('POST', '/reports', undefined, body);
    assert.deepEqual([limited.statusCode, limited.json().code], [429, 'hotline.rate-limited']);
    assert.equal(await count(), before);
    // An hour later the address may report again.
    assert.equal(await expireRateCounts(t.db, new Date(Date.now() + 3_601_000)), 1, 'the refused report was not counted');
    assert.equal((await call('POST', '/reports', undefined, body)).statusCode, 201);
  } finally {
    await t.db.query(`UPDATE hotline_settings SET value = '20' WHERE name = 'reportsPerHourPerAddress'`);
  }
});

test('citizen report: concurrent reports from one address are counted one by one; exactly the limit is accepted', async () => {
  await t.db.query('DELETE FROM hotline_report_hits');
  const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hotline_tickets WHERE channel = 'app'`)).rows[0]!.n;
  const before = await count();
  const body = { channel: 'app', description: '井盖松动', categoryCode: 'CG-SRHW-LJQY', ...inside };
  const answers = await Promise.all(Array.from({ length: 40 }, () => call('POST', '/reports', undefined, body)));
  const statuses = answers.map((a) => a.statusCode);
  assert.deepEqual([statuses.filter((s) => s === 201).length, statuses.filter((s) => s === 429).length], [20, 20]);
  assert.equal(await count(), before + 20);
  assert.equal((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hotline_report_hits WHERE address LIKE 'report:%'`)).rows[0]!.n, 20);
  await t.db.query('DELETE FROM hotline_report_hits');
});

test('GET /reports/suggest: anyone gets the category and urgency of a text, nothing else, limited per address', async () => {
  await t.db.query('DELETE FROM hotline_report_hits');
  const url = `/reports/suggest?text=${encodeURIComponent('十字路口的红绿灯坏了一直闪黄灯')}`;
  const ok = await call('GET', url);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { category: { code: 'JT-XHD', name: '信号灯故障', path: ['交通运输', '信号灯故障'] }, uncertain: ok.json().uncertain,
    urgency: 'normal' });
  assert.equal(typeof ok.json().uncertain, 'boolean');
  const posted = await call('POST', '/reports/suggest', undefined, { text: '十字路口的红绿灯坏了一直闪黄灯，'.repeat(200) });
  assert.deepEqual([posted.statusCode, posted.json().category?.code], [200, 'JT-XHD'], 'a long text in a POST body');
  assert.deepEqual((await call('GET', `/reports/suggest?text=${encodeURIComponent('着火了')}`)).json().transferTo, '119');
  assert.deepEqual((await call('GET', '/reports/suggest?text=%20')).json().field, 'text');
  await t.db.query(`UPDATE hotline_settings SET value = '1' WHERE name = 'reportsPerHourPerAddress'`);
  try {
    // One report an hour allows 30 suggestions; three were counted above (an empty text is refused before counting).
    for (let i = 3; i < 30; i++) assert.equal((await call('GET', url)).statusCode, 200);
    const limited = await call('GET', url);
    assert.deepEqual([limited.statusCode, limited.json().code], [429, 'hotline.rate-limited']);
  } finally {
    await t.db.query(`UPDATE hotline_settings SET value = '20' WHERE name = 'reportsPerHourPerAddress'`);
    await t.db.query('DELETE FROM hotline_report_hits');
  }
});

test('Open311 GET requests never shows callers, their accounts or whether an anonymous report came from someone', async () => {
  const named = (await call('POST', '/tickets', 'operator', ticketInput({ callerName: '王五', callerPhone: '13912345678' }))).json().number;
  const anon = (await call('POST', '/reports', 'citizen', { channel: 'web', description: '噪音扰民', categoryCode: 'CG-SRHW-LJQY', ...inside,
    anonymous: true })).json().number;
  for (const format of ['json', 'xml']) {
    const res = await t.app.inject({ method: 'GET', url: `/open311/v2/requests.${format}?service_request_id=${named},${anon}` });
    assert.equal(res.statusCode, 200);
    for (const secret of ['王五', '13912345678', '李四', 'li_si', 'citizen', 'anonymous'])
      assert.ok(!res.body.includes(secret), `${format} must not contain ${secret}`);
    assert.ok(res.body.includes(named) && res.body.includes(anon));
  }
});

test('uploads without an account are limited per address; photos never attached are removed after a day', async () => {
  await t.db.query(`UPDATE hotline_settings SET value = '1' WHERE name = 'reportsPerHourPerAddress'`);
  await t.db.query('DELETE FROM hotline_report_hits');
  try {
    const png = await pngBytes('orphan');
    for (let i = 0; i < 5; i++) assert.equal((await upload(undefined, 'a.png', 'image/png', png)).statusCode, 201);
    const sixth = await upload(undefined, 'a.png', 'image/png', png);
    assert.deepEqual([sixth.statusCode, sixth.json().code], [429, 'hotline.rate-limited']);
    assert.equal((await upload('operator', 'a.png', 'image/png', png)).statusCode, 201, 'staff are not limited');
  } finally {
    await t.db.query(`UPDATE hotline_settings SET value = '20' WHERE name = 'reportsPerHourPerAddress'`);
  }
  const counts = async () => (await t.db.query<{ attached: number; loose: number }>(
    'SELECT count(ticket_id)::int AS attached, (count(*) - count(ticket_id))::int AS loose FROM hotline_photos')).rows[0]!;
  const before = await counts();
  assert.ok(before.loose >= 6 && before.attached >= 2);
  assert.equal(await sweepOrphanPhotos(t.db, new Date(Date.now() + 3_600_000)), 0, 'not yet a day old');
  assert.equal(await sweepOrphanPhotos(t.db, new Date(Date.now() + 25 * 3_600_000)), before.loose);
  assert.deepEqual(await counts(), { attached: before.attached, loose: 0 });
  assert.equal(await ledgerCount(t.db, 'hotline.photo.orphans-removed'), 1);
});
