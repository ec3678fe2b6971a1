// What operators and API clients rely on: health, readiness, the OpenAPI document and its browsable UI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from './helpers/factories.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(() => t.close());

test('healthz and readyz answer; every response carries a request id, echoed when the caller gives one', async () => {
  const health = await t.app.inject({ url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
  assert.match(String(health.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  const ready = await t.app.inject({ url: '/readyz', headers: { 'x-request-id': 'trace-42' } });
  assert.deepEqual(ready.json(), { status: 'ready', ledger: { queued: 0, oldestUnsignedSeconds: 0, limitSeconds: 30 } });
  assert.equal(ready.headers['x-request-id'], 'trace-42');
});

test('OpenAPI 3 describes the API, with schemas for bodies, and /docs serves the browsable UI', async () => {
  const spec = (await t.app.inject({ url: '/openapi.json' })).json();
  assert.match(spec.openapi, /^3\./);
  for (const p of ['/api/v1/auth/login', '/api/v1/users', '/api/v1/org/divisions', '/api/v1/calendar/deadline', '/api/v1/ledger/checkpoint'])
    assert.ok(spec.paths[p], p);
  const login = spec.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(login.required, ['username', 'password']);
  const docs = await t.app.inject({ url: '/docs/' });
  assert.equal(docs.statusCode, 200);
  assert.match(docs.headers['content-type'] as string, /text\/html/);
});

test('an unknown path is a problem+json 404 in the caller\'s language', async () => {
  const res = await t.app.inject({ url: '/api/v1/nothing', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(res.json().title, 'Not found');
  assert.equal((await t.app.inject({ url: '/api/v1/nothing' })).json().title, '未找到');
});
