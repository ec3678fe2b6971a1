import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { chinaDay } from '../../src/kernel/calendar/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { appendToLedger, integrateBatch, latestCheckpoint, verifyInclusion } from '../../src/kernel/ledger/index.ts';
import { installLibrary } from '../../src/oversight/rulebook.ts';
import { streamLedger } from '../../src/oversight/stream.ts';
import { createTestApp, ledgerCount, makeCast, makeDepartment, makeStaff, type TestApp } from '../helpers/factories.ts';

const b64 = (s: string) => Buffer.from(s, 'base64');

describe('alerts: proofs, handling, the person concerned and integrity files', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let discipline: number;
  let ownInspector: number;
  const cookies: Record<string, string> = {};
  const call = async (who: string | null, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({
    method, url: `/api/v1/oversight${url}`, payload, headers: who ? { cookie: cookies[who] ??= await t.login(who) } : {},
  });
  /** 25 records read in 8 minutes by one person at office hours: the bulk-reads rule's alert about them. */
  const bulkReads = (userId: number, from: number) => withTransaction(t.db, (tx) => appendToLedger(tx, Array.from({ length: 25 }, (_, i) => ({
    actor: { kind: 'staff' as const, id: String(userId) }, action: 'hotline.caller.viewed', object: { type: 'ticket', id: `T-${from + i}` },
    at: new Date(Date.UTC(2026, 10, 30, 2, 0) + i * 20_000), // a Monday, 10:00 China time
  }))));

  before(async () => {
    t = await createTestApp();
    cast = await makeCast(t.db);
    discipline = await makeDepartment(t.db, { name: '市纪委监委', divisionCode: '511600000000', kind: 'discipline-inspection' });
    await makeStaff(t.db, { username: 'jw', roles: ['inspector'], departmentId: discipline });
    ownInspector = await makeStaff(t.db, { username: 'inspector2', roles: ['inspector'], departmentId: cast.cityDept });
    await withTransaction(t.db, (tx) => installLibrary({ tx, actor: systemActor('test'), now: new Date() }));
    await bulkReads(cast.gaOfficer, 0);
    await bulkReads(ownInspector, 100);
    while ((await integrateBatch(t.db)).integrated > 0);
    assert.equal(await streamLedger(t.db, new Date()), 2);
    while ((await integrateBatch(t.db)).integrated > 0);
  });
  after(async () => t?.close());

  const alertAbout = async (userId: number) => (await t.db.query<{ id: number }>('SELECT id FROM oversight_alerts WHERE $1 = ANY(people)', [String(userId)])).rows[0]!.id;

  it('lists alerts to inspectors only, never about themselves', async () => {
    assert.equal((await call(null, 'GET', '/alerts')).statusCode, 401);
    assert.equal((await call('ga_officer', 'GET', '/alerts')).statusCode, 403);
    const seen = (await call('inspector', 'GET', '/alerts')).json();
    assert.equal(seen.total, 2);
    assert.equal(seen.items[0].rule.code, 'bulk-reads');
    const own = (await call('inspector2', 'GET', '/alerts')).json();
    assert.deepEqual(own.items.map((a: { people: { id: string }[] }) => a.people[0]!.id), [String(cast.gaOfficer)]);
    const about = await alertAbout(ownInspector);
    assert.equal((await call('inspector2', 'GET', `/alerts/${about}`)).json().code, 'oversight.alert.about-self');
    assert.equal((await call('inspector2', 'POST', `/alerts/${about}/dismiss`, { reason: '正常工作' })).statusCode, 403);
  });

  it('an alert carries its acts, each with an inclusion proof against the signed checkpoint; the view is on the ledger', async () => {
    const id = await alertAbout(cast.gaOfficer);
    const before = await ledgerCount(t.db, 'oversight.alert.viewed');
    const alert = (await call('inspector', 'GET', `/alerts/${id}`)).json();
    assert.equal(await ledgerCount(t.db, 'oversight.alert.viewed'), before + 1);
    assert.equal(alert.entries.length, 20);
    assert.ok(alert.entries.every((e: { action: string; actor: { id: string } }) => e.action === 'hotline.caller.viewed' && e.actor.id === String(cast.gaOfficer)));
    const checkpoint = (await latestCheckpoint(t.db))!;
    assert.equal(alert.checkpoint, checkpoint.note);
    assert.equal(alert.proofs.length, 20);
    for (const [i, proof] of alert.proofs.entries()) {
      assert.ok(verifyInclusion(proof.index, proof.size, b64(alert.entries[i].leafHash), proof.hashes.map(b64), b64(checkpoint.rootHash)));
    }
    assert.equal(alert.ruleVersion.definition.kind, 'count');
  });

  it('handles an alert: reasons and deadlines required, a 整改 case opened and closed, released and answered', async () => {
    const id = await alertAbout(cast.gaOfficer);
    const noReason = await call('inspector', 'POST', `/alerts/${id}/dismiss`, { reason: '  ' });
    assert.deepEqual([noReason.statusCode, noReason.json().field], [400, 'reason']);
    const noDeadline = await call('inspector', 'POST', `/alerts/${id}/case`, { kind: 'rectify', note: '限期整改' });
    assert.deepEqual([noDeadline.statusCode, noDeadline.json().field], [400, 'deadline']);
    assert.equal((await call('inspector', 'POST', `/alerts/${id}/confirm`, { note: '核查属实：无办件需要' })).json().state, 'confirmed');
    const past = await call('inspector', 'POST', `/alerts/${id}/case`, { kind: 'rectify', deadline: chinaDay(new Date(Date.now() - 86_400_000)), note: '限期整改' });
    assert.deepEqual([past.statusCode, past.json().field], [400, 'deadline']);
    const deadline = chinaDay(new Date(Date.now() + 30 * 86_400_000));
    const opened = (await call('inspector', 'POST', `/alerts/${id}/case`, { kind: 'rectify', deadline, note: '限期整改' })).json();
    assert.deepEqual([opened.state, opened.case.kind, opened.case.deadline], ['case', 'rectify', deadline]);
    // The 整改 is on the 督查检查考核 list, owned by the official's department, with the deadline in working days.
    const { rows: [problem] } = await t.db.query<{ code: string; department_id: number; due_days: number; source_ref: string; state: string }>(
      `SELECT l.code, p.department_id, p.due_days, p.source_ref, p.state FROM supervision_problems p JOIN supervision_lists l ON l.id = p.list_id WHERE p.source = 'oversight-alert'`);
    assert.deepEqual([problem!.code, problem!.department_id, problem!.source_ref, problem!.state], ['supervision-check', cast.gaDept, `alert:${id}`, 'registered']);
    assert.ok(problem!.due_days >= 18 && problem!.due_days <= 23, `${problem!.due_days} working days in 30 calendar days`);
    const closed = (await call('inspector', 'POST', `/alerts/${id}/close`, { outcome: '已整改，调整查询权限' })).json();
    assert.deepEqual([closed.state, closed.case.outcome], ['closed', '已整改，调整查询权限']);
    assert.equal((await call('ga_officer', 'GET', '/mine')).json().items.length, 0);
    assert.equal((await call('ga_officer', 'POST', `/mine/${id}/answer`, { answer: '说明' })).json().code, 'oversight.not-released');
    await call('inspector', 'POST', `/alerts/${id}/release`);
    assert.equal((await call('ga_officer', 'GET', '/mine')).json().items[0].id, id);
    assert.equal((await call('yc_officer', 'POST', `/mine/${id}/answer`, { answer: '不是我' })).statusCode, 403);
    assert.equal((await call('ga_officer', 'POST', `/mine/${id}/answer`, { answer: '当天在处理群体诉求' })).json().answer, '当天在处理群体诉求');
    for (const action of ['oversight.alert.confirmed', 'oversight.case.opened', 'supervision.problem.registered', 'oversight.case.closed', 'oversight.alert.released', 'oversight.alert.answered']) {
      assert.equal(await ledgerCount(t.db, action), 1, action);
    }
  });

  it('integrity files: the discipline office only, every view on the ledger', async () => {
    assert.equal((await call('inspector', 'GET', `/integrity/${cast.gaOfficer}`)).statusCode, 403);
    const index = (await call('jw', 'GET', '/integrity')).json();
    assert.ok(index.items.some((p: { id: string }) => p.id === String(cast.gaOfficer)));
    const file = (await call('jw', 'GET', `/integrity/${cast.gaOfficer}`)).json();
    assert.equal(file.person.name, 'ga_officer');
    assert.deepEqual([file.alerts[0].case.kind, file.alerts[0].answer], ['rectify', '当天在处理群体诉求']);
    assert.equal(await ledgerCount(t.db, 'oversight.integrity.viewed'), 1);
    const me = (await call('jw', 'GET', '/integrity')).json();
    assert.ok(me.items.length >= 1);
  });

  it('refuses a rule that does not parse or is unbounded, naming the reason', async () => {
    const text = { nameZh: '测试', nameEn: 'Test', rationale: '理由', legalBasis: '依据', severity: 'red', scope: '全市' };
    const bad = await call('inspector', 'POST', '/rules', { code: 'bad-rule', ...text, definition: '{"kind":"count","when":{"actions":["a.b"]},"per":"actor","atLeast":3}' });
    assert.deepEqual([bad.statusCode, bad.json().code, bad.json().field], [400, 'oversight.rule.invalid', 'definition']);
    assert.match(bad.json().detail ?? JSON.stringify(bad.json()), /bounded/);
    const good = await call('inspector', 'POST', '/rules', { code: 'good-rule', ...text,
      definition: JSON.stringify({ kind: 'match', when: { actions: ['auth.login.admin'], afterHours: true } }) });
    assert.deepEqual([good.statusCode, good.json().activeVersion], [200, null]);
    const dry = (await call('inspector', 'POST', `/rules/${good.json().id}/test`, { version: 1, days: 30 })).json();
    assert.equal(dry.total, 0);
    assert.equal((await call('inspector', 'POST', `/rules/${good.json().id}/activate`, { version: 1 })).json().activeVersion, 1);
  });
});
