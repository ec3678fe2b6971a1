import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { withTransaction, type Db } from '../../src/kernel/db/index.ts';
import type { Actor, Ctx } from '../../src/kernel/auth/index.ts';
import { loadCalendar } from '../../src/kernel/calendar/index.ts';
import {
  acceptTicket, answerTicket, callbackTicket, closeTicket, compositeScore, computeMetrics, createTicket, dispatchTicket, officeClock,
  rankByScore, replyTicket,
} from '../../src/hotline/index.ts';
import { makeHotlineCity, ticketInput } from './factories.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof makeHotlineCity>>;
const ids: Record<string, number> = {};

/** Runs a command at a given China time ('2026-11-02 10:00'). */
function at<I, R>(db: Db, actor: Actor, china: string, command: (ctx: Ctx, input: I) => Promise<R>, input: I): Promise<R> {
  const now = new Date(`${china.replace(' ', 'T')}:00+08:00`);
  return withTransaction(db, (tx) => command({ tx, actor, now }, input));
}

/**
 * The week of Monday 2026-11-02 (no holidays): four tickets of 广安区 in the period and one after it.
 * T1 accepted in time, closed after 8 office hours, resolved and satisfied; T2 accepted late, closed after 34
 * office hours, resolved and basically satisfied; T3 dispatched and never accepted; T4 a consultation the
 * centre answered at once (no department).
 */
before(async () => {
  t = await createTestApp();
  city = await makeHotlineCity(t.db);
  const { operator, handler } = city.actors;
  const received = async (name: string, when: string, overrides = {}) => {
    ids[name] = (await at(t.db, operator, when, createTicket, ticketInput(overrides))).id;
  };
  const step = <I>(when: string, actor: Actor, command: (ctx: Ctx, input: I & { ticketId: number }) => Promise<unknown>, name: string, input = {} as I) =>
    at(t.db, actor, when, command, { ...input, ticketId: ids[name]! });

  await received('T1', '2026-11-02 10:00');
  await step('2026-11-02 10:00', operator, dispatchTicket, 'T1');
  await step('2026-11-02 11:00', handler, acceptTicket, 'T1');
  await step('2026-11-03 09:30', handler, replyTicket, 'T1', { reply: '已清运' });
  await step('2026-11-03 10:00', operator, closeTicket, 'T1');
  await step('2026-11-04 10:00', operator, callbackTicket, 'T1', { resolved: true, satisfaction: 'satisfied' as const });

  await received('T2', '2026-11-02 10:00');
  await step('2026-11-02 10:00', operator, dispatchTicket, 'T2');
  await step('2026-11-06 09:00', handler, acceptTicket, 'T2');
  await step('2026-11-06 11:00', handler, replyTicket, 'T2', { reply: '已处理' });
  await step('2026-11-06 12:00', operator, closeTicket, 'T2');
  await step('2026-11-09 10:00', operator, callbackTicket, 'T2', { resolved: true, satisfaction: 'basically-satisfied' as const });

  await received('T3', '2026-11-03 10:00');
  await step('2026-11-03 10:00', operator, dispatchTicket, 'T3');

  await received('T4', '2026-11-04 15:00', { kind: 'consultation', categoryCode: 'JT-XHD', description: '信号灯什么时候修好' });
  await step('2026-11-04 15:00', operator, answerTicket, 'T4', { answer: '本周内修复' });

  await received('T5', '2026-11-09 10:00');
  for (const user of ['operator', 'handler', 'yc_handler']) cookies[user] = await t.login(user);
});
after(() => t.close());
const cookies: Record<string, string> = {};
const now = new Date('2026-11-20T12:00:00+08:00');

test('the office clock in SQL agrees with the calendar\'s working hours, across nights, weekends and holidays', async () => {
  const calendar = await loadCalendar(t.db);
  const first = Date.UTC(2026, 9, 1) / 86_400_000;
  const clock = officeClock(calendar, first, first + 60);
  const pairs = [['2026-10-01T10:00:00+08:00', '2026-10-09T10:30:00+08:00'], ['2026-11-02T08:00:00+08:00', '2026-11-02T18:00:00+08:00'],
    ['2026-11-06T16:00:00+08:00', '2026-11-09T10:00:00+08:00'], ['2026-11-07T12:00:00+08:00', '2026-11-08T12:00:00+08:00'],
    ['2026-11-02T10:00:00+08:00', '2026-11-06T12:00:00+08:00']];
  for (const [a, b] of pairs) {
    const { rows: [row] } = await t.db.query<{ hours: number }>(
      'SELECT hotline_office_clock($2, $1, $3) - hotline_office_clock($4, $1, $3) AS hours', [first, b, clock, a]);
    assert.ok(Math.abs(row!.hours - calendar.workingHoursBetween(new Date(a!), new Date(b!))) < 1e-9, `${a} → ${b}`);
  }
});

test('by department: the three rates, the score, handling time in office hours and overdue counts', async () => {
  const m = await computeMetrics(t.db, city.actors.operator, { from: '2026-11-02', to: '2026-11-08', by: 'department', minReceived: 3 }, now);
  assert.deepEqual(m.rows.map((r) => [r.key, r.label, r.received]), [[String(city.gaUrban), '广安区城市管理综合执法局', 3], ['none', '未派单', 1]]);
  const ga = m.rows[0]!;
  assert.deepEqual([ga.responseDue, ga.responded, ga.responseRate], [3, 1, 1 / 3]);
  assert.deepEqual([ga.resolvedRated, ga.resolved, ga.resolutionRate], [2, 2, 1]);
  assert.deepEqual([ga.satisfactionRated, ga.satisfied, ga.basicallySatisfied, ga.satisfactionRate], [2, 1, 1, 1]);
  assert.equal(ga.score, 93.33);
  assert.equal(ga.rank, 1);
  assert.equal(ga.avgHandlingHours, 21, 'T1 took 8 office hours, T2 34');
  assert.deepEqual(ga.overdue, { accept: 2, reply: 1, resolve: 0 });
  const none = m.rows[1]!;
  assert.deepEqual([none.responseRate, none.resolutionRate, none.satisfactionRate, none.score, none.rank], [null, null, null, null, null]);
  assert.deepEqual([m.total.received, m.total.avgHandlingHours, m.total.score], [4, 14, 93.33]);
  const usual = await computeMetrics(t.db, city.actors.operator, { from: '2026-11-02', to: '2026-11-08', by: 'department' }, now);
  assert.deepEqual([usual.minReceived, usual.rows[0]!.score, usual.rows[0]!.rank], [10, 93.33, null], 'three tickets are too few to rank by default');
});

test('by category, area and month; a department sees only its own tickets', async () => {
  const period = { from: '2026-11-01', to: '2026-11-30' };
  const byCategory = await computeMetrics(t.db, city.actors.operator, { ...period, by: 'category' }, now);
  assert.deepEqual(byCategory.rows.map((r) => [r.key, r.label, r.received]), [['CG', '城乡建设与管理', 4], ['JT', '交通运输', 1]]);
  const byCounty = await computeMetrics(t.db, city.actors.operator, { ...period, by: 'division' }, now);
  assert.deepEqual(byCounty.rows.map((r) => [r.key, r.label, r.received]), [['511602000000', '广安区', 5]]);
  const byTownship = await computeMetrics(t.db, city.actors.operator, { ...period, by: 'division', divisionLevel: 'township' }, now);
  assert.deepEqual(byTownship.rows.map((r) => [r.key, r.label]), [['511602001000', '浓洄街道']]);
  const byMonth = await computeMetrics(t.db, city.actors.operator, { ...period, by: 'month' }, now);
  assert.deepEqual(byMonth.rows.map((r) => [r.key, r.received]), [['2026-11', 5]]);

  const own = await computeMetrics(t.db, city.actors.handler, { ...period, by: 'department' }, now);
  assert.deepEqual(own.rows.map((r) => r.key), [String(city.gaUrban)]);
  assert.equal(own.total.received, 3);
  const other = await computeMetrics(t.db, city.actors.ycHandler, { ...period, by: 'department' }, now);
  assert.deepEqual([other.rows, other.total.received, other.total.score], [[], 0, null]);
});

test('scores: missing rates drop out, ties share a rank, too few tickets are not ranked', () => {
  assert.equal(compositeScore({ response: null, resolution: 0.5, satisfaction: 1 }), 75);
  assert.equal(compositeScore({ response: 1, resolution: 0, satisfaction: 0 }), 10);
  const row = (score: number | null, received = 10) => ({ score, received, rank: null });
  const rows = rankByScore([row(80), row(90), row(80), row(null), row(70), row(100, 9)], 10);
  assert.deepEqual(rows.map((r) => r.rank), [2, 1, 2, null, 4, null]);
});

test('GET /metrics walks 401, 400 naming the field, then 200', async () => {
  const get = (query: string, user?: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/hotline/metrics?${query}`, headers: user ? { cookie: cookies[user]! } : {} });
  assert.equal((await get('from=2026-11-01&to=2026-11-30&by=month')).statusCode, 401);
  for (const [query, field] of [['from=2026-02-30&to=2026-03-01&by=month', 'from'], ['from=2026-11-01&to=11/30/2026&by=month', 'to'],
    ['from=2026-11-02&to=2026-11-01&by=month', 'to'], ['from=2026-11-01&to=2026-11-30&by=week', 'by'], ['to=2026-11-30&by=month', 'from']]) {
    const res = await get(query!, 'operator');
    assert.deepEqual([res.statusCode, res.headers['content-type'], res.json().field], [400, 'application/problem+json; charset=utf-8', field], query);
  }
  const ok = await get('from=2026-11-01&to=2026-11-30&by=department', 'operator');
  assert.equal(ok.statusCode, 200);
  const body = ok.json();
  assert.deepEqual([body.from, body.to, body.by, body.total.received], ['2026-11-01', '2026-11-30', 'department', 5]);
  assert.deepEqual(Object.keys(body.rows[0]).sort(), ['avgHandlingHours', 'basicallySatisfied', 'key', 'label', 'overdue', 'rank', 'received',
    'resolutionRate', 'resolved', 'resolvedRated', 'responded', 'responseDue', 'responseRate', 'satisfactionRate',
    'satisfactionRated', 'satisfied', 'score'].sort());
  assert.equal((await get('from=2026-11-01&to=2026-11-30&by=department', 'yc_handler')).json().total.received, 0);
});
