// Response schemas: answers are written as they always were (nothing dropped, nothing coerced), and in test
// mode an answer that leaves the schema, by a missing field, an extra one or a wrong type, fails loudly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import { checkResponses, createHttp, Nullable, Timestamp } from '../../../src/kernel/http/index.ts';
import { DomainError } from '../../../src/kernel/errors.ts';

const View = Type.Object({ id: Type.Integer(), at: Timestamp, note: Nullable(Type.String()) });

async function appAnswering(answer: unknown, opts: { check: boolean }) {
  const app = createHttp({ logLevel: 'silent' });
  if (opts.check) checkResponses(app);
  app.get('/view', { schema: { response: { 200: View } } }, async () => answer as never);
  app.get('/refused', { schema: { response: { 200: View } } }, async () => {
    throw new DomainError('thing.not-found', { status: 404 });
  });
  await app.ready();
  return app;
}

test('an answer matching its schema passes, dates as ISO text', async () => {
  const app = await appAnswering({ id: 1, at: new Date('2026-12-01T01:02:03Z'), note: null }, { check: true });
  const res = await app.inject({ url: '/view' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { id: 1, at: '2026-12-01T01:02:03.000Z', note: null });
  await app.close();
});

test('a field the schema leaves out, a missing one or a wrong type is 500 response-mismatch naming the route', async () => {
  for (const [answer, says] of [
    [{ id: 1, at: '2026-12-01T01:02:03.000Z', note: null, extra: 1 }, 'extra'],
    [{ id: 1, note: null }, 'at'],
    [{ id: '1', at: '2026-12-01T01:02:03.000Z', note: null }, '/id'],
  ] as const) {
    const app = await appAnswering(answer, { check: true });
    const res = await app.inject({ url: '/view' });
    assert.equal(res.statusCode, 500, JSON.stringify(answer));
    assert.equal(res.json().code, 'response-mismatch');
    assert.match(res.json().detail, /GET \/view/);
    assert.match(res.json().detail, new RegExp(says));
    await app.close();
  }
});

test('problems of a route with response schemas match the shared problem schema', async () => {
  const app = await appAnswering({}, { check: true });
  const res = await app.inject({ url: '/refused' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'thing.not-found');
  await app.close();
});

test('outside test mode the answer is sent as the route made it: a schema drops and coerces nothing', async () => {
  const app = await appAnswering({ id: '1', extra: true, note: null }, { check: false });
  const res = await app.inject({ url: '/view' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { id: '1', extra: true, note: null });
  await app.close();
});
