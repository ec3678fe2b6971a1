// A case's uploaded materials are opened by those who may read the case, with their type proven by their bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { makeServicesCity, pdf, servicesCaller } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeServicesCity>>;
const { login, call } = servicesCaller(() => t);
before(async () => {
  t = await createTestApp();
  city = await makeServicesCity(t.db);
  await login(['ga_officer', 'yc_officer', 'citizen1', 'citizen2']);
});
after(() => t.close());

const material = '困难情况说明';
const fileUrl = (id: number, name = material) => `/applications/${id}/materials/${encodeURIComponent(name)}`;

async function submittedWith(fileName: string): Promise<number> {
  const draft = (await call('POST', '/applications', 'citizen1', { itemId: city.item.id, form: { name: '张小红', reason: '家中突发火灾，生活困难' } })).json();
  const uploaded = await call('POST', `/applications/${draft.id}/materials`, 'citizen1',
    { material, fileName, contentType: 'application/pdf', content: pdf.toString('base64') });
  assert.equal(uploaded.statusCode, 200);
  assert.equal((await call('POST', `/applications/${draft.id}/submit`, 'citizen1', {})).statusCode, 200);
  return draft.id;
}

test('the handling officer and the applicant open a PDF inline, with a safe file name; each look is on the ledger', async () => {
  const id = await submittedWith('情况 "说明";.pdf');
  const before = await ledgerCount(t.db, 'services.material.viewed');
  const seen = await call('GET', fileUrl(id), 'ga_officer');
  assert.equal(seen.statusCode, 200);
  assert.deepEqual(seen.rawPayload, pdf);
  assert.equal(seen.headers['content-type'], 'application/pdf');
  assert.equal(seen.headers['content-disposition'], 'inline; filename="?? \\"??\\";.pdf"; filename*=UTF-8\'\'%E6%83%85%E5%86%B5%20%22%E8%AF%B4%E6%98%8E%22%3B.pdf');
  assert.equal(seen.headers['x-content-type-options'], 'nosniff');
  assert.equal(seen.headers['cache-control'], 'private, no-store');
  assert.match(String(seen.headers['content-security-policy']), /^default-src 'none'; frame-ancestors 'none'/);
  assert.equal((await call('GET', fileUrl(id), 'citizen1')).statusCode, 200);
  assert.equal(await ledgerCount(t.db, 'services.material.viewed'), before + 2);
  const { rows } = await t.db.query<{ who: string; object: string }>(
    `SELECT actor_kind || ':' || actor_id AS who, object_type || ':' || object_id AS object FROM ledger_queue
      WHERE action = 'services.material.viewed' ORDER BY id DESC LIMIT 2`);
  assert.deepEqual(rows, [{ who: `citizen:${city.citizen}`, object: `application:${id}` }, { who: `staff:${city.gaOfficer}`, object: `application:${id}` }]);
});

test('another citizen, another county\'s officer and an anonymous caller get nothing; an unknown material is 404', async () => {
  const id = await submittedWith('说明.pdf');
  const before = await ledgerCount(t.db, 'services.material.viewed');
  assert.equal((await call('GET', fileUrl(id), 'citizen2')).statusCode, 404);
  assert.equal((await call('GET', fileUrl(id), 'yc_officer')).statusCode, 404);
  assert.equal((await call('GET', fileUrl(id))).statusCode, 404);
  const missing = await call('GET', fileUrl(id, '身份证'), 'ga_officer');
  assert.deepEqual([missing.statusCode, missing.json().code, missing.json().field], [404, 'services.material.not-found', 'material']);
  assert.equal(await ledgerCount(t.db, 'services.material.viewed'), before, 'a refused look writes nothing');
});

test('a stored file whose bytes are no PDF or image is only offered as an opaque download', async () => {
  const id = await submittedWith('说明.pdf');
  await t.db.query('UPDATE services_materials SET content = $2, content_type = $3 WHERE application_id = $1',
    [id, Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf']);
  const seen = await call('GET', fileUrl(id), 'ga_officer');
  assert.equal(seen.statusCode, 200);
  assert.equal(seen.headers['content-type'], 'application/octet-stream');
  assert.equal(seen.headers['content-disposition'], 'attachment; filename="??.pdf"; filename*=UTF-8\'\'%E8%AF%B4%E6%98%8E.pdf');
});
