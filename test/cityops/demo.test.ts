import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoCity, resetDemoCity } from '../../src/demo.ts';
import { generateCity } from '../../src/kernel/demo/index.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';

let t: TestApp;
const seed = 'cityops-demo';

before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const one = async <T>(sql: string) => (await t.db.query<T & Record<string, unknown>>(sql)).rows[0]!;

test('the demo city holds 200,000 components over its grids, each in its grid\'s county, with valid codes, 3,015 cases and three jurisdiction disputes; a reset replaces them', async () => {
  const started = performance.now();
  const summary = await loadDemoCity(t.db, { seed });
  console.log(JSON.stringify({ name: 'demo load with 200,000 components', value: Math.round(performance.now() - started), unit: 'ms' }));
  assert.equal((summary as { cityopsComponents?: number }).cityopsComponents, 200_000);
  const city = generateCity(seed);
  const counts = await one<{ n: number; grids: number; outside: number; wrongCounty: number; states: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT grid_code)::int AS grids,
       count(*) FILTER (WHERE NOT c.location <@ box(point(g.x1, g.y1), point(g.x2, g.y2)))::int AS outside,
       count(*) FILTER (WHERE left(c.code, 6) <> left(c.division_code, 6))::int AS "wrongCounty",
       count(DISTINCT state)::int AS states
     FROM cityops_components c JOIN (
       SELECT code, min((p->>0)::float8) AS x1, min((p->>1)::float8) AS y1, max((p->>0)::float8) AS x2, max((p->>1)::float8) AS y2
         FROM grids, jsonb_array_elements(geometry->'coordinates'->0) AS p GROUP BY code) g ON g.code = c.grid_code`);
  assert.deepEqual(counts, { n: 200_000, grids: city.grids.length, outside: 0, wrongCounty: 0, states: 4 });
  // Serials count from 000001 per county and kind.
  const lights = (await t.db.query<{ code: string }>(`SELECT code FROM cityops_components WHERE code LIKE '5116020117%' ORDER BY code LIMIT 2`)).rows;
  assert.deepEqual(lights.map((r) => r.code), ['5116020117000001', '5116020117000002']);
  // Cases: six months of the loop, and work waiting for each demo login of city operations.
  assert.equal((summary as { cityopsCases?: number }).cityopsCases, 3_015);
  const cases = await one<{ n: number; closed: number; bad: number; events: number; caiji: number; unit: number; filing: number; dispatching: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'closed')::int AS closed,
       count(*) FILTER (WHERE state = 'closed' AND NOT EXISTS (SELECT 1 FROM cityops_case_events e WHERE e.case_id = c.id AND e.action = 'closed'))::int AS bad,
       (SELECT count(*)::int FROM cityops_case_events) AS events,
       count(*) FILTER (WHERE assignee_user_id = (SELECT id FROM users WHERE username = 'caiji'))::int AS caiji,
       count(*) FILTER (WHERE state = 'handling' AND department_id = (SELECT department_id FROM users WHERE username = 'ga_cg'))::int AS unit,
       count(*) FILTER (WHERE state = 'filing')::int AS filing, count(*) FILTER (WHERE state = 'dispatching')::int AS dispatching
     FROM cityops_cases c`);
  // and the cases of the three jurisdiction disputes waiting for the command centre: two on a county line, one returned by two units.
  assert.equal((summary as { cityopsDisputes?: number }).cityopsDisputes, 3);
  assert.equal(cases.n, 3_015 + 3);
  const disputes = (await t.db.query<{ reasons: string[]; candidates: number }>(
    `SELECT reasons, cardinality(candidate_ids) AS candidates FROM cityops_disputes WHERE state = 'open' ORDER BY id`)).rows;
  assert.deepEqual(disputes, [{ reasons: ['boundary'], candidates: 2 }, { reasons: ['boundary'], candidates: 2 }, { reasons: ['returned'], candidates: 2 }]);
  assert.ok(cases.closed > 2_000 && cases.bad === 0 && cases.events > cases.n * 5, JSON.stringify(cases));
  assert.ok(cases.caiji >= 4 && cases.unit >= 3 && cases.filing >= 3 && cases.dispatching >= 3, JSON.stringify(cases));
  await resetDemoCity(t.db, seed);
  assert.equal((await one<{ n: number }>('SELECT count(*)::int AS n FROM cityops_cases')).n, 3_015 + 3);
  // A reset removes the city's demo rows and loads them again: 200,000, not twice as many.
  assert.equal((await one<{ n: number }>('SELECT count(*)::int AS n FROM cityops_components')).n, 200_000);
});
