// The pool plans every statement generically; withValuePlans plans a list's statements for their values,
// and hands the connection back as it found it, even when the list fails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool, withTransaction, withValuePlans, type Db, type Queryable } from '../../../src/kernel/db/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let pool: Db;
before(async () => {
  t = await createTestDb();
  pool = createPool(t.url, 1); // one connection: every statement below runs on the same one
});
after(async () => {
  await pool.end();
  await t.drop();
});

/** The plan's condition on a parameter: `$1` in a generic plan, the value itself in a plan made for it. */
async function plannedCondition(db: Queryable): Promise<string> {
  await db.query('PREPARE migration_named (text) AS SELECT * FROM schema_migrations WHERE name = $1');
  try {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE migration_named ('0001_x.sql')`);
    return rows.map((r) => r['QUERY PLAN']).join('\n').match(/name = [^)]+\)/)?.[0] ?? '';
  } finally {
    await db.query('DEALLOCATE migration_named');
  }
}

const mode = async (db: Queryable) => (await db.query<{ mode: string }>(`SELECT current_setting('plan_cache_mode') AS mode`)).rows[0]!.mode;

test('statements on the pool get generic plans; inside withValuePlans they are planned for their values', async () => {
  assert.equal(await plannedCondition(pool), 'name = $1)');
  assert.equal(await withValuePlans(pool, plannedCondition), "name = '0001_x.sql'::text)");
  assert.equal(await mode(pool), 'force_generic_plan');
});

test('a failing list hands its pooled connection back with generic plans', async () => {
  await assert.rejects(withValuePlans(pool, async (db) => {
    assert.equal(await mode(db), 'auto');
    throw new Error('the list failed');
  }), /the list failed/);
  assert.equal(await mode(pool), 'force_generic_plan');
});

test('inside a transaction the value plans last for the list only, and a failed statement rolls them back', async () => {
  await withTransaction(pool, async (tx) => {
    assert.equal(await withValuePlans(tx, mode), 'auto');
    assert.equal(await mode(tx), 'force_generic_plan');
  });
  await assert.rejects(withTransaction(pool, (tx) => withValuePlans(tx, (db) => db.query('SELECT 1/0'))), /division by zero/);
  assert.equal(await mode(pool), 'force_generic_plan');
});
