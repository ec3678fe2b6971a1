import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { signingKeyOf } from '../../src/cityops/sensors/devices.ts';
import { signReading } from '../../src/cityops/sensors/ingest.ts';
import { caseMessage, notifyScreen, screenFeed } from '../../src/cityops/screen/feed.ts';
import { relayScreenMessages, startScreenRelay, type ScreenRelay } from '../../src/cityops/screen/relay.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { escalateOrders } from '../../src/cityops/screen/orders.ts';
import { ledgerCount, makeDepartment, makeStaff } from '../helpers/factories.ts';
import { casesAppPerFile } from './case-factories.ts';
import { inGa, inYc } from './factories.ts';

// The cases app, plus a 岳池县 command centre (yc_zhihui) and a second city command-centre officer (zhihui2), and the
// relay that publishes the screen's outbox, as the platform runs it (stopped before the app closes: registered first).
let base = '';
let relay: ScreenRelay | undefined;
after(() => relay?.stop());
const t = casesAppPerFile(async () => {
  relay = startScreenRelay(t.db, { intervalMs: 20 });
  const ycCommand = await makeDepartment(t.db, { name: '岳池县城市管理指挥中心', divisionCode: '511621000000', kind: 'city-command' });
  await makeStaff(t.db, { username: 'yc_zhihui', roles: ['officer'], departmentId: ycCommand });
  await makeStaff(t.db, { username: 'zhihui2', roles: ['officer'], departmentId: t.desks.command });
  for (const user of ['yc_zhihui', 'zhihui2']) t.cookies[user] = await t.login(user);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1/cityops`;
});

interface Received { event: string; data: Record<string, unknown> }

/** Opens the screen's stream as `user`; resolves once it is subscribed (the `ready` event). */
async function openStream(user: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/screen/stream`, { headers: { cookie: t.cookies[user]! }, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const received: Received[] = [];
  const waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          if (event === 'ready') ready();
          const r = { event, data: JSON.parse(data) as Record<string, unknown> };
          received.push(r);
          for (const w of waiters.filter((w) => w.match(r))) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(r);
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  await isReady;
  return {
    received,
    waitFor(match: (r: Received) => boolean, ms = 5_000): Promise<Received> {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such event in time')), ms);
        waiters.push({ match, resolve: (r) => { clearTimeout(timer); resolve(r); } });
      });
    },
    close: () => controller.abort(),
  };
}

const secrets = new Map<string, string>();
function reading(device: string, seq: number, value: number) {
  const r = { device, seq, at: Date.now(), value };
  return { ...r, sig: signReading(signingKeyOf(secrets.get(device)!), r) };
}
async function register(code: string, place: { lon: number; lat: number }, user: string) {
  const res = await t.call('POST', '/sensors/devices', user, { code, typeCode: 'manhole_tilt', ...place });
  assert.equal(res.statusCode, 201, res.body);
  secrets.set(code, res.json().secret);
}

const openCase = async (place: { lon: number; lat: number }, description: string) => {
  const res = await t.call('POST', '/cases', 'zhihui', { source: 'command', kindCode: 'E0501', description, ...place });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; code: string };
};

test('GET /screen: 401, 403 for a unit, then counts that follow the cases opened, scoped to the caller\'s area', async () => {
  assert.equal((await t.call('GET', '/screen')).statusCode, 401);
  assert.equal((await t.call('GET', '/screen', 'ga_cg')).statusCode, 403, 'a handling unit has no screen');
  assert.equal((await t.call('GET', '/screen', 'caiji')).statusCode, 403, 'nor a patrol worker');
  const before = (await t.call('GET', '/screen', 'zhihui')).json();
  const ycBefore = (await t.call('GET', '/screen', 'yc_zhihui')).json();
  await openCase(inGa, '商铺门前堆放杂物');
  await openCase(inGa, '流动摊贩占道');
  const public1 = await t.call('POST', '/cases', 'zhihui', { source: 'public', kindCode: 'E0501', description: '群众举报占道', ...inYc });
  assert.equal(public1.statusCode, 201);
  const after = (await t.call('GET', '/screen', 'zhihui')).json();
  assert.equal(after.today.total - before.today.total, 3);
  assert.equal((after.today.byState.filing ?? 0) - (before.today.byState.filing ?? 0), 2, 'command cases go straight to 立案');
  assert.equal((after.today.byState.verifying ?? 0) - (before.today.byState.verifying ?? 0), 1, 'a public report is verified first');
  assert.equal((after.today.bySource.command ?? 0) - (before.today.bySource.command ?? 0), 2);
  assert.equal((after.today.bySource.public ?? 0) - (before.today.bySource.public ?? 0), 1);
  assert.equal(after.open - before.open, 3);
  const kind = after.topKinds.find((k: { kindCode: string }) => k.kindCode === 'E0501');
  assert.ok(kind && kind.count >= 3 && kind.nameZh.length > 0);
  const ga = after.districts.find((d: { divisionCode: string }) => d.divisionCode === '511602000000');
  const yc = after.districts.find((d: { divisionCode: string }) => d.divisionCode === '511621000000');
  assert.ok(ga.today >= 2 && yc.today >= 1);
  assert.ok(after.districts.indexOf(ga) < after.districts.indexOf(yc), 'ranked by today\'s cases');
  assert.ok(after.points.some((p: { lon: number }) => p.lon === inYc.lon));
  const ycAfter = (await t.call('GET', '/screen', 'yc_zhihui')).json();
  assert.equal(ycAfter.today.total - ycBefore.today.total, 1, 'a county sees its own cases only');
  assert.ok(ycAfter.districts.every((d: { divisionCode: string }) => d.divisionCode === '511621000000'));
  // Overdue: a case whose step limit has passed.
  await t.db.query(`UPDATE cityops_cases SET due_at = now() - interval '1 hour' WHERE id = $1`, [public1.json().id]);
  const overdue = (await t.call('GET', '/screen', 'zhihui')).json();
  assert.equal(overdue.overdue - after.overdue, 1);
  assert.equal((await t.call('GET', '/screen', 'inspector')).statusCode, 200, 'overseers read the screen');
});

test('GET /screen/stream delivers case changes and sensor alarms of the caller\'s area only, and ends with the client', async () => {
  assert.equal((await fetch(`${base}/screen/stream`)).status, 401);
  assert.equal((await fetch(`${base}/screen/stream`, { headers: { cookie: t.cookies.ga_cg! } })).status, 403);
  const city = await openStream('zhihui');
  const county = await openStream('yc_zhihui');
  try {
    const inGaCase = await openCase(inGa, '广安区井盖缺失');
    const opened = await city.waitFor((r) => r.event === 'case' && r.data.id === inGaCase.id);
    assert.deepEqual([opened.data.action, opened.data.state, opened.data.source, opened.data.divisionCode], ['opened', 'filing', 'command', '511602001000']);
    const filed = await t.call('POST', `/cases/${inGaCase.id}/file`, 'jiandu', {});
    assert.equal(filed.statusCode, 200);
    const moved = await city.waitFor((r) => r.event === 'case' && r.data.id === inGaCase.id && r.data.action === 'filed');
    assert.equal(moved.data.state, 'dispatching');

    await register('MT-SCR1', inGa, 'ga_admin');
    for (const seq of [1, 2]) assert.equal((await t.call('POST', '/sensors/readings', undefined, reading('MT-SCR1', seq, 30))).statusCode, 200);
    const alarm = await city.waitFor((r) => r.event === 'alarm' && r.data.deviceCode === 'MT-SCR1');
    assert.deepEqual([alarm.data.change, alarm.data.rule, alarm.data.divisionCode], ['raised', 'tilted', '511602001000']);
    assert.match(String(alarm.data.description), /MT-SCR1/);
    // The alarm's case, opened right after, reaches the screen too.
    await city.waitFor((r) => r.event === 'case' && r.data.source === 'sensor');

    const inYcCase = await openCase(inYc, '岳池县占道经营');
    await county.waitFor((r) => r.event === 'case' && r.data.id === inYcCase.id);
    await city.waitFor((r) => r.event === 'case' && r.data.id === inYcCase.id);
    assert.ok(county.received.every((r) => r.event === 'ready' || String(r.data.divisionCode).startsWith('511621')),
      'the county\'s screen heard nothing of 广安区');
    assert.ok(!county.received.some((r) => r.data.deviceCode === 'MT-SCR1'));
  } finally {
    city.close();
    county.close();
  }
  // The streams' subscriptions are gone once the clients left, and the listening connection with them.
  const feed = screenFeed(t.db);
  for (let i = 0; i < 100 && feed.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(feed.size, 0);
  const listening = async () => (await t.db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN cityops_screen'`)).rows[0].n as number;
  for (let i = 0; i < 100 && (await listening()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await listening(), 0, 'the connection stopped listening');
});

test('一键调度: issue, refusals naming the field, acknowledgement by the unit, never by the issuer; escalation by the sweep; ledger entries', async () => {
  const c = await openCase(inGa, '道路积水需排涝');
  const body = { caseId: c.id, departmentId: t.departments.gaUrban, instruction: '立即派员到场处置', ackMinutes: 10 };
  assert.equal((await t.call('POST', '/orders', undefined, body)).statusCode, 401);
  for (const [change, status, field] of [
    [{ caseId: undefined }, 400, 'caseId'],
    [{ sensorEventId: 1 }, 400, 'caseId'],
    [{ ackMinutes: 0 }, 400, 'ackMinutes'],
    [{ ackMinutes: 2000 }, 400, 'ackMinutes'],
    [{ instruction: '   ' }, 400, 'instruction'],
    [{ departmentId: 999999 }, 400, 'departmentId'],
    [{ departmentId: t.departments.ycUrban }, 400, 'departmentId'],
    [{ departmentId: t.desks.command }, 400, 'departmentId'],
    [{ caseId: 999999 }, 404, 'caseId'],
  ] as const) {
    const res = await t.call('POST', '/orders', 'zhihui', { ...body, ...change });
    assert.deepEqual([res.statusCode, res.json().field], [status, field], JSON.stringify(change));
  }
  assert.equal((await t.call('POST', '/orders', 'ga_cg', body)).statusCode, 403, 'a unit does not order');
  assert.equal((await t.call('POST', '/orders', 'jiandu', body)).statusCode, 403, 'nor the supervision centre');
  assert.equal(await ledgerCount(t.db, 'cityops.order.issued'), 0, 'refusals wrote nothing');

  const stream = await openStream('zhihui');
  try {
    const issued = await t.call('POST', '/orders', 'zhihui', body);
    assert.equal(issued.statusCode, 201, issued.body);
    const order = issued.json();
    assert.deepEqual([order.state, order.departmentName, order.caseCode, order.ackMinutes, order.abilities.acknowledge],
      ['issued', '广安区综合执法局', c.code, 10, false]);
    assert.equal(new Date(order.ackDueAt).getTime() - new Date(order.issuedAt).getTime(), 10 * 60_000);
    await stream.waitFor((r) => r.event === 'order' && r.data.id === order.id && r.data.action === 'issued');
    const screen = (await t.call('GET', '/screen', 'zhihui')).json();
    assert.ok(screen.orders.some((o: { id: number }) => o.id === order.id), 'the open order is on the screen');

    const mine = (await t.call('GET', '/orders?mine=true&open=true', 'ga_cg')).json();
    assert.deepEqual(mine.items.map((o: { id: number; abilities: { acknowledge: boolean } }) => [o.id, o.abilities.acknowledge]), [[order.id, true]]);
    assert.equal((await t.call('GET', '/orders?mine=true', 'yc_cg')).json().items.length, 0);
    assert.equal((await t.call('GET', '/orders', 'ga_cg')).statusCode, 403, 'the area\'s orders are for the screen');
    assert.equal((await t.call('POST', `/orders/${order.id}/acknowledge`, 'yc_cg', {})).statusCode, 404, 'another unit does not see it');
    assert.equal((await t.call('POST', `/orders/${order.id}/acknowledge`, 'zhihui', {})).json().code, 'cityops.order.own-order');
    assert.equal((await t.call('POST', `/orders/${order.id}/acknowledge`, 'zhihui2', {})).json().code, 'cityops.order.not-addressee');
    const badNote = await t.call('POST', `/orders/${order.id}/acknowledge`, 'ga_cg', { note: 'x'.repeat(501) });
    assert.deepEqual([badNote.statusCode, badNote.json().field], [400, 'note']);
    const acked = await t.call('POST', `/orders/${order.id}/acknowledge`, 'ga_cg', { note: '已派两名队员前往' });
    assert.equal(acked.statusCode, 200, acked.body);
    assert.deepEqual([acked.json().state, acked.json().acknowledgedByName, acked.json().ackNote], ['acknowledged', 'ga_cg', '已派两名队员前往']);
    await stream.waitFor((r) => r.event === 'order' && r.data.id === order.id && r.data.action === 'acknowledged');
    assert.equal((await t.call('POST', `/orders/${order.id}/acknowledge`, 'ga_cg', {})).statusCode, 409);
    assert.equal(await escalateOrders(t.db, new Date(Date.now() + 3_600_000)), 0, 'an acknowledged order is not escalated');

    // Not acknowledged in time: the sweep escalates it to the command centre (the unit has no superior).
    const late = (await t.call('POST', '/orders', 'zhihui', { ...body, ackMinutes: 5 })).json();
    assert.equal(await escalateOrders(t.db, new Date(Date.now() + 4 * 60_000)), 0, 'not before the limit');
    assert.equal(await escalateOrders(t.db, new Date(Date.now() + 6 * 60_000)), 1);
    await stream.waitFor((r) => r.event === 'order' && r.data.id === late.id && r.data.action === 'escalated');
    const escalated = (await t.call('GET', '/orders?open=true', 'zhihui')).json().items.find((o: { id: number }) => o.id === late.id);
    assert.deepEqual([escalated.state, escalated.escalatedToDepartmentId, escalated.escalatedToName], ['escalated', t.desks.command, '市城市管理指挥中心']);
    assert.equal(await escalateOrders(t.db, new Date(Date.now() + 60 * 60_000)), 0, 'escalated once');
    // Now at the command centre: its issuer still may not acknowledge it, a colleague may.
    assert.equal((await t.call('POST', `/orders/${late.id}/acknowledge`, 'zhihui', {})).json().code, 'cityops.order.own-order');
    const byColleague = await t.call('POST', `/orders/${late.id}/acknowledge`, 'zhihui2', {});
    assert.equal(byColleague.json().state, 'acknowledged');
  } finally {
    stream.close();
  }
  assert.equal(await ledgerCount(t.db, 'cityops.order.issued'), 2);
  assert.equal(await ledgerCount(t.db, 'cityops.order.acknowledged'), 2);
  assert.equal(await ledgerCount(t.db, 'cityops.order.escalated'), 1);
});

test('an order on a sensor alarm; the departments the command centre may order', async () => {
  const { rows: [event] } = await t.db.query(`SELECT id::int FROM cityops_sensor_events ORDER BY id DESC LIMIT 1`);
  assert.ok(event, 'the stream test raised an alarm');
  const res = await t.call('POST', '/orders', 'zhihui', { sensorEventId: event.id, departmentId: t.departments.gaWater, instruction: '核查井盖', ackMinutes: 15 });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual([res.json().deviceCode, res.json().caseId], ['MT-SCR1', null]);
  const ycEvent = await t.call('POST', '/orders', 'yc_zhihui', { sensorEventId: event.id, departmentId: t.departments.ycUrban, instruction: 'x', ackMinutes: 15 });
  assert.deepEqual([ycEvent.statusCode, ycEvent.json().field], [404, 'sensorEventId'], 'an alarm outside the area is not found');
  const departments = (await t.call('GET', '/screen/departments', 'zhihui')).json().items as { id: number; kind: string }[];
  assert.ok(departments.some((d) => d.id === t.departments.gaUrban));
  assert.ok(!departments.some((d) => d.kind === 'city-command'));
  assert.equal((await t.call('GET', '/screen/departments', 'ga_cg')).statusCode, 403);
});

/** A screen message about case `id` (not stored) in 广安区, for the outbox alone. */
const message = (id: number, action: string) => caseMessage({ id, code: `T${id}`, state: 'filing', source: 'command', kindCode: 'E0501',
  divisionCode: '511602001000', ...inGa }, action, new Date());
const queued = async () => (await t.db.query('SELECT count(*)::int AS n FROM cityops_screen_outbox')).rows[0].n as number;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the outbox: a change rolled back publishes nothing, a committed one arrives once', async () => {
  const stream = await openStream('zhihui');
  try {
    await assert.rejects(withTransaction(t.db, async (tx) => {
      await notifyScreen(tx, [message(-1, 'cityops.case.opened')]);
      throw new Error('the change fails');
    }), /the change fails/);
    await withTransaction(t.db, (tx) => notifyScreen(tx, [message(-2, 'cityops.case.opened')]));
    await stream.waitFor((r) => r.data.id === -2);
    await pause(200); // ten relay periods: a second delivery or the rolled-back message would have come
    assert.deepEqual(stream.received.filter((r) => r.event === 'case' && Number(r.data.id) < 0).map((r) => [r.data.id, r.data.action]), [[-2, 'opened']]);
    assert.equal(await queued(), 0, 'the relay emptied the outbox');
  } finally {
    stream.close();
  }
});

test('the outbox: what a stopped process left is published by the next relay; concurrent relays publish each message once', async () => {
  const stream = await openStream('zhihui');
  try {
    await relay!.stop();
    await withTransaction(t.db, (tx) => notifyScreen(tx, [message(-10, 'cityops.case.opened'), message(-10, 'cityops.case.filed')]));
    await pause(100);
    assert.equal(await queued(), 2, 'kept while no relay runs');
    assert.ok(!stream.received.some((r) => r.data.id === -10));
    relay = startScreenRelay(t.db, { intervalMs: 20 });
    await stream.waitFor((r) => r.data.id === -10 && r.data.action === 'filed');
    assert.deepEqual(stream.received.filter((r) => r.data.id === -10).map((r) => r.data.action), ['opened', 'filed'], 'in the order written');

    // A backlog taken by four relays at once: SKIP LOCKED gives each its own rows.
    await relay.stop();
    const ids = Array.from({ length: 300 }, (_, i) => -100 - i);
    await withTransaction(t.db, (tx) => notifyScreen(tx, ids.map((id) => message(id, 'cityops.case.opened'))));
    const published = await Promise.all(Array.from({ length: 4 }, async () => {
      let n = 0;
      for (let got; (got = await relayScreenMessages(t.db, 25)) > 0;) n += got;
      return n;
    }));
    assert.equal(published.reduce((a, b) => a + b, 0), 300);
    await stream.waitFor((r) => r.data.id === ids.at(-1));
    await pause(100);
    const seen = stream.received.filter((r) => Number(r.data.id) <= -100).map((r) => Number(r.data.id));
    assert.deepEqual(seen.sort((a, b) => b - a), ids, 'each message once');
    assert.equal(await queued(), 0);
  } finally {
    relay = startScreenRelay(t.db, { intervalMs: 20 });
    stream.close();
  }
});
