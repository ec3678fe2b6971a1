import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

const login = async (username: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: demoPassword } });
  return `yw_session=${res.cookies.find((c) => c.name === 'yw_session')!.value}`;
};

test('the demo has a knowledge base, citizen1\'s own reports and a co-handled ticket', async () => {
  const hotline = await login('hotline');
  const knowledge = (await t.app.inject({ method: 'GET', url: `/api/v1/hotline/knowledge?q=${encodeURIComponent('社保卡补办')}`,
    headers: { cookie: hotline } })).json().items;
  assert.equal(knowledge[0].question, '社保卡丢失了怎么补办？');

  const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/hotline/my/tickets', headers: { cookie: await login('citizen1') } })).json().items;
  assert.deepEqual(mine.map((x: { category: { code: string } }) => x.category.code).sort(), ['CG-SRHW-LJQY', 'JT-XHD']);

  const { rows } = await t.db.query(
    `SELECT t.state, d.kind AS main, c.kind AS co FROM hotline_co_handlers h JOIN hotline_tickets t ON t.id = h.ticket_id
       JOIN departments d ON d.id = t.department_id JOIN departments c ON c.id = h.department_id`);
  assert.deepEqual(rows, [{ state: 'dispatched', main: 'urban-management', co: 'water' }]);
});
