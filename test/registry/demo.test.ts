import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { identitiesOf, type CleanRecord } from '../../src/registry/match/index.ts';
import { findModel } from '../../src/registry/resolve.ts';
import { demoPassword } from '../../src/demo.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';

let t: TestApp;
before(async () => { t = await createTestApp({ demo: true }); });
after(() => t.close());

test('the demo libraries send no pair of two different valid ID numbers to review: those pairs are non-matches', async () => {
  const { rows } = await t.db.query<{ library: 'people' | 'companies'; band: string; a: CleanRecord; b: CleanRecord }>(
    `SELECT p.library, p.band, l.clean AS a, r.clean AS b FROM registry_pairs p
       JOIN registry_records l ON l.id = p.left_id JOIN registry_records r ON r.id = p.right_id WHERE p.decision IS NULL`);
  const bands = { review: 0, nonMatch: 0, differentIds: { review: 0, nonMatch: 0, match: 0 } };
  for (const library of new Set(rows.map((r) => r.library))) {
    const model = (await findModel(t.db, library))!;
    const mine = rows.filter((r) => r.library === library);
    const identities = identitiesOf(model, mine.flatMap((r) => [r.a, r.b]));
    for (const { band, a, b } of mine) {
      const [x, y] = [identities(a.id), identities(b.id)];
      const different = x.length > 0 && y.length > 0 && !x.some((v) => y.includes(v));
      if (band === 'review') bands.review++;
      if (band === 'non-match') bands.nonMatch++;
      if (different) bands.differentIds[band === 'non-match' ? 'nonMatch' : band as 'review' | 'match']++;
    }
  }
  assert.ok(bands.review > 0, 'the demo leaves pairs for review');
  assert.ok(bands.nonMatch > 0, 'the demo has look-alikes with different ID numbers');
  assert.deepEqual(bands.differentIds, { review: 0, nonMatch: bands.nonMatch, match: 0 });
});

test('a golden record sits in the township its records\' addresses name, so that district\'s officer finds it; another county\'s does not', async () => {
  const { rows: placed } = await t.db.query<{ division: string; n: number }>(
    `SELECT left(division_code, 6) AS division, count(*)::int AS n FROM registry_entities WHERE library = 'people' GROUP BY 1 ORDER BY 2 DESC`);
  const { rows: [township] } = await t.db.query<{ code: string }>(
    `SELECT code FROM divisions WHERE level = 'township' AND code LIKE '5116%' ORDER BY code LIMIT 1`);
  const inPilot = placed.find((p) => p.division === township!.code.slice(0, 6));
  // The police register names 户籍 by code only, so its people without a health record stay at the city.
  assert.ok(inPilot && inPilot.n > 0, `people by county: ${JSON.stringify(placed)}`);
  const district = await t.login('ga_officer', demoPassword);
  const other = await t.login('yc_officer', demoPassword);
  const found = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/registry/entities?library=people', headers: { cookie } }).then((r) => r.json().items.length);
  assert.ok(await found(district) > 0);
  assert.equal(await found(other), 0);
});
