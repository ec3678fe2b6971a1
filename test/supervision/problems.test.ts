import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { openProblem } from '../../src/supervision/index.ts';
import {
  addStep, analyseProblem, listProblems, preventProblem, problemStats, registerProblem, reviewProblem, submitProblem, sweepChecks, viewProblem,
} from '../../src/supervision/problems.ts';
import { addList, listLists } from '../../src/supervision/lists.ts';
import { readAttachment } from '../../src/supervision/attachments.ts';
import { ledgerCount, png, refusal, run, supervisionCityPerFile } from './factories.ts';

const t = supervisionCityPerFile();

const problem = (over: Record<string, unknown> = {}) => ({
  source: 'inspection' as const, title: '低保资格复核超期', description: '部分低保对象年度复核超期', listId: t.city.lists['supervision-check']!,
  departmentId: t.city.gaCivil, kind: 'civil-aid-review', dueDays: 10, ...over,
});

test('a problem runs the whole loop: list, root cause, steps with evidence, acceptance by another department, prevention', async () => {
  const { leader, officer, colleague, ycOfficer } = t.city.actors;
  const opened = await run(t.db, leader, registerProblem, problem());
  assert.equal(opened.state, 'registered');
  assert.match(opened.number, /^WT\d{4}-\d{5}$/);
  assert.equal(opened.divisionCode, '511602000000');
  // The deadline is counted in working days by the kernel calendar.
  const calendar = await loadCalendar(t.db);
  assert.equal(calendar.workingDaysBetween(opened.openedAt, opened.due), 10);

  await assert.rejects(run(t.db, officer, addStep, { id: opened.id, description: '整改', attachments: [png] }), refusal('supervision.problem.analysis-first', 409, 'state'));
  await assert.rejects(run(t.db, ycOfficer, analyseProblem, { id: opened.id, whys: ['为什么'], causeCategory: 'process', rootCause: 'x' }),
    refusal('supervision.problem.not-found', 404));
  await assert.rejects(run(t.db, officer, analyseProblem, { id: opened.id, whys: [' '], causeCategory: 'process', rootCause: '职责不清' }), refusal('validation', 400, 'whys.0'));
  const analysed = await run(t.db, officer, analyseProblem, { id: opened.id, whys: ['为什么超期？人手不足', '为什么人手不足？未统筹'], causeCategory: 'capacity', rootCause: '统筹不足' });
  assert.deepEqual(analysed.analysis, { whys: ['为什么超期？人手不足', '为什么人手不足？未统筹'], causeCategory: 'capacity', rootCause: '统筹不足' });
  await run(t.db, officer, addStep, { id: opened.id, description: '召开专题会', attachments: [] });
  await assert.rejects(run(t.db, officer, submitProblem, { id: opened.id, note: '请验收' }), refusal('supervision.problem.no-evidence', 409, 'attachments'));
  const rectifying = await run(t.db, colleague, addStep, { id: opened.id, description: '逐户完成复核', attachments: [png] });
  assert.equal(rectifying.state, 'rectifying');
  await run(t.db, officer, submitProblem, { id: opened.id, note: '请验收' });

  // 评估验收 by someone else: the owner department is refused, the office accepts.
  await assert.rejects(run(t.db, officer, reviewProblem, { id: opened.id, accepted: true, note: '自验' }), refusal('forbidden', 403));
  const ownAdmin = { ...officer, id: 'own-admin', roles: ['inspector' as const], grants: leader.grants };
  await assert.rejects(run(t.db, ownAdmin, reviewProblem, { id: opened.id, accepted: true, note: '自验' }), refusal('supervision.own-problem', 403));
  const back = await run(t.db, leader, reviewProblem, { id: opened.id, accepted: false, note: '佐证不足' });
  assert.equal(back.state, 'rectifying');
  await run(t.db, officer, submitProblem, { id: opened.id, note: '已补充' });
  const accepted = await run(t.db, leader, reviewProblem, { id: opened.id, accepted: true, note: '同意销号' });
  assert.equal(accepted.state, 'accepted');
  assert.equal(accepted.acceptedBy, '陈立群');

  await assert.rejects(run(t.db, officer, preventProblem, { id: opened.id, kind: 'check', description: '月度回头看' }), refusal('validation', 400, 'everyDays'));
  const closed = await run(t.db, officer, preventProblem, { id: opened.id, kind: 'check', description: '月度回头看', everyDays: 20 });
  assert.equal(closed.state, 'closed');
  assert.deepEqual(closed.prevention, { kind: 'check', description: '月度回头看', everyDays: 20 });
  assert.equal(Math.round((closed.watchUntil!.getTime() - closed.closedAt!.getTime()) / 86_400_000), 180);

  const view = await viewProblem(t.db, leader, opened.id);
  assert.deepEqual(view.events.map((e) => e.action), ['registered', 'analysed', 'step-added', 'step-added', 'submitted', 'returned', 'submitted', 'accepted', 'closed']);
  assert.equal(view.steps[1]!.attachments[0]!.name, '现场照片.png');
  const file = await readAttachment(t.db, officer, view.steps[1]!.attachments[0]!.id);
  assert.equal(file.bytes.toString('base64'), png.data);
  await assert.rejects(readAttachment(t.db, t.city.actors.ycOfficer, file.id), refusal('supervision.attachment.not-found', 404));
  for (const action of ['registered', 'analysed', 'step-added', 'submitted', 'returned', 'accepted', 'closed'])
    assert.ok(await ledgerCount(t.db, `supervision.problem.${action}`) >= 1, action);

  // The same kind in the same area within the watch window is a recurrence; the earlier problem records it.
  const again = await run(t.db, leader, registerProblem, problem({ title: '复核又超期' }));
  assert.deepEqual(again.recurrenceOf, { id: opened.id, number: opened.number });
  const elsewhere = await run(t.db, leader, registerProblem, problem({ departmentId: t.city.ycCivil, title: '岳池县复核超期' }));
  assert.equal(elsewhere.recurrenceOf, null);
  assert.deepEqual((await viewProblem(t.db, leader, opened.id)).recurrences.map((r) => r.id), [again.id]);

  // The recurring check falls due at the end of its last working day, and then every period again.
  assert.equal(await sweepChecks(t.db, new Date(closed.nextCheckAt!.getTime() - 1)), 0);
  assert.equal(await sweepChecks(t.db, closed.nextCheckAt!), 1);
  assert.equal(await sweepChecks(t.db, closed.nextCheckAt!), 0);
  assert.equal((await viewProblem(t.db, leader, opened.id)).events.at(-1)!.action, 'check-due');
});

test('a finding goes on a list once; departments register only their own problems; other modules open problems on their own transaction', async () => {
  const { leader, officer } = t.city.actors;
  await run(t.db, leader, registerProblem, problem({ source: 'rating', sourceRef: 'rectification:7', kind: 'item:x' }));
  await assert.rejects(run(t.db, leader, registerProblem, problem({ source: 'rating', sourceRef: 'rectification:7', kind: 'item:x' })),
    refusal('supervision.problem.duplicate-source', 409, 'sourceRef'));
  await assert.rejects(run(t.db, officer, registerProblem, problem({ departmentId: t.city.ycCivil })), refusal('forbidden', 403));
  await assert.rejects(run(t.db, leader, registerProblem, problem({ dueDays: 0 })), refusal('validation', 400, 'dueDays'));
  await assert.rejects(run(t.db, leader, registerProblem, problem({ listId: 9999 })), refusal('supervision.list.unknown', 400, 'listId'));
  // A rolled-back caller leaves no problem behind.
  await assert.rejects(withTransaction(t.db, async (tx) => {
    await openProblem(tx, leader, problem({ source: 'oversight-alert', sourceRef: 'alert:1', kind: 'rule:x' }));
    throw new Error('the alert failed');
  }), /the alert failed/);
  assert.equal((await listProblems(t.db, leader, { limit: 50, offset: 0 })).items.filter((p) => p.sourceRef === 'alert:1').length, 0);
  const opened = await withTransaction(t.db, (tx) => openProblem(tx, leader, problem({ source: 'oversight-alert', sourceRef: 'alert:1', kind: 'rule:x' })));
  assert.equal(opened.source, 'oversight-alert');
});

test('a city adds its own list; the board is scoped by department and jurisdiction; counts by department and area', async () => {
  const { leader, officer, ycOfficer } = t.city.actors;
  const own = await run(t.db, leader, addList, { code: 'business-environment', nameZh: '营商环境问题清单', nameEn: 'Business environment' });
  assert.equal((await listLists(t.db, officer)).length, 8);
  assert.equal(own.builtin, false);
  await run(t.db, leader, registerProblem, problem({ listId: own.id, kind: 'approval', dueDays: 1 }));
  const mine = await listProblems(t.db, officer, { limit: 100, offset: 0 });
  assert.ok(mine.items.every((p) => p.department.id === t.city.gaCivil));
  const theirs = await listProblems(t.db, ycOfficer, { limit: 100, offset: 0 });
  assert.ok(theirs.items.every((p) => p.department.id === t.city.ycCivil) && theirs.total >= 1);
  const all = await listProblems(t.db, leader, { limit: 100, offset: 0 });
  assert.equal(all.total, mine.total + theirs.total);
  const later = new Date(Date.now() + 30 * 86_400_000);
  const stats = await problemStats(t.db, leader, later);
  const ga = stats.byDepartment.find((d) => d.key === String(t.city.gaCivil))!;
  assert.equal(ga.total, mine.total);
  assert.ok(ga.overdue >= 1);
  assert.equal(stats.total.recurrences, 1);
  assert.deepEqual(stats.byArea.map((a) => a.key).sort(), ['511602000000', '511621000000']);
  assert.equal((await listProblems(t.db, leader, { overdue: true, limit: 100, offset: 0 }, later)).total, stats.total.overdue);
});
