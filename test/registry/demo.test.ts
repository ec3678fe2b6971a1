import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { identitiesOf, type CleanRecord } from '../../src/registry/match/index.ts';
import { findModel } from '../../src/registry/resolve.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
before(async () => { t = await createTestDb({ demo: true }); });
after(() => t.drop());

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
