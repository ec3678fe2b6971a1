/**
 * What the console may offer a user. Roles grant actions, but some actions need more than a role: the
 * hotline centre's desks need a department of kind 'hotline', catalogue review the data bureau. A module
 * declares in its manifest how its own rules narrow (or add to) the actions of an actor, so the menu shows
 * only what the commands would accept; the commands still check for themselves.
 */
import type { Queryable } from '../db/index.ts';
import type { Actor } from './actor.ts';
import { grantedActions } from './policy.ts';

export interface CapabilityChange {
  /** Granted actions the module's rules refuse this actor. */
  withhold?: readonly string[];
  /** Abilities beyond the granted actions, e.g. `hotline.metrics.read` for whoever oversees a whole jurisdiction. */
  add?: readonly string[];
}

export type CapabilityRule = (db: Queryable, actor: Actor) => Promise<CapabilityChange>;

/** One rule from several (a module with more than one part): what any of them withholds or adds. */
export const joinCapabilities = (...parts: CapabilityRule[]): CapabilityRule => async (db, actor) => {
  const changes = await Promise.all(parts.map((rule) => rule(db, actor)));
  return { withhold: changes.flatMap((c) => c.withhold ?? []), add: changes.flatMap((c) => c.add ?? []) };
};

const rules: CapabilityRule[] = [];
const abilities = new Set<string>();

/** Names the abilities a module's rule may add, so the API can list every name the console may ask about. */
export function declareAbilities(names: readonly string[]): void {
  for (const name of names) abilities.add(name);
}

/** Every granted action and declared ability, sorted: what `capabilities` and `grants` may hold. */
export const permissionActions = (): string[] => [...new Set([...grantedActions(), ...abilities])].sort();

/** Registers a module's rule (its manifest's `capabilities`, through installModules). */
export function registerCapabilities(rule: CapabilityRule): void {
  if (!rules.includes(rule)) rules.push(rule);
}

/** The actor's granted actions less what module rules withhold, plus what they add, sorted. */
export async function capabilitiesOf(db: Queryable, actor: Actor): Promise<string[]> {
  if (actor.kind === 'anonymous') return [];
  const out = new Set(actor.grants);
  for (const change of await Promise.all(rules.map((rule) => rule(db, actor)))) {
    for (const action of change.withhold ?? []) out.delete(action);
    for (const ability of change.add ?? []) out.add(ability);
  }
  return [...out].sort();
}
