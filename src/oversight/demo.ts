/**
 * The demo's 数据铁笼: the rule library, and a month of generated acts by the city's staff with planted
 * misconduct among them, so the inspectors have alerts waiting once the stream has read them (seconds after start).
 */
import { systemActor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { listItems } from '../services/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { generateHistory, queueHistory } from './history.ts';
import { installLibrary } from './rulebook.ts';

/** The demo's generated history: small enough to load in a moment, two planted cases of each kind. */
const demoEntries = 6000;
const demoPlanted = 40;

export async function loadOversightDemo({ tx, seed, cityCode }: DemoContext): Promise<Record<string, unknown>> {
  const ctx = { tx, actor: systemActor('demo'), now: new Date() };
  const rules = await installLibrary(ctx);
  // Generated officers are the city's staff without a demo login, so that the walkthrough accounts stay clean.
  const people = await historyPeople(tx, `${divisionPrefix(cityCode)}%`, true);
  const history = generateHistory({ seed, entries: demoEntries, planted: demoPlanted, end: ctx.now, ...people });
  // Data-hub calls are left out: each must have its evidence record, which only the hub's gateway writes.
  const acts = history.acts.filter((a) => !a.action.startsWith('hub.call.'));
  await queueHistory(tx, acts);
  const summary = { oversightRules: rules, oversightHistoryActs: acts.length, oversightPlanted: history.planted.length };
  await appendToLedger(tx, { actor: ctx.actor, action: 'oversight.demo.loaded', payload: summary, at: ctx.now });
  return summary;
}

/**
 * Who a generated history is about: the staff under a division (`like`, a LIKE pattern), with their divisions, and
 * the service items open online (those paying an amount named), so that its acts publish the facts their real entries
 * would (item, divisions, amount).
 */
export async function historyPeople(db: Queryable, like: string, withoutLogin = false):
  Promise<{ staff: string[]; divisions: string[]; items?: number[]; amountItems?: number[] }> {
  const { rows } = await db.query<{ id: string; division_code: string }>(
    `SELECT id::text, division_code FROM users WHERE kind = 'staff' AND division_code LIKE $1 ${withoutLogin ? `AND password_hash = '!'` : ''} ORDER BY id`, [like]);
  const { items } = await listItems(db, { limit: 500, offset: 0 });
  // Too few items to keep some for the planted ones: the generator's own ids.
  // The items whose approvals pay an amount come first, so that none is kept back for the planted items often rejected.
  const pays = items.filter((i) => i.amountKind !== null);
  return {
    staff: rows.map((r) => r.id), divisions: rows.map((r) => r.division_code),
    ...(items.length >= 10 && pays.length > 0 ? { items: [...pays, ...items.filter((i) => i.amountKind === null)].map((i) => i.id), amountItems: pays.map((i) => i.id) }
      : items.length >= 10 ? { items: items.map((i) => i.id) } : {}),
  };
}
