import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { appendToLedger, ledgerQueueSql, payloadHash } from '../../../src/kernel/ledger/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
before(async () => { t = await createTestDb(); });
after(() => t.drop());

test('several entries queued in one statement keep their order, fields and payload hashes', async () => {
  const at = new Date('2026-11-02T02:00:00Z');
  await withTransaction(t.db, (tx) => appendToLedger(tx, [
    { actor: { kind: 'staff', id: '7' }, action: 'test.first', object: { type: 'thing', id: 1 }, payload: { a: 1 }, at },
    { actor: { kind: 'system', id: 'job' }, action: 'test.second', purpose: '核查', at },
    { actor: { kind: 'staff', id: '7' }, action: 'test.third', object: { type: 'thing', id: 'T-3' }, payload: { b: [2] }, at },
  ]));
  const { rows } = await t.db.query<{ actor_kind: string; actor_id: string; action: string; object_id: string | null; purpose: string | null; payload_hash: Buffer }>(
    'SELECT actor_kind, actor_id, action, object_id, purpose, payload_hash FROM ledger_queue ORDER BY id');
  assert.deepEqual(rows.map((r) => [r.actor_kind, r.actor_id, r.action, r.object_id, r.purpose]),
    [['staff', '7', 'test.first', '1', null], ['system', 'job', 'test.second', null, '核查'], ['staff', '7', 'test.third', 'T-3', null]]);
  assert.deepEqual(rows.map((r) => r.payload_hash.toString('hex')), [payloadHash({ a: 1 }), payloadHash(undefined), payloadHash({ b: [2] })].map((h) => h.toString('hex')));
});

test('entries queued in the statement that writes the change name objects it made, and go with it', async () => {
  await t.db.query('CREATE TABLE things (id serial PRIMARY KEY, code text NOT NULL)');
  const at = new Date('2026-11-02T03:00:00Z');
  const write = (code: string) => {
    const params: unknown[] = [code];
    const ledger = ledgerQueueSql([{ actor: { kind: 'staff', id: '7' }, action: 'test.made', object: { type: 'thing', idSql: "'T-' || made.id" },
      payload: { code }, at }], params, 'made');
    return t.db.query(`WITH made AS (INSERT INTO things (code) VALUES ($1) RETURNING id), ledger AS (${ledger}) SELECT id FROM made`, params);
  };
  const { rows: [made] } = await write('ok');
  // Outside a transaction too, a statement that fails writes neither the change nor its entry.
  await assert.rejects(t.db.query(`WITH made AS (INSERT INTO things (code) VALUES (NULL) RETURNING id) SELECT id FROM made`));
  await assert.rejects(write(null as unknown as string));
  const { rows } = await t.db.query<{ object_id: string; payload_hash: Buffer }>(`SELECT object_id, payload_hash FROM ledger_queue WHERE action = 'test.made'`);
  assert.deepEqual(rows.map((r) => r.object_id), [`T-${made.id}`]);
  assert.equal(rows[0]!.payload_hash.toString('hex'), payloadHash({ code: 'ok' }).toString('hex'));
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM things')).rows[0].n, 1);
});
