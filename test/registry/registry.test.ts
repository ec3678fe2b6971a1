import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { runLoad } from '../../src/registry/index.ts';
import { badId, makeRegistryCast, people } from './factories.ts';

let t: TestApp;
let officer: string;
let sourceIds: number[] = [];

const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
};

/** Waits for a load started by the route to finish (the route runs it after answering). */
async function finished(loadId: number) {
  for (let i = 0; i < 200; i++) {
    const { body } = await call(officer, 'GET', `/api/v1/registry/loads/${loadId}`);
    if (body.state !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`load ${loadId} did not finish`);
}

before(async () => {
  t = await createTestApp();
  await makeRegistryCast(t.db);
  officer = await t.login('hub_admin');
});
after(() => t.close());

const personMapping = { id_number: 'id_number', name: 'name', birth_date: 'birth_date' };

test('a source with an unmapped mandatory field is refused, naming it', async () => {
  const res = await call(officer, 'POST', '/api/v1/registry/sources', { library: 'people', resource: 'A01-0001-0001-0001', mapping: { name: 'name' } });
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'registry.mandatory-unmapped');
  assert.equal(res.body.field, 'mapping.id_number');
});

test('a source needs a grant for the library\'s system; with it the source is added with its trust', async () => {
  const refused = await call(officer, 'POST', '/api/v1/registry/sources', { library: 'people', resource: 'A01-0001-0001-0001', mapping: personMapping });
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.code, 'registry.no-grant');
  for (const [resource, provider] of [['A01-0001-0001-0001', 'police_data'], ['A03-0001-0001-0001', 'civil_data']] as const) {
    const asked = await call(officer, 'POST', '/api/v1/registry/sources/access', { library: 'people', resource, purpose: '人口库汇聚' });
    assert.equal(asked.status, 201);
    const fields = resource.startsWith('A01') ? ['id_number', 'name', 'birth_date', 'division_code', 'household_size'] : ['record_no', 'id_number', 'name', 'birth_date'];
    const approved = await call(await t.login(provider), 'POST', `/api/v1/hub/requests/${asked.body.id}/decision`,
      { approve: true, masking: Object.fromEntries(fields.map((f) => [f, 'none'])) });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
  }
  const police = await call(officer, 'POST', '/api/v1/registry/sources',
    { library: 'people', resource: 'A01-0001-0001-0001', mapping: personMapping, trust: { id_number: 10, name: 10, birth_date: 10 } });
  assert.equal(police.status, 201, JSON.stringify(police.body));
  assert.deepEqual(police.body.trust, { id_number: 10, name: 10, birth_date: 10 });
  const civil = await call(officer, 'POST', '/api/v1/registry/sources', { library: 'people', resource: 'A03-0001-0001-0001', mapping: personMapping });
  assert.equal(civil.status, 201);
  assert.deepEqual(civil.body.trust, { id_number: 5, name: 5, birth_date: 5 });
  sourceIds = [police.body.id, civil.body.id];
  assert.equal(await ledgerCount(t.db, 'registry.source.added'), 2);
});

test('loads run through every stage; an invalid ID is loaded with its finding, never corrected; records resolve into golden records', async () => {
  for (const id of sourceIds) {
    const started = await call(officer, 'POST', `/api/v1/registry/sources/${id}/loads`);
    assert.equal(started.status, 202);
    const load = await finished(started.body.id);
    assert.equal(load.state, 'done', load.error);
    assert.equal(load.stage, 'done');
    assert.equal(load.counts.read, 3);
    assert.equal(load.counts.cleaned, 3);
  }
  const { rows: [wrong] } = await t.db.query<{ raw: { id_number: string }; findings: { code: string }[] }>(
    `SELECT raw, findings FROM registry_records WHERE raw ->> 'id_number' = $1`, [badId]);
  assert.equal(wrong!.raw.id_number, badId);
  assert.ok(wrong!.findings.some((f) => f.code === 'id-number.check-digit'), JSON.stringify(wrong!.findings));
  // 张伟 and 張偉 (same valid ID) are one entity; its name comes from the most trusted source.
  const { rows: [zhang] } = await t.db.query<{ id: number; golden: Record<string, { value: string; sourceId: number; rule: string }>; records: number }>(
    `SELECT e.id::int, e.golden, (SELECT count(*)::int FROM registry_records r WHERE r.entity_id = e.id) AS records
       FROM registry_entities e WHERE e.subject = $1`, [people.zhang]);
  assert.equal(zhang!.records, 2);
  assert.equal(zhang!.golden.name!.value, '张伟');
  assert.equal(zhang!.golden.name!.sourceId, sourceIds[0]);
  assert.equal(zhang!.golden.birth_date!.value, '1990-03-05');
});

test('an incremental load reads nothing new, and a resumed load does not redo a finished stage', async () => {
  const started = await call(officer, 'POST', `/api/v1/registry/sources/${sourceIds[0]}/loads`);
  const load = await finished(started.body.id);
  assert.equal(load.counts.read ?? 0, 0);
  // As if the process died before the golden stage: the resumed run goes on from there.
  await t.db.query(`UPDATE registry_loads SET state = 'running', stage = 'golden', counts = '{"read": 3, "cleaned": 3}' WHERE id = $1`, [load.id]);
  const resumed = await runLoad(t.db, load.id);
  assert.equal(resumed!.state, 'done');
  assert.equal(resumed!.counts.read, 3);
  assert.equal(resumed!.counts.cleaned, 3);
});

test('a decision outside the reviewer\'s jurisdiction is refused; a decision splits, is on the ledger, and undoes', async () => {
  const { rows: [pair] } = await t.db.query<{ id: number; right: number }>(
    `SELECT p.id::int, p.right_id::int AS right FROM registry_pairs p JOIN registry_records r ON r.id = p.left_id WHERE r.raw ->> 'id_number' = $1`, [people.zhang]);
  const county = await call(await t.login('yc_data'), 'POST', `/api/v1/registry/pairs/${pair!.id}/decision`, { decision: 'non-match' });
  assert.equal(county.status, 403);
  assert.equal(county.body.code, 'registry.outside-jurisdiction');
  const decided = await call(officer, 'POST', `/api/v1/registry/pairs/${pair!.id}/decision`, { decision: 'non-match', note: '复核不同' });
  assert.equal(decided.status, 200);
  assert.equal(decided.body.decision, 'non-match');
  assert.notEqual(decided.body.left.entityId, decided.body.right.entityId);
  assert.equal(await ledgerCount(t.db, 'registry.pair.decided'), 1);
  assert.equal(await ledgerCount(t.db, 'registry.entity.split'), 1);
  const { rows: [split] } = await t.db.query<{ id: number }>(`SELECT id::int FROM registry_history WHERE action = 'split' ORDER BY id DESC LIMIT 1`);
  const undone = await call(officer, 'POST', `/api/v1/registry/history/${split!.id}/undo`);
  assert.equal(undone.status, 200);
  assert.ok(undone.body.records.some((r: { id: number }) => r.id === pair!.right));
  assert.equal(await ledgerCount(t.db, 'registry.entity.undone'), 1);
});

test('a staff read of a golden record is evidence the person sees in 我的数据使用记录', async () => {
  const { rows: [entity] } = await t.db.query<{ id: number }>(`SELECT id::int FROM registry_entities WHERE subject = $1`, [people.zhang]);
  const missing = await call(officer, 'GET', `/api/v1/registry/entities/${entity!.id}`);
  assert.equal(missing.status, 400);
  const read = await call(officer, 'GET', `/api/v1/registry/entities/${entity!.id}?purpose=${encodeURIComponent('核对低保申请人身份')}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.golden.name.value, '张伟');
  assert.equal(read.body.records.length, 2);
  const usage = await call(await t.login('zhang'), 'GET', '/api/v1/hub/my/usage');
  assert.ok(usage.body.entries.some((e: { purpose: string; resourceName: string }) => e.purpose === '核对低保申请人身份' && e.resourceName === '人口库标准记录'),
    JSON.stringify(usage.body.entries));
});

test('a citizen sees only their own record and files a correction that reaches the owning department', async () => {
  const zhang = await t.login('zhang');
  const mine = await call(zhang, 'GET', '/api/v1/registry/my/record');
  assert.equal(mine.status, 200);
  const name = mine.body.fields.find((f: { field: string }) => f.field === 'name');
  assert.equal(name.value, '张伟');
  assert.equal(name.providerName, '市公安局');
  assert.ok(mine.body.fields.every((f: { value: string }) => f.value !== '李丽华'));
  assert.equal((await call(officer, 'GET', '/api/v1/registry/my/record')).status, 403);
  const filed = await call(zhang, 'POST', '/api/v1/registry/my/corrections', { field: 'birth_date', description: '出生日期应为1990年3月6日' });
  assert.equal(filed.status, 201);
  assert.ok(filed.body.fields.find((f: { field: string }) => f.field === 'birth_date').correction.dueAt);
  const objections = await call(await t.login('police_data'), 'GET', '/api/v1/hub/objections?side=to-answer');
  const objection = objections.body.items.find((o: { rowKey: string }) => o.rowKey === people.zhang);
  assert.equal(objection.fieldCode, 'birth_date');
  assert.match(objection.description, /我的档案.*1990年3月6日/);
  const li = await call(await t.login('li'), 'GET', '/api/v1/registry/my/record');
  assert.ok(li.body.fields.every((f: { value: string }) => f.value !== '张伟'));
});

test('the quality dashboard counts findings, completeness and the loads per source', async () => {
  const res = await call(officer, 'GET', '/api/v1/registry/quality?library=people');
  assert.equal(res.status, 200);
  const civil = res.body.items.find((s: { sourceId: number }) => s.sourceId === sourceIds[1]);
  assert.equal(civil.records, 3);
  assert.equal(civil.checkDigitFailures, 1);
  assert.equal(civil.completeness.find((c: { field: string }) => c.field === 'id_number').share.toFixed(2), '0.67');
  assert.equal(civil.loads.length, 1);
  assert.ok(civil.linked >= 1);
});
