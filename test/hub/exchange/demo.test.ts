// The exchange demo: requests in every state, predicates, calls over three months, citizen1's record with a hidden entry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { exchangeDemo, loadHubExchangeDemo, removeHubExchangeDemo } from '../../../src/hub/exchange-demo.ts';
import { verifyEvidence } from '../../../src/hub/index.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { personEntry, publishEntry } from '../factories.ts';
import { residentId } from './factories.ts';

describe('exchange demo', () => {
  let t: TestDb;
  let systems = 0;
  let citizen: string;
  let ms: number | null = null;
  before(async () => {
    t = await createTestDb({ demo: true });
    const department = async (name: string) => (await t.db.query<{ id: number }>('SELECT id FROM departments WHERE name = $1', [name])).rows[0]!.id;
    citizen = (await t.db.query<{ id_number: string }>(`SELECT id_number FROM users WHERE username = 'citizen1'`)).rows[0]!.id_number;
    const loaded = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_predicates');
    if (loaded.rows[0]!.n === 0) {
      // The city's demo without a catalogue: a person register, just enough for the exchange, then the exchange demo again.
      const person = await publishEntry(t.db, personEntry(await department('广安市公安局')));
      const people = [citizen, ...Array.from({ length: 60 }, (_, i) => residentId(i % 2 ? '511602' : '511621', `${1950 + i}0101`, String(100 + i)))];
      for (const id of people)
        await t.db.query('INSERT INTO hub_rows (resource_id, subject, key, data) VALUES ($1, $2, $2, $3)', [person.id, id,
          { id_number: id, name: '张三', birth_date: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, division_code: `${id.slice(0, 6)}001001`, household_size: 2 }]);
      const started = performance.now();
      await withTransaction(t.db, (tx) => loadHubExchangeDemo(tx, { seed: 'exchange-demo', cityCode: '511600000000' }));
      ms = performance.now() - started;
    }
    systems = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_systems WHERE code = ANY($1)`,
      [['MZ-SHJZ', 'GAQ-MZ-JZ', 'ZJ-ZFBZ', 'JY-RXFW', 'RS-JYFW', 'WJ-WSJD']])).rows[0]!.n;
  });
  after(() => t.drop());

  it('registers consumer systems, predicates and requests in every state', async () => {
    assert.ok(systems >= 5, String(systems));
    assert.ok(Number((await t.db.query('SELECT count(*) AS n FROM hub_predicates')).rows[0].n) >= 2);
    const states = (await t.db.query<{ state: string }>('SELECT DISTINCT state FROM hub_requests ORDER BY state')).rows.map((r) => r.state);
    assert.deepEqual(states, ['approved', 'pending', 'refused']);
    const overdue = await t.db.query(`SELECT 1 FROM hub_requests WHERE state = 'pending' AND due_at < now()`);
    assert.ok((overdue.rowCount ?? 0) >= 1, 'an overdue request for the escalation sweep');
    const grant = await t.db.query(`SELECT g.daily_quota, g.row_filter FROM hub_grants g JOIN hub_systems s ON s.id = g.consumer_system_id
      WHERE s.code = 'GAQ-MZ-JZ' AND g.predicate_id IS NULL`);
    assert.equal(grant.rows[0].daily_quota, 500);
    assert.equal(grant.rows[0].row_filter[0].value, '511602');
    assert.ok(await t.db.query(`SELECT 1 FROM hub_predicates WHERE code = $1`, [exchangeDemo.predicates.over18]).then((r) => r.rowCount === 1));
  });

  it('has 1,500 calls over three months, mostly answered, all on the ledger', async () => {
    const { rows } = await t.db.query<{ days: number; answered: number; refused: number; asks: number }>(
      `SELECT count(DISTINCT date_trunc('day', at))::int AS days, count(*) FILTER (WHERE status = 200)::int AS answered,
              count(*) FILTER (WHERE status <> 200)::int AS refused, count(*) FILTER (WHERE predicate_id IS NOT NULL)::int AS asks FROM hub_evidence`);
    assert.ok(rows[0]!.days > 60, JSON.stringify(rows[0]));
    assert.ok(rows[0]!.answered > 1000 && rows[0]!.refused > 10 && rows[0]!.asks > 100, JSON.stringify(rows[0]));
    // Besides the 1,500 calls, the city's 不来即享 policies asked the hub about every person they evaluated.
    const policyReads = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_evidence WHERE case_id LIKE 'policy:%'`)).rows[0]!.n;
    assert.ok(policyReads > 0);
    // And the base libraries read their sources through the gateway, a record per batch.
    const registryReads = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_evidence WHERE case_id LIKE 'registry-%'`)).rows[0]!.n;
    assert.ok(registryReads > 0);
    assert.deepEqual(await verifyEvidence(t.db), { checked: 1500 + policyReads + registryReads, changed: [], unrecorded: [], missing: [] });
  });

  it('gives citizen1 calls to see, one hidden until a later day and one shown again with its reason', async () => {
    const { rows } = await t.db.query<{ hidden_until: Date | null; hidden_reason: string | null }>(
      'SELECT hidden_until, hidden_reason FROM hub_evidence WHERE subject = $1 ORDER BY at DESC', [citizen]);
    assert.ok(rows.length >= 5);
    assert.ok(rows.some((r) => r.hidden_until && r.hidden_until > new Date()));
    assert.ok(rows.some((r) => r.hidden_until && r.hidden_until < new Date() && r.hidden_reason?.includes('已结案')));
  });

  it('dates no call after its load, even when loaded in the small hours before the day\'s office hours', async () => {
    const day = 86_400_000;
    const early = new Date(Math.floor((Date.now() + 8 * 3_600_000) / day) * day - 8 * 3_600_000 + 30 * 60_000); // 00:30 China time today
    const rollback = new Error('rollback');
    await withTransaction(t.db, async (tx) => {
      await removeHubExchangeDemo(tx, '511600000000');
      await loadHubExchangeDemo(tx, { seed: 'exchange-demo', cityCode: '511600000000', now: early });
      // The exchange demo's own calls, not the policies' and base libraries' reads made at the city's load.
      const { rows: [row] } = await tx.query<{ latest: Date }>(
        `SELECT max(at) AS latest FROM hub_evidence WHERE case_id NOT LIKE 'policy:%' AND case_id NOT LIKE 'registry-%'`);
      assert.ok(row!.latest <= early, `latest call at ${row!.latest.toISOString()}`);
      throw rollback;
    }).catch((error: unknown) => { if (error !== rollback) throw error; });
  });

  it('loads in a few seconds', () => {
    if (ms === null) return; // loaded with the whole demo city: its own test times that
    assert.ok(ms < 10_000, `${Math.round(ms)} ms`);
  });
});
