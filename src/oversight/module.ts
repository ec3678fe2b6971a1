import { systemActor } from '../kernel/auth/index.ts';
import { printJson, wholeNumber } from '../kernel/cli.ts';
import { withTransaction } from '../kernel/db/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { defineModule } from '../kernel/module.ts';
import { historyPeople, loadOversightDemo } from './demo.ts';
import { generateHistory, queueHistory } from './history.ts';
import { oversightLedgerActions, oversightMessages } from './messages.ts';
import { disciplineKind, oversightActions, oversightCapabilities, oversightGrants, readOwnAlerts } from './policy.ts';
import { oversightRoutes } from './routes.ts';
import { installLibrary } from './rulebook.ts';
import { backfill, streamLedger } from './stream.ts';

/** 数据铁笼: risk rules over the ledger, alerts with their proofs, cases, integrity files. */
export const oversightModule = defineModule({
  name: 'oversight',
  migrations: ['0070_oversight.sql'],
  messages: oversightMessages,
  ledgerActions: oversightLedgerActions,
  permissions: { actions: Object.values(oversightActions), grants: oversightGrants },
  capabilities: oversightCapabilities,
  abilities: [readOwnAlerts],
  reservedDepartmentKinds: [disciplineKind],
  routes: [{ prefix: '/api/v1/oversight', plugin: oversightRoutes }],
  // Rules as entries arrive: the sequencer signs every 200 ms, the stream follows every 250 ms.
  timers: [{ name: 'oversight.stream', everyMs: 250, run: (db, now) => streamLedger(db, now) }],
  cli(program, { withDatabase }) {
    const oversight = program.command('oversight').description('数据铁笼: risk rules over the ledger');
    oversight.command('library').description('add the rule library\'s rules this installation lacks (dry-run and activated)')
      .action(() => withDatabase(async (db) => printJson({ added: await withTransaction(db, (tx) => installLibrary({ tx, actor: systemActor('cli'), now: new Date() })) })));
    oversight.command('backfill').description('run the active rules over the ledger\'s history and store what they raise')
      .option('--from <index>', 'first leaf index', wholeNumber('from'), 0)
      .action((opts: { from: number }) => withDatabase(async (db) => {
        const now = new Date();
        const raised = await backfill(db, now, opts.from);
        await withTransaction(db, (tx) => appendToLedger(tx, { actor: systemActor('cli'), action: 'oversight.backfill.run', payload: { from: opts.from, raised }, at: now }));
        printJson({ raised });
      }));
    oversight.command('plant').description('queue a generated history of acts with planted misconduct on the ledger (for evaluation)')
      .option('--entries <n>', 'acts to generate', wholeNumber('entries'), 100_000)
      .option('--planted <n>', 'planted cases', wholeNumber('planted'), 200)
      .option('--seed <seed>', 'seed', 'planted')
      .action((opts: { entries: number; planted: number; seed: string }) => withDatabase(async (db) => {
        const people = await historyPeople(db, '%');
        const staff = people.staff.length >= 40 ? people : { staff: Array.from({ length: 300 }, (_, i) => `${900_000 + i}`) };
        const history = generateHistory({ seed: opts.seed, entries: opts.entries, planted: opts.planted, end: new Date(), ...staff });
        await queueHistory(db, history.acts);
        printJson({ acts: history.acts.length, planted: history.planted.length });
      }));
  },
  demo: {
    load: loadOversightDemo,
    async reset({ tx }) {
      const { rowCount } = await tx.query('DELETE FROM oversight_cases');
      const alerts = await tx.query('DELETE FROM oversight_alerts');
      return { oversightCases: rowCount ?? 0, oversightAlerts: alerts.rowCount ?? 0 };
    },
  },
});
