/**
 * The module contract: everything a module adds to the platform, in one typed manifest per module
 * (`src/<module>/module.ts`). `src/modules.ts` lists the manifests in dependency order; the server, the
 * CLI, the demo and the tests loop over that list, so adding a module is one folder plus one line.
 */
import type { Command } from 'commander';
import type { Role } from './auth/actor.ts';
import type { Config } from './config/index.ts';
import type { DemoLogin } from './auth/demo.ts';
import { declareAbilities, registerCapabilities, type CapabilityRule } from './auth/capabilities.ts';
import { grantToRoles } from './auth/policy.ts';
import type { Db, Tx } from './db/index.ts';
import type { DemoCity } from './demo/city.ts';
import type { App } from './http/index.ts';
import { registerMessages } from './http/messages.ts';
import { registerSubscriptions, type EventHandler, type JobHandler, type Sweep } from './jobs/index.ts';
import { registerLedgerActions, type ActionLabels } from './ledger/actions.ts';
import { reserveDepartmentKind } from './org/policy.ts';

/** What the routes of every module may read of the platform's settings. */
export interface RouteSettings {
  secureCookies: boolean;
}

/** A module's Fastify plugin and the prefix it is served under (none: its own absolute paths). */
export interface ModuleRoutes {
  prefix?: string;
  plugin: (app: App, settings: RouteSettings) => Promise<void>;
}

/** What a module's commands get from the command line: a migrated database for the command's run. */
export interface CliContext {
  withDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}

/** What a module's demo loader gets: the open transaction, the seed, the generated city and its logins' password. */
export interface DemoContext {
  tx: Tx;
  seed: string;
  city: DemoCity;
  /** Code (12 digits) of the demo city division: every demo row lies under it. */
  cityCode: string;
  password: string;
}

/**
 * A long-running part of a module that `yiwang start` runs beside the HTTP server (e.g. the sensors' MQTT broker),
 * started after the server answers and stopped before the database closes. Not started by the tests' apps.
 */
export interface ModuleService {
  name: string;
  /** Starts the service; the lines of `describe` are printed with the platform's address. */
  start(context: { db: Db; config: Config; log: (line: string) => void }): Promise<{ describe: string[]; stop(): Promise<void> }>;
}

export interface ModuleDemo {
  /** Logins the module's demo creates, printed after the kernel's. */
  logins?: readonly DemoLogin[];
  /** Loads the module's demo rows; what it returns joins the demo summary (printed, and in the ledger). */
  load(ctx: DemoContext): Promise<Record<string, unknown> | void>;
  /**
   * Removes the module's demo rows of the city; runs in reverse module order, so dependants go first.
   * What it returns (counts) goes into the ledger entry of the removal.
   */
  reset?(ctx: DemoContext): Promise<Record<string, unknown> | void>;
}

/**
 * Who may do what: the module's permission actions and the roles that hold them. Typed with the
 * module's own action union, so a misspelt action in `grants` does not typecheck.
 */
export interface ModulePermissions<A extends string> {
  actions: readonly A[];
  grants: Partial<Record<Role, readonly A[]>>;
}

export interface ModuleManifest<A extends string = string> {
  /** Short name, also the prefix of the module's problem codes and ledger actions. */
  name: string;
  /** The files of `migrations/` the module owns (global numbering, names never change once applied). */
  migrations: readonly string[];
  /** Titles of the module's problem codes. */
  messages?: Record<string, { zh: string; en: string }>;
  /** Names of the module's ledger actions. */
  ledgerActions?: ActionLabels;
  permissions?: ModulePermissions<A>;
  /** How the module's rules narrow or widen what the console offers an actor. */
  capabilities?: CapabilityRule;
  /** Abilities beyond granted actions that `capabilities` may add (e.g. `hotline.metrics.read`), so the API names them. */
  abilities?: readonly string[];
  /** Department kinds whose staff the module gives powers over other departments' work. */
  reservedDepartmentKinds?: readonly string[];
  routes?: readonly ModuleRoutes[];
  /** Work due because time passed, run on an interval by one process of the platform. */
  timers?: readonly Sweep[];
  /** Long-running parts started with the platform (see ModuleService). */
  services?: readonly ModuleService[];
  /** Durable jobs the module handles (queued in a command's transaction, handled after it commits). */
  jobs?: readonly JobHandler[];
  /** Events of other modules (or its own) the module reacts to. */
  events?: readonly EventHandler[];
  /** Adds the module's commands to the `yiwang` command line. */
  /**
   * Work a migrated database needs before the module serves (idempotent), run when the platform starts, after
   * the migrations and before the demo: e.g. the hotline's first classifier, trained from the examples it
   * ships, so that no request waits for it.
   */
  prepare?: (db: Db) => Promise<void>;
  cli?: (program: Command, context: CliContext) => void;
  demo?: ModuleDemo;
}

/** The grants of two parts of one module (e.g. the hub's catalogue and exchange), role by role. */
export function joinGrants<A extends string, B extends string>(a: Partial<Record<Role, readonly A[]>>, b: Partial<Record<Role, readonly B[]>>) {
  const out: Partial<Record<Role, readonly (A | B)[]>> = { ...a };
  for (const [role, actions] of Object.entries(b) as [Role, readonly B[]][]) out[role] = [...(out[role] ?? []), ...actions];
  return out;
}

/** Declares a manifest; the action union is inferred from `permissions.actions`. */
export const defineModule = <const A extends string>(manifest: ModuleManifest<A>): ModuleManifest<A> => manifest;

/** Every job and event queue the modules handle. */
export const queuesOf = (modules: readonly ModuleManifest[]): JobHandler[] => modules.flatMap((m) => [...(m.jobs ?? []), ...(m.events ?? [])]);

/** Every service of the modules. */
export const servicesOf = (modules: readonly ModuleManifest[]): ModuleService[] => modules.flatMap((m) => m.services ?? []);

/** Every timer of the modules. */
export const timersOf = (modules: readonly ModuleManifest[]): Sweep[] => modules.flatMap((m) => m.timers ?? []);

const installed = new Set<ModuleManifest>();

/**
 * Registers what the modules declare with the kernel: problem titles, ledger action names, role grants,
 * capability rules and reserved department kinds. Idempotent, so the server, the CLI and the tests may
 * each call it.
 */
export function installModules(modules: readonly ModuleManifest[]): void {
  for (const m of modules) {
    if (installed.has(m)) continue;
    installed.add(m);
    if (m.messages) registerMessages(m.messages);
    if (m.ledgerActions) registerLedgerActions(m.ledgerActions);
    if (m.permissions) grantToRoles(m.permissions.grants);
    if (m.capabilities) registerCapabilities(m.capabilities);
    if (m.abilities) declareAbilities(m.abilities);
    for (const kind of m.reservedDepartmentKinds ?? []) reserveDepartmentKind(kind);
    registerSubscriptions(m.events ?? []);
  }
}
