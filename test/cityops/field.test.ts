import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { deleteOldPositions } from '../../src/cityops/index.ts';
import { ledgerCount, makeDepartment, makeStaff } from '../helpers/factories.ts';
import { inGa } from './factories.ts';
import { casesAppPerFile, nearGa, photo } from './case-factories.ts';

const t = casesAppPerFile();
const rows = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
/** A check-in body at `where`, the fix taken half a minute ago. */
const arrival = (where: { lon: number; lat: number }, extra: Record<string, unknown> = {}) =>
  ({ clientId: crypto.randomUUID(), ...where, accuracy: 10, at: ago(0.5), ...extra });
const checkInCount = async (caseId: number) => Number((await rows('SELECT count(*)::int AS n FROM cityops_field_checkins WHERE case_id = $1', [caseId]))[0].n);

/** A case of 广安区 dispatched to 广安区综合执法局 (in 处置). */
async function handlingCase(): Promise<number> {
  const reported = await t.call('POST', '/cases/report', 'caiji', { kindCode: 'E0102', description: '路边暴露垃圾', ...inGa, accuracy: 5, photos: photo });
  const id = reported.json().id as number;
  await t.call('POST', `/cases/${id}/file`, 'jiandu', {});
  const dispatched = await t.call('POST', `/cases/${id}/dispatch`, 'zhihui', { departmentId: t.departments.gaUrban });
  assert.equal(dispatched.json().state, 'handling', dispatched.body);
  return id;
}

let caseId = 0;

test('a unit\'s worker takes a case in 处置; workers see only their own tasks; a case another holds is given on by the unit alone', async () => {
  for (const username of ['ga_worker', 'ga_worker2']) {
    t.users[username] = await makeStaff(t.db, { username, roles: ['officer'], departmentId: t.departments.gaUrban });
    t.cookies[username] = await t.login(username);
  }
  caseId = await handlingCase();
  const before = (await t.call('GET', '/field/tasks', 'ga_worker')).json();
  assert.deepEqual([before.items.length, before.available.map((x: { caseId: number }) => x.caseId)], [0, [caseId]]);
  const taken = await t.call('POST', `/cases/${caseId}/worker`, 'ga_worker', {});
  assert.equal(taken.statusCode, 200, taken.body);
  assert.deepEqual([taken.json().workerName, taken.json().abilities.handle], ['ga_worker', true]);
  assert.equal(await ledgerCount(t.db, 'cityops.case.worker-assigned'), 1);
  const other = await t.call('POST', `/cases/${caseId}/worker`, 'ga_worker2', {});
  assert.deepEqual([other.statusCode, other.json().code], [409, 'cityops.field.taken']);
  const theirs = (await t.call('GET', '/field/tasks', 'ga_worker2')).json();
  assert.deepEqual([theirs.items.length, theirs.available.length], [0, 0], 'another worker\'s task is neither theirs nor free');
  const mine = (await t.call('GET', '/field/tasks', 'ga_worker')).json();
  assert.deepEqual(mine.items.map((x: { caseId: number; step: string; checkIn: unknown }) => [x.caseId, x.step, x.checkIn]), [[caseId, 'handling', null]]);
  assert.equal((await t.call('GET', `/cases/${caseId}`, 'ga_cg')).json().abilities.handle, false, 'the unit desk leaves it to the worker');

  const notStaff = await t.call('POST', `/cases/${caseId}/worker`, 'ga_cg', { userId: t.users.caiji });
  assert.deepEqual([notStaff.statusCode, notStaff.json().field], [400, 'userId']);
  const givenOn = await t.call('POST', `/cases/${caseId}/worker`, 'ga_cg', { userId: t.users.ga_worker2 });
  assert.equal(givenOn.json().workerName, 'ga_worker2');
  await t.call('POST', `/cases/${caseId}/worker`, 'ga_cg', { userId: t.users.ga_worker });
  assert.equal((await t.call('POST', `/cases/${caseId}/worker`, 'yc_cg', {})).statusCode, 404, 'another county\'s unit does not see it');
  assert.equal((await t.call('GET', '/field/tasks', 'jiandu')).statusCode, 403, 'a centre has no field tasks');
});

test('到场签到: refused outside the fence with the distance, for a stale position or without the before-photo, nothing written; accepted inside', async () => {
  const far = { lon: inGa.lon + 0.01, lat: inGa.lat };
  const outside = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', arrival(far, { photos: photo }));
  assert.equal(outside.statusCode, 422, outside.body);
  const problem = outside.json();
  assert.deepEqual([problem.code, problem.field, problem.allowed], ['cityops.field.outside-fence', 'lon', 210]);
  assert.ok(problem.distance > 950 && problem.distance < 970, `distance ${problem.distance}`);
  assert.match(problem.title, /不在任务签到范围内/);
  const stale = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', arrival(nearGa, { at: ago(11), photos: photo }));
  assert.deepEqual([stale.statusCode, stale.json().code, stale.json().field, stale.json().ageMinutes], [400, 'cityops.field.stale-position', 'at', 11]);
  const noPhoto = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', arrival(nearGa));
  assert.deepEqual([noPhoto.statusCode, noPhoto.json().field], [400, 'photos']);
  const future = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', arrival(nearGa, { recordedAt: new Date(Date.now() + 10 * 60_000).toISOString(), photos: photo }));
  assert.deepEqual([future.statusCode, future.json().field], [400, 'recordedAt']);
  const notMine = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker2', arrival(nearGa, { photos: photo }));
  assert.equal(notMine.statusCode, 403);
  assert.equal(await checkInCount(caseId), 0);
  assert.equal(Number((await rows(`SELECT count(*)::int AS n FROM cityops_case_photos WHERE case_id = $1 AND step = 'arrive'`, [caseId]))[0].n), 0);

  const early = await t.call('POST', `/cases/${caseId}/handle`, 'ga_worker', { reply: '已清理', photos: photo });
  assert.deepEqual([early.statusCode, early.json().code], [409, 'cityops.field.not-arrived']);

  const body = arrival(nearGa, { photos: photo });
  const inside = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', body);
  assert.equal(inside.statusCode, 200, inside.body);
  const kept = inside.json();
  assert.deepEqual([kept.step, kept.distanceM, kept.allowedM, kept.late], ['handling', 48, 210, false]);
  assert.ok(Math.abs(new Date(kept.recordedAt).getTime() - Date.now()) < 5_000, 'checked in now');
  const again = await t.call('POST', `/cases/${caseId}/arrive`, 'ga_worker', body);
  assert.deepEqual([again.json().id, await checkInCount(caseId)], [kept.id, 1], 'the same check-in sent again is kept once');
  assert.equal(await ledgerCount(t.db, 'cityops.case.arrived'), 1);
  const task = (await t.call('GET', '/field/tasks', 'ga_worker')).json().items[0];
  assert.deepEqual([task.checkIn.id, task.checkIn.distanceM], [kept.id, 48]);

  assert.equal((await t.call('POST', `/cases/${caseId}/handle`, 'ga_cg', { reply: '已清理', photos: photo })).statusCode, 403, 'the worker handles it');
  const handled = await t.call('POST', `/cases/${caseId}/handle`, 'ga_worker', { reply: '已清理完毕', photos: photo, recordedAt: new Date().toISOString() });
  assert.equal(handled.statusCode, 200, handled.body);
  const detail = handled.json();
  assert.equal(detail.state, 'checking');
  assert.deepEqual(detail.photos.map((p: { step: string }) => p.step).sort(), ['arrive', 'handle', 'report']);
  assert.deepEqual(detail.events.map((e: { action: string }) => e.action), ['reported', 'filed', 'dispatched', 'worker-assigned', 'worker-assigned', 'worker-assigned',
    'arrived', 'handled']);
});

test('a check-in queued on the phone syncs later with its original time; the position\'s age and the late mark go by that time', async () => {
  // The 核查 is the reporter's (caiji); its step began an hour ago and ran out half an hour ago.
  await t.db.query(`UPDATE cityops_cases SET step_started_at = now() - interval '60 minutes', due_at = now() - interval '30 minutes' WHERE id = $1`, [caseId]);
  const tooEarly = await t.call('POST', `/cases/${caseId}/arrive`, 'caiji', arrival(nearGa, { recordedAt: ago(70), at: ago(71) }));
  assert.deepEqual([tooEarly.statusCode, tooEarly.json().code], [400, 'cityops.field.before-task']);
  const staleThen = await t.call('POST', `/cases/${caseId}/arrive`, 'caiji', arrival(nearGa, { recordedAt: ago(40), at: ago(52) }));
  assert.deepEqual([staleThen.statusCode, staleThen.json().field], [400, 'at'], 'a fix twelve minutes older than the check-in');
  const recordedAt = ago(40);
  const queued = await t.call('POST', `/cases/${caseId}/arrive`, 'caiji', arrival(nearGa, { recordedAt, at: ago(42) }));
  assert.equal(queued.statusCode, 200, queued.body);
  assert.deepEqual([queued.json().step, queued.json().recordedAt, queued.json().late], ['checking', recordedAt, false], 'on time: before the limit');
  assert.ok(new Date(queued.json().receivedAt).getTime() - new Date(recordedAt).getTime() > 39 * 60_000, 'received later');
  const late = await t.call('POST', `/cases/${caseId}/arrive`, 'caiji', arrival(nearGa, { recordedAt: ago(10), at: ago(11) }));
  assert.deepEqual([late.statusCode, late.json().late], [200, true], 'after the limit: 迟到');
  const history = await rows(`SELECT at FROM cityops_case_events WHERE case_id = $1 AND action = 'arrived' AND user_id = $2 ORDER BY id`, [caseId, t.users.caiji]);
  assert.equal((history[0].at as Date).toISOString(), recordedAt, 'the history keeps the original time');
});

test('在岗: positions only on duty; the centres see staff on duty with the latest position; off duty deletes them; the sweep keeps a day', async () => {
  const offDuty = await t.call('POST', '/field/positions', 'caiji', { ...inGa, accuracy: 5, at: ago(0.1) });
  assert.deepEqual([offDuty.statusCode, offDuty.json().code], [409, 'cityops.field.off-duty']);
  assert.equal((await t.call('PUT', '/field/duty', 'jiandu', { onDuty: true })).statusCode, 403, 'a centre\'s desk is no field work');
  const on = await t.call('PUT', '/field/duty', 'caiji', { onDuty: true });
  assert.deepEqual([on.statusCode, on.json().onDuty], [200, true]);
  await t.call('PUT', '/field/duty', 'ga_worker', { onDuty: true });
  assert.equal(await ledgerCount(t.db, 'cityops.field.on-duty'), 2);
  assert.equal((await t.call('POST', '/field/positions', 'caiji', { ...inGa, accuracy: 5, at: ago(1) })).statusCode, 200);
  const latest = await t.call('POST', '/field/positions', 'caiji', { ...nearGa, accuracy: 7, at: ago(0.1) });
  assert.equal(latest.statusCode, 200, latest.body);
  const stale = await t.call('POST', '/field/positions', 'caiji', { ...nearGa, at: ago(15) });
  assert.deepEqual([stale.statusCode, stale.json().field], [400, 'at']);

  const map = (await t.call('GET', '/field/on-duty', 'zhihui')).json().items as { name: string; position: { lon: number; accuracy: number } | null }[];
  assert.deepEqual(map.map((s) => [s.name, s.position?.lon ?? null, s.position?.accuracy ?? null]), [['caiji', nearGa.lon, 7], ['ga_worker', null, null]]);
  assert.equal((await t.call('GET', '/field/on-duty', 'caiji')).statusCode, 403, 'workers do not see each other');
  assert.equal((await t.call('GET', '/field/on-duty', 'ga_cg')).statusCode, 403, 'a handling unit\'s officer does not see the field staff');
  // 岳池县's own command centre sees 岳池县's staff: none of 广安区's, and its empty look logs nobody's position.
  const ycCommand = await makeDepartment(t.db, { name: '岳池县城市管理指挥中心', divisionCode: '511621000000', kind: 'city-command' });
  await makeStaff(t.db, { username: 'yc_zhihui', roles: ['officer'], departmentId: ycCommand });
  t.cookies.yc_zhihui = await t.login('yc_zhihui');
  const county = await t.call('GET', '/field/on-duty', 'yc_zhihui');
  assert.deepEqual([county.statusCode, county.json().items], [200, []]);
  // Whose positions were shown, and to whom, is on the ledger; not where they were.
  const { rows: viewed } = await t.db.query(`SELECT actor_id, object_id, purpose FROM ledger_queue WHERE action = 'cityops.field.positions-viewed'`);
  assert.deepEqual(viewed, [{ actor_id: String(t.users.zhihui), object_id: String(t.users.caiji), purpose: 'dispatching field work' }]);
  const capabilities = async (user: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: t.cookies[user]! } }))
    .json().user.capabilities as string[];
  assert.deepEqual([(await capabilities('zhihui')).includes('cityops.field.staff-map'), (await capabilities('caiji')).includes('cityops.field.staff-map')],
    [true, false], 'the map layer is offered to the centres only');

  const off = await t.call('PUT', '/field/duty', 'caiji', { onDuty: false });
  assert.equal(off.json().onDuty, false);
  assert.equal(Number((await rows('SELECT count(*)::int AS n FROM cityops_field_positions WHERE user_id = $1', [t.users.caiji]))[0].n), 0, 'deleted at once');
  assert.deepEqual((await t.call('GET', '/field/on-duty', 'zhihui')).json().items.map((s: { name: string }) => s.name), ['ga_worker']);

  // A day-old position of a worker on duty, a fresh one, and one left by a worker no longer on duty (as after a crash).
  await t.db.query(`INSERT INTO cityops_field_positions (user_id, lon, lat, at) VALUES ($1, $3, $4, now() - interval '25 hours'), ($1, $3, $4, now()), ($2, $3, $4, now())`,
    [t.users.ga_worker, t.users.caiji2, inGa.lon, inGa.lat]);
  assert.equal(await deleteOldPositions(t.db, new Date()), 2);
  assert.deepEqual(await rows('SELECT user_id::int AS "userId" FROM cityops_field_positions'), [{ userId: t.users.ga_worker }]);
});
