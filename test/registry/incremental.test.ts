// A second load of a source: the incremental matcher compares only its new and changed rows with the library,
// and only the entities they touch get their golden records again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pushRows } from '../../src/hub/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { runLoadOn, startLoad } from '../../src/registry/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { run, system } from '../hub/factories.ts';
import { idOf, loadPeopleLibrary, makeRegistryCast, people } from './factories.ts';

let t: TestApp;
let bureau: number;
let policeSource: number;

before(async () => {
  t = await createTestApp();
  bureau = (await makeRegistryCast(t.db)).bureau;
  policeSource = (await loadPeopleLibrary(t.db, bureau)).sources[0]!.id;
});
after(() => t.close());

const entities = async () => new Map((await t.db.query<{ id: number; subject: string | null; name: string; updatedAt: string }>(
  `SELECT id::int, subject, golden #>> '{name,value}' AS name, to_json(updated_at) #>> '{}' AS "updatedAt" FROM registry_entities WHERE golden <> '{}'`,
)).rows.map((e) => [e.id, e]));

test('a load of one changed and one new row matches only those, touches only their entities, and is on the ledger', async () => {
  const before = await entities();
  const { rows: [model] } = await t.db.query<{ trainedAt: string }>(`SELECT to_json(trained_at) #>> '{}' AS "trainedAt" FROM registry_models WHERE library = 'people'`);
  const wang = idOf('51160219950612004');
  // 公安 renames 李丽华 (a correction of its register) and registers 王芳.
  await run(t.db, system, pushRows, { code: 'A01-0001-0001-0001', rows: [
    { id_number: people.li, name: '李丽', birth_date: '1985-11-20', division_code: '511602001000' },
    { id_number: wang, name: '王芳', birth_date: '1995-06-12', division_code: '511602001000' },
  ] });
  const actor = { ...system, departmentId: bureau };
  const started = await run(t.db, actor, startLoad, { sourceId: policeSource });
  const load = await withTransaction(t.db, (tx) => runLoadOn(tx, started.id, new Date()));
  assert.equal(load.state, 'done');
  // Two rows read and scored against the library with the stored model: not trained again.
  assert.deepEqual([load.counts.read, load.counts.cleaned, load.counts.trained, load.counts.entities, load.counts.golden], [2, 2, 0, 1, 2]);
  const { rows: [stillModel] } = await t.db.query<{ trainedAt: string }>(`SELECT to_json(trained_at) #>> '{}' AS "trainedAt" FROM registry_models WHERE library = 'people'`);
  assert.equal(stillModel!.trainedAt, model!.trainedAt);
  const after = await entities();
  const li = [...after.values()].find((e) => e.subject === people.li)!;
  const newcomer = [...after.values()].find((e) => e.subject === wang)!;
  assert.equal(li.name, '李丽');
  assert.equal(newcomer.name, '王芳');
  assert.equal(before.has(li.id), true, 'the changed row stays in its entity');
  assert.equal(before.has(newcomer.id), false, 'the new row makes a new entity');
  // Only those two entities were touched; every other golden record is as it was.
  const { rows: [touched] } = await t.db.query<{ touched: string[] }>('SELECT touched FROM registry_loads WHERE id = $1', [load.id]);
  assert.deepEqual(touched!.touched.map(Number).sort((a, b) => a - b), [li.id, newcomer.id].sort((a, b) => a - b));
  for (const [id, entity] of before) if (id !== li.id) assert.equal(after.get(id)!.updatedAt, entity.updatedAt, `entity ${id} untouched`);
  // 李丽 (公安) and 李丽华 (民政, no ID) are still paired as the same person, with the pair scored by this load.
  const { rows: pairs } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry_pairs WHERE load_id = $1`, [load.id]);
  assert.ok(pairs[0]!.n >= 1);
  assert.equal(await ledgerCount(t.db, 'registry.load.finished'), 3);
});
