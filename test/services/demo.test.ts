import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb({ demo: true });
});
after(() => t.drop());

test('the demo catalogue holds the 1,135 real items of 广安区 with their codes unchanged; most have a guide and a form, about fifty read the hub', async () => {
  const { rows: [items] } = await t.db.query<{ total: number; codes: number; forms: number; full: number; kinds: string[] }>(
    `SELECT count(*)::int AS total, count(DISTINCT code)::int AS codes, count(*) FILTER (WHERE form_schema IS NOT NULL AND guide <> '')::int AS forms,
            count(*) FILTER (WHERE prefill <> '[]')::int AS full,
            array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM services_items WHERE division_code LIKE '511602%'`);
  assert.deepEqual([items!.total, items!.codes], [1135, 1135]);
  assert.ok(items!.forms >= 700 && items!.forms <= 1000, `${items!.forms} items applied for online`);
  assert.ok(items!.full >= 40 && items!.full <= 70, `${items!.full} featured items`);
  assert.deepEqual(items!.kinds, ['benefit', 'confirmation', 'licence', 'other-power', 'public-service', 'reward', 'ruling']);
  const { rows: [code] } = await t.db.query(`SELECT code FROM services_items WHERE name = '适龄儿童、少年因身体状况需要延缓入学或者休学审批'`);
  assert.equal(code.code, '511A0138000000-511602000000-000-115113010833722043-1-00');
  const { rows: twice } = await t.db.query(`SELECT code FROM services_items WHERE name = '求职创业补贴申领'`);
  assert.equal(twice.length, 2);
  const { rows: [marriage] } = await t.db.query(
    `SELECT i.issues_credential_type, d.name FROM services_items i JOIN departments d ON d.id = i.department_id WHERE i.name = '中国内地公民婚姻登记'`);
  assert.deepEqual([marriage.issues_credential_type, marriage.name], ['marriage-certificate', '广安区民政局']);
});

test('a few thousand applications in every state, with ratings and rectification tasks at every stage', async () => {
  const { rows } = await t.db.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM services_applications GROUP BY state');
  const states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
  for (const state of ['draft', 'submitted', 'accepted', 'correction', 'approved', 'refused', 'rejected', 'finished'])
    assert.ok(states[state] > 0, state);
  assert.ok(rows.reduce((s, r) => s + r.n, 0) >= 2000);
  const { rows: stages } = await t.db.query<{ state: string }>('SELECT DISTINCT state FROM services_rectifications ORDER BY state');
  assert.deepEqual(stages.map((s) => s.state), ['closed', 'review', 'rectify', 'reply', 'verify'].sort());
  const { rows: [bad] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM services_ratings WHERE level <= 2');
  const { rows: [tasks] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM services_rectifications');
  assert.equal(bad!.n, tasks!.n);
  const { rows: [receipts] } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM services_applications WHERE state <> 'draft' AND receipt_number !~ '^511602-[0-9]{8}-[0-9]{7}$'`);
  assert.equal(receipts!.n, 0);
});

test('the featured items read the hub: each department has a granted system, forms are prefilled, the two policies found people', async () => {
  const { rows: [items] } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM services_items WHERE form_schema IS NOT NULL AND prefill <> '[]'`);
  assert.ok(items!.n >= 40);
  const { rows: policies } = await t.db.query<{ code: string; offers: number; granted: number }>(
    `SELECT p.code, count(o.id)::int AS offers, count(o.id) FILTER (WHERE o.state = 'granted')::int AS granted
       FROM services_policies p LEFT JOIN services_offers o ON o.policy_id = p.id GROUP BY p.code ORDER BY p.code`);
  assert.deepEqual(policies.map((p) => p.code), ['elderly-allowance', 'new-firm-retention']);
  const elderly = policies.find((p) => p.code === 'elderly-allowance')!;
  const firms = policies.find((p) => p.code === 'new-firm-retention')!;
  assert.ok(elderly.offers > 0 && elderly.granted === 0, 'elders are offered the allowance');
  assert.ok(firms.granted > 0 && firms.granted === firms.offers, 'new firms are granted without applying');
});
