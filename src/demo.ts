/**
 * Loads the demo city 广安市 (src/kernel/demo) into the database: each module's manifest loads its own
 * part, in module order, in one transaction, as the system actor `demo`; removing it runs the modules'
 * resets in reverse order, so rows go before the rows they point at. The kernel_settings row `demo`
 * remembers the seed, so starting again does not load it twice.
 */
import { demoLogins, demoPassword, systemActor, type DemoLogin } from './kernel/auth/index.ts';
import { withTransaction, type Db, type Queryable, type Tx } from './kernel/db/index.ts';
import { generateCity } from './kernel/demo/index.ts';
import { appendToLedger } from './kernel/ledger/index.ts';
import { installModules, type DemoContext, type ModuleManifest } from './kernel/module.ts';
import { modules } from './modules.ts';

export { demoPassword } from './kernel/auth/index.ts';

/** Every demo login with a password: the kernel's, then each module's in module order. */
export const allDemoLogins = (of: readonly ModuleManifest[] = modules): DemoLogin[] =>
  [...demoLogins, ...of.flatMap((m) => m.demo?.logins ?? [])];


// Keeps two processes starting at once from both loading the demo.
const DEMO_LOCK = 7103;
const demoActor = systemActor('demo');

export type DemoSummary =
  | { skipped: true; seed: string; loadedAt: string }
  | { skipped: false; seed: string; [part: string]: unknown };

/** The seed and time of the demo in the database, or null when none was loaded. */
export async function demoLoaded(db: Queryable): Promise<{ seed: string; loadedAt: string } | null> {
  const { rows } = await db.query<{ value: { seed: string; loadedAt: string } }>(`SELECT value FROM kernel_settings WHERE name = 'demo'`);
  return rows[0]?.value ?? null;
}

/** Loads the demo city unless one is loaded already (then says so and changes nothing). */
export async function loadDemoCity(db: Db, opts: { seed: string; password?: string }, of: readonly ModuleManifest[] = modules): Promise<DemoSummary> {
  installModules(of);
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const loaded = await demoLoaded(tx);
    if (loaded) return { skipped: true, ...loaded };
    return insertCity(tx, of, opts.seed, opts.password ?? demoPassword);
  });
}

/**
 * `yiwang demo`: removes the loaded demo (every module's rows in its divisions, then the divisions
 * themselves, and the demo citizens) and loads the city of `seed`, in one transaction. The ledger keeps
 * its entries: it is append-only, and the removal is one more entry.
 */
export async function resetDemoCity(db: Db, seed: string, of: readonly ModuleManifest[] = modules): Promise<DemoSummary> {
  installModules(of);
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const loaded = await demoLoaded(tx);
    if (loaded) await removeCity(tx, of, loaded.seed);
    return insertCity(tx, of, seed, demoPassword);
  });
}

function contextOf(tx: Tx, seed: string, password: string): DemoContext {
  const city = generateCity(seed);
  return { tx, seed, city, cityCode: city.divisions.find((d) => d.level === 'city')!.code12, password };
}

async function removeCity(tx: Tx, of: readonly ModuleManifest[], seed: string): Promise<void> {
  const ctx = contextOf(tx, seed, demoPassword);
  const removed: Record<string, unknown> = {};
  for (const m of [...of].reverse()) Object.assign(removed, await m.demo?.reset?.(ctx));
  await tx.query(`DELETE FROM kernel_settings WHERE name = 'demo'`);
  await appendToLedger(tx, { actor: demoActor, action: 'demo.removed', object: { type: 'demo', id: seed }, payload: removed });
}

async function insertCity(tx: Tx, of: readonly ModuleManifest[], seed: string, password: string): Promise<DemoSummary> {
  const ctx = contextOf(tx, seed, password);
  const summary: DemoSummary = { skipped: false, seed };
  for (const m of of) Object.assign(summary, await m.demo?.load(ctx));
  await tx.query(`INSERT INTO kernel_settings (name, value) VALUES ('demo', $1)`,
    [JSON.stringify({ seed, loadedAt: new Date().toISOString() })]);
  await appendToLedger(tx, { actor: demoActor, action: 'demo.loaded', object: { type: 'demo', id: seed }, payload: summary });
  return summary;
}
