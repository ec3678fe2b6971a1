import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { createTicket, findTicket, loadDemoCategories, ticketHistory } from '../../src/hotline/index.ts';
import { sweepHotlineCases } from '../../src/cityops/hotline-link.ts';
import { makeDepartment, makeStaff } from '../helpers/factories.ts';
import { inGa } from './factories.ts';
import { casesAppPerFile, nearGa, photo } from './case-factories.ts';

const t = casesAppPerFile();
const sys = () => ({ actor: systemActor('test'), now: new Date() });
const ticket = (categoryCode: string, description = '小区门口垃圾堆了三天没人清运') => withTransaction(t.db, (tx) =>
  createTicket({ tx, ...sys() }, { channel: 'phone', kind: 'complaint', categoryCode, description, ...inGa, callerName: '张三', callerPhone: '13800000000' }));

test('a 12345 ticket of a city-management category becomes a case; the ticket\'s state and reply follow the case to 办结', async () => {
  await withTransaction(t.db, (tx) => loadDemoCategories({ tx, ...sys() }));
  const centre = await makeDepartment(t.db, { name: '12345热线中心', divisionCode: '511600000000', kind: 'hotline' });
  await makeStaff(t.db, { username: 'hotline', roles: ['officer'], departmentId: centre });
  t.cookies.hotline = await t.login('hotline');

  const other = await ticket('SB-YLJ', '养老金没有按时发放');
  const refused = await t.call('POST', '/cases/from-ticket', 'hotline', { ticketId: other.id });
  assert.deepEqual([refused.statusCode, refused.json().code, refused.json().field], [400, 'cityops.case.not-city-category', 'ticketId']);
  const tk = await ticket('CG-SRHW-LJQY');
  assert.equal((await t.call('POST', '/cases/from-ticket', 'ga_cg', { ticketId: tk.id })).statusCode, 403, 'not the hotline centre');
  const made = await t.call('POST', '/cases/from-ticket', 'hotline', { ticketId: tk.id });
  assert.equal(made.statusCode, 201, made.body);
  const c = made.json();
  assert.deepEqual([c.source, c.kindCode, c.state, c.sourceRef, c.hotlineTicketId], ['hotline', 'E0102', 'verifying', tk.number, Number(tk.id)]);
  const dispatched = await findTicket(t.db, tk.id);
  assert.deepEqual([dispatched!.state, dispatched!.departmentId], ['dispatched', t.desks.command]);
  assert.ok((await ticketHistory(t.db, tk.id)).some((e) => e.note === `转数字城管案件 ${c.code}`), 'the case number is on the ticket');

  const worker = c.assigneeUserId === t.users.caiji ? 'caiji' : 'caiji2';
  await t.call('POST', `/cases/${c.id}/verify`, worker, { found: true, ...nearGa, photos: photo });
  await t.call('POST', `/cases/${c.id}/file`, 'jiandu', {});
  assert.equal((await findTicket(t.db, tk.id))!.state, 'accepted', '立案 signs for the ticket');
  await t.call('POST', `/cases/${c.id}/dispatch`, 'zhihui', { departmentId: t.departments.gaUrban });
  await t.call('POST', `/cases/${c.id}/handle`, 'ga_cg', { reply: '垃圾已清运，已安排每日巡查', photos: photo });
  assert.equal((await findTicket(t.db, tk.id))!.state, 'accepted', 'the caller hears only after 核查');
  const checked = await t.call('POST', `/cases/${c.id}/check`, worker, { passed: true, ...nearGa, photos: photo });
  assert.equal(checked.statusCode, 200, checked.body);
  const replied = await findTicket(t.db, tk.id);
  assert.deepEqual([replied!.state, replied!.reply], ['replied', '垃圾已清运，已安排每日巡查']);
  await t.call('POST', `/cases/${c.id}/close`, 'jiandu', {});
  assert.equal((await findTicket(t.db, tk.id))!.state, 'closed', '结案 closes the ticket');
});

test('tickets of `auto` categories become cases by the sweep; a case not filed hands the ticket back to the hotline centre', async () => {
  const tk = await ticket('CG-SRHW-ZDJY', '学校门口流动摊贩占道经营');
  const manual = await ticket('CG-WZJS', '楼顶违章搭建');
  assert.ok(await sweepHotlineCases(t.db, new Date()) >= 1);
  assert.equal((await findTicket(t.db, tk.id))!.state, 'dispatched');
  assert.equal((await findTicket(t.db, manual.id))!.state, 'received', 'not an auto category');
  const { rows: [row] } = await t.db.query('SELECT id::int, assignee_user_id::int AS a FROM cityops_cases WHERE hotline_ticket_id = $1', [tk.id]);
  const worker = row.a === t.users.caiji ? 'caiji' : 'caiji2';
  const unfounded = await t.call('POST', `/cases/${row.id}/verify`, worker, { found: false, note: '现场未见摊贩', ...nearGa });
  assert.equal(unfounded.json().state, 'rejected');
  const back = await findTicket(t.db, tk.id);
  assert.equal(back!.state, 'returned');
});
