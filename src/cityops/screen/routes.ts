/**
 * 指挥大屏 (command-centre screen) and 一键调度 (one-click orders), under /api/v1/cityops: the snapshot, the live
 * stream (Server-Sent Events), the orders and their acknowledgement.
 */
import type { ServerResponse } from 'node:http';
import Type from 'typebox';
import { hasGrant } from '../../kernel/auth/index.ts';
import { runCommand, type App } from '../../kernel/http/index.ts';
import { sensorActions } from '../sensors/policy.ts';
import { OrderDepartmentsSchema, OrderSchema, OrdersSchema, ScreenSchema } from './api-schemas.ts';
import { closeScreenFeed, screenFeed, type ScreenMessage } from './feed.ts';
import { acknowledgeOrder, issueOrder, listOrders, MAX_ACK_MINUTES, orderDepartments, presentOrder } from './orders.ts';
import { assertScreen, screenSnapshot } from './snapshot.ts';

const tags = ['cityops'];
/** A comment line every so often keeps proxies from closing a quiet stream, and finds a client that has gone. */
export const HEARTBEAT_MS = 15_000;
/** A stream ends after this long; the browser reconnects, and the session is checked again. */
const STREAM_MS = 30 * 60_000;
/** A client this far behind (bytes not yet sent) is dropped rather than buffered: it reconnects and reads the snapshot. */
const MAX_BEHIND_BYTES = 1 << 20;

export async function screenRoutes(app: App) {
  const streams = new Set<() => void>();
  // Open streams would hold the server open: they end first, then the feed's connection goes back to the pool.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.addHook('onClose', async () => closeScreenFeed(app.db));

  app.get('/screen', { schema: { tags, summary: '指挥大屏 The screen\'s snapshot of the caller\'s area: today\'s cases, overdue, kinds, counties, alarms, orders',
    response: { 200: ScreenSchema } } },
  async (req) => {
    const snapshot = await screenSnapshot(app.db, req.actor, new Date());
    return { ...snapshot, orders: snapshot.orders.map((o) => presentOrder(o, req.actor)) };
  });

  app.get('/screen/stream', { schema: { tags, summary: '实时推送 Server-Sent Events of the caller\'s area: `case`, `alarm` and `order` changes as they commit' } },
  async (req, reply) => {
    await assertScreen(app.db, req.actor);
    const actor = req.actor;
    const seesAlarms = hasGrant(actor, sensorActions.read);
    const raw: ServerResponse = reply.raw;
    reply.hijack();
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
      'x-accel-buffering': 'no' });
    raw.write('retry: 3000\n\n');
    let unsubscribe: (() => void) | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      streams.delete(end);
      clearInterval(heartbeat);
      clearTimeout(limit);
      unsubscribe?.();
      raw.end();
    };
    const heartbeat = setInterval(() => raw.write(`: ${Date.now()}\n\n`), HEARTBEAT_MS);
    const limit = setTimeout(end, STREAM_MS);
    streams.add(end);
    raw.on('close', end);
    const send = (m: ScreenMessage) => {
      if (ended || !actor.jurisdiction.covers(m.divisionCode) || (m.type === 'alarm' && !seesAlarms)) return;
      if (raw.writableLength > MAX_BEHIND_BYTES) return end();
      raw.write(`event: ${m.type}\ndata: ${JSON.stringify(m)}\n\n`);
    };
    try {
      const off = await screenFeed(app.db, (line) => app.log.warn(line)).subscribe({ message: send, end });
      if (ended) off();
      else unsubscribe = off;
      // Subscribed: the client reads the snapshot now and misses nothing after it.
      if (!ended) raw.write(`event: ready\ndata: {}\n\n`);
    } catch (error) {
      app.log.warn(`screen stream: ${String(error)}`);
      end();
    }
  });

  app.get('/screen/departments', { schema: { tags, summary: 'The departments the command centre may order (一键调度)',
    response: { 200: OrderDepartmentsSchema } } },
  async (req) => ({ items: await orderDepartments(app.db, req.actor) }));

  app.get('/orders', {
    schema: { tags, summary: '调度指令 Orders addressed to the caller\'s department (`mine`), or those of the area on the screen; newest first',
      querystring: Type.Object({ mine: Type.Optional(Type.Boolean()), open: Type.Optional(Type.Boolean()) }), response: { 200: OrdersSchema } },
  }, async (req) => ({ items: (await listOrders(app.db, req.actor, req.query)).map((o) => presentOrder(o, req.actor)) }));

  app.post('/orders', {
    schema: { tags, summary: '一键调度 Order a department to act on a case or a sensor alarm, to acknowledge within `ackMinutes` (command centre)',
      body: Type.Object({ caseId: Type.Optional(Type.Integer({ minimum: 1 })), sensorEventId: Type.Optional(Type.Integer({ minimum: 1 })),
        departmentId: Type.Integer({ minimum: 1 }), instruction: Type.String({ minLength: 1, maxLength: 500 }),
        ackMinutes: Type.Integer({ minimum: 1, maximum: MAX_ACK_MINUTES }) }, { additionalProperties: false }),
      response: { 201: OrderSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, issueOrder, req.body, presentOrder);
  });

  app.post('/orders/:id/acknowledge', {
    schema: { tags, summary: '签收 The department ordered acknowledges (not the one who issued it)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: { 200: OrderSchema } },
  }, (req) => runCommand(req, acknowledgeOrder, { orderId: req.params.id, note: req.body.note ?? null }, presentOrder));
}
