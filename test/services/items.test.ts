import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, makeDepartment, makeStaff, type TestApp } from '../helpers/factories.ts';
import { itemInput, makeServicesCity, servicesCaller } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeServicesCity>>;
const { login, call } = servicesCaller(() => t);
before(async () => {
  t = await createTestApp();
  city = await makeServicesCity(t.db);
  await login(['admin', 'ga_admin', 'yc_officer', 'citizen1']);
});
after(() => t.close());


test('the catalogue is public: search by words and by life event, and the guide of one item', async () => {
  const found = await call('GET', '/items?q=救助');
  assert.equal(found.statusCode, 200);
  assert.deepEqual(found.json().items.map((i: { name: string }) => i.name), ['临时救助申请']);
  assert.equal((await call('GET', '/items?lifeEvent=social-aid')).json().total, 1);
  assert.equal((await call('GET', '/items?lifeEvent=birth')).json().total, 0);
  assert.deepEqual([(await call('GET', '/items?lifeEvent=moon')).statusCode, (await call('GET', '/items?lifeEvent=moon')).json().field], [400, 'lifeEvent']);
  const guide = (await call('GET', `/items/${city.item.id}`)).json();
  assert.equal(guide.kindName, '行政给付');
  assert.equal(guide.department.name, '广安区民政局');
  assert.deepEqual([guide.statutoryDays, guide.committedDays, guide.applyOnline], [20, 10, true]);
  assert.equal(guide.materials[0].replacedBy.ref, '人口基本信息');
  const events = (await call('GET', '/life-events')).json().items;
  assert.equal(events.find((e: { key: string }) => e.key === 'social-aid').count, 1);
});

test('POST /items walks 401, 400 naming the field, 403 outside the jurisdiction, then 201 with a ledger entry', async () => {
  const body = itemInput(city.gaDeptCode, { code: '511B0001000000-511602000000-000-X-1-00', name: '高龄津贴申领' });
  assert.equal((await call('POST', '/items', undefined, body)).statusCode, 401);
  const bad = await call('POST', '/items', 'admin', { ...body, statutoryDays: -1 });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'statutoryDays']);
  const over = await call('POST', '/items', 'admin', { ...body, committedDays: 30 });
  assert.deepEqual([over.statusCode, over.json().code, over.json().field], [400, 'services.committed-over-statutory', 'committedDays']);
  const badForm = await call('POST', '/items', 'admin', { ...body, formSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } });
  assert.deepEqual([badForm.statusCode, badForm.json().field], [400, 'formSchema']);
  const stray = await call('POST', '/items', 'admin', { ...body, prefill: [{ field: 'idNumber', resource: '人口基本信息', resourceField: 'id_number' }] });
  assert.deepEqual([stray.statusCode, stray.json().code], [400, 'services.prefill-unknown-field']);
  assert.equal((await call('POST', '/items', 'citizen1', body)).statusCode, 403);
  assert.equal((await call('POST', '/items', 'yc_officer', body)).statusCode, 403);
  const before = await ledgerCount(t.db, 'services.item.created');
  const created = await call('POST', '/items', 'ga_admin', body);
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().name, '高龄津贴申领');
  assert.equal(await ledgerCount(t.db, 'services.item.created'), before + 1);
  const form = await call('PUT', `/items/${created.json().id}/form`, 'ga_admin', { formSchema: { type: 'object', properties: { age: { type: 'integer' } } } });
  assert.deepEqual(form.json().formSchema, { type: 'object', properties: { age: { type: 'integer' } } });
  assert.equal(await ledgerCount(t.db, 'services.item.updated'), 1);
  // The amount its approval states is set beside the form; leaving it out keeps it, null removes it.
  const id = created.json().id;
  const paying = await call('PUT', `/items/${id}/form`, 'ga_admin', { formSchema: null, amountKind: 'benefit' });
  assert.deepEqual([paying.statusCode, paying.json().amountKind], [200, 'benefit']);
  assert.equal((await call('PUT', `/items/${id}/form`, 'ga_admin', { formSchema: null })).json().amountKind, 'benefit');
  const badKind = await call('PUT', `/items/${id}/form`, 'ga_admin', { formSchema: null, amountKind: 'bribe' });
  assert.deepEqual([badKind.statusCode, badKind.json().field], [400, 'amountKind']);
  assert.equal((await call('PUT', `/items/${id}/form`, 'ga_admin', { formSchema: null, amountKind: null })).json().amountKind, null);
  assert.equal(await ledgerCount(t.db, 'services.item.updated'), 4);
});

test('export as CSV and import it back; an import keeps the good rows and reports each bad one', async () => {
  const csv = await call('GET', '/items/export?format=csv', 'admin');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /^\uFEFFcode,name,kind/);
  assert.match(csv.body, /临时救助申请/);
  const json = (await call('GET', '/items/export?format=json', 'admin')).json();
  assert.ok(json.length >= 1);
  const renamed = csv.body.replace('临时救助申请', '临时救助申请（改）');
  const back = await call('POST', '/items/import', 'admin', renamed, { 'content-type': 'text/csv' });
  assert.equal(back.statusCode, 200);
  assert.deepEqual([back.json().failed, back.json().saved], [0, json.length]);
  assert.equal((await call('GET', `/items/${city.item.id}`)).json().name, '临时救助申请（改）');
  const rows = [
    itemInput(city.gaDeptCode, { code: '511C0001-GOOD-1-00', name: '好的一行' }),
    { ...itemInput(city.gaDeptCode, { code: '511C0002-BAD-1-00' }), kind: 'magic' },
    itemInput('NO-SUCH-DEPT', { code: '511C0003-BAD-1-00' }),
  ];
  const report = (await call('POST', '/items/import', 'admin', rows)).json();
  assert.deepEqual([report.saved, report.failed], [1, 2]);
  assert.deepEqual(report.errors.map((e: { row: number; field: string }) => [e.row, e.field]), [[2, 'kind'], [3, 'departmentCode']]);
  assert.equal((await call('GET', '/items?q=好的一行')).json().total, 1);
  assert.equal((await call('POST', '/items/import', 'citizen1', rows)).statusCode, 403);
});

test('an admin of another county cannot take over an item by saving its code under their own department', async () => {
  const yc = await makeDepartment(t.db, { name: '岳池县民政局（二）', divisionCode: '511621000000' });
  await makeStaff(t.db, { username: 'yc_admin', roles: ['dept_admin'], departmentId: yc });
  const cookie = await t.login('yc_admin');
  const { rows: [dept] } = await t.db.query<{ code: string }>('SELECT code FROM departments WHERE id = $1', [yc]);
  const { rows: [item] } = await t.db.query<{ code: string }>('SELECT code FROM services_items WHERE id = $1', [city.item.id]);
  const takeover = await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie },
    payload: itemInput(dept!.code, { code: item!.code, name: '被改走的事项' }) });
  assert.equal(takeover.statusCode, 403);
  assert.notEqual((await call('GET', `/items/${city.item.id}`)).json().name, '被改走的事项');
});
