import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptTicket, closeTicket, dispatchTicket, findDuplicates, haversineMetres, mergeTickets, replyTicket, ticketHistory, findTicket,
} from '../../src/hotline/index.ts';
import { hotlineCityPerFile, inside, makeTicket, refusal, run } from './factories.ts';

const t = hotlineCityPerFile();

// Metres → degrees of latitude near 30°N.
const north = (metres: number) => ({ lon: inside.lon, lat: inside.lat + metres / 111_195 });

test('haversine: one degree of latitude is about 111.2 km; a point is 0 m from itself', () => {
  assert.equal(Math.round(haversineMetres(106, 30, 106, 31)), 111_195);
  assert.equal(haversineMetres(106.63, 30.47, 106.63, 30.47), 0);
});

test('duplicates: open tickets of the same category within 250 m, nearest first, top 5', async () => {
  const op = t.city.actors.operator;
  const near = [];
  for (const metres of [200, 20, 120, 60, 240, 180]) near.push(await makeTicket(t.db, north(metres), op));
  await makeTicket(t.db, north(300), op); // too far
  await makeTicket(t.db, { ...north(10), categoryCode: 'JT-XHD' }, op); // another category
  const found = await findDuplicates(t.db, op, { categoryCode: 'CG-SRHW-LJQY', ...inside });
  assert.deepEqual(found.map((d) => Math.round(d.distanceMetres)), [20, 60, 120, 180, 200]);
  assert.ok(Math.abs(found[0]!.distanceMetres - haversineMetres(inside.lon, inside.lat, found[0]!.lon, found[0]!.lat)) < 0.01);
  const wider = await findDuplicates(t.db, op, { categoryCode: 'CG-SRHW-LJQY', ...inside, radiusMetres: 1000, limit: 10 });
  assert.equal(wider.length, 7);
  // Departments see only what is theirs.
  assert.deepEqual(await findDuplicates(t.db, t.city.actors.ycHandler, { categoryCode: 'CG-SRHW-LJQY', ...inside }), []);
});

test('并单: duplicates are merged into the main ticket, and close with its reply', async () => {
  const { operator, handler } = t.city.actors;
  const main = await makeTicket(t.db, north(500), operator);
  const dup1 = await makeTicket(t.db, north(510), operator);
  const dup2 = await makeTicket(t.db, { ...north(520), callerName: '李四', callerPhone: '13900001111' }, operator);
  await assert.rejects(run(t.db, operator, mergeTickets, { mainId: main.id, duplicateIds: [main.id] }), refusal('hotline.merge-self', 400, 'duplicateIds'));
  await assert.rejects(run(t.db, handler, mergeTickets, { mainId: main.id, duplicateIds: [dup1.id] }), refusal('hotline.not-centre', 403));
  const { merged } = await run(t.db, operator, mergeTickets, { mainId: main.id, duplicateIds: [dup1.id, dup2.id] });
  assert.deepEqual(merged.map((m) => [m.state, m.mainTicketId]), [['merged', main.id], ['merged', main.id]]);
  const open = await findDuplicates(t.db, operator, { categoryCode: 'CG-SRHW-LJQY', ...north(510), radiusMetres: 50 });
  assert.deepEqual(open.map((d) => d.id), [main.id], 'merged tickets are no longer suggested');
  await run(t.db, operator, dispatchTicket, { ticketId: main.id });
  await run(t.db, handler, acceptTicket, { ticketId: main.id });
  await run(t.db, handler, replyTicket, { ticketId: main.id, reply: '已清运' });
  await run(t.db, operator, closeTicket, { ticketId: main.id });
  const after = await findTicket(t.db, dup2.id);
  assert.deepEqual([after!.state, after!.reply, after!.departmentId], ['closed', '已清运', t.city.gaUrban]);
  assert.deepEqual((await ticketHistory(t.db, dup2.id)).map((e) => e.toState), ['received', 'merged', 'closed']);
  await assert.rejects(run(t.db, operator, mergeTickets, { mainId: main.id, duplicateIds: [dup1.id] }), refusal('hotline.bad-state', 409, 'state'));
});
