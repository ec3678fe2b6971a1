/**
 * The demo's 数据铁笼: the rule library, and a month of generated acts by the city's staff with planted
 * misconduct among them, so the inspectors have alerts waiting once the stream has read them (seconds after start).
 */
import { systemActor } from '../kernel/auth/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { generateHistory, queueHistory } from './history.ts';
import { installLibrary } from './rulebook.ts';

/** The demo's generated history: small enough to load in a moment, two planted cases of each kind. */
const demoEntries = 6000;
const demoPlanted = 30;

export async function loadOversightDemo({ tx, seed, cityCode }: DemoContext): Promise<Record<string, unknown>> {
  const ctx = { tx, actor: systemActor('demo'), now: new Date() };
  const rules = await installLibrary(ctx);
  // Generated officers are the city's staff without a demo login, so that the walkthrough accounts stay clean.
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id::text FROM users WHERE kind = 'staff' AND division_code LIKE $1 AND password_hash = '!' ORDER BY id`, [`${divisionPrefix(cityCode)}%`]);
  const history = generateHistory({ seed, entries: demoEntries, planted: demoPlanted, end: ctx.now, staff: rows.map((r) => r.id) });
  // Data-hub calls are left out: each must have its evidence record, which only the hub's gateway writes.
  const acts = history.acts.filter((a) => !a.action.startsWith('hub.call.'));
  await queueHistory(tx, acts);
  const summary = { oversightRules: rules, oversightHistoryActs: acts.length, oversightPlanted: history.planted.length };
  await appendToLedger(tx, { actor: ctx.actor, action: 'oversight.demo.loaded', payload: summary, at: ctx.now });
  return summary;
}
