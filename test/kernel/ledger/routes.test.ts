import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { appendToLedger, integrateBatch, openNote, parseCheckpointText, parseVerifierKey, verifyConsistency, verifyInclusion } from '../../../src/kernel/ledger/index.ts';
import { createTestApp, makeCast, type TestApp } from '../../helpers/factories.ts';

const b64 = (s: string) => Buffer.from(s, 'base64');
let t: TestApp;

before(async () => {
  t = await createTestApp();
  await makeCast(t.db);
  await integrateBatch(t.db); // whatever the cast recorded
  await withTransaction(t.db, async (tx) => {
    for (let i = 0; i < 40; i++)
      await appendToLedger(tx, { actor: { kind: 'staff', id: 'u1' }, action: 'test.thing.done', object: { type: 'thing', id: i }, purpose: '核查' });
  });
  await integrateBatch(t.db);
});
after(() => t.close());

async function signedTree() {
  const key = await t.app.inject({ url: '/api/v1/ledger/key' });
  assert.equal(key.statusCode, 200);
  const res = await t.app.inject({ url: '/api/v1/ledger/checkpoint' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  const body = openNote(res.body, parseVerifierKey(key.body));
  assert.ok(body, 'the checkpoint verifies with the published key');
  return parseCheckpointText(body)!;
}

test('anyone checks an entry and the growth of the log from the public checkpoint, key and proofs', async () => {
  const first = await signedTree();
  assert.ok(first.size >= 40);
  const res = await t.app.inject({ url: `/api/v1/ledger/proofs/inclusion?index=${first.size - 1}&size=${first.size}` });
  assert.equal(res.statusCode, 200);
  const proof = res.json();
  assert.deepEqual(Object.keys(proof), ['index', 'size', 'leafHash', 'hashes']);
  assert.equal(verifyInclusion(proof.index, proof.size, b64(proof.leafHash), proof.hashes.map(b64), first.rootHash), true);

  await withTransaction(t.db, (tx) => appendToLedger(tx, { actor: { kind: 'system', id: 'test' }, action: 'test.thing.checked' }));
  await integrateBatch(t.db);
  const second = await signedTree();
  assert.equal(second.size, first.size + 1);
  const consistency = (await t.app.inject({ url: `/api/v1/ledger/proofs/consistency?from=${first.size}&to=${second.size}` })).json();
  assert.equal(verifyConsistency(first.size, second.size, consistency.hashes.map(b64), first.rootHash, second.rootHash), true);
});

test('proofs outside the signed trees are refused naming the field', async () => {
  const { size } = await signedTree();
  const cases: [string, string][] = [
    [`index=0&size=${size + 1}`, 'size'], [`index=${size}&size=${size}`, 'index'], [`index=-1&size=${size}`, 'index'],
    ['index=0&size=0', 'size'], ['size=3', 'index'], ['index=0&size=abc', 'size'],
  ];
  for (const [query, field] of cases) {
    const res = await t.app.inject({ url: `/api/v1/ledger/proofs/inclusion?${query}` });
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().field, field, query);
  }
  const res = await t.app.inject({ url: `/api/v1/ledger/proofs/consistency?from=5&to=${size + 1}` });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'ledger.bad-size');
  assert.equal(res.json().field, 'to');
});

test('entry contents: 401, 403, then 200 for an inspector, 404 past the end', async () => {
  assert.equal((await t.app.inject({ url: '/api/v1/ledger/entries/0' })).statusCode, 401);
  const officer = await t.login('ga_officer');
  assert.equal((await t.app.inject({ url: '/api/v1/ledger/entries/0', headers: { cookie: officer } })).statusCode, 403);
  assert.equal((await t.app.inject({ url: '/api/v1/ledger/entries', headers: { cookie: officer } })).statusCode, 403);

  const inspector = await t.login('inspector');
  const { size } = await signedTree();
  const page = (await t.app.inject({ url: '/api/v1/ledger/entries?limit=3', headers: { cookie: inspector } })).json();
  assert.equal(page.size, size);
  assert.deepEqual(page.entries.map((e: { index: number }) => e.index), [page.size - 1, page.size - 2, page.size - 3]);

  const thing = (await t.app.inject({ url: `/api/v1/ledger/entries/${size - 2}`, headers: { cookie: inspector } })).json();
  assert.deepEqual({ ...thing, recordedAt: undefined, leafHash: undefined, payloadHash: undefined }, {
    index: size - 2, actor: { kind: 'staff', id: 'u1' }, action: 'test.thing.done', object: { type: 'thing', id: '39' },
    purpose: '核查', recordedAt: undefined, leafHash: undefined, payloadHash: undefined,
  });
  const proof = (await t.app.inject({ url: `/api/v1/ledger/proofs/inclusion?index=${size - 2}&size=${size}` })).json();
  assert.equal(thing.leafHash, proof.leafHash);

  const missing = await t.app.inject({ url: '/api/v1/ledger/entries/999999', headers: { cookie: inspector } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'ledger.entry.not-found');
});

test('every action a kernel module records has a name in Chinese and English', async () => {
  const { actions } = (await t.app.inject({ url: '/api/v1/ledger/actions' })).json();
  assert.deepEqual(actions['auth.login.admin'], { zh: '管理员登录', en: 'Administrator logged in' });
  const recorded = ['auth.login.succeeded', 'auth.login.failed', 'auth.account.locked', 'auth.permissions.changed', 'auth.token.issued',
    'calendar.day.set', 'calendar.year.imported', 'org.division.created', 'org.department.created', 'demo.loaded'];
  for (const action of recorded) assert.ok(actions[action]?.zh && actions[action]?.en, action);
});
