/**
 * Demo data of the hotline for the demo city: the classifier's category tree (GB/T 39666-2020 first level,
 * the city's entries below), a dispatch catalogue sending each category that names a department kind to the
 * county department of that kind (the city's where a county has none), its time limits, and a few
 * hundred tickets spread over the last weeks in every state, made by the same commands staff use, as
 * the system actor `demo`, so their history and ledger entries are real. Deterministic from the seed.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { createHash } from 'node:crypto';
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Tx } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import type { Polygon } from '../kernel/org/index.ts';
import { createCategory, findCategory, setDispatchRule, setTimeLimit, type CreateCategory } from './catalogue.ts';
import { zhCategories, zhExamples, type TimeLimitOfCategory } from './classifier/index.ts';
import { mergeTickets } from './duplicates.ts';
import type { TicketKind, Urgency } from './states.ts';
import { createTicket } from './intake.ts';
import type { Ticket } from './tickets.ts';
import {
  acceptTicket, answerTicket, callbackTicket, closeTicket, dispatchTicket, redispatchTicket, replyTicket, returnTicket,
} from './workflow.ts';

/**
 * 诉求分类 of the demo: the classifier's tree (classifier/data/categories.json), so its examples are
 * labelled with the codes tickets are filed under; its synonyms are the keywords.
 */
export const demoCategories: CreateCategory[] = zhCategories.map(({ code, name, parent, synonyms }) => ({
  code, name, keywords: synonyms.join(','), ...(parent === undefined ? {} : { parentCode: parent }) }));

/**
 * What the operator writes down at a 回访, agreeing with the outcome; one satisfied callback in 120 is recorded over
 * the caller's complaint (满意 over 「还是没人来修」), for the oversight rule on the two contradicting each other.
 * Chosen by the callback's number, not the generator, so that the rest of the demo stays as it was.
 */
function callbackNote(failed: boolean, satisfaction: string, n: number): string | undefined {
  if (!failed) return n % 120 === 119 ? '还是没人来修' : ['已解决，满意', '处理及时，感谢', undefined, '已经修好了'][n % 4];
  return satisfaction === 'dissatisfied' ? ['问题还在，不满意', '没人来处理', '还是老样子', undefined][n % 4] : ['已有处理，基本认可', undefined][n % 2];
}

/** Adds the demo's categories that are missing, with their time limits; returns how many were added. */
export async function loadDemoCategories(ctx: Ctx): Promise<number> {
  let added = 0;
  for (const [i, category] of demoCategories.entries()) {
    if (await findCategory(ctx.tx, { code: category.code })) continue;
    await createCategory(ctx, category);
    added++;
    for (const [urgency, limit] of Object.entries(zhCategories[i]!.timeLimits ?? {}) as [Urgency, TimeLimitOfCategory][])
      await setTimeLimit(ctx, { categoryCode: category.code, urgency, ...limit });
  }
  return added;
}

/** A small deterministic generator (mulberry32) seeded from the seed text. */
function rngOf(seed: string) {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '平', '刚'];
const streets = ['建设路', '人民路', '解放路', '滨河路', '中心街', '育才路', '长乐街', '金安大道', '城南大道', '兴平路'];
const replies = ['已派人现场处理完毕，并告知来电人。', '经核实情况属实，已责令整改到位。', '已协调相关单位处理，后续加强巡查。',
  '已向来电人解释相关政策，来电人表示理解。'];

export interface HotlineDemoSummary {
  categories: number;
  dispatchRules: number;
  tickets: number;
  byState: Record<string, number>;
}

/**
 * Loads the hotline demo into a city already loaded in `tx` (divisions, departments, grids). Categories
 * that exist already are kept. Tickets fall in the grids under `cityCode`, received over the 30 days
 * before `now`.
 */
export async function loadHotlineDemo(tx: Tx, opts: { seed: string; cityCode?: string; tickets?: number; now?: Date }): Promise<HotlineDemoSummary> {
  const actor = systemActor('demo');
  const now = opts.now ?? new Date();
  const cityCode = opts.cityCode ?? '511600000000';
  const rng = rngOf(`${opts.seed}/hotline`);
  const at = (time: Date): Ctx => ({ tx, actor, now: time });
  const setupCtx = at(now);

  const categories = await loadDemoCategories(setupCtx);
  // The demo's complaints are the classifier's examples, each under the category it is labelled with.
  const textsOf = new Map<string, string[]>();
  for (const { text, label } of zhExamples()) textsOf.set(label, [...(textsOf.get(label) ?? []), text]);
  const leaves = [...textsOf].map(([code, texts]) => ({ code, texts }));

  // 派单目录: each category listed to the department of its kind, per county and for the city as a fallback.
  const { rows: departments } = await tx.query<{ id: number; kind: string; divisionCode: string; level: string }>(
    `SELECT d.id::int, d.kind, d.division_code AS "divisionCode", v.level FROM departments d JOIN divisions v ON v.code = d.division_code
      WHERE d.division_code LIKE $1 AND v.level IN ('city', 'county') ORDER BY d.id`, [`${divisionPrefix(cityCode)}%`]);
  let dispatchRules = 0;
  for (const { code: categoryCode, departmentKind: kind } of zhCategories)
    for (const department of departments.filter((d) => d.kind === kind)) {
      await setDispatchRule(setupCtx, { categoryCode, divisionPrefix: divisionPrefix(department.divisionCode), departmentId: department.id });
      dispatchRules++;
    }
  const fallback = departments.find((d) => d.kind === 'urban-management' && d.level === 'city')?.id;

  const { rows: grids } = await tx.query<{ code: string; divisionCode: string; name: string; geometry: Polygon }>(
    `SELECT g.code, g.division_code AS "divisionCode", v.name, g.geometry FROM grids g JOIN divisions v ON v.code = g.division_code
      WHERE g.division_code LIKE $1 ORDER BY g.code`, [`${divisionPrefix(cityCode)}%`]);
  const byState: Record<string, number> = {};
  const count = grids.length === 0 ? 0 : opts.tickets ?? 900;
  const made: Ticket[] = [];

  // Each department works to its own standard: the share of its callers left unresolved or dissatisfied, and how slowly it signs for tickets.
  const failureShares = new Map<number | null, number>();
  const failureShareOf = (departmentId: number | null) => {
    if (!failureShares.has(departmentId)) failureShares.set(departmentId, 0.1 + rng.next() * 0.4);
    return failureShares.get(departmentId)!;
  };
  /**
   * 回访 until the caller is content, the ticket is handed to supervision, or it is still being reworked:
   * a bad callback reopens it (重办), and a ticket that failed once is much harder to put right.
   */
  let callbacks = 0;
  const callBack = async (departmentId: number | null, ticketId: number, step: (hours: number) => Date) => {
    let failure = failureShareOf(departmentId);
    for (;;) {
      const failed = rng.next() < failure;
      const satisfaction = failed ? rng.pick(['dissatisfied', 'dissatisfied', 'basically-satisfied'] as const)
        : rng.pick(['satisfied', 'satisfied', 'satisfied', 'basically-satisfied'] as const);
      const resolved = !failed || (satisfaction === 'dissatisfied' && rng.next() < 0.3);
      const answered = await callbackTicket(at(step(rng.int(4, 48))), { ticketId, resolved, satisfaction, note: callbackNote(failed, satisfaction, callbacks++) });
      if (answered.state === 'closed' || rng.next() < 0.1) return;
      await acceptTicket(at(step(rng.int(1, 8))), { ticketId });
      await replyTicket(at(step(rng.int(8, 72))), { ticketId, reply: rng.pick(replies) });
      await closeTicket(at(step(rng.int(1, 24))), { ticketId });
      failure = Math.max(failure, 0.8);
    }
  };

  for (let i = 0; i < count; i++) {
    const grid = rng.pick(grids);
    const outer = grid.geometry.coordinates[0]!;
    const [minLon, maxLon] = [Math.min(...outer.map((p) => p[0]!)), Math.max(...outer.map((p) => p[0]!))];
    const [minLat, maxLat] = [Math.min(...outer.map((p) => p[1]!)), Math.max(...outer.map((p) => p[1]!))];
    let point: [number, number] | null = null;
    for (let tries = 0; tries < 30 && !point; tries++) {
      const candidate: [number, number] = [minLon + rng.next() * (maxLon - minLon), minLat + rng.next() * (maxLat - minLat)];
      if (booleanPointInPolygon(candidate, grid.geometry)) point = candidate;
    }
    if (!point) continue;
    const leaf = rng.pick(leaves);
    const consultation = leaf.code === 'ZX-ZCZX' && rng.next() < 0.8;
    const kind: TicketKind = consultation ? 'consultation' : rng.pick(['complaint', 'complaint', 'help', 'report', 'suggestion'] as const);
    const anonymous = rng.next() < 0.08;
    let time = new Date(now.getTime() - rng.int(1, 30 * 24 * 60) * 60_000);
    const step = (hours: number) => (time = new Date(Math.min(now.getTime(), time.getTime() + hours * 3_600_000)));
    const ticket = await createTicket(at(time), {
      channel: rng.pick(['phone', 'phone', 'phone', 'web', 'app', 'wechat', 'mayor-mailbox'] as const), kind, categoryCode: leaf.code,
      urgency: rng.next() < 0.1 ? 'urgent' : 'normal', description: rng.pick(leaf.texts),
      lon: Math.round(point[0] * 1e6) / 1e6, lat: Math.round(point[1] * 1e6) / 1e6,
      address: `${grid.name}${rng.pick(streets)}${rng.int(1, 300)}号`, anonymous,
      callerName: anonymous ? undefined : `${rng.pick(surnames)}${rng.pick(givenNames)}`,
      callerPhone: anonymous ? undefined : `1${rng.pick(['38', '39', '58', '86', '77'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
    });
    made.push(ticket);
    const id = ticket.id;
    // How far it got: a ticket of the last days may be at any stage; an older one has mostly been closed.
    const old = now.getTime() - time.getTime() > 10 * 86_400_000 && rng.next() < 0.9;
    const roll = old ? 0.45 + rng.next() * 0.55 : rng.next();
    if (consultation) {
      if (roll < 0.8) await answerTicket(at(step(0.2)), { ticketId: id, answer: rng.pick(replies) });
    } else if (roll < 0.08) {
      // still 受理, waiting for dispatch
    } else if (roll < 0.13 && made.length > 1) {
      // The same problem, often filed under a neighbouring category: the latest open ticket of the same top-level category.
      const earlier = made.slice(0, -1).filter((m) => m.categoryCode.split('-')[0] === leaf.code.split('-')[0]).map((m) => m.id);
      const { rows: [main] } = await tx.query<{ id: number }>(
        `SELECT id::int FROM hotline_tickets WHERE id = ANY($1) AND state IN ('received', 'dispatched', 'accepted', 'returned') ORDER BY id DESC LIMIT 1`,
        [earlier]);
      if (main) await mergeTickets(at(step(0.5)), { mainId: main.id, duplicateIds: [id] });
    } else {
      // Refused (no dispatch rule for this place and category): the fallback department takes it.
      const dispatched = await dispatchTicket(at(step(rng.int(1, 6) / 2)), { ticketId: id, departmentId: undefined })
        .catch(async (error: unknown) => {
          if (!(error instanceof DomainError)) throw error;
          return fallback === undefined ? null : dispatchTicket(at(time), { ticketId: id, departmentId: fallback });
        });
      if (dispatched && roll >= 0.2) {
        if (roll < 0.26) {
          await returnTicket(at(step(rng.int(1, 20))), { ticketId: id, reasonCode: rng.pick(['not-our-duty', 'outside-area', 'unclear-request']) });
          if (roll < 0.23 && fallback !== undefined) await redispatchTicket(at(step(4)), { ticketId: id, departmentId: fallback });
        } else {
          await acceptTicket(at(step(rng.int(1, 24 + Math.round(failureShareOf(dispatched.departmentId) * 200)))), { ticketId: id });
          if (roll >= 0.35) {
            await replyTicket(at(step(rng.int(8, 48 + Math.round(failureShareOf(dispatched.departmentId) * 240)))), { ticketId: id, reply: rng.pick(replies) });
            if (roll >= 0.45) {
              await closeTicket(at(step(rng.int(1, 24))), { ticketId: id });
              if (roll >= 0.55) await callBack(dispatched.departmentId, id, step);
            }
          }
        }
      }
    }
  }
  const { rows } = await tx.query<{ state: string; n: number }>(
    'SELECT state, count(*)::int AS n FROM hotline_tickets WHERE id = ANY($1) GROUP BY state ORDER BY state', [made.map((m) => m.id)]);
  for (const row of rows) byState[row.state] = row.n;
  const summary = { categories, dispatchRules, tickets: made.length, byState };
  await appendToLedger(tx, { actor, action: 'hotline.demo.loaded', object: { type: 'demo', id: opts.seed }, payload: summary, at: now });
  return summary;
}

/** Removes the hotline's demo rows under a city (before its departments go); categories stay. */
export async function removeHotlineDemo(tx: Tx, cityCode = '511600000000'): Promise<number> {
  const under = `${divisionPrefix(cityCode)}%`;
  await tx.query('DELETE FROM hotline_dispatch_rules r USING departments d WHERE d.id = r.department_id AND d.division_code LIKE $1', [under]);
  await tx.query('UPDATE hotline_tickets SET main_ticket_id = NULL WHERE division_code LIKE $1', [under]);
  return (await tx.query('DELETE FROM hotline_tickets WHERE division_code LIKE $1', [under])).rowCount ?? 0;
}
