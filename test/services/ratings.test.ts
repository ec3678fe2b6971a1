import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { defaultRatings } from '../../src/services/index.ts';
import { makeServicesCity, pdf, servicesCaller } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeServicesCity>>;
const { login, call } = servicesCaller(() => t);
before(async () => {
  t = await createTestApp();
  city = await makeServicesCity(t.db);
  await login(['admin', 'ga_admin', 'ga_officer', 'yc_officer', 'citizen1', 'citizen2']);
});
after(() => t.close());


/** A finished application of citizen1, through the real commands. */
async function finished(): Promise<{ id: number; history: { id: number; action: string }[] }> {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId: city.item.id, form: { name: '张小红', reason: '家中突发火灾' } })).json();
  await call('POST', `/applications/${draft.id}/materials`, 'citizen1', { material: '困难情况说明', fileName: 'a.pdf', contentType: 'application/pdf', content: pdf.toString('base64') });
  await call('POST', `/applications/${draft.id}/submit`, 'citizen1', {});
  for (const step of ['accept', 'advance']) await call('POST', `/applications/${draft.id}/${step}`, 'ga_officer', {});
  await call('POST', `/applications/${draft.id}/decide`, 'ga_officer', { approve: true });
  return (await call('POST', `/applications/${draft.id}/finish`, 'ga_officer', {})).json();
}

test('the applicant rates the case and a step once each; others cannot; a bad rating opens a rectification task', async () => {
  const app = await finished();
  assert.deepEqual((await call('GET', `/applications/${app.id}`, 'citizen1')).json().abilities, ['rate']);
  const bad = await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'meh' });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'level']);
  assert.equal((await call('POST', `/applications/${app.id}/ratings`, 'citizen2', { level: 'satisfied' })).statusCode, 404);
  assert.equal((await call('POST', `/applications/${app.id}/ratings`, undefined, { level: 'satisfied' })).statusCode, 401);
  const accepted = app.history.find((h) => h.action === 'services.application.accepted')!;
  const stepRating = await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'very-satisfied', stepId: accepted.id });
  assert.equal(stepRating.statusCode, 201);
  const submittedStep = app.history.find((h) => h.action === 'services.application.submitted')!;
  assert.equal((await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'satisfied', stepId: submittedStep.id })).json().field, 'stepId');
  const rated = await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'dissatisfied', comment: '窗口态度不好' });
  assert.equal(rated.statusCode, 201);
  assert.equal(rated.json().level, 'dissatisfied');
  assert.ok(rated.json().rectificationId > 0);
  const twice = await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'satisfied' });
  assert.deepEqual([twice.statusCode, twice.json().code], [409, 'services.rating.twice']);
  assert.equal(await ledgerCount(t.db, 'services.rating.given'), 2);
  assert.deepEqual((await call('GET', `/applications/${app.id}`, 'citizen1')).json().abilities, []);
});

test('a case not finished cannot be rated', async () => {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId: city.item.id })).json();
  const early = await call('POST', `/applications/${draft.id}/ratings`, 'citizen1', { level: 'satisfied' });
  assert.deepEqual([early.statusCode, early.json().code], [409, 'services.rating.not-finished']);
});

test('rectification: 核实 → 整改 → 反馈 → 复核 by the right people, 回访 once; figures count it', async () => {
  const app = await finished();
  const task = (await call('POST', `/applications/${app.id}/ratings`, 'citizen1', { level: 'very-dissatisfied', comment: '等了很久' })).json();
  const id = task.rectificationId;
  const list = (await call('GET', '/rectifications?state=verify', 'ga_officer')).json();
  const open = list.items.find((x: { id: number }) => x.id === id);
  assert.deepEqual([open.level, open.comment, open.state], ['very-dissatisfied', '等了很久', 'verify']);
  assert.ok(new Date(open.due) > new Date());
  assert.equal((await call('GET', '/rectifications', 'yc_officer')).json().total, 0);
  assert.equal((await call('POST', `/rectifications/${id}/verify`, 'yc_officer', { note: 'x' })).statusCode, 404);
  const wrongStage = await call('POST', `/rectifications/${id}/reply`, 'ga_officer', { note: '已答复' });
  assert.deepEqual([wrongStage.statusCode, wrongStage.json().field], [409, 'stage']);
  assert.equal((await call('POST', `/rectifications/${id}/verify`, 'ga_officer', { note: '核实属实', substantiated: true })).json().state, 'rectify');
  assert.equal((await call('POST', `/rectifications/${id}/rectify`, 'ga_officer', { note: '增设窗口' })).json().state, 'reply');
  assert.equal((await call('POST', `/rectifications/${id}/reply`, 'ga_officer', { note: '已电话反馈' })).json().state, 'review');
  assert.equal((await call('POST', `/rectifications/${id}/review`, 'ga_officer', { note: '同意' })).statusCode, 403);
  assert.equal((await call('POST', `/rectifications/${id}/review`, 'ga_admin', { note: '整改不到位', accepted: false })).json().state, 'rectify');
  await call('POST', `/rectifications/${id}/rectify`, 'ga_officer', { note: '调整排班' });
  await call('POST', `/rectifications/${id}/reply`, 'ga_officer', { note: '再次反馈' });
  const closed = (await call('POST', `/rectifications/${id}/review`, 'ga_admin', { note: '整改到位' })).json();
  assert.deepEqual([closed.state, closed.substantiated], ['closed', true]);
  assert.ok((await call('POST', `/rectifications/${id}/callback`, 'ga_officer', { note: '群众表示满意' })).json().calledBackAt);
  assert.equal((await call('POST', `/rectifications/${id}/callback`, 'ga_officer', { note: 'again' })).statusCode, 409);
  assert.equal(await ledgerCount(t.db, 'services.rectification.reviewed'), 2);
  const byDept = (await call('GET', '/ratings/figures?by=department', 'admin')).json().items;
  const ga = byDept.find((f: { key: string }) => Number(f.key) === city.gaDept);
  assert.ok(ga.bad >= 1 && ga.rectified >= 1 && ga.calledBack >= 1);
  assert.equal((await call('GET', '/ratings/figures?by=department', 'citizen1')).statusCode, 403);
  const pub = (await call('GET', '/figures/public')).json();
  assert.ok(pub.ratings.total >= 1 && pub.items.online >= 1 && pub.time.finished >= 1);
});

test('unrated finished cases become 基本满意 after 7 days, once', async () => {
  const app = await finished();
  assert.equal(await defaultRatings(t.db, new Date(Date.now() + 6 * 86_400_000)), 0);
  assert.ok(await defaultRatings(t.db, new Date(Date.now() + 8 * 86_400_000)) >= 1);
  const ratings = (await call('GET', `/applications/${app.id}`, 'citizen1')).json().ratings;
  assert.deepEqual(ratings.map((r: { level: string; defaulted: boolean }) => [r.level, r.defaulted]), [['basically-satisfied', true]]);
  assert.equal(await defaultRatings(t.db, new Date(Date.now() + 9 * 86_400_000)), 0);
});
