import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotlineAppPerFile, ticketInput, inside } from './factories.ts';
import { makeStaff } from '../helpers/factories.ts';
import { sweepDeadlines } from '../../src/hotline/deadlines.ts';

const t = hotlineAppPerFile(['operator', 'handler', 'yc_handler']);
const { call, cookies } = t;

test('GET /auth/me: the centre\'s desks and statistics are capabilities of the centre only; a department officer keeps the queue', async () => {
  const me = async (user: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookies[user]! } })).json().user;
  const centreOnly = ['hotline.ticket.callback', 'hotline.ticket.close', 'hotline.ticket.dispatch', 'hotline.ticket.intake', 'hotline.ticket.merge',
    'hotline.classifier.retrain', 'hotline.metrics.read'];
  const operator = await me('operator');
  const handler = await me('handler');
  assert.deepEqual(centreOnly.filter((c) => !operator.capabilities.includes(c)), []);
  assert.deepEqual(centreOnly.filter((c) => handler.capabilities.includes(c)), []);
  assert.ok(handler.grants.includes('hotline.ticket.intake'), 'the role grants it; the centre rule withholds it');
  assert.deepEqual(['hotline.ticket.read', 'hotline.ticket.handle'].map((c) => handler.capabilities.includes(c)), [true, true]);
});

test('POST /tickets walks 401, 400 naming the field, 403, then 201 with the caller masked', async () => {
  const body = { ...ticketInput() };
  assert.equal((await call('POST', '/tickets', undefined, body)).statusCode, 401);
  const bad = await call('POST', '/tickets', 'operator', { ...body, channel: 'fax' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'channel');
  const noPlace = await call('POST', '/tickets', 'operator', { ...body, lon: undefined, lat: undefined, address: undefined });
  assert.deepEqual([noPlace.statusCode, noPlace.json().code, noPlace.json().field], [400, 'hotline.location-missing', 'location']);
  const outside = await call('POST', '/tickets', 'operator', { ...body, lon: 104.06, lat: 30.66 });
  assert.deepEqual([outside.statusCode, outside.json().field], [400, 'lon']);
  assert.equal((await call('POST', '/tickets', 'handler', body)).statusCode, 403);
  const ok = await call('POST', '/tickets', 'operator', body);
  assert.equal(ok.statusCode, 201);
  const ticket = ok.json();
  assert.equal(ticket.state, 'received');
  assert.deepEqual(ticket.caller, { name: '张*', phone: '138****5678', masked: true });
  assert.deepEqual(ticket.category.path, ['城乡建设与管理', '市容环卫', '垃圾清运']);
  assert.equal(ticket.location.gridCode, 'G-NH-1');
  assert.deepEqual(ticket.abilities, ['dispatch', 'merge']);
  assert.deepEqual(ticket.overdue, { accept: false, reply: false, resolve: false, any: false });
  assert.equal(ticket.routedDepartmentId, t.city.gaUrban);
  assert.deepEqual(ticket.duplicates, []);
  const second = (await call('POST', '/tickets', 'operator', { ...body, lat: inside.lat + 0.0009 })).json();
  assert.deepEqual(second.duplicates.map((d: { id: number; distanceMetres: number }) => [d.id, Math.round(d.distanceMetres)]), [[ticket.id, 100]]);
  // The plain intake is one statement outside a transaction: the row, its history event and its ledger entry
  // are there; the refused ones above left nothing.
  const { rows: entries } = await t.db.query<{ action: string; object_id: string }>(
    `SELECT action, object_id FROM ledger_queue WHERE action LIKE 'hotline.ticket.%' ORDER BY id`);
  assert.deepEqual(entries, [ticket.number, second.number].map((n) => ({ action: 'hotline.ticket.received', object_id: n })));
  const { rows: events } = await t.db.query<{ ticket_id: number; action: string }>(
    `SELECT ticket_id::int, action FROM hotline_ticket_events ORDER BY id`);
  assert.deepEqual(events, [ticket.id, second.id].map((id) => ({ ticket_id: id, action: 'hotline.ticket.received' })));
});

test('concurrent intakes, written together, each answer with their own ticket, history event, ledger entry and duplicates', async () => {
  const descriptions = Array.from({ length: 6 }, (_, i) => `小区门口第${i + 1}处垃圾堆放多日无人清运`);
  const answers = await Promise.all(descriptions.map((description, i) =>
    call('POST', '/tickets', 'operator', { ...ticketInput(), description, lat: inside.lat + i * 0.00001, ...(i === 2 ? { anonymous: true } : {}) })));
  assert.deepEqual(answers.map((a) => a.statusCode), descriptions.map(() => 201));
  const tickets = answers.map((a) => a.json());
  assert.deepEqual(tickets.map((k) => k.description), descriptions);
  assert.deepEqual(tickets.map((k) => k.caller?.masked ?? 'anonymous'), [true, true, 'anonymous', true, true, true]);
  assert.equal(new Set(tickets.map((k) => k.number)).size, 6);
  const { rows } = await t.db.query<{ number: string; description: string; events: number; entries: number }>(
    `SELECT t.number, t.description,
            (SELECT count(*)::int FROM hotline_ticket_events e WHERE e.ticket_id = t.id) AS events,
            (SELECT count(*)::int FROM ledger_queue q WHERE q.object_type = 'ticket' AND q.object_id = t.number) AS entries
       FROM hotline_tickets t WHERE t.id = ANY($1) ORDER BY t.id`, [tickets.map((k) => k.id)]);
  assert.deepEqual(rows.map((r) => [r.description, r.events, r.entries]).sort(), descriptions.map((d) => [d, 1, 1]).sort());
  assert.deepEqual(rows.map((r) => r.number).sort(), tickets.map((k) => k.number).sort());
  // Each sees the two tickets the test above left within 250 m (others of these six only if written before it), nearest first.
  for (const k of tickets) {
    const distances = k.duplicates.map((d: { distanceMetres: number }) => d.distanceMetres);
    assert.ok(distances.length >= 2 && distances.every((m: number) => m <= 250), `${k.number}: ${distances}`);
    assert.deepEqual(distances, [...distances].sort((x, y) => x - y));
    assert.ok(!k.duplicates.some((d: { id: number }) => d.id === k.id), 'not itself');
  }
});

test('a ticket goes through dispatch, accept, reply, close and callback over HTTP; the handler sees the caller', async () => {
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  assert.equal((await call('POST', `/tickets/${id}/dispatch`, undefined, {})).statusCode, 401);
  assert.equal((await call('POST', `/tickets/${id}/dispatch`, 'handler', {})).statusCode, 403);
  const dispatched = await call('POST', `/tickets/${id}/dispatch`, 'operator', {});
  assert.deepEqual([dispatched.statusCode, dispatched.json().department.id], [200, t.city.gaUrban]);
  const early = await call('POST', `/tickets/${id}/close`, 'operator', {});
  assert.deepEqual([early.statusCode, early.json().code, early.json().field, early.json().state], [409, 'hotline.bad-state', 'state', 'dispatched']);
  const noReason = await call('POST', `/tickets/${id}/return`, 'handler', {});
  assert.deepEqual([noReason.statusCode, noReason.json().field], [400, 'reasonCode']);
  assert.equal((await call('POST', `/tickets/${id}/accept`, 'handler')).statusCode, 200);
  const detail = (await call('GET', `/tickets/${id}`, 'handler')).json();
  assert.deepEqual(detail.caller, { name: '张三', phone: '13812345678', masked: false });
  assert.deepEqual(detail.abilities, ['reply']);
  const badReply = await call('POST', `/tickets/${id}/reply`, 'handler', { reply: '' });
  assert.deepEqual([badReply.statusCode, badReply.json().field], [400, 'reply']);
  assert.equal((await call('POST', `/tickets/${id}/reply`, 'handler', { reply: '已清运' })).statusCode, 200);
  assert.equal((await call('POST', `/tickets/${id}/close`, 'operator', {})).statusCode, 200);
  const badCallback = await call('POST', `/tickets/${id}/callback`, 'operator', { resolved: true, satisfaction: 'meh' });
  assert.deepEqual([badCallback.statusCode, badCallback.json().field], [400, 'satisfaction']);
  const called = await call('POST', `/tickets/${id}/callback`, 'operator', { resolved: true, satisfaction: 'basically-satisfied' });
  assert.deepEqual(called.json().callback.satisfaction, 'basically-satisfied');
  const history = (await call('GET', `/tickets/${id}`, 'operator')).json().history;
  assert.deepEqual(history.map((e: { action: string }) => e.action), ['hotline.ticket.received', 'hotline.ticket.dispatched',
    'hotline.ticket.accepted', 'hotline.ticket.replied', 'hotline.ticket.closed', 'hotline.ticket.called-back']);
  // Another county's department does not see it at all.
  assert.equal((await call('GET', `/tickets/${id}`, 'yc_handler')).statusCode, 404);
});

test('GET /tickets: a returned ticket carries the department\'s reason and note for the centre\'s review', async () => {
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  await call('POST', `/tickets/${id}/dispatch`, 'operator', {});
  assert.equal((await call('POST', `/tickets/${id}/return`, 'handler', { reasonCode: 'outside-area', note: '属邻街道' })).statusCode, 200);
  // A deadline alert while it waits is an event in the same state; the reason stays the return's.
  await sweepDeadlines(t.db, new Date(Date.now() + 30 * 86_400_000));
  const { rows: [alerted] } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM hotline_ticket_events WHERE ticket_id = $1 AND to_state = 'returned' AND action LIKE 'hotline.deadline.%'`, [id]);
  assert.ok(alerted!.n > 0);
  const returned = (await call('GET', '/tickets?state=returned&limit=500', 'operator')).json().items;
  assert.deepEqual(returned.find((x: { id: number }) => x.id === id).returnReason, { code: 'outside-area', note: '属邻街道' });
  assert.equal((await call('POST', `/tickets/${id}/redispatch`, 'operator', { departmentId: t.city.gaUrban })).statusCode, 200);
  const dispatched = (await call('GET', '/tickets?state=dispatched&limit=500', 'operator')).json().items;
  assert.equal(dispatched.find((x: { id: number }) => x.id === id).returnReason, null, 'only while it waits for review');
});

test('GET /tickets: the queue by deadline, scoped by department; duplicates nearby', async () => {
  assert.equal((await call('GET', '/tickets')).statusCode, 401);
  const bad = await call('GET', '/tickets?state=lost', 'operator');
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'state.0']);
  const centre = (await call('GET', '/tickets?state=received&state=dispatched', 'operator')).json();
  assert.ok(centre.total >= 1);
  assert.ok(centre.items.every((x: { state: string }) => ['received', 'dispatched'].includes(x.state)));
  assert.equal((await call('GET', '/tickets', 'yc_handler')).json().total, 0);
  const dups = await call('GET', `/tickets/duplicates?categoryCode=CG-SRHW-LJQY&lon=${inside.lon}&lat=${inside.lat}`, 'operator');
  assert.equal(dups.statusCode, 200);
  assert.ok(dups.json().items.length >= 1);
  assert.equal(dups.json().items[0].distanceMetres, 0);
  const unknown = await call('GET', `/tickets/duplicates?categoryCode=nope&lon=${inside.lon}&lat=${inside.lat}`, 'operator');
  assert.deepEqual([unknown.statusCode, unknown.json().field], [400, 'categoryCode']);
});

test('categories are public; the catalogue is edited by admins only', async () => {
  const categories = (await call('GET', '/categories')).json().items;
  assert.ok(categories.some((c: { code: string; path: string[] }) => c.code === 'CG-SRHW-LJQY' && c.path.join('›') === '城乡建设与管理›市容环卫›垃圾清运'));
  assert.equal((await call('PUT', '/dispatch-rules', undefined, { categoryCode: 'CG', divisionPrefix: '511621', departmentId: t.city.ycUrban })).statusCode, 401);
  assert.equal((await call('PUT', '/dispatch-rules', 'operator', { categoryCode: 'CG', divisionPrefix: '5116x', departmentId: t.city.ycUrban })).json().field, 'divisionPrefix');
  assert.equal((await call('PUT', '/dispatch-rules', 'operator', { categoryCode: 'CG', divisionPrefix: '511621', departmentId: t.city.ycUrban })).statusCode, 403);
  assert.equal((await call('GET', '/return-reasons')).json().items[0].code, 'not-our-duty');
});

test('GET /suggest: staff only, 400 naming text when empty, then the live suggestion; an emergency says where to transfer', async () => {
  const url = `/suggest?text=${encodeURIComponent('十字路口的红绿灯坏了一直闪黄灯')}`;
  assert.equal((await call('GET', url)).statusCode, 401);
  const empty = await call('GET', '/suggest?text=%20', 'operator');
  assert.deepEqual([empty.statusCode, empty.json().field], [400, 'text']);
  assert.deepEqual([(await call('GET', '/suggest', 'operator')).json().field], ['text']);
  const ok = await call('GET', url, 'operator');
  assert.equal(ok.statusCode, 200);
  const s = ok.json();
  assert.deepEqual(s.category, { code: 'JT-XHD', name: '信号灯故障', path: ['交通运输', '信号灯故障'] });
  assert.ok(s.confidence > 0.5);
  assert.equal(s.alternatives[0].code, 'JT-XHD');
  assert.deepEqual([s.firstLevel.code, s.firstLevel.name, s.firstLevel.path], ['JT', '交通运输', ['交通运输']]);
  assert.ok(s.firstLevel.confidence >= s.confidence && s.firstLevel.confidence <= 1 + 1e-9, String(s.firstLevel.confidence));
  assert.equal(s.urgency, 'normal');
  assert.equal('transferTo' in s, false);
  const fire = (await call('GET', `/suggest?text=${encodeURIComponent('着火了')}`, 'handler')).json();
  assert.deepEqual([fire.urgency, fire.emergency, fire.transferTo], ['urgent', 'fire', '119']);
  assert.equal(typeof s.uncertain, 'boolean');
  // A long call does not fit in a URL (Chinese is 9 bytes a character percent-encoded): the text goes in a POST body.
  const long = `${'小区门口的垃圾三天没人清运，垃圾桶满了臭气熏天。'.repeat(150)}`;
  assert.ok(long.length > 3_000 && long.length <= 4_000);
  const posted = await call('POST', '/suggest', 'operator', { text: long });
  assert.equal(posted.statusCode, 200, posted.body);
  assert.equal(posted.json().category.code, 'CG-SRHW-LJQY');
  assert.equal((await call('POST', '/suggest', 'operator', { text: `${long}${long}` })).json().field, 'text', 'at most 4,000 characters');
  assert.equal((await call('POST', '/suggest', undefined, { text: long })).statusCode, 401);
});

test('POST /tickets without a category files it under the suggestion; POST /classifier/retrain is for the centre', async () => {
  const made = await call('POST', '/tickets', 'operator', { ...ticketInput(), categoryCode: undefined, description: '楼下饭店的油烟直接排到我家窗户' });
  assert.equal(made.statusCode, 201);
  assert.deepEqual([made.json().category.code, made.json().suggestion.corrected], ['HB-YY', false]);
  assert.equal((await call('POST', '/classifier/retrain')).statusCode, 401);
  assert.equal((await call('POST', '/classifier/retrain', 'handler')).statusCode, 403);
  const retrained = await call('POST', '/classifier/retrain', 'operator');
  assert.equal(retrained.statusCode, 200);
  assert.ok(retrained.json().accuracy > 0.5 && retrained.json().accuracy <= 1);
});

test('whoever answered a ticket neither closes it nor calls back about it, also when the centre handles it itself', async () => {
  await makeStaff(t.db, { username: 'operator_2', roles: ['officer'], departmentId: t.city.centreDept });
  const colleague = { cookie: await t.login('operator_2') };
  const id = (await call('POST', '/tickets', 'operator', ticketInput())).json().id;
  assert.equal((await call('POST', `/tickets/${id}/dispatch`, 'operator', { departmentId: t.city.centreDept })).statusCode, 200);
  assert.equal((await call('POST', `/tickets/${id}/accept`, 'operator')).statusCode, 200);
  assert.equal((await call('POST', `/tickets/${id}/reply`, 'operator', { reply: '已协调清运' })).statusCode, 200);
  const own = await call('POST', `/tickets/${id}/close`, 'operator', {});
  assert.deepEqual([own.statusCode, own.json().code], [403, 'hotline.own-reply']);
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/hotline${url}`, headers: colleague, payload });
  assert.equal((await post(`/tickets/${id}/close`, {})).statusCode, 200);
  const ownCallback = await call('POST', `/tickets/${id}/callback`, 'operator', { resolved: true, satisfaction: 'satisfied' });
  assert.deepEqual([ownCallback.statusCode, ownCallback.json().code], [403, 'hotline.own-reply']);
  assert.equal((await call('GET', `/tickets/${id}`, 'operator')).json().callback?.satisfaction ?? null, null);
  assert.equal((await post(`/tickets/${id}/callback`, { resolved: true, satisfaction: 'satisfied' })).statusCode, 200);
});
