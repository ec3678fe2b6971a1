import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { escalateOverdue, saveItem } from '../../src/services/index.ts';
import { itemInput, makeServicesCity, pdf, servicesCaller } from './factories.ts';
import { pngDeclaring } from '../helpers/images.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeServicesCity>>;
const { cookies, login, call } = servicesCaller(() => t);
before(async () => {
  t = await createTestApp();
  city = await makeServicesCity(t.db);
  await login(['admin', 'ga_officer', 'ga_officer2', 'yc_officer', 'citizen1', 'citizen2']);
});
after(() => t.close());


const form = { name: '张小红', reason: '家中突发火灾，生活困难' };
const upload = (id: number, user: string, overrides: Record<string, string> = {}) => call('POST', `/applications/${id}/materials`, user,
  { material: '困难情况说明', fileName: '说明.pdf', contentType: 'application/pdf', content: pdf.toString('base64'), ...overrides });

/** A submitted application of citizen1. */
async function submitted(): Promise<{ id: number; receiptNumber: string }> {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId: city.item.id, form })).json();
  assert.equal((await upload(draft.id, 'citizen1')).statusCode, 200);
  return (await call('POST', `/applications/${draft.id}/submit`, 'citizen1', {})).json();
}

test('a draft is saved; submission checks the form (field named) and the materials, then gives a receipt number and deadlines', async () => {
  assert.equal((await call('POST', '/applications', undefined, { itemId: city.item.id })).statusCode, 401);
  assert.equal((await call('POST', '/applications', 'ga_officer', { itemId: city.item.id })).statusCode, 403);
  const draft = await call('POST', '/applications', 'citizen1', { itemId: city.item.id, form: { name: '张', reason: '家中突发火灾' } });
  assert.equal(draft.statusCode, 201);
  const id = draft.json().id;
  assert.deepEqual([draft.json().state, draft.json().abilities], ['draft', ['save', 'upload', 'submit']]);
  const badForm = await call('POST', `/applications/${id}/submit`, 'citizen1', {});
  assert.deepEqual([badForm.statusCode, badForm.json().code, badForm.json().field], [400, 'services.form-invalid', 'form.name']);
  assert.equal((await call('PUT', `/applications/${id}/form`, 'citizen1', { form })).json().form.reason, form.reason);
  const noFile = await call('POST', `/applications/${id}/submit`, 'citizen1', {});
  assert.deepEqual([noFile.statusCode, noFile.json().field], [400, 'materials.困难情况说明']);
  // Uploads: wrong type, a renamed file, too large, a material that hub data replaces, someone else's application.
  assert.deepEqual([(await upload(id, 'citizen1', { contentType: 'application/zip' })).statusCode, (await upload(id, 'citizen1', { contentType: 'application/zip' })).json().field], [415, 'contentType']);
  const renamed = await upload(id, 'citizen1', { contentType: 'image/png' });
  assert.deepEqual([renamed.statusCode, renamed.json().field], [415, 'content']);
  const big = await upload(id, 'citizen1', { content: Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024)]).toString('base64') });
  assert.deepEqual([big.statusCode, big.json().field], [413, 'content']);
  const bomb = await upload(id, 'citizen1', { contentType: 'image/png', content: pngDeclaring(60_000, 60_000).toString('base64') });
  assert.deepEqual([bomb.statusCode, bomb.json().code, bomb.json().field], [413, 'image-too-large', 'content']);
  const brokenPng = await upload(id, 'citizen1', { contentType: 'image/png', content: pngDeclaring(10, 10).subarray(0, 12).toString('base64') });
  assert.deepEqual([brokenPng.statusCode, brokenPng.json().field], [415, 'content'], 'a PNG signature without a readable header is no PNG');
  const replaced = await upload(id, 'citizen1', { material: '身份证' });
  assert.deepEqual([replaced.statusCode, replaced.json().code], [400, 'services.material.replaced']);
  assert.equal((await upload(id, 'citizen2')).statusCode, 404);
  assert.equal((await upload(id, 'citizen1')).statusCode, 200);
  const ledgerBefore = await ledgerCount(t.db, 'services.application.submitted');
  const done = await call('POST', `/applications/${id}/submit`, 'citizen1', {});
  assert.equal(done.statusCode, 200);
  const app = done.json();
  assert.equal(app.state, 'submitted');
  assert.match(app.receiptNumber, /^511602-\d{8}-\d{7}$/);
  assert.ok(new Date(app.clock.committedDue) < new Date(app.clock.statutoryDue));
  assert.equal(await ledgerCount(t.db, 'services.application.submitted'), ledgerBefore + 1);
  assert.equal((await call('POST', `/applications/${id}/submit`, 'citizen1', {})).statusCode, 409);
  // The other citizen does not see it; another county's officer neither.
  assert.equal((await call('GET', `/applications/${id}`, 'citizen2')).statusCode, 404);
  assert.equal((await call('GET', `/applications/${id}`, 'yc_officer')).statusCode, 404);
  assert.deepEqual((await call('GET', '/applications', 'citizen2')).json().items, []);
});

test('submitted at once, the answer shows its one step; any change of the item or its department is seen by the next application', async () => {
  const item = await withTransaction(t.db, (tx) => saveItem({ tx, actor: systemActor('test'), now: new Date() },
    itemInput(city.gaDeptCode, { materials: [], conditions: [] })));
  const first = await call('POST', '/applications', 'citizen1', { itemId: item.id, form, submit: true });
  assert.equal(first.statusCode, 201);
  const answer = first.json();
  assert.deepEqual([answer.state, answer.history.map((h: { action: string; fromState: string; toState: string }) => [h.action, h.fromState, h.toState]),
    answer.materials, answer.ratings, answer.clock.elapsedDays, answer.clock.committedDays], ['submitted', [['services.application.submitted', 'draft', 'submitted']], [], [], 0, 10]);
  const { abilities: _mine, ...readBack } = (await call('GET', `/applications/${answer.id}`, 'citizen1')).json();
  const { abilities: _also, ...answered } = answer;
  assert.deepEqual(answered, readBack);
  // Changed straight in the database, not by a command: the item still gets a new revision, the cache lets it go.
  await t.db.query('UPDATE services_items SET committed_days = 3, form_schema = $2 WHERE id = $1',
    [item.id, JSON.stringify({ type: 'object', required: ['phone'], properties: { phone: { type: 'string' } } })]);
  const refused = await call('POST', '/applications', 'citizen1', { itemId: item.id, form, submit: true });
  assert.deepEqual([refused.statusCode, refused.json().field], [400, 'form.phone']);
  const second = (await call('POST', '/applications', 'citizen1', { itemId: item.id, form: { phone: '13812345678' }, submit: true })).json();
  assert.deepEqual([second.state, second.clock.committedDays], ['submitted', 3]);
  const { rows: [{ name }] } = await t.db.query('SELECT name FROM departments WHERE id = $1', [city.gaDept]);
  await t.db.query('UPDATE departments SET name = $2 WHERE id = $1', [city.gaDept, '广安区民政和社会事务局']);
  try {
    const third = (await call('POST', '/applications', 'citizen1', { itemId: item.id, form: { phone: '13812345678' }, submit: true })).json();
    assert.equal(third.department.name, '广安区民政和社会事务局');
  } finally {
    await t.db.query('UPDATE departments SET name = $2 WHERE id = $1', [city.gaDept, name]);
  }
});

test('handling: 受理, 补正 pauses the clock and moves the deadline, 审查, 决定, 办结; each step on the ledger and in the history', async () => {
  const { id } = await submitted();
  assert.equal((await call('POST', `/applications/${id}/accept`, 'yc_officer', {})).statusCode, 403);
  assert.equal((await call('POST', `/applications/${id}/accept`, 'citizen1', {})).statusCode, 403);
  const viewed = await ledgerCount(t.db, 'services.application.viewed');
  assert.equal((await call('GET', `/applications/${id}`, 'ga_officer')).statusCode, 200);
  assert.equal(await ledgerCount(t.db, 'services.application.viewed'), viewed + 1);
  const queue = (await call('GET', '/applications?state=submitted', 'ga_officer')).json();
  assert.ok(queue.items.some((a: { id: number }) => a.id === id));
  assert.equal((await call('GET', '/applications', 'yc_officer')).json().total, 0);
  const accepted = (await call('POST', `/applications/${id}/accept`, 'ga_officer', {})).json();
  assert.deepEqual([accepted.state, accepted.currentStep.key, accepted.abilities], ['accepted', 'review', ['advance', 'request-correction']]);
  const noNote = await call('POST', `/applications/${id}/correction`, 'ga_officer', {});
  assert.deepEqual([noNote.statusCode, noNote.json().field], [400, 'note']);
  const paused = (await call('POST', `/applications/${id}/correction`, 'ga_officer', { note: '请补充困难情况说明的落款' })).json();
  assert.deepEqual([paused.state, paused.clock.paused, paused.clock.committedDue], ['correction', true, null]);
  assert.equal((await call('POST', `/applications/${id}/advance`, 'ga_officer', {})).statusCode, 409);
  assert.equal((await call('POST', `/applications/${id}/answer`, 'citizen2', { form })).statusCode, 404);
  const badAnswer = await call('POST', `/applications/${id}/answer`, 'citizen1', { form: { name: '张小红' } });
  assert.deepEqual([badAnswer.statusCode, badAnswer.json().field], [400, 'form.reason']);
  const resumed = (await call('POST', `/applications/${id}/answer`, 'citizen1', { form: { ...form, reason: '家中突发火灾，已补充说明' } })).json();
  assert.deepEqual([resumed.state, resumed.clock.paused], ['accepted', false]);
  assert.ok(resumed.clock.committedDue !== null);
  const early = await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: true });
  assert.deepEqual([early.statusCode, early.json().code], [409, 'services.step-pending']);
  assert.equal((await call('POST', `/applications/${id}/advance`, 'ga_officer', { note: '材料齐全' })).json().currentStep.key, 'decide');
  const refuseNoReason = await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: false });
  assert.deepEqual([refuseNoReason.statusCode, refuseNoReason.json().field], [400, 'reason']);
  assert.equal((await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: true })).json().state, 'approved');
  const finished = (await call('POST', `/applications/${id}/finish`, 'ga_officer', {})).json();
  assert.equal(finished.state, 'finished');
  assert.equal(typeof finished.clock.actualDays, 'number');
  assert.deepEqual(finished.history.map((h: { action: string }) => h.action.replace('services.application.', '')),
    ['submitted', 'accepted', 'correction-requested', 'corrected', 'step-done', 'approved', 'finished']);
  for (const action of ['accepted', 'correction-requested', 'corrected', 'step-done', 'approved', 'finished'])
    assert.ok(await ledgerCount(t.db, `services.application.${action}`) >= 1, action);
  const late = await call('POST', `/applications/${id}/correction`, 'ga_officer', { note: '再补' });
  assert.deepEqual([late.statusCode, late.json().code], [409, 'services.bad-state']);
  const mine = (await call('GET', '/applications', 'citizen1')).json();
  assert.equal(mine.items.find((a: { id: number }) => a.id === id).state, 'finished');
});

test('不予受理 needs a reason and ends the case', async () => {
  const { id } = await submitted();
  assert.deepEqual([(await call('POST', `/applications/${id}/reject`, 'ga_officer', { reason: ' ' })).json().field], ['reason']);
  const rejected = (await call('POST', `/applications/${id}/reject`, 'ga_officer', { reason: '不属于本部门职权' })).json();
  assert.deepEqual([rejected.state, rejected.reason], ['rejected', '不属于本部门职权']);
  assert.equal((await call('POST', `/applications/${id}/accept`, 'ga_officer', {})).statusCode, 409);
});

test('a countersign step needs two different officers', async () => {
  await t.db.query(`UPDATE services_items SET steps = $2 WHERE id = $1`, [city.item.id, JSON.stringify([
    { key: 'accept', label: '受理', role: 'officer' }, { key: 'decide', label: '会签决定', role: 'officer', countersign: true }])]);
  try {
    const { id } = await submitted();
    await call('POST', `/applications/${id}/accept`, 'ga_officer', {});
    const first = (await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: true })).json();
    assert.deepEqual([first.state, first.signedBy.length], ['accepted', 1]);
    const again = await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: true });
    assert.deepEqual([again.statusCode, again.json().code], [409, 'services.countersign-same-officer']);
    assert.equal((await call('POST', `/applications/${id}/decide`, 'ga_officer2', { approve: true })).json().state, 'approved');
  } finally {
    await t.db.query(`UPDATE services_items SET steps = $2 WHERE id = $1`, [city.item.id, JSON.stringify([
      { key: 'accept', label: '受理', role: 'officer' }, { key: 'review', label: '审查', role: 'officer' }, { key: 'decide', label: '决定', role: 'officer' }])]);
  }
});

test('the sweep flags and escalates an application past its committed deadline, once', async () => {
  const { id } = await submitted();
  const { rows: [due] } = await t.db.query<{ committed_due: Date }>('SELECT committed_due FROM services_applications WHERE id = $1', [id]);
  const later = new Date(due!.committed_due.getTime() + 60_000);
  assert.ok(await escalateOverdue(t.db, later) >= 1);
  const app = (await call('GET', `/applications/${id}`, 'ga_officer')).json();
  assert.deepEqual([app.clock.overdue, app.history.at(-1).action], [true, 'services.application.escalated']);
  const count = await ledgerCount(t.db, 'services.application.escalated');
  await escalateOverdue(t.db, later);
  assert.equal(await ledgerCount(t.db, 'services.application.escalated'), count);
  assert.ok((await call('GET', '/applications?overdue=true', 'ga_officer')).json().items.some((a: { id: number }) => a.id === id));
});

test('approving an item that issues a certificate puts it in the applicant\'s wallet, signed by the department', async () => {
  const item = (await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie: cookies.admin! },
    payload: itemInput(city.gaDeptCode, { code: '511C0009-RESIDENCE-1-00', name: '居住证明开具', issuesCredentialType: 'residence-certificate',
      materials: [], formSchema: { type: 'object', required: ['address'], properties: { address: { type: 'string', minLength: 4 } } } }) })).json();
  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie: cookies.admin! },
    payload: itemInput(city.gaDeptCode, { code: '511C0010-X-1-00', issuesCredentialType: 'moon-pass' }) });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'issuesCredentialType']);
  const app = (await call('POST', '/applications', 'citizen1', { itemId: item.id, form: { address: '广安区浓洄街道建设路1号' }, submit: true })).json();
  for (const step of ['accept', 'advance']) await call('POST', `/applications/${app.id}/${step}`, 'ga_officer', {});
  assert.equal((await call('POST', `/applications/${app.id}/decide`, 'ga_officer', { approve: true })).json().state, 'approved');
  const wallet = (await t.app.inject({ method: 'GET', url: '/api/v1/credentials/mine', headers: { cookie: cookies.citizen1! } })).json();
  const items = wallet.items ?? wallet;
  const issued = items.find((c: { type: string }) => c.type === 'residence-certificate');
  assert.ok(issued, 'the certificate is in the wallet');
  assert.equal(JSON.stringify(issued).includes('广安区浓洄街道建设路1号'), true);
});

test('an approval of an item that pays an amount states it in 分: required, bounded, stored, shown and published on its ledger entry', async () => {
  const item = (await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie: cookies.admin! },
    payload: itemInput(city.gaDeptCode, { code: '511C0011-AID-1-00', name: '临时救助金给付', amountKind: 'benefit', materials: [] }) })).json();
  assert.equal(item.amountKind, 'benefit');
  const badKind = await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie: cookies.admin! },
    payload: itemInput(city.gaDeptCode, { code: '511C0012-X-1-00', amountKind: 'bribe' as 'fee' }) });
  assert.deepEqual([badKind.statusCode, badKind.json().field], [400, 'amountKind']);
  const decidable = async (itemId: number) => {
    const app = (await call('POST', '/applications', 'citizen1', { itemId, form, submit: true })).json();
    for (const step of ['accept', 'advance']) assert.equal((await call('POST', `/applications/${app.id}/${step}`, 'ga_officer', {})).statusCode, 200);
    return app.id as number;
  };
  const id = await decidable(item.id);
  const refusals: [unknown, number, string, string][] = [
    [{ approve: true }, 400, 'services.amount-required', 'amount'],
    [{ approve: true, amount: -1 }, 400, 'validation', 'amount'],
    [{ approve: true, amount: 12.5 }, 400, 'validation', 'amount'],
    [{ approve: true, amount: 1_000_000_001 }, 400, 'validation', 'amount'],
    [{ approve: false, reason: '家庭收入超过标准', amount: 100 }, 400, 'services.amount-not-allowed', 'amount'],
  ];
  for (const [body, status, code, field] of refusals) {
    const res = await call('POST', `/applications/${id}/decide`, 'ga_officer', body);
    assert.deepEqual([res.statusCode, res.json().code, res.json().field], [status, code, field], JSON.stringify(body));
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
  }
  const approved = (await call('POST', `/applications/${id}/decide`, 'ga_officer', { approve: true, amount: 150_000 })).json();
  assert.deepEqual([approved.state, approved.amount, approved.item.amountKind], ['approved', 150_000, 'benefit']);
  assert.equal((await call('GET', `/applications/${id}`, 'citizen1')).json().amount, 150_000);
  const { rows: [entry] } = await t.db.query<{ facts: Record<string, unknown> }>(
    `SELECT facts FROM ledger_queue WHERE action = 'services.application.approved' AND object_id = $1`, [String(id)]);
  assert.deepEqual(entry!.facts, { amount: 150_000, item: item.id, division: '511602000000', actorJurisdiction: entry!.facts.actorJurisdiction });

  // An item without an amount refuses one, and its decision publishes none.
  const plainItem = (await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: { cookie: cookies.admin! },
    payload: itemInput(city.gaDeptCode, { code: '511C0013-PLAIN-1-00', name: '困难证明开具', materials: [] }) })).json();
  assert.equal(plainItem.amountKind, null);
  const plain = await decidable(plainItem.id);
  const stray = await call('POST', `/applications/${plain}/decide`, 'ga_officer', { approve: true, amount: 100 });
  assert.deepEqual([stray.statusCode, stray.json().code, stray.json().field], [400, 'services.amount-not-allowed', 'amount']);
  assert.equal((await call('POST', `/applications/${plain}/decide`, 'ga_officer', { approve: true })).json().amount, null);
  const { rows: [other] } = await t.db.query<{ facts: Record<string, unknown> }>(
    `SELECT facts FROM ledger_queue WHERE action = 'services.application.approved' AND object_id = $1`, [String(plain)]);
  assert.equal('amount' in other!.facts, false);
});
