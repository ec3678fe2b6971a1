// The 行政处罚 API on the demo city, as the console calls it: refusals as problems naming the field, the demo's
// waiting work for its three logins, and the two fine rules over the demo's decisions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/kernel/auth/index.ts';
import { creditCode } from '../../src/kernel/demo/index.ts';
import { integrateBatch } from '../../src/kernel/ledger/index.ts';
import { ruleLibrary } from '../../src/oversight/library.ts';
import { evaluateRange } from '../../src/oversight/stream.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';

let t: TestApp;
const cookies: Record<string, string> = {};

before(async () => {
  t = await createTestApp({ demo: true });
  for (const name of ['zf_officer', 'zf_review', 'zf_head', 'ga_officer', 'inspector']) cookies[name] = await t.login(name, demoPassword);
});
after(() => t.close());

const call = (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({
  method, url: `/api/v1/penalties${url}`, payload: payload as object, headers: { ...(who ? { cookie: cookies[who] } : {}), 'x-yiwang-csrf': '1' },
});

test('the demo\'s waiting cases are each the next step of one of the three logins, and nobody else\'s', async () => {
  const next = async (who: string) => (await call(who, 'GET', '/cases?state=investigating&state=proposed&state=reviewed')).json().items
    .filter((c: { abilities: string[] }) => c.abilities.length).map((c: { item: { code: string }; abilities: string[] }) => `${c.item.code} ${c.abilities.join()}`).sort();
  assert.deepEqual(await next('zf_officer'), ['CF-CG-0001 propose', 'CF-CG-0003 propose']);
  assert.deepEqual(await next('zf_review'), ['CF-CG-0002 review']);
  // The head holds the review too, and decides what another reviewed.
  assert.deepEqual(await next('zf_head'), ['CF-CG-0002 review', 'CF-CG-0003 decide']);
  assert.deepEqual(await next('inspector'), []);
  // A 民政局 officer enforces no item: the menu leaves the page out, and the department has no case to list.
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookies.ga_officer! } });
  assert.ok(!me.json().user.capabilities.includes('penalties.case.read'));
  const zfMe = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookies.zf_officer! } });
  assert.ok(zfMe.json().user.capabilities.includes('penalties.case.investigate'));
  assert.equal((await call('ga_officer', 'GET', '/cases')).json().total, 0);
  assert.equal((await call(null, 'GET', '/cases')).statusCode, 401);
  assert.equal((await call(null, 'POST', '/cases', { itemId: 1, partyKind: 'person', partyName: '某', partyIdNumber: '511602197803216832',
    divisionCode: '511602000000', place: '某地', facts: '某事' })).statusCode, 401);
  const inspected = (await call('inspector', 'GET', '/cases?limit=200&state=decided')).json();
  assert.equal(inspected.total, 302);
  assert.ok(inspected.items.every((c: { partyIdNumber: string }) => /^\w{4}\*+\w{4}$/.test(c.partyIdNumber)), 'identity numbers masked in lists');
});

test('bad input is a 400 problem naming the field, and nothing is written', async () => {
  const { rows: [{ n: before }] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM penalty_cases');
  const items = (await call('zf_officer', 'GET', '/items')).json().items as { id: number; code: string }[];
  assert.deepEqual(items.map((i) => i.code), ['CF-CG-0001', 'CF-CG-0002', 'CF-CG-0003']);
  const filing = { itemId: items[2]!.id, partyKind: 'organisation', partyName: '广安宏达商贸有限公司', partyIdNumber: creditCode('511602', 7),
    divisionCode: '511602000000', place: '建设路', facts: '占道堆放建材' };
  for (const [change, field] of [[{ partyIdNumber: `${creditCode('511602', 7).slice(0, 17)}0` }, 'partyIdNumber'], [{ partyKind: 'person' }, 'partyIdNumber'], [{ divisionCode: '5116' }, 'divisionCode'], [{ facts: '' }, 'facts'],
    [{ itemId: 0 }, 'itemId']] as const) {
    const res = await call('zf_officer', 'POST', '/cases', { ...filing, ...change });
    assert.equal(res.statusCode, 400, JSON.stringify(change));
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(res.json().field, field);
  }
  const { rows: [{ n: after }] } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM penalty_cases');
  assert.equal(after, before);
  assert.equal((await call('zf_officer', 'POST', '/cases', filing)).statusCode, 201, 'the same filing, valid, goes through');
  const waiting = (await call('zf_officer', 'GET', '/cases?state=investigating')).json().items[0];
  const proposal = await call('zf_officer', 'POST', `/cases/${waiting.id}/proposal`, { level: 'severe', amount: -1 });
  assert.deepEqual([proposal.statusCode, proposal.json().field], [400, 'amount']);
  assert.equal((await call('zf_review', 'POST', `/cases/${waiting.id}/proposal`, { level: 'light', amount: 0 })).statusCode, 403);
});

test('the fine rules catch the demo\'s two planted decisions and nothing else of its three hundred', async () => {
  for (let integrated = 1; integrated > 0;) ({ integrated } = await integrateBatch(t.db));
  const rules = ruleLibrary.filter((r) => r.code.startsWith('fine-'));
  const emitted = await evaluateRange(t.db, rules.map((r, i) => ({ id: i + 1, definition: r.definition })), 0);
  // The module's own decisions: the demo's generated oversight history plants fines of its own (items CF-1 to CF-6).
  const { rows } = await t.db.query<{ leaf: number; amount: number; level: string; item: string }>(
    `SELECT e.leaf_index::int AS leaf, (e.facts->>'amount')::int AS amount, e.facts->>'level' AS level, e.facts->>'item' AS item
       FROM ledger_entries e JOIN penalty_cases c ON c.number = e.object_id WHERE e.action = 'penalties.case.decided'`);
  const decided = new Map(rows.map((r) => [r.leaf, `${r.item} ${r.level} ${r.amount / 100}`]));
  assert.equal(rows.length, 302);
  assert.deepEqual(emitted.filter((e) => e.entries.some((x) => decided.has(x)))
    .map((e) => `${rules[e.ruleVersionId - 1]!.code}: ${e.entries.map((x) => decided.get(x)).join()}`).sort(),
    ['fine-beyond-discretion: CF-SJ-0003 light 2000', 'fine-outlier: CF-CG-0003 ordinary 8000']);
});
