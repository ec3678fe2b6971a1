import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import { assignTask, closeTask, listTasks, reportTask, sweepTasks, viewTask } from '../../src/supervision/tasks.ts';
import { defaultWeights, evaluate, monthlyScores, render, scoreComponents, setWeights, type Expression } from '../../src/supervision/scores.ts';
import { addStep, analyseProblem, registerProblem, reviewProblem, submitProblem } from '../../src/supervision/problems.ts';
import { ledgerCount, png, refusal, run, supervisionCityPerFile } from './factories.ts';

const t = supervisionCityPerFile();
const month = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);

test('督考: the office assigns with milestones, the department reports with evidence, the office closes; others are refused', async () => {
  const { leader, officer, inspector, ycOfficer } = t.city.actors;
  const input = { title: '养老服务设施建设', detail: '新建社区养老服务站5个', departmentId: t.city.gaCivil, dueDays: 10, milestones: [{ title: '选址确定', dueDays: 4 }] };
  // Only the 督查室 assigns: an inspector of the 纪委 holds the grant but is not the office.
  await assert.rejects(run(t.db, inspector, assignTask, input), refusal('supervision.not-office', 403));
  await assert.rejects(run(t.db, officer, assignTask, input), refusal('forbidden', 403));
  await assert.rejects(run(t.db, leader, assignTask, { ...input, milestones: [{ title: '晚于期限', dueDays: 11 }] }), refusal('validation', 400, 'milestones.0.dueDays'));
  const task = await run(t.db, leader, assignTask, input);
  const calendar = await loadCalendar(t.db);
  assert.equal(calendar.workingDaysBetween(task.assignedAt, task.due), 10);
  assert.equal(calendar.workingDaysBetween(task.assignedAt, task.milestones[0]!.due), 4);
  assert.match(task.number, /^DB\d{4}-\d{5}$/);

  await assert.rejects(run(t.db, ycOfficer, reportTask, { id: task.id, text: 'x', progress: 10, completes: false, attachments: [] }), refusal('supervision.task.not-found', 404));
  const progressed = await run(t.db, officer, reportTask, { id: task.id, text: '选址完成', progress: 30, milestoneId: task.milestones[0]!.id, completes: false, attachments: [png] });
  assert.equal(progressed.progress, 30);
  assert.ok(progressed.milestones[0]!.doneAt);
  await assert.rejects(run(t.db, leader, closeTask, { id: task.id, accepted: true, note: '办结' }), refusal('supervision.task.bad-state', 409, 'state'));
  await run(t.db, officer, reportTask, { id: task.id, text: '已全部建成', progress: 90, completes: true, attachments: [] });
  await assert.rejects(run(t.db, officer, closeTask, { id: task.id, accepted: true, note: '办结' }), refusal('forbidden', 403));
  const back = await run(t.db, leader, closeTask, { id: task.id, accepted: false, note: '缺验收材料' });
  assert.equal(back.state, 'assigned');
  await run(t.db, officer, reportTask, { id: task.id, text: '补充验收材料', progress: 100, completes: true, attachments: [png] });
  const closed = await run(t.db, leader, closeTask, { id: task.id, accepted: true, note: '同意办结' });
  assert.equal(closed.state, 'closed');
  const view = await viewTask(t.db, leader, task.id);
  assert.deepEqual(view.reports.map((r) => r.kind), ['assigned', 'progress', 'completion', 'returned', 'completion', 'closed']);
  assert.equal(view.reports[1]!.attachments.length, 1);
  assert.deepEqual(view.can, { report: false, close: true });
  assert.equal(await ledgerCount(t.db, 'supervision.task.closed'), 1);
  assert.equal(await ledgerCount(t.db, 'supervision.task.evidence'), 3);
  assert.deepEqual((await listTasks(t.db, ycOfficer, { limit: 10, offset: 0 })).total, 0);
});

test('催办 a working day before the deadline and 督办升级 after it, once each, on working days only', async () => {
  const { leader } = t.city.actors;
  const task = await run(t.db, leader, assignTask, { title: '背街小巷整治', detail: '整治20条', departmentId: t.city.ycCivil, dueDays: 3, milestones: [] });
  const calendar = await loadCalendar(t.db);
  const dayBefore = new Date(calendar.addWorkingDays(task.assignedAt, 2).due.getTime() - 3_600_000);
  assert.equal(await sweepTasks(t.db, dayBefore), 1);
  assert.equal(await sweepTasks(t.db, dayBefore), 0);
  const after = new Date(calendar.addWorkingDays(task.assignedAt, 4).due.getTime() - 3_600_000);
  assert.ok(await sweepTasks(t.db, after) >= 1);
  const view = await viewTask(t.db, leader, task.id);
  assert.deepEqual(view.reports.map((r) => r.kind), ['assigned', 'reminder', 'escalation']);
  assert.ok(view.task.escalatedAt && view.task.remindedAt);
  let weekend = new Date(after);
  while (calendar.isWorkingDay(new Date(weekend.getTime() + 8 * 3_600_000).toISOString().slice(0, 10))) weekend = new Date(weekend.getTime() + 86_400_000);
  await run(t.db, leader, assignTask, { title: '再一件', detail: '已超期', departmentId: t.city.ycCivil, dueDays: 1, milestones: [] });
  assert.equal(await sweepTasks(t.db, weekend), 0);
});

test('the formula shown is the expression evaluated: its text, computed as arithmetic, gives the score', () => {
  for (const values of [[100, 80, 90, 50], [null, 75.5, null, 100], [33.33, null, 66.67, null]] as (number | null)[][]) {
    const e: Expression = { terms: scoreComponents.map((c, i) => ({ component: c, weight: defaultWeights[c], value: values[i]! })) };
    const text = render(e, 'en');
    const [expression, result] = text.split(' = ');
    const computed = Function(`return ${expression!.replaceAll('×', '*').replaceAll('÷', '/')}`)() as number;
    assert.equal(Math.round(computed * 100) / 100, evaluate(e));
    assert.equal(Number(result), evaluate(e));
  }
  assert.equal(render({ terms: [{ component: 'tasks', weight: 40, value: null }] }, 'zh'), '—');
  assert.equal(render({ terms: scoreComponents.map((c) => ({ component: c, weight: defaultWeights[c], value: null })) }, 'zh', true),
    '(40×督办按期办结率 + 20×12345三率综合成绩 + 20×好差评满意率 + 20×问题按期整改率) ÷ (40 + 20 + 20 + 20)');
});

test('the monthly score combines task closure and problem closure with the weights the office sets', async () => {
  const { leader, officer } = t.city.actors;
  const now = new Date();
  const scores = await monthlyScores(t.db, leader, month(now), now);
  const ga = scores.rows.find((r) => r.department.id === t.city.gaCivil)!;
  // The closed task of the first test was closed on time: 100; no problem yet, no tickets, no ratings.
  assert.equal(ga.rates.tasks, 100);
  assert.equal(ga.rates.problems, null);
  assert.equal(ga.score, 100);
  assert.equal(ga.formula.zh, '(40×100) ÷ (40) = 100');

  const p = await run(t.db, leader, registerProblem, { source: 'manual', title: '公示不全', description: '惠民资金公示不全', listId: t.city.lists['inspection-tour']!,
    departmentId: t.city.gaCivil, kind: 'publicity', dueDays: 5 });
  await run(t.db, officer, analyseProblem, { id: p.id, whys: ['制度不明'], causeCategory: 'institution', rootCause: '制度不明' });
  await run(t.db, officer, addStep, { id: p.id, description: '补充公示', attachments: [png] });
  await run(t.db, officer, submitProblem, { id: p.id, note: '请验收' });
  await run(t.db, leader, reviewProblem, { id: p.id, accepted: true, note: '同意' });
  await assert.rejects(run(t.db, officer, setWeights, { tasks: 50, hotline: 0, ratings: 0, problems: 50 }), refusal('forbidden', 403));
  await assert.rejects(run(t.db, leader, setWeights, { tasks: 0, hotline: 0, ratings: 0, problems: 0 }), refusal('validation', 400, 'tasks'));
  await run(t.db, leader, setWeights, { tasks: 50, hotline: 10, ratings: 10, problems: 30 });
  const after = await monthlyScores(t.db, officer, month(now), now);
  const row = after.rows.find((r) => r.department.id === t.city.gaCivil)!;
  assert.equal(row.rates.problems, 100);
  assert.equal(row.formula.en, '(50×100 + 30×100) ÷ (50 + 30) = 100');
  assert.equal(after.formula.zh, '(50×督办按期办结率 + 10×12345三率综合成绩 + 10×好差评满意率 + 30×问题按期整改率) ÷ (50 + 10 + 10 + 30)');
  assert.equal(row.rank, 1);
  // The county officer sees only its county's departments.
  assert.ok(after.rows.every((r) => r.department.id !== t.city.ycCivil));
  await assert.rejects(monthlyScores(t.db, leader, '2026-13', now), refusal('validation', 400, 'month'));
});
