import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { createPool, withTransaction, type Db } from '../../src/kernel/db/index.ts';
import { integrateBatch } from '../../src/kernel/ledger/index.ts';
import { generateHistory, plantedKinds, queueHistory, scoreAlerts, type History } from '../../src/oversight/history.ts';
import { activateRule, editRule, installLibrary, listRules, testRule } from '../../src/oversight/rulebook.ts';
import { activeVersions, evaluateRange, streamLedger } from '../../src/oversight/stream.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

const system = systemActor('test');
const staff = Array.from({ length: 120 }, (_, i) => String(5000 + i));

async function integrateAll(db: Db): Promise<number> {
  for (;;) {
    const { integrated, size } = await integrateBatch(db);
    if (integrated === 0) return size;
  }
}

interface Stored { rule_version_id: number; alert_key: string; entries: number[]; code: string; version: number }
const storedAlerts = async (db: Db) => (await db.query<Stored>(
  `SELECT al.rule_version_id, al.alert_key, al.entries, r.code, v.version FROM oversight_alerts al
   JOIN oversight_rule_versions v ON v.id = al.rule_version_id JOIN oversight_rules r ON r.id = v.rule_id
   ORDER BY al.rule_version_id, al.alert_key`)).rows;

describe('rules over the ledger: stream, backfill and planted misconduct', () => {
  let t: TestDb;
  let history: History;
  let base: number;
  let size: number;
  const now = new Date();

  before(async () => {
    t = await createTestDb();
    await withTransaction(t.db, (tx) => installLibrary({ tx, actor: system, now }));
    base = await integrateAll(t.db);
    history = generateHistory({ seed: 'test', entries: 40_000, planted: 4 * plantedKinds.length, end: now, staff });
    await queueHistory(t.db, history.acts);
    size = await integrateAll(t.db);
  });
  after(async () => t?.drop());

  it('streams in small batches, across a restart, to the same alerts as a backfill of the whole history', async () => {
    assert.equal(size, base + history.acts.length);
    let cursor = 0;
    // First half by one process, then a "restarted" one (a new pool: no engine in memory) rebuilds from the window before the cursor.
    while (cursor < size / 2) {
      await streamLedger(t.db, now, 3_217);
      cursor = (await t.db.query<{ n: number }>('SELECT next_index AS n FROM oversight_cursor')).rows[0]!.n;
    }
    const other = createPool(t.url, 2);
    try {
      while (cursor < size) {
        await streamLedger(other, now, 5_003);
        cursor = (await other.query<{ n: number }>('SELECT next_index AS n FROM oversight_cursor')).rows[0]!.n;
      }
    } finally {
      await other.end();
    }
    const streamed = await storedAlerts(t.db);
    const backfilled = await evaluateRange(t.db, await activeVersions(t.db), 0, size);
    const key = (a: { ruleVersionId: number; key: string; entries: number[] }) => `${a.ruleVersionId}/${a.key}/${a.entries.join(',')}`;
    assert.deepEqual(streamed.map((s) => key({ ruleVersionId: s.rule_version_id, key: s.alert_key, entries: s.entries })).sort(),
      backfilled.map(key).sort());
    assert.ok(streamed.length >= 60);
    const raised = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_queue WHERE action = 'oversight.alert.raised'`);
    assert.equal(raised.rows[0]!.n, streamed.length);
  });

  it('finds every planted case with few false alerts, per kind', async () => {
    const alerts = (await storedAlerts(t.db)).map((a) => ({ rule: a.code, acts: a.entries.map((e) => e - base) }));
    const scores = scoreAlerts(history, alerts);
    for (const score of scores) {
      assert.equal(score.planted, 4, score.kind);
      assert.equal(score.recall, 1, `${score.kind}: missed ${JSON.stringify(score.missed)}`);
      assert.ok(score.precision >= 0.8, `${score.kind}: precision ${score.precision} (${score.falseAlerts} of ${score.alerts} false)`);
    }
  });

  it('a rule edit is a new version; past alerts keep the version that raised them; a dry run tells what a version would raise', async () => {
    const ctx = { tx: t.db as never, actor: system, now };
    await withTransaction(t.db, async (tx) => {
      Object.assign(ctx, { tx });
      const [rule] = (await listRules(tx, system)).filter((r) => r.code === 'repeated-returns');
      const before = (await storedAlerts(t.db)).filter((a) => a.code === 'repeated-returns');
      assert.ok(before.length >= 4 && before.every((a) => a.version === 1));
      const v1 = rule!.versions[0]!;
      const edited = await editRule(ctx, { ruleId: rule!.id, nameZh: v1.nameZh, nameEn: v1.nameEn, rationale: v1.rationale, legalBasis: v1.legalBasis,
        severity: 'red', scope: v1.scope, definition: JSON.stringify({ ...v1.definition, atLeast: 4 }) });
      assert.deepEqual(edited.versions.map((v) => v.version), [2, 1]);
      assert.equal(edited.activeVersion, 1);
      await assert.rejects(activateRule(ctx, { ruleId: rule!.id, version: 2 }), /dry-run it first/);
      const dry = await testRule(ctx, { ruleId: rule!.id, version: 2, days: 90 });
      assert.equal(dry.total, 0);
      const dryV1 = await testRule(ctx, { ruleId: rule!.id, version: 1, days: 90 });
      assert.equal(dryV1.total, before.length);
      assert.equal((await activateRule(ctx, { ruleId: rule!.id, version: 2 })).activeVersion, 2);
      const after = (await tx.query<{ version: number; n: number }>(
        `SELECT v.version, count(*)::int AS n FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id
         WHERE v.rule_id = $1 GROUP BY v.version`, [rule!.id])).rows;
      assert.deepEqual(after, [{ version: 1, n: before.length }]);
    });
  });
});

describe('generateHistory', () => {
  it('ends at its end: nothing is dated later in the day, planted cases included, whatever the day and hour', () => {
    // 00:05 and 12:30 China time on each day of two weeks, with office hours of that day still to come.
    for (let i = 0; i < 28; i++) {
      const end = new Date(Date.parse('2026-03-01T16:05:00Z') + Math.floor(i / 2) * 86_400_000 + (i % 2) * (12 * 60 + 25) * 60_000);
      const { acts, planted } = generateHistory({ seed: `end-${i}`, entries: 6000, planted: 30, end, staff });
      assert.equal(planted.length, 30);
      const latest = Math.max(...acts.map((a) => a.at));
      assert.ok(latest <= end.getTime(), `${end.toISOString()}: latest act at ${new Date(latest).toISOString()}`);
    }
  });
});
