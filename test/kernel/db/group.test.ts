import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Queryable } from '../../../src/kernel/db/index.ts';
import { StatementGroups } from '../../../src/kernel/db/group.ts';

/** A stand-in connection: only its name matters, to see which submitter's connection a statement ran on. */
const connection = (name: string) => ({ name, query: () => Promise.reject(new Error('not a database')) }) as unknown as Queryable & { name: string };

test('rows of one shape submitted in one turn run as one statement, on the first submitter\'s connection, answered in order', async () => {
  const runs: { on: string; shape: string; rows: number[] }[] = [];
  const groups = new StatementGroups<string, number, string>(async (db, shape, rows) => {
    runs.push({ on: (db as { name?: string }).name!, shape, rows });
    return rows.map((r) => `${shape}:${r * 10}`);
  }, { maxRows: 3, maxInFlight: 1 });
  const [a, b, c] = ['a', 'b', 'c'].map(connection);
  const answers = await Promise.all([
    groups.submit(a!, 'x', 'X', 1), groups.submit(b!, 'y', 'Y', 2), groups.submit(c!, 'x', 'X', 3),
    groups.submit(b!, 'x', 'X', 4), groups.submit(c!, 'x', 'X', 5),
  ]);
  assert.deepEqual(answers, ['X:10', 'Y:20', 'X:30', 'X:40', 'X:50']);
  // Shape x: its first three rows in one statement (maxRows 3), the last after it (one statement in flight).
  assert.deepEqual(runs, [{ on: 'a', shape: 'X', rows: [1, 3, 4] }, { on: 'b', shape: 'Y', rows: [2] }, { on: 'c', shape: 'X', rows: [5] }]);
  // A later turn starts a new group.
  assert.equal(await groups.submit(a!, 'x', 'X', 6), 'X:60');
  assert.deepEqual(runs.at(-1), { on: 'a', shape: 'X', rows: [6] });
});

test('rows that arrive while a statement of their shape runs wait for it and go together in the next', async () => {
  const runs: number[][] = [];
  let finishFirst!: () => void;
  const first = new Promise<void>((resolve) => (finishFirst = resolve));
  const groups = new StatementGroups<null, number, number>(async (_db, _shape, rows) => {
    runs.push(rows);
    if (runs.length === 1) await first;
    return rows;
  });
  const a = connection('a');
  const answers = [groups.submit(a, 'k', null, 1)];
  await new Promise((resolve) => setImmediate(resolve));
  for (const row of [2, 3, 4]) {
    answers.push(groups.submit(a, 'k', null, row));
    await new Promise((resolve) => setImmediate(resolve)); // each in a turn of its own
  }
  assert.deepEqual(runs, [[1]]);
  let drained = false;
  const draining = groups.drained().then(() => (drained = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(drained, false, 'four rows still to write');
  finishFirst();
  assert.deepEqual(await Promise.all(answers), [1, 2, 3, 4]);
  assert.deepEqual(runs, [[1], [2, 3, 4]]);
  await draining;
  assert.equal(drained, true);
  assert.equal(await groups.drained().then(() => 'at once'), 'at once');
});

test('when a group\'s statement fails, each row is tried alone on its own connection: only the row that fails alone fails', async () => {
  const runs: { on: string; rows: number[] }[] = [];
  const groups = new StatementGroups<null, number, number>(async (db, _shape, rows) => {
    runs.push({ on: (db as { name?: string }).name!, rows });
    if (rows.includes(13)) throw new Error(`row 13 breaks a constraint`);
    return rows.map((r) => r * 2);
  });
  const [a, b, c] = ['a', 'b', 'c'].map(connection);
  const results = await Promise.allSettled([groups.submit(a!, 'k', null, 1), groups.submit(b!, 'k', null, 13), groups.submit(c!, 'k', null, 3)]);
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [2, 'row 13 breaks a constraint', 6]);
  assert.deepEqual(runs, [{ on: 'a', rows: [1, 13, 3] }, { on: 'a', rows: [1] }, { on: 'b', rows: [13] }, { on: 'c', rows: [3] }]);
});
