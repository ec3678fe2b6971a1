import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadDemoCity, resetDemoCity } from '../../src/demo.ts';
import { checkCreditCode, checkResidentId } from '../../src/kernel/checks/index.ts';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { demoCompanyCount, demoPersonCount } from '../../src/hub/demo.ts';
import { findPublishedResource, searchCatalogue } from '../../src/hub/index.ts';
import { readRows } from '../../src/hub/rows.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let summary: Awaited<ReturnType<typeof loadDemoCity>>;
before(async () => {
  t = await createTestDb();
  summary = await loadDemoCity(t.db, { seed: 'hub-demo' });
});
after(() => t.drop());

test('the demo city has a data hub: people and companies with valid IDs, the demo citizen among them, entries in every state', async () => {
  assert.equal(summary.skipped, false);
  const people = (await findPublishedResource(t.db, 'A01-0001-0001-0001'))!;
  const { rows: [counts] } = await t.db.query<{ n: number; distinct: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT subject)::int AS distinct FROM hub_rows WHERE resource_id = $1', [people.id]);
  assert.deepEqual([counts!.n, counts!.distinct], [demoPersonCount, demoPersonCount]);
  const sample = await readRows(t.db, people, { limit: 200 });
  assert.ok(sample.every((p) => checkResidentId(String(p.id_number)).ok));
  const { rows: [citizen] } = await t.db.query<{ id_number: string; display_name: string }>(`SELECT id_number, display_name FROM users WHERE username = 'citizen1'`);
  assert.deepEqual((await readRows(t.db, people, { subject: citizen!.id_number, limit: 2 })).map((p) => p.name), [citizen!.display_name]);

  const firms = (await findPublishedResource(t.db, 'A02-0001-0001-0001'))!;
  assert.equal(firms.rowCount, demoCompanyCount);
  assert.ok((await readRows(t.db, firms, { limit: 200 })).every((c) => checkCreditCode(String(c.credit_code)).ok));

  const all = await searchCatalogue(t.db, systemActor('test'), { limit: 1, offset: 0 });
  assert.ok(all.total >= 40, `${all.total} entries`);
  assert.deepEqual(all.facets.status.map((f) => f.value).sort(), ['draft', 'published', 'retired', 'review']);
  assert.ok(all.facets.status.find((f) => f.value === 'published')!.count >= 30);
  assert.deepEqual(all.facets.shareType.map((f) => f.value).sort(), ['conditional', 'none', 'unconditional']);
  // The social-insurance feed carries a few mistyped IDs: reported on import, counted in the quality score.
  const insured = (await findPublishedResource(t.db, 'A04-0001-0001-0001'))!;
  assert.ok(insured.qualityScore !== null && insured.qualityScore < 1 && insured.qualityScore > 0.99);
  const { rows: objections } = await t.db.query<{ state: string }>('SELECT state FROM hub_objections ORDER BY id');
  assert.deepEqual(objections.map((o) => o.state), ['corrected', 'open']);
});

test('the demo can be loaded again with another seed, the hub data going with the old city', async () => {
  const again = await resetDemoCity(t.db, 'hub-demo-2');
  assert.equal(again.skipped, false);
  const { rows: [n] } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_resources WHERE code = 'A01-0001-0001-0001'`);
  assert.equal(n!.n, 1);
});
