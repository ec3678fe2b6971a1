import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { sweepCaseDeadlines } from '../../src/cityops/index.ts';
import { ledgerCount, makeDepartment, makeStaff } from '../helpers/factories.ts';
import { casesAppPerFile } from './case-factories.ts';
import { inGa } from './factories.ts';

// G-GA-1 (广安区 浓洄街道) spans longitudes 106.60–106.62; beside it, a grid of 前锋区 from 106.62 to 106.64.
const t = casesAppPerFile();
const onLine = { lon: 106.6198, lat: 30.46 }; // about 19 m west of the county line, in 广安区
const qf: { urban: number } = { urban: 0 };
const rows = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows;
const disputeRows = async () => Number((await rows('SELECT count(*)::int AS n FROM cityops_disputes'))[0].n);
const ruleRows = async () => Number((await rows('SELECT count(*)::int AS n FROM cityops_jurisdiction_rules'))[0].n);

async function setup() {
  if (qf.urban) return;
  await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('511603000000', '前锋区', 'county', '511600000000'),
    ('511603001000', '前锋街道', 'township', '511603000000') ON CONFLICT DO NOTHING`);
  await t.db.query(`INSERT INTO grids (code, name, division_code, geometry) VALUES ('G-QF-1', '前锋1号网格', '511603001000', $1)`,
    [JSON.stringify({ type: 'Polygon', coordinates: [[[106.62, 30.45], [106.64, 30.45], [106.64, 30.47], [106.62, 30.47], [106.62, 30.45]]] })]);
  qf.urban = await makeDepartment(t.db, { name: '前锋区综合执法局', divisionCode: '511603000000', kind: 'urban-management' });
  await makeStaff(t.db, { username: 'qf_cg', roles: ['officer'], departmentId: qf.urban });
  await makeStaff(t.db, { username: 'ga_sw', roles: ['officer'], departmentId: t.departments.gaWater });
  for (const user of ['qf_cg', 'ga_sw']) t.cookies[user] = await t.login(user);
  for (const [divisionCode, departmentId] of [['511602000000', t.departments.gaUrban], ['511603000000', qf.urban]] as const)
    assert.equal((await t.call('PUT', '/dispatch-rules', 'zhihui', { divisionCode, kindCode: 'E0102', departmentId })).statusCode, 200);
}

/** A case the command centre opens and the supervision centre files: it waits for 派遣. */
async function filedCase(at: { lon: number; lat: number }, extra: Record<string, unknown> = {}) {
  const opened = await t.call('POST', '/cases', 'zhihui', { source: 'command', kindCode: 'E0102', description: '路边暴露垃圾', ...at, ...extra });
  assert.equal(opened.statusCode, 201, opened.body);
  const filed = await t.call('POST', `/cases/${opened.json().id}/file`, 'jiandu', {});
  assert.equal(filed.json().state, 'dispatching', filed.body);
  return filed.json();
}

const ledgerOf = async (type: string, id: number) =>
  (await rows('SELECT action FROM ledger_queue WHERE object_type = $1 AND object_id = $2 ORDER BY id', [type, String(id)]))
    .map((r) => r.action as string);

test('a point on the county line: 派遣 opens a dispute with both units; the decision dispatches across the line and becomes a rule that routes the next case at once', async () => {
  await setup();
  const c = await filedCase(onLine);
  assert.equal(c.route, null, 'two units could own it: no route is suggested');
  const dispatched = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {});
  assert.equal(dispatched.statusCode, 200, dispatched.body);
  const d = dispatched.json();
  assert.deepEqual([d.state, d.departmentId, d.abilities.dispatch, typeof d.disputeId], ['dispatching', null, false, 'number']);
  assert.equal(d.events.at(-1).action, 'disputed');
  assert.equal(d.events.at(-1).note, '前锋区综合执法局、广安区综合执法局');
  const calendar = await loadCalendar(t.db);
  assert.equal(new Date(d.dueAt).getTime(), calendar.addWorkingHours(new Date(d.events.at(-1).at), 4).due.getTime(), 'the case\'s clock runs to the decision\'s limit');

  const again = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', { departmentId: t.departments.gaUrban });
  assert.deepEqual([again.statusCode, again.json().code, again.json().field], [409, 'cityops.case.disputed', 'state'], 'the dispute is decided, not bypassed');

  const queue = (await t.call('GET', '/disputes?state=open', 'zhihui')).json();
  const listed = queue.items.find((x: { caseId: number }) => x.caseId === c.id);
  assert.deepEqual([listed.reasons, listed.candidates.map((x: { name: string }) => x.name).sort(), listed.gridCodes, listed.abilities.decide, listed.overdue],
    [['boundary'], ['前锋区综合执法局', '广安区综合执法局'], ['G-GA-1', 'G-QF-1'], true, false]);
  const detail = (await t.call('GET', `/disputes/${listed.id}`, 'zhihui')).json();
  assert.deepEqual(detail.grids.features.map((f: { properties: { code: string; countyName: string } }) => [f.properties.code, f.properties.countyName]),
    [['G-GA-1', '广安区'], ['G-QF-1', '前锋区']]);
  assert.equal(detail.grids.features[1].geometry.type, 'Polygon');
  assert.equal(detail.component, null);
  assert.equal((await t.call('GET', `/disputes/${listed.id}`, 'inspector')).statusCode, 200, 'overseers read the queue');
  assert.equal((await t.call('GET', `/disputes/${listed.id}`, 'inspector')).json().abilities.decide, false);
  assert.equal((await t.call('GET', '/disputes', 'ga_cg')).statusCode, 403, 'a unit does not read the queue');

  // Bad input: a clear error naming the field, nothing written.
  const [disputes, rules, decided, dispatchedCount] = [await disputeRows(), await ruleRows(), await ledgerCount(t.db, 'cityops.dispute.decided'),
    await ledgerCount(t.db, 'cityops.case.dispatched')];
  const refusals = [
    [{ departmentId: t.departments.ycUrban, reason: '岳池' }, 400, 'cityops.case.unit-outside-area', 'departmentId'],
    [{ departmentId: t.desks.command, reason: '自办' }, 400, 'cityops.case.not-a-unit', 'departmentId'],
    [{ departmentId: 999_999, reason: '不存在' }, 400, 'cityops.case.unknown-department', 'departmentId'],
    [{ departmentId: qf.urban, reason: '   ' }, 400, 'cityops.case.reason-required', 'reason'],
    [{ departmentId: qf.urban, reason: '按部件', rule: { scope: 'component' } }, 400, 'cityops.dispute.rule-component', 'rule.scope'],
    [{ departmentId: qf.urban, reason: '按网格', rule: { scope: 'grid' } }, 400, 'cityops.dispute.rule-grid', 'rule.scope'],
    [{ departmentId: qf.urban, reason: '半径', rule: { scope: 'place', radiusM: 5 } }, 400, 'validation', 'rule.radiusM'],
    [{ departmentId: qf.urban }, 400, 'validation', 'reason'],
  ] as const;
  for (const [body, status, code, field] of refusals) {
    const r = await t.call('POST', `/disputes/${listed.id}/decide`, 'zhihui', body);
    assert.deepEqual([r.statusCode, r.json().code, r.json().field], [status, code, field], JSON.stringify(body));
  }
  const byUnit = await t.call('POST', `/disputes/${listed.id}/decide`, 'ga_cg', { departmentId: t.departments.gaUrban, reason: '我局负责' });
  assert.equal(byUnit.statusCode, 403, 'a candidate unit does not decide');
  const bySupervision = await t.call('POST', `/disputes/${listed.id}/decide`, 'jiandu', { departmentId: qf.urban, reason: '监督中心' });
  assert.deepEqual([bySupervision.statusCode, bySupervision.json().code], [403, 'cityops.case.not-desk']);
  assert.deepEqual([await disputeRows(), await ruleRows(), await ledgerCount(t.db, 'cityops.dispute.decided'), await ledgerCount(t.db, 'cityops.case.dispatched')],
    [disputes, rules, decided, dispatchedCount]);
  assert.equal((await t.call('GET', `/cases/${c.id}`, 'zhihui')).json().state, 'dispatching');

  const decision = await t.call('POST', `/disputes/${listed.id}/decide`, 'zhihui',
    { departmentId: qf.urban, reason: '该路段由前锋区负责清扫', rule: { scope: 'place', radiusM: 50 } });
  assert.equal(decision.statusCode, 200, decision.body);
  const x = decision.json();
  assert.deepEqual([x.state, x.decidedDepartmentName, x.decisionReason, x.placedGridCode, typeof x.ruleId, x.abilities.decide],
    ['decided', '前锋区综合执法局', '该路段由前锋区负责清扫', 'G-QF-1', 'number', false]);
  const moved = (await t.call('GET', `/cases/${c.id}`, 'qf_cg')).json();
  assert.deepEqual([moved.state, moved.departmentName, moved.gridCode, moved.divisionCode, moved.disputeId], ['handling', '前锋区综合执法局', 'G-QF-1', '511603001000', null],
    'dispatched at once, placed in the grid of the unit that serves it, and seen by that unit');
  assert.equal((await t.call('POST', `/disputes/${listed.id}/decide`, 'zhihui', { departmentId: qf.urban, reason: '再次' })).statusCode, 409);

  const ruleList = (await t.call('GET', '/jurisdiction-rules', 'zhihui')).json().items;
  const rule = ruleList.find((r: { id: number }) => r.id === x.ruleId);
  assert.deepEqual([rule.scope, rule.kindCode, rule.radiusM, rule.lon, rule.departmentName, rule.homeGridCode, rule.disputeId, rule.abilities.retire],
    ['place', 'E0102', 50, onLine.lon, '前锋区综合执法局', 'G-QF-1', listed.id, true]);

  assert.deepEqual(await ledgerOf('cityops-dispute', listed.id), ['cityops.dispute.opened', 'cityops.dispute.decided']);
  assert.deepEqual(await ledgerOf('jurisdiction-rule', x.ruleId), ['cityops.jurisdiction-rule.created']);
  assert.deepEqual(await ledgerOf('cityops-case', c.id), ['cityops.case.opened', 'cityops.case.filed', 'cityops.case.dispatched']);
  const step = moved.events.find((e: { action: string }) => e.action === 'dispatched');
  assert.deepEqual([step.departmentName, step.note, step.actorName], ['前锋区综合执法局', '该路段由前锋区负责清扫', 'zhihui']);

  // The next case a few metres away routes by the rule, without a dispute.
  const next = await filedCase({ lon: onLine.lon + 0.0001, lat: onLine.lat + 0.0001 });
  assert.deepEqual(next.route, { departmentId: qf.urban, departmentName: '前锋区综合执法局', by: 'rule' });
  const before = await disputeRows();
  const routed = (await t.call('POST', `/cases/${next.id}/dispatch`, 'zhihui', {})).json();
  assert.deepEqual([routed.state, routed.departmentName, routed.divisionCode, await disputeRows()], ['handling', '前锋区综合执法局', '511603001000', before]);

  // Retired, the rule routes no more: the next case on the line is disputed again.
  const retired = await t.call('POST', `/jurisdiction-rules/${x.ruleId}/retire`, 'zhihui', { reason: '道路改建，重新划分' });
  assert.deepEqual([retired.statusCode, retired.json().retiredReason, retired.json().abilities.retire], [200, '道路改建，重新划分', false]);
  assert.equal((await t.call('POST', `/jurisdiction-rules/${x.ruleId}/retire`, 'zhihui', { reason: '再次' })).statusCode, 409);
  assert.deepEqual(await ledgerOf('jurisdiction-rule', x.ruleId), ['cityops.jurisdiction-rule.created', 'cityops.jurisdiction-rule.retired']);
  const third = await filedCase(onLine);
  assert.equal((await t.call('POST', `/cases/${third.id}/dispatch`, 'zhihui', {})).json().state, 'dispatching');
  assert.equal(await disputeRows(), before + 1);
});

test('a case two units return goes to the queue; overdue, the sweep marks 督办; whoever returned it does not decide', async () => {
  await setup();
  const c = await filedCase(inGa);
  assert.equal((await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {})).json().departmentName, '广安区综合执法局', 'away from any line: the catalogue');
  const first = await t.call('POST', `/cases/${c.id}/return`, 'admin', { reason: '属于水务管辖' });
  assert.deepEqual([first.json().state, first.json().disputeId], ['dispatching', null], 'one return is no dispute');
  const toWater = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', { departmentId: t.departments.gaWater });
  assert.deepEqual([toWater.statusCode, toWater.json().departmentName], [200, '广安区水务局'], toWater.body);
  // The unit no longer sees the case it handed back: the answer is a 404, and the centre reads what happened.
  assert.equal((await t.call('POST', `/cases/${c.id}/return`, 'ga_sw', { reason: '不属于水务，应由执法局处理' })).statusCode, 404);
  const second = await t.call('GET', `/cases/${c.id}`, 'zhihui');
  assert.deepEqual([second.json().state, typeof second.json().disputeId, second.json().events.map((e: { action: string }) => e.action).slice(-2)],
    ['dispatching', 'number', ['returned', 'disputed']]);
  const id = second.json().disputeId;
  const detail = (await t.call('GET', `/disputes/${id}`, 'zhihui')).json();
  assert.deepEqual(detail.reasons, ['returned']);
  assert.deepEqual(detail.candidates.map((x: { name: string; returned: boolean }) => [x.name, x.returned]),
    [['广安区综合执法局', true], ['广安区水务局', true]]);
  assert.deepEqual(detail.returns.map((r: { departmentName: string; note: string }) => [r.departmentName, r.note]),
    [['广安区综合执法局', '属于水务管辖'], ['广安区水务局', '不属于水务，应由执法局处理']]);

  const supervised = await sweepCaseDeadlines(t.db, new Date(new Date(detail.dueAt).getTime() + 1000));
  assert.ok(supervised >= 1);
  const late = (await t.call('GET', '/disputes?state=open', 'zhihui')).json().items.find((x: { id: number }) => x.id === id);
  assert.deepEqual([late.overdue, late.supervisedAt !== null], [false, true], 'the sweep marked 督办 at the limit (now is before it)');

  const byReturner = await t.call('POST', `/disputes/${id}/decide`, 'admin', { departmentId: t.departments.gaUrban, reason: '执法局负责' });
  assert.deepEqual([byReturner.statusCode, byReturner.json().code], [403, 'cityops.dispute.own-return']);
  // A platform administrator who sits in one of the candidate units may decide other disputes, not this one.
  await makeStaff(t.db, { username: 'ga_sw_admin', roles: ['platform_admin'], departmentId: t.departments.gaWater });
  t.cookies.ga_sw_admin = await t.login('ga_sw_admin');
  const byCandidate = await t.call('POST', `/disputes/${id}/decide`, 'ga_sw_admin', { departmentId: t.departments.gaWater, reason: '水务局负责' });
  assert.deepEqual([byCandidate.statusCode, byCandidate.json().code], [403, 'cityops.dispute.own-candidate']);
  const decided = await t.call('POST', `/disputes/${id}/decide`, 'zhihui', { departmentId: t.departments.gaUrban, reason: '暴露垃圾属执法局职责' });
  assert.deepEqual([decided.statusCode, decided.json().ruleId, decided.json().placedGridCode], [200, null, null]);
  const handled = (await t.call('GET', `/cases/${c.id}`, 'ga_cg')).json();
  assert.deepEqual([handled.state, handled.departmentName, handled.supervisedAt], ['handling', '广安区综合执法局', null]);
  assert.deepEqual(await ledgerOf('cityops-dispute', id), ['cityops.dispute.opened', 'cityops.dispute.decided']);
});

test('a component without 权属: a dispute with the component record; a component rule routes its next case', async () => {
  await setup();
  const code = '5116020102000777';
  const made = await t.call('POST', '/components', 'admin', { code, ...inGa, address: '浓洄街道 无主井盖' });
  assert.equal(made.statusCode, 201, made.body);
  await t.call('PUT', '/dispatch-rules', 'zhihui', { divisionCode: '511602000000', kindCode: 'C0102', departmentId: t.departments.gaWater });
  const c = await filedCase(inGa, { kindCode: 'C0102', componentCode: code, description: '井盖破损' });
  assert.equal(c.route, null);
  const d = (await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {})).json();
  const detail = (await t.call('GET', `/disputes/${d.disputeId}`, 'zhihui')).json();
  assert.deepEqual([detail.reasons, detail.candidates.map((x: { name: string }) => x.name), detail.componentCode], [['no-owner'], ['广安区水务局'], code]);
  assert.deepEqual([detail.component.code, detail.component.kindNameZh, detail.component.ownerName, detail.component.address], [code, '污水井盖', null, '浓洄街道 无主井盖']);
  const decided = await t.call('POST', `/disputes/${d.disputeId}/decide`, 'zhihui',
    { departmentId: t.departments.gaWater, reason: '井盖接入市政污水管网，由水务局管养', rule: { scope: 'component' } });
  assert.equal(decided.statusCode, 200, decided.body);
  const rule = (await t.call('GET', '/jurisdiction-rules', 'zhihui')).json().items.find((r: { id: number }) => r.id === decided.json().ruleId);
  assert.deepEqual([rule.scope, rule.componentCode, rule.kindCode, rule.departmentName], ['component', code, 'C0102', '广安区水务局']);
  const next = await filedCase(inGa, { kindCode: 'C0102', componentCode: code, description: '井盖又松动' });
  assert.deepEqual(next.route, { departmentId: t.departments.gaWater, departmentName: '广安区水务局', by: 'rule' });
  assert.equal((await t.call('POST', `/cases/${next.id}/dispatch`, 'zhihui', {})).json().departmentName, '广安区水务局');
});
