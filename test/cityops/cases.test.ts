import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { openCase, sweepCaseDeadlines } from '../../src/cityops/index.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { inGa, inYc } from './factories.ts';
import { casesAppPerFile, nearGa, photo } from './case-factories.ts';

const t = casesAppPerFile();
const report = { kindCode: 'E0102', description: '路边暴露垃圾约1平方米', ...inGa, accuracy: 12, photos: photo };
const rows = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows;
const caseCount = async () => Number((await rows('SELECT count(*)::int AS n FROM cityops_cases'))[0].n);

test('the loop: 上报 → 立案 → 派遣 by the catalogue → 处置 → 核查 back → 处置 → 核查 pass → 结案 → 评价, each a history row and a ledger entry', async () => {
  const reported = await t.call('POST', '/cases/report', 'caiji', report);
  assert.equal(reported.statusCode, 201, reported.body);
  const c = reported.json();
  assert.deepEqual([c.state, c.source, c.kindNameZh, c.gridCode, c.divisionCode, c.reporterName], ['filing', 'patrol', '暴露垃圾', 'G-GA-1', '511602001000', 'caiji']);
  assert.match(c.code, /^\d{8}\d{6}$/);
  assert.equal(c.photos.length, 1);
  assert.deepEqual(c.positions.map((p: { mine: boolean; lon: number }) => [p.mine, p.lon]), [[true, inGa.lon]], 'the worker sees their own position');
  const seen = (await t.call('GET', `/cases/${c.id}`, 'jiandu')).json();
  assert.deepEqual(seen.positions.map((p: { mine: boolean; lon: number | null; distanceM: number }) => [p.mine, p.lon, p.distanceM]), [[false, null, 0]],
    'others see the distance only');
  assert.equal(seen.filingCondition, '道路、广场等公共区域有暴露垃圾，面积 0.5 平方米以上或袋装垃圾 3 袋以上');
  assert.deepEqual([seen.abilities.file, seen.abilities.dispatch], [true, false]);

  const filed = await t.call('POST', `/cases/${c.id}/file`, 'jiandu', { note: '符合立案条件' });
  assert.equal(filed.json().state, 'dispatching');
  assert.equal(filed.json().route, null, 'no rule yet');
  const noRoute = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {});
  assert.deepEqual([noRoute.statusCode, noRoute.json().code, noRoute.json().field], [400, 'cityops.case.no-route', 'departmentId']);
  // The settings are the command centre's: neither the unit nor the supervision centre changes them.
  for (const user of ['ga_cg', 'jiandu']) {
    const refused = [
      await t.call('PUT', '/dispatch-rules', user, { divisionCode: '511602000000', kindCode: 'E0102', departmentId: t.departments.gaUrban }),
      await t.call('PATCH', '/case-kinds/E0102', user, { urgentHours: 1 }),
      await t.call('PUT', '/hotline-categories', user, { categoryCode: 'CG-WZJS', kindCode: 'E0101', auto: true }),
    ];
    assert.deepEqual(refused.map((r) => r.statusCode), [403, 403, 403], user);
  }
  assert.equal((await t.call('GET', '/dispatch-rules?kindCode=E0102', 'zhihui')).json().items.length, 0, 'nothing written');
  const rule = await t.call('PUT', '/dispatch-rules', 'zhihui', { divisionCode: '511602000000', kindCode: 'E0102', departmentId: t.departments.gaUrban });
  assert.equal(rule.statusCode, 200, rule.body);
  assert.deepEqual((await t.call('GET', `/cases/${c.id}`, 'zhihui')).json().route, { departmentId: Number(t.departments.gaUrban), departmentName: '广安区综合执法局', by: 'catalogue' });
  const dispatched = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {});
  assert.deepEqual([dispatched.json().state, dispatched.json().departmentName], ['handling', '广安区综合执法局']);
  const calendar = await loadCalendar(t.db);
  const d = dispatched.json();
  assert.equal(new Date(d.handleDueAt).getTime(), calendar.addWorkingHours(new Date(d.stepStartedAt), 4).due.getTime(), '暴露垃圾: 4 working hours');

  assert.equal((await t.call('POST', `/cases/${c.id}/handle`, 'yc_cg', { reply: '已清理', photos: photo })).statusCode, 404, 'another county\'s unit cannot see it');
  const noPhoto = await t.call('POST', `/cases/${c.id}/handle`, 'ga_cg', { reply: '已清理', photos: [] });
  assert.deepEqual([noPhoto.statusCode, noPhoto.json().field], [400, 'photos'], 'an after-photo is required');
  const handled = await t.call('POST', `/cases/${c.id}/handle`, 'ga_cg', { reply: '已清理', photos: photo });
  assert.deepEqual([handled.json().state, handled.json().assigneeName], ['checking', 'caiji'], 'the reporter checks');
  const back = await t.call('POST', `/cases/${c.id}/check`, 'caiji', { passed: false, note: '仍有少量垃圾', ...nearGa, photos: photo });
  assert.deepEqual([back.json().state, back.json().reworkCount], ['handling', 1]);
  await t.call('POST', `/cases/${c.id}/handle`, 'ga_cg', { reply: '已彻底清理', photos: photo });
  const passed = await t.call('POST', `/cases/${c.id}/check`, 'caiji', { passed: true, ...nearGa, photos: photo });
  assert.equal(passed.json().state, 'closing');
  const closed = await t.call('POST', `/cases/${c.id}/close`, 'jiandu', {});
  assert.deepEqual([closed.json().state, closed.json().outcome], ['closed', 'closed']);
  const rated = await t.call('POST', `/cases/${c.id}/evaluate`, 'zhihui', { rating: 4, comment: '处置及时' });
  assert.deepEqual([rated.json().rating, rated.json().abilities.evaluate], [4, false]);
  assert.equal((await t.call('POST', `/cases/${c.id}/evaluate`, 'zhihui', { rating: 5 })).statusCode, 409);

  assert.deepEqual(rated.json().events.map((e: { action: string }) => e.action),
    ['reported', 'filed', 'dispatched', 'handled', 'check-failed', 'handled', 'check-passed', 'closed', 'evaluated']);
  const { rows: ledger } = await t.db.query(`SELECT action FROM ledger_queue WHERE object_type = 'cityops-case' AND object_id = $1 ORDER BY id`, [String(c.id)]);
  assert.deepEqual(ledger.map((r) => r.action), ['cityops.case.reported', 'cityops.case.filed', 'cityops.case.dispatched', 'cityops.case.handled',
    'cityops.case.check-failed', 'cityops.case.handled', 'cityops.case.check-passed', 'cityops.case.closed', 'cityops.case.evaluated']);

  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const evaluation = (await t.call('GET', `/case-evaluation?month=${month}`, 'zhihui')).json();
  const unit = evaluation.units.find((u: { departmentId: number }) => u.departmentId === Number(t.departments.gaUrban));
  assert.deepEqual([unit.dispatched, unit.handled, unit.checks, unit.checksPassed, unit.reworkRate, unit.checkPassRate], [1, 2, 2, 1, 0.5, 0.5]);
  const worker = evaluation.workers.find((w: { userId: number }) => w.userId === t.users.caiji);
  assert.deepEqual([worker.reports, worker.reportsFiled, worker.checks], [1, 1, 2]);
  assert.equal((await t.call('GET', `/case-evaluation?month=${month}`, 'caiji')).statusCode, 403, 'workers do not read the evaluation');
});

test('bad input: a photo that is not an image, a forbidden transition, a unit outside the area: a clear error and nothing written', async () => {
  const [cases, ledger] = [await caseCount(), await ledgerCount(t.db, 'cityops.case.reported')];
  const notImage = await t.call('POST', '/cases/report', 'caiji', { ...report, photos: [photo[0], { data: Buffer.from('%PDF-1.4 not a photo').toString('base64') }] });
  assert.deepEqual([notImage.statusCode, notImage.json().code, notImage.json().field], [400, 'cityops.photo.not-image', 'photos.1']);
  assert.deepEqual([await caseCount(), await ledgerCount(t.db, 'cityops.case.reported'), (await rows('SELECT count(*)::int AS n FROM cityops_case_photos WHERE case_id IS NULL'))[0].n],
    [cases, ledger, 0]);

  const c = (await t.call('POST', '/cases/report', 'caiji', report)).json();
  const early = await t.call('POST', `/cases/${c.id}/close`, 'jiandu', {});
  assert.deepEqual([early.statusCode, early.json().code, early.json().field, early.json().state], [409, 'cityops.case.bad-transition', 'state', 'filing']);
  await t.call('POST', `/cases/${c.id}/file`, 'jiandu', {});
  const events = (await rows('SELECT count(*)::int AS n FROM cityops_case_events WHERE case_id = $1', [c.id]))[0].n;
  const outside = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', { departmentId: t.departments.ycUrban });
  assert.deepEqual([outside.statusCode, outside.json().code, outside.json().field], [400, 'cityops.case.unit-outside-area', 'departmentId']);
  const desk = await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', { departmentId: t.desks.patrol });
  assert.deepEqual([desk.statusCode, desk.json().code], [400, 'cityops.case.not-a-unit']);
  const after = (await t.call('GET', `/cases/${c.id}`, 'zhihui')).json();
  assert.deepEqual([after.state, after.departmentId, after.events.length], ['dispatching', null, events]);
  const wrongKind = await t.call('POST', '/cases/report', 'caiji', { ...report, kindCode: 'E0999' });
  assert.deepEqual([wrongKind.statusCode, wrongKind.json().field], [400, 'kindCode']);
  const outsideGrids = await t.call('POST', '/cases/report', 'caiji', { ...report, lon: 100, lat: 20 });
  assert.deepEqual([outsideGrids.statusCode, outsideGrids.json().code], [400, 'cityops.case.outside-grids']);
});

test('desks and scope: each desk its own steps; a patrol worker sees only own cases and tasks; a unit only what it was sent', async () => {
  const c = (await t.call('POST', '/cases/report', 'caiji', report)).json();
  const notDesk = await t.call('POST', `/cases/${c.id}/file`, 'zhihui', {});
  assert.deepEqual([notDesk.statusCode, notDesk.json().code], [403, 'cityops.case.not-desk']);
  assert.equal((await t.call('POST', '/cases/report', 'zhihui', report)).statusCode, 403, 'the command centre does not patrol');
  assert.equal((await t.call('POST', '/cases/report', 'ga_officer', report)).statusCode, 403);
  const ids = async (user: string, query = '') => (await t.call('GET', `/cases?pageSize=200${query}`, user)).json().items.map((x: { id: number }) => x.id);
  assert.ok((await ids('caiji')).includes(c.id));
  assert.deepEqual(await ids('caiji2'), [], 'another worker sees none of them');
  assert.equal((await t.call('GET', `/cases/${c.id}`, 'caiji2')).statusCode, 404);
  assert.ok(!(await ids('ga_cg')).includes(c.id), 'not dispatched yet');
  assert.ok((await ids('jiandu')).includes(c.id));
  assert.ok((await ids('inspector')).includes(c.id));
  assert.deepEqual(await ids('yc_cg'), []);
});

test('a public report is verified on site by a patrol worker of the area before 立案; off site is refused; 不予立案 needs a reason', async () => {
  const opened = await t.call('POST', '/cases', 'zhihui', { source: 'public', sourceRef: '群众来电', kindCode: 'E0501', description: '早餐摊占道经营', ...inGa });
  assert.equal(opened.statusCode, 201, opened.body);
  const c = opened.json();
  assert.equal(c.state, 'verifying');
  const assignee = c.assigneeUserId;
  assert.ok([t.users.caiji, t.users.caiji2].includes(assignee));
  const worker = assignee === t.users.caiji ? 'caiji' : 'caiji2';
  const other = worker === 'caiji' ? 'caiji2' : 'caiji';
  assert.equal((await t.call('POST', `/cases/${c.id}/verify`, other, { found: true, ...nearGa, photos: photo })).statusCode, 404, 'not their task, not visible');
  const far = await t.call('POST', `/cases/${c.id}/verify`, worker, { found: true, ...inYc, photos: photo });
  assert.deepEqual([far.statusCode, far.json().code, far.json().field], [400, 'cityops.case.not-on-site', 'lon']);
  const verified = await t.call('POST', `/cases/${c.id}/verify`, worker, { found: true, ...nearGa, photos: photo });
  assert.equal(verified.statusCode, 200, verified.body);
  assert.deepEqual([verified.json().state, verified.json().assigneeUserId], ['filing', null]);
  assert.equal(verified.json().positions[0].distanceM, 48);
  assert.equal((await t.call('POST', `/cases/${c.id}/refuse`, 'jiandu', { reason: '' })).statusCode, 400);
  const refused = await t.call('POST', `/cases/${c.id}/refuse`, 'jiandu', { reason: '已由属地街道处理' });
  assert.deepEqual([refused.json().state, refused.json().outcome, refused.json().reason], ['rejected', 'not-filed', '已由属地街道处理']);
});

test('dispatch follows component ownership first; a sensor event opens a case (index.openCase); limits round the clock', async () => {
  const cover = '5116020102000009';
  await t.call('POST', '/components', 'admin', { code: cover, ...inGa, ownerDepartmentId: t.departments.gaWater, competentDepartmentId: t.departments.gaUrban });
  await t.call('PUT', '/dispatch-rules', 'zhihui', { divisionCode: '511602000000', kindCode: 'C0102', departmentId: t.departments.gaUrban });
  const at = new Date();
  const c = await withTransaction(t.db, (tx) => openCase({ tx, actor: systemActor('sensors'), now: at },
    { source: 'sensor', sourceRef: 'manhole-7:tilt', kindCode: 'C0102', urgency: 'urgent', ...inGa, componentCode: cover, description: '井盖倾斜传感器报警' }));
  assert.deepEqual([c.state, c.source, c.componentCode], ['filing', 'sensor', cover]);
  assert.equal(c.dueAt!.getTime(), at.getTime() + 3_600_000, 'an urgent cover: every step round the clock (立案 1 h)');
  await t.call('POST', `/cases/${c.id}/file`, 'jiandu', {});
  const dispatched = (await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', {})).json();
  assert.equal(dispatched.departmentName, '广安区水务局', 'the owner, not the catalogue');
  const due = new Date(dispatched.handleDueAt).getTime() - new Date(dispatched.stepStartedAt).getTime();
  assert.equal(due, 2 * 3_600_000, 'made safe in 2 hours, round the clock');
  const staffSensor = await t.call('POST', '/cases', 'zhihui', { source: 'sensor', kindCode: 'C0102', description: 'x', ...inGa });
  assert.equal(staffSensor.statusCode, 400, 'staff do not post sensor events');
});

test('the deadline sweep warns before the limit and marks 督办 after, once each, on the ledger', async () => {
  const c = (await t.call('POST', '/cases/report', 'caiji', report)).json();
  const warnAt = new Date(c.warnAt);
  const dueAt = new Date(c.dueAt);
  assert.ok(warnAt < dueAt);
  const before = [await ledgerCount(t.db, 'cityops.case.warned'), await ledgerCount(t.db, 'cityops.case.supervised')];
  await sweepCaseDeadlines(t.db, new Date(warnAt.getTime() + 1000));
  const warned = (await t.call('GET', `/cases/${c.id}`, 'jiandu')).json();
  assert.ok(warned.warnedAt !== null && warned.supervisedAt === null);
  await sweepCaseDeadlines(t.db, new Date(dueAt.getTime() + 1000));
  await sweepCaseDeadlines(t.db, new Date(dueAt.getTime() + 2000));
  const late = (await t.call('GET', `/cases/${c.id}`, 'jiandu')).json();
  assert.ok(late.supervisedAt !== null);
  assert.deepEqual(late.events.map((e: { action: string }) => e.action), ['reported', 'warned', 'supervised']);
  const alerted = (await t.call('GET', '/cases?alerted=true&pageSize=200', 'jiandu')).json().items.map((x: { id: number }) => x.id);
  assert.ok(alerted.includes(c.id));
  assert.ok(await ledgerCount(t.db, 'cityops.case.warned') > before[0]!);
  assert.ok(await ledgerCount(t.db, 'cityops.case.supervised') > before[1]!);
  const filed = (await t.call('POST', `/cases/${c.id}/file`, 'jiandu', {})).json();
  assert.deepEqual([filed.warnedAt, filed.supervisedAt], [null, null], 'a new step starts a new clock');
});
