import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { makeDivisions } from '../../helpers/factories.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { issueVerifierNonce, loadCredentialDemo, presentCredential, removeCredentialDemo, verifyPresentation } from '../../../src/services/credentials/index.ts';
import { citizenActor, makeCitizen } from './factories.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb();
  await makeDivisions(t.db);
  for (const [code, name] of [['511602-GA', '广安区公安分局'], ['511602-SP', '广安区行政审批局'], ['511602-MZ', '广安区民政局']])
    await t.db.query(`INSERT INTO departments (code, name, division_code) VALUES ($1, $2, '511602000000')`, [code, name]);
  for (const name of ['citizen1', 'citizen2', 'citizen3']) await makeCitizen(t.db, name, '19851120', `${name}的姓名`);
});
after(() => t.drop());

const count = async (sql: string) => (await t.db.query<{ n: number }>(sql)).rows[0]!.n;

test('the demo issues six certificates through issueCredential, revokes one, and is quick', async () => {
  const started = performance.now();
  const summary = await withTransaction(t.db, (tx) => loadCredentialDemo(tx));
  assert.ok(performance.now() - started < 5000, 'a few seconds at most: every browser test loads the demo');
  assert.deepEqual(summary, { credentials: 6, revoked: 1 });
  assert.equal(await count('SELECT count(*)::int AS n FROM credential_issuers'), 3);
  assert.equal(await count(`SELECT count(*)::int AS n FROM credentials c JOIN users u ON u.id = c.holder_user_id WHERE u.username = 'citizen1'`), 3);
  assert.equal(await count(`SELECT count(*)::int AS n FROM ledger_queue WHERE action = 'credentials.credential.issued'`), 6);

  // citizen1's residence certificate proves "18 or over"; citizen2's revoked one is refused.
  const { rows } = await t.db.query<{ id: string; holder: string; revoked: boolean }>(
    `SELECT c.id, c.holder_user_id AS holder, c.revoked_at IS NOT NULL AS revoked FROM credentials c WHERE c.type = 'residence-certificate' ORDER BY c.revoked_at NULLS FIRST`);
  const presentAs = (row: { id: string; holder: string }) => withTransaction(t.db, async (tx) => {
    const ctx = { tx, actor: citizenActor(Number(row.holder)), now: new Date() };
    return presentCredential(ctx, { id: row.id, disclose: ['age_equal_or_over.18'], nonce: (await issueVerifierNonce(ctx, { ip: '127.0.0.1' })).nonce });
  });
  const valid = await verifyPresentation(t.db, (await presentAs(rows[0]!)).presentation);
  assert.deepEqual(valid.claims, { age_equal_or_over: { 18: true } });
  const revoked = rows.find((r) => r.revoked)!;
  await assert.rejects(verifyPresentation(t.db, (await presentAs(revoked)).presentation), { code: 'credentials.revoked' });
});

test('removing the demo removes its credentials, lists, keys and issuers', async () => {
  const removed = await withTransaction(t.db, (tx) => removeCredentialDemo(tx, '511600000000'));
  assert.equal(removed, 6);
  for (const table of ['credentials', 'credential_status_lists', 'credential_issuer_keys', 'credential_issuers'])
    assert.equal(await count(`SELECT count(*)::int AS n FROM ${table}`), 0, table);
});
