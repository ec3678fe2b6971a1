/**
 * 12345 and city operations. A ticket of a city-management category (cityops_hotline_categories, e.g.
 * 垃圾清运 → 暴露垃圾) becomes a case: the hotline centre turns it over, or the sweep does for categories
 * marked `auto`. The ticket is dispatched to the command centre with the case's number in its history; as
 * the case goes on, the ticket follows (cases.ts `followOnTicket`): 立案 signs for it (签收), a passed 核查
 * answers the caller with the unit's reply (答复), 结案 closes it (办结); a case not filed or not found on site
 * hands it back to the hotline centre (退单) with the reason. The hotline is used through its index only.
 */
import { assertCan, systemActor, type Ctx } from '../kernel/auth/index.ts';
import { withTransaction, type Db, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { dispatchTicket, findCategory, findTicket, listTickets } from '../hotline/index.ts';
import { activeKind, areasAbove, type Urgency } from './case-kinds.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { openHotlineCase, type Case } from './cases.ts';
import { assertDesk, cityopsActions, deskKinds } from './policy.ts';

/** The defaults a city starts from; it changes kinds and `auto` through the API. */
const defaultCategories: [string, string, boolean][] = [
  ['CG-SRHW-LJQY', 'E0102', true], ['CG-SRHW-ZDJY', 'E0501', true], ['CG-WZJS', 'E0101', false], ['CG-YLLH', 'E0106', false],
  ['CG-SZSS-LD', 'C0117', false], ['CG-SZSS-PS', 'C0103', false],
];

export async function prepareHotlineCategories(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO cityops_hotline_categories (category_code, kind_code, auto) SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[])
     ON CONFLICT DO NOTHING`, [defaultCategories.map((c) => c[0]), defaultCategories.map((c) => c[1]), defaultCategories.map((c) => c[2])]);
}

export interface HotlineCategory {
  categoryCode: string;
  kindCode: string;
  auto: boolean;
}

export async function listHotlineCategories(db: Queryable): Promise<HotlineCategory[]> {
  return (await db.query<HotlineCategory>('SELECT category_code AS "categoryCode", kind_code AS "kindCode", auto FROM cityops_hotline_categories ORDER BY 1')).rows;
}

/** Maps a 12345 category to a case kind, and says whether its tickets become cases by themselves (command centre). */
export async function setHotlineCategory(ctx: Ctx, input: HotlineCategory): Promise<HotlineCategory> {
  await assertDesk(ctx.tx, ctx.actor, cityopsActions.dispatchManage, 'command');
  if (!(await findCategory(ctx.tx, { code: input.categoryCode })))
    throw new DomainError('cityops.case.unknown-category', { field: 'categoryCode' }, `no 12345 category ${input.categoryCode}`);
  await activeKind(ctx.tx, input.kindCode);
  await ctx.tx.query(
    `INSERT INTO cityops_hotline_categories (category_code, kind_code, auto, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (category_code) DO UPDATE SET kind_code = EXCLUDED.kind_code, auto = EXCLUDED.auto, updated_at = EXCLUDED.updated_at`,
    [input.categoryCode, input.kindCode, input.auto, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.hotline-category.set', object: { type: 'hotline-category', id: input.categoryCode },
    payload: input, at: ctx.now });
  return input;
}

/** The case kind of a ticket's category: the mapping of the category or its nearest ancestor. */
async function kindForTicket(db: Queryable, ancestry: readonly number[]): Promise<HotlineCategory | null> {
  let best: { depth: number; mapping: HotlineCategory } | null = null;
  for (const mapping of await listHotlineCategories(db)) {
    const category = await findCategory(db, { code: mapping.categoryCode });
    const depth = category ? ancestry.indexOf(category.id) : -1;
    if (depth >= 0 && (!best || depth > best.depth)) best = { depth, mapping };
  }
  return best?.mapping ?? null;
}

/**
 * 转数字城管: a received 12345 ticket of a city-management category becomes a case (waiting for 核实), and the
 * ticket is dispatched to the command centre with the case's number. The hotline's dispatch rules decide
 * who may (the hotline centre, or the platform).
 */
export async function caseFromTicket(ctx: Ctx, input: { ticketId: number; kindCode?: string; urgency?: Urgency }): Promise<Case> {
  assertCan(ctx.actor, 'hotline.ticket.dispatch');
  const ticket = await findTicket(ctx.tx, input.ticketId, { lock: true });
  if (!ticket || !ctx.actor.jurisdiction.covers(ticket.divisionCode))
    throw new DomainError('cityops.ticket.not-found', { status: 404, field: 'ticketId' }, `no ticket ${input.ticketId}`);
  const mapping = await kindForTicket(ctx.tx, ticket.categoryAncestry);
  if (!mapping) throw new DomainError('cityops.case.not-city-category', { field: 'ticketId', category: ticket.categoryCode }, `${ticket.categoryPath.join(' › ')} is not city management`);
  if (ticket.lon === null || ticket.lat === null)
    throw new DomainError('cityops.case.ticket-without-place', { field: 'ticketId' }, 'the ticket has no point on the map to check on site');
  const { rows } = await ctx.tx.query<{ id: number }>(
    `SELECT id::int FROM departments WHERE kind = $1 AND division_code = ANY($2::text[]) ORDER BY length(rtrim(division_code, '0')) DESC LIMIT 1`,
    [deskKinds.command, areasAbove(ticket.divisionCode)]);
  if (!rows[0]) throw new DomainError('cityops.case.no-command-centre', { field: 'ticketId' }, 'no command centre serves the ticket\'s area');
  const c = await openHotlineCase(ctx, { kindCode: input.kindCode ?? mapping.kindCode, urgency: input.urgency ?? (ticket.urgency === 'urgent' ? 'urgent' : 'normal'),
    description: ticket.description, address: ticket.address ?? '', lon: ticket.lon, lat: ticket.lat, divisionCode: ticket.divisionCode,
    sourceRef: ticket.number, hotlineTicketId: ticket.id });
  await dispatchTicket(ctx, { ticketId: ticket.id, departmentId: rows[0].id, note: `转数字城管案件 ${c.code}` });
  return c;
}

const actor = systemActor('cityops.hotline');

/** Turns over the received tickets of `auto` categories (oldest first, a hundred a category per run); returns how many. */
export async function sweepHotlineCases(db: Db, now: Date): Promise<number> {
  let opened = 0;
  for (const mapping of (await listHotlineCategories(db)).filter((m) => m.auto)) {
    const { items } = await listTickets(db, actor, { state: ['received'], categoryCode: mapping.categoryCode, sort: 'deadline', limit: 100 }, now);
    for (const ticket of items) {
      if (ticket.lon === null || ticket.emergency) continue; // the centre decides those by hand
      try {
        await withTransaction(db, (tx) => caseFromTicket({ tx, actor, now }, { ticketId: ticket.id }));
        opened++;
      } catch (error) {
        // A ticket that cannot become a case (no command centre for its area) stays with the hotline centre.
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }
  return opened;
}
