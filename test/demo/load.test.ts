import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCity } from '../../src/kernel/demo/index.ts';
import { demoLoaded, allDemoLogins, demoPassword, loadDemoCity, resetDemoCity } from '../../src/demo.ts';
import { checkResidentId } from '../../src/kernel/checks/index.ts';
import { gridAt } from '../../src/kernel/org/index.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { verifyEvidence } from '../../src/hub/index.ts';
import { marriageCertificateNumber } from '../../src/services/credentials/index.ts';
import { RuleEngine, type Act } from '../../src/oversight/engine.ts';
import { ruleLibrary } from '../../src/oversight/library.ts';

/**
 * What the city-operations demo adds to a generated city: the supervision and command centres and a 信息采集中心 per
 * county; its five demo logins (jiandu, zhihui, caiji, ga_cg and the unit's handling worker ga_cgry) and two patrol
 * workers per county (no password yet).
 */
const cityopsDesks = (c: { divisions: { level: string }[] }) => {
  const counties = c.divisions.filter((d) => d.level === 'county').length;
  return { departments: 2 + counties, staff: 5 + 2 * counties };
};
/** 行政处罚 adds three staff to each county's urban-management and market-regulation bureaus (zf_officer, zf_review, zf_head among them). */
const penaltiesStaff = (c: { divisions: { level: string }[] }) => 6 * c.divisions.filter((d) => d.level === 'county').length;

let t: TestApp;
const seed = 'load-test';
const city = generateCity(seed);

before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) counted`, params)).rows[0]!.n;
}

const tableCounts = async () => ({
  divisions: await count('SELECT 1 FROM divisions'),
  departments: await count('SELECT 1 FROM departments'),
  grids: await count('SELECT 1 FROM grids'),
  staff: await count(`SELECT 1 FROM users WHERE kind = 'staff'`),
  citizens: await count(`SELECT 1 FROM users WHERE kind = 'citizen'`),
});

describe('loadDemoCity', () => {
  test('loads the generated city: every division, department, grid and staff member, and five citizens', async () => {
    const summary = await loadDemoCity(t.db, { seed });
    assert.ok(!summary.skipped);
    const { holidayYears, hotlineTickets, oversightRules, oversightHistoryActs, oversightPlanted, entities, records, review, sensorEvents, sensorReadings,
      penaltyItems, penaltyCasesDecided, penaltyCasesOpen, ...loaded } = summary;
    assert.deepEqual([penaltyItems, penaltyCasesDecided, penaltyCasesOpen], [6, 302, 4], 'the penalty items, decided and open cases');
    assert.ok((sensorReadings as number) > 10_000 && (sensorEvents as number) > 0, 'the demo devices have a day of readings and raised events');
    assert.deepEqual([oversightRules, oversightPlanted], [24, 40], 'the rule library and a history with planted misconduct');
    assert.ok((records as number) > (entities as number) && (entities as number) > 0 && (review as number) > 0,
      'the base libraries resolve the sources\' records into fewer people and companies, with pairs left for review');
    assert.ok((oversightHistoryActs as number) > 5000);
    assert.deepEqual(loaded, {
      skipped: false, seed, divisions: city.divisions.length, departments: city.departments.length, grids: city.grids.length,
      staff: city.staff.length, citizens: 5, cityopsComponents: 200_000, sensorDevices: 300, cityopsCases: 3_015, cityopsDisputes: 3, sources: 5, prefillGrants: 4, supervisionProblems: 15, supervisionTasks: 10,
    });
    assert.ok((holidayYears as number[]).includes(2025), 'the official holidays come with the demo');
    assert.ok((hotlineTickets as number) >= 290, 'and the 12345 hotline demo');
    // The supervision demo adds the 市政府督查室 and its 督查 staff member to the generated city; city operations its desks.
    assert.deepEqual(await tableCounts(), {
      divisions: city.divisions.length, departments: city.departments.length + 1 + cityopsDesks(city).departments, grids: city.grids.length,
      staff: city.staff.length + 1 + cityopsDesks(city).staff + penaltiesStaff(city), citizens: 5,
    });
    assert.equal((await demoLoaded(t.db))?.seed, seed);
    assert.equal(await count(`SELECT 1 FROM ledger_queue WHERE action = 'demo.loaded'`), 1);
  });

  test('divisions keep their levels, parents and schematic areas; staff sit at their department\'s division', async () => {
    const county = (await t.db.query('SELECT name, level, parent_code, geometry IS NOT NULL AS drawn FROM divisions WHERE code = $1', ['511602000000'])).rows[0];
    assert.deepEqual(county, { name: '广安区', level: 'county', parent_code: '511600000000', drawn: true });
    assert.equal(await count(`SELECT 1 FROM divisions WHERE generated`), city.divisions.filter((d) => d.generated).length);
    assert.equal(await count(`SELECT 1 FROM users u JOIN departments d ON d.id = u.department_id WHERE u.division_code <> d.division_code`), 0);
    const inspector = (await t.db.query(`SELECT roles, division_code FROM users WHERE username = 'inspector'`)).rows[0];
    assert.deepEqual(inspector, { roles: ['inspector'], division_code: '511600000000' });
  });

  test('demo logins and citizens each have their own salt, other staff no password yet; citizens have valid resident IDs', async () => {
    const withPassword = allDemoLogins().length - 1 + 5; // demoLogins lists one of the 5 citizens
    assert.equal(await count(`SELECT DISTINCT password_hash FROM users WHERE password_hash <> '!'`), withPassword);
    assert.equal(await count(`SELECT 1 FROM users WHERE password_hash = '!'`), city.staff.length + 1 + cityopsDesks(city).staff + penaltiesStaff(city) + 5 - withPassword,
      'the staff of the city, the 督查室, the city-operations desks and the penalty bureaus');
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: city.staff.at(-1)!.username, password: demoPassword } });
    assert.equal(locked.statusCode, 401, 'a generated staff member without a password cannot log in');
    const ids = (await t.db.query<{ id_number: string }>(`SELECT id_number FROM users WHERE kind = 'citizen'`)).rows;
    for (const { id_number } of ids) assert.ok(checkResidentId(id_number).ok, id_number);
  });

  test('every printed demo login exists with its role, and the admin logs in with the demo password', async () => {
    for (const login of allDemoLogins()) {
      const { rows } = await t.db.query<{ roles: string[] }>('SELECT roles FROM users WHERE username = $1', [login.username]);
      assert.deepEqual(rows[0]?.roles, [login.role], login.username);
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: demoPassword } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().user.jurisdiction, '511600000000');
  });

  test('grids are found by location', async () => {
    const grid = city.grids[0]!;
    const [[west, south], [east], [, north]] = grid.geometry.coordinates[0]!;
    assert.equal((await gridAt(t.db, (west! + east!) / 2, (south! + north!) / 2))?.code, grid.code);
  });

  test('nothing in the demo is dated in the future: every timestamp and date column is at or before now', async () => {
    const { rows: columns } = await t.db.query<{ table: string; column: string; type: string }>(
      `SELECT table_name AS "table", column_name AS "column", data_type AS type FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('timestamp with time zone', 'timestamp without time zone', 'date')`);
    assert.ok(columns.length > 20, 'the scan covers the platform\'s tables');
    // Deadlines, validity ends and planned times are meant to lie ahead; what happened must not.
    const ahead = /deadline|due|until|expires|valid_to|ends|end_at|window_end|next|scheduled|retry|start_after|keep_until|lock/;
    const future: string[] = [];
    for (const { table, column, type } of columns) {
      if (ahead.test(column)) continue;
      const now = type === 'date' ? 'current_date' : type === 'timestamp with time zone' ? 'now()' : 'localtimestamp';
      const { rows } = await t.db.query<{ n: number; latest: string }>(
        `SELECT count(*)::int AS n, max("${column}")::text AS latest FROM "${table}" WHERE "${column}" > ${now} + interval '1 minute'`);
      if (rows[0]!.n > 0) future.push(`${table}.${column}: ${rows[0]!.n} rows, up to ${rows[0]!.latest}`);
    }
    assert.deepEqual(future, []);
  });

  test('12345 departments differ: not every one resolves and satisfies everybody, and their ranks spread', async () => {
    const cookie = await t.login('hotline', demoPassword);
    const day = (daysAgo: number) => new Date(Date.now() + 8 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const metrics = (await t.app.inject({ method: 'GET', url: `/api/v1/hotline/metrics?from=${day(89)}&to=${day(0)}&by=department`, headers: { cookie } })).json();
    const ranked = (metrics.rows as { rank: number | null; resolutionRate: number | null; satisfactionRate: number | null }[]).filter((r) => r.rank !== null);
    assert.ok(ranked.length >= 20, `${ranked.length} departments ranked`);
    for (const rate of ['resolutionRate', 'satisfactionRate'] as const) {
      const values = ranked.flatMap((r) => (r[rate] === null ? [] : [r[rate]]));
      assert.ok(values.filter((v) => v < 1).length >= 5 && new Set(values).size >= 4, `${rate}: ${values.join(', ')}`);
    }
    // Departments with a few tickets, all handled well, are not ranked, so few share the first place.
    const firsts = ranked.filter((r) => r.rank === 1).length;
    assert.ok(firsts <= ranked.length / 10 && new Set(ranked.map((r) => r.rank)).size >= 20, `ranks: ${ranked.map((r) => r.rank).join(', ')}`);
    assert.ok(metrics.total.satisfactionRate < 0.97 && metrics.total.satisfactionRate > 0.6, String(metrics.total.satisfactionRate));
  });

  test('全程网办: the rate agrees with the items\' flags, most items are fully online, and each of those can be applied for online', async () => {
    const { rows: [items] } = await t.db.query<{ online: number; fully: number; withoutForm: number; visiting: number }>(
      `SELECT count(*)::int AS online, count(*) FILTER (WHERE fully_online)::int AS fully,
              count(*) FILTER (WHERE fully_online AND form_schema IS NULL)::int AS "withoutForm",
              count(*) FILTER (WHERE fully_online AND visits > 0)::int AS visiting FROM services_items WHERE online`);
    assert.deepEqual([items!.withoutForm, items!.visiting], [0, 0], 'a fully online item has a form and needs no visit');
    const figures = (await t.app.inject({ method: 'GET', url: '/api/v1/services/figures/public' })).json();
    assert.equal(figures.items.fullyOnlineRate, items!.fully / items!.online);
    assert.ok(figures.items.fullyOnlineRate > 0.6 && figures.items.fullyOnlineRate < 0.95, String(figures.items.fullyOnlineRate));
    // The catalogue, as the portal lists it, says what the rate says.
    const listed = async (fully: boolean) => (await t.app.inject({ method: 'GET', url: `/api/v1/services/items?fullyOnline=${fully}&limit=1` })).json().total;
    assert.deepEqual([await listed(true), await listed(false)], [items!.fully, items!.online - items!.fully]);
  });

  test('the demo citizens have a history in 我的办事: applications in several states, finished ones among them', async () => {
    const { rows } = await t.db.query<{ username: string; n: number; states: string[] }>(
      `SELECT u.username, count(a.id)::int AS n, array_agg(DISTINCT a.state) AS states FROM users u
         LEFT JOIN services_applications a ON a.applicant_id = u.id WHERE u.kind = 'citizen' GROUP BY u.username ORDER BY u.username`);
    assert.equal(rows.length, 5);
    for (const { username, n, states } of rows) {
      assert.ok(n >= 5, `${username}: ${n} applications`);
      assert.ok(states.length >= 4 && states.includes('finished'), `${username}: ${states.join(', ')}`);
    }
    const cookie = await t.login('citizen1', demoPassword);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/services/applications?limit=20', headers: { cookie } })).json();
    assert.ok(mine.total >= 5, JSON.stringify(mine.total));
  });

  test('the benefit items pay amounts: the decided applications state them, and the generated history\'s planted amount raises the rule', async () => {
    const { rows: [paid] } = await t.db.query<{ items: number; paid: number; unpaid: number; min: number; max: number }>(
      `SELECT count(DISTINCT i.id) FILTER (WHERE a.amount IS NOT NULL)::int AS items, count(a.amount)::int AS paid,
              count(*) FILTER (WHERE a.amount IS NULL AND a.state IN ('approved', 'finished') AND i.amount_kind IS NOT NULL
                                 AND a.channel <> 'proactive')::int AS unpaid,
              min(a.amount)::int AS min, max(a.amount)::int AS max
         FROM services_applications a JOIN services_items i ON i.id = a.item_id`);
    assert.ok(paid!.items >= 2 && paid!.paid >= 20, JSON.stringify(paid));
    assert.equal(paid!.unpaid, 0, 'every approval of a paying item states its amount (but those of 不来即享: a policy states none)');
    assert.ok(paid!.min >= 100 * 100 * 0.6 && paid!.max <= 20_000 * 100 * 1.5, JSON.stringify(paid));
    // The generated history waits in the queue: the library's amount rule over it raises its planted approval.
    const { rows } = await t.db.query<Act>(
      `SELECT id::int AS index, actor_kind AS "actorKind", actor_id AS "actorId", action, object_type AS "objectType", object_id AS "objectId",
              purpose, facts, (extract(epoch FROM recorded_at) * 1000)::float8 AS at
         FROM ledger_queue WHERE action = 'services.application.approved' ORDER BY id`);
    const rule = ruleLibrary.find((r) => r.code === 'amount-outlier')!;
    const raised = new RuleEngine([{ id: 1, definition: rule.definition }]).feed(rows);
    assert.ok(raised.length >= 1, `${rows.filter((r) => r.facts?.amount !== undefined).length} approvals with an amount`);
  });

  test('every 结婚证字号 has one format, the demo\'s and those issued on approval alike', async () => {
    const { rows } = await t.db.query<{ number: string }>(
      `SELECT claims->>'certificate_number' AS number FROM credentials WHERE type = 'marriage-certificate'`);
    assert.ok(rows.length >= 1);
    for (const { number } of rows) assert.match(number, /^J\d{6}-\d{4}-\d{6}$/);
    assert.match(marriageCertificateNumber('511602000000', '2026', 1_234_567), /^J511602-2026-234567$/);
  });

  test('a second load is skipped and changes nothing', async () => {
    const before = await tableCounts();
    const again = await loadDemoCity(t.db, { seed: 'another-seed' });
    assert.equal(again.skipped, true);
    assert.equal(again.seed, seed);
    assert.deepEqual(await tableCounts(), before);
  });
});

describe('resetDemoCity', () => {
  test('removes the demo and everything added inside it, keeps the ledger, and loads the new seed', async () => {
    const other = generateCity('reset-test');
    await t.db.query(`INSERT INTO departments (code, name, division_code) VALUES ('511621-EXTRA', '岳池县新设局', '511621000000')`);
    const ledgerBefore = await count('SELECT 1 FROM ledger_queue');
    // Besides the exchange demo's 1,500 calls, the 不来即享 policies' questions about each person evaluated.
    const policyReads = `SELECT 1 FROM hub_evidence WHERE case_id LIKE 'policy:%'`;
    const oldPolicyReads = await count(policyReads);
    const oldEvidence = await count('SELECT 1 FROM hub_evidence');
    const summary = await resetDemoCity(t.db, 'reset-test');
    assert.equal(summary.skipped, false);
    assert.deepEqual(await tableCounts(), {
      divisions: other.divisions.length, departments: other.departments.length + 1 + cityopsDesks(other).departments, grids: other.grids.length,
      staff: other.staff.length + 1 + cityopsDesks(other).staff + penaltiesStaff(other), citizens: 5,
    });
    assert.equal(await count(`SELECT 1 FROM departments WHERE code = '511621-EXTRA'`), 0);
    assert.equal((await demoLoaded(t.db))?.seed, 'reset-test');
    assert.equal(await count(`SELECT 1 FROM ledger_queue WHERE action IN ('demo.loaded', 'demo.removed')`), 3);
    assert.ok(await count('SELECT 1 FROM ledger_queue') > ledgerBefore, 'nothing is taken off the ledger');
    // The old demo's call records went with a removal entry each: the evidence still proves out both ways.
    // (and the base libraries' reads of their sources).
    assert.equal(await count(`SELECT 1 FROM ledger_queue WHERE action = 'hub.evidence.removed'`), oldEvidence);
    assert.ok(oldEvidence > 1500 + oldPolicyReads, 'the base libraries read their sources through the gateway too');
    const evidence = await verifyEvidence(t.db);
    assert.deepEqual([evidence.checked, evidence.changed, evidence.unrecorded, evidence.missing], [await count('SELECT 1 FROM hub_evidence'), [], [], []]);
  });
});
