/**
 * Deadline timers: the sweep `hotline.deadlines` raises, for each deadline of an open ticket (accept 签收,
 * reply 答复, resolve 办结), a warning (预警) once `warningShare` of the working time to it has passed, a
 * reminder (催办) once it has passed, and for the resolve deadline a supervision (督办) once it has passed
 * by `supervisionAfterWorkingHours` working hours, which marks the ticket for the centre's supervision.
 * Each alert is a history event and a ledger entry, raised at most once per ticket, deadline, kind and due
 * time (a new deadline after 重办 or 延期 may alert again). The handling department sees its alerts, the
 * centre all in its jurisdiction.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar, type WorkCalendar } from '../kernel/calendar/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { hotlineSetting } from './catalogue.ts';
import { hotlineActions, isCentre, ticketScope } from './policy.ts';
import { actorRef, lockTicket, moveTicket } from './tickets.ts';

export const alertKinds = ['warning', 'reminder', 'supervision'] as const;
export type AlertKind = (typeof alertKinds)[number];
export type DeadlineName = 'accept' | 'reply' | 'resolve';

const alertActions: Record<AlertKind, string> = {
  warning: 'hotline.deadline.warning', reminder: 'hotline.deadline.reminder', supervision: 'hotline.deadline.supervision',
};
const deadlineNames: Record<DeadlineName, string> = { accept: '签收', reply: '答复', resolve: '办结' };
const kindNames: Record<AlertKind, string> = { warning: '预警', reminder: '催办', supervision: '督办' };

interface OpenTicket {
  id: number;
  state: string;
  receivedAt: Date;
  dispatchedAt: Date | null;
  reopenCount: number;
  acceptDue: Date | null;
  replyDue: Date;
  resolveDue: Date;
  /** `deadline:kind@due` of the alerts raised already. */
  raised: string[];
}

interface DueAlert {
  ticketId: number;
  deadline: DeadlineName;
  kind: AlertKind;
  due: Date;
}

const alertKey = (deadline: DeadlineName, kind: AlertKind, due: Date) => `${deadline}:${kind}@${due.getTime()}`;

/** Working hours from a fixed origin to an instant (negative before it): differences are working time between instants. */
export type WorkingClock = (instant: Date) => number;

/**
 * A working clock over the calendar, memoised per China day: a sweep reads it for every open ticket, and
 * each day's count from the origin is computed once.
 */
export function workingClock(calendar: WorkCalendar, origin: Date): WorkingClock {
  const atMidnight = new Map<string, number>();
  return (instant) => {
    const day = chinaDay(instant);
    const midnight = new Date(`${day}T00:00:00+08:00`);
    let base = atMidnight.get(day);
    if (base === undefined) atMidnight.set(day, base = calendar.workingHoursBetween(origin, midnight));
    return base + calendar.workingHoursBetween(midnight, instant);
  };
}

/**
 * The alerts due for a ticket at `now` that were not raised yet (pure). The reply and resolve clocks run
 * from receipt, or from the last 重办; the accept clock from dispatch. A warning is due once the working
 * time since the start is `warningShare` of the working time from the start to the deadline.
 */
export function dueAlerts(ticket: OpenTicket, now: Date, clock: WorkingClock, opts: { warningShare: number; supervisionAfterWorkingHours: number })
  : DueAlert[] {
  const since = ticket.reopenCount > 0 && ticket.dispatchedAt ? ticket.dispatchedAt : ticket.receivedAt;
  const clocks: { deadline: DeadlineName; due: Date; start: Date }[] = [];
  if (ticket.state === 'dispatched' && ticket.acceptDue && ticket.dispatchedAt)
    clocks.push({ deadline: 'accept', due: ticket.acceptDue, start: ticket.dispatchedAt });
  if (['received', 'dispatched', 'accepted', 'returned'].includes(ticket.state)) clocks.push({ deadline: 'reply', due: ticket.replyDue, start: since });
  clocks.push({ deadline: 'resolve', due: ticket.resolveDue, start: since });
  const worked = clock(now);
  const out: DueAlert[] = [];
  for (const { deadline, due, start } of clocks) {
    const add = (kind: AlertKind) => {
      if (!ticket.raised.includes(alertKey(deadline, kind, due))) out.push({ ticketId: ticket.id, deadline, kind, due });
    };
    if (now >= due) {
      add('reminder');
      if (deadline === 'resolve' && worked - clock(due) >= opts.supervisionAfterWorkingHours) add('supervision');
    } else {
      const begun = clock(start);
      if (worked - begun >= opts.warningShare * Math.max(0, clock(due) - begun)) add('warning');
    }
  }
  return out;
}

/** Raises one alert in its own transaction; false when another run raised it first. */
async function raiseAlert(db: Db, actor: Actor, alert: DueAlert, now: Date): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const ctx: Ctx = { tx, actor, now };
    const ticket = await lockTicket(tx, alert.ticketId);
    const { rows } = await tx.query(
      `INSERT INTO hotline_alerts (ticket_id, kind, deadline, due, at, department_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (ticket_id, deadline, kind, due) DO NOTHING RETURNING id`,
      [ticket.id, alert.kind, alert.deadline, alert.due, now, ticket.departmentId]);
    if (rows.length === 0) return false;
    await moveTicket(ctx, ticket, { action: alertActions[alert.kind], to: ticket.state,
      note: `${deadlineNames[alert.deadline]}${kindNames[alert.kind]}: ${alert.due.toISOString()}`,
      set: alert.kind === 'supervision' ? { needs_supervision: true } : {},
      payload: { deadline: alert.deadline, kind: alert.kind, due: alert.due.toISOString() } });
    return true;
  });
}

/** One pass of the timers at `now`: raises every alert that is due; returns how many it raised. */
export async function sweepDeadlines(db: Db, now: Date): Promise<number> {
  const opts = { warningShare: await hotlineSetting(db, 'warningShare'),
    supervisionAfterWorkingHours: await hotlineSetting(db, 'supervisionAfterWorkingHours') };
  const clock = workingClock(await loadCalendar(db), now);
  const { rows } = await db.query<OpenTicket>(
    `SELECT t.id::int, t.state, t.received_at AS "receivedAt", t.dispatched_at AS "dispatchedAt", t.reopen_count AS "reopenCount",
            t.accept_due AS "acceptDue", t.reply_due AS "replyDue", t.resolve_due AS "resolveDue",
            coalesce((SELECT array_agg(a.deadline || ':' || a.kind || '@' || round(extract(epoch FROM a.due) * 1000)::bigint)
                        FROM hotline_alerts a WHERE a.ticket_id = t.id), '{}') AS raised
       FROM hotline_tickets t WHERE t.state IN ('received', 'dispatched', 'accepted', 'returned', 'replied') AND t.imported_from IS NULL`);
  const actor = systemActor('hotline.deadlines');
  let raised = 0;
  for (const ticket of rows)
    for (const alert of dueAlerts(ticket, now, clock, opts))
      if (await raiseAlert(db, actor, alert, now)) raised++;
  return raised;
}

export interface Alert {
  id: number;
  ticketId: number;
  number: string;
  kind: AlertKind;
  deadline: DeadlineName;
  due: Date;
  at: Date;
  departmentId: number | null;
  read: boolean;
}

/**
 * The alerts the actor's desk gets, newest first: the centre's within its jurisdiction, a department's
 * its own; `unread` keeps those the actor has not marked read.
 */
export async function listAlerts(db: Queryable, actor: Actor, query: { unread?: boolean; limit?: number }): Promise<Alert[]> {
  assertCan(actor, hotlineActions.read);
  const params: unknown[] = [actorRef(actor)];
  const scope = await alertScope(db, actor, params);
  params.push(query.limit ?? 200);
  const { rows } = await db.query<Alert>(
    `SELECT a.id::int, a.ticket_id::int AS "ticketId", t.number, a.kind, a.deadline, a.due, a.at, a.department_id::int AS "departmentId",
            EXISTS (SELECT 1 FROM hotline_alert_reads r WHERE r.alert_id = a.id AND r.reader = $1) AS read
       FROM hotline_alerts a JOIN hotline_tickets t ON t.id = a.ticket_id
      WHERE ${scope} ${query.unread ? 'AND NOT EXISTS (SELECT 1 FROM hotline_alert_reads r WHERE r.alert_id = a.id AND r.reader = $1)' : ''}
      ORDER BY a.id DESC LIMIT $${params.length}`, params);
  return rows;
}

async function alertScope(db: Queryable, actor: Actor, params: unknown[]): Promise<string> {
  if (await isCentre(db, actor)) return ticketScope(actor, true, params);
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `a.department_id = $${params.length}`;
}

/** Marks an alert read for the actor; 404 for an alert outside the actor's desk. */
export async function markAlertRead(ctx: Ctx, input: { id: number }): Promise<{ id: number; read: true }> {
  assertCan(ctx.actor, hotlineActions.read);
  const params: unknown[] = [input.id];
  const scope = await alertScope(ctx.tx, ctx.actor, params);
  const { rowCount } = await ctx.tx.query(
    `SELECT 1 FROM hotline_alerts a JOIN hotline_tickets t ON t.id = a.ticket_id WHERE a.id = $1 AND ${scope}`, params);
  if (!rowCount) throw new DomainError('hotline.alert.not-found', { status: 404, id: input.id }, `alert ${input.id} not found`);
  await ctx.tx.query('INSERT INTO hotline_alert_reads (alert_id, reader, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [input.id, actorRef(ctx.actor), ctx.now]);
  return { id: input.id, read: true };
}
