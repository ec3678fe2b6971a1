import { failVerification, printJson, wholeNumber } from '../cli.ts';
import { StartupError } from '../errors.ts';
import { defineModule } from '../module.ts';
import { consistencyProofFor, getEntry, inclusionProofFor, latestCheckpoint, verifyLedger } from './index.ts';
import { ledgerMessages } from './messages.ts';
import { presentEntry } from './present.ts';
import { ledgerRoutes } from './routes.ts';

const ledgerActions = ['ledger.entry.read'] as const;

/** 可信存证 (the tamper-evident ledger). Its entries' names come from every module's `ledgerActions`. */
export const ledgerModule = defineModule({
  name: 'ledger',
  migrations: ['0005_ledger.sql', '0039_ledger_queued_at.sql', '0120_ledger_facts.sql'],
  messages: ledgerMessages,
  permissions: { actions: ledgerActions, grants: { platform_admin: ['ledger.entry.read'], inspector: ['ledger.entry.read'] } },
  routes: [{ prefix: '/api/v1/ledger', plugin: ledgerRoutes }],
  cli(program, { withDatabase }) {
    const ledger = program.command('ledger').description('the tamper-evident ledger');
    ledger.command('verify').description('recompute the whole log against the latest signed checkpoint; exit status 2 on any mismatch')
      .action(async () => {
        const result = await withDatabase((db) => verifyLedger(db));
        if (result.ok) return console.log(`ledger verified: ${result.size} entries match the signed checkpoint`);
        const where = result.firstBadIndex === null ? 'in the signed checkpoint' : `at index ${result.firstBadIndex}`;
        failVerification(`ledger verification FAILED ${where}: ${result.reason}`);
      });
    ledger.command('checkpoint').description('print the latest signed checkpoint (C2SP signed note)')
      .action(() => withDatabase(async (db) => {
        const checkpoint = await latestCheckpoint(db);
        process.stdout.write(checkpoint ? checkpoint.note : 'the ledger is empty\n');
      }));
    ledger.command('entry').description('print one entry (what its leaf hash covers)').argument('<index>', 'leaf index', wholeNumber('index'))
      .action((i: number) => withDatabase(async (db) => {
        const entry = await getEntry(db, i);
        if (!entry) throw new StartupError(`no ledger entry ${i}`);
        printJson(presentEntry(entry));
      }));
    const proof = ledger.command('proof').description('Merkle proofs against signed tree sizes');
    proof.command('inclusion').description('inclusion proof of an entry in the tree of a signed size (default: latest)')
      .argument('<index>', 'leaf index', wholeNumber('index')).option('--size <n>', 'tree size', wholeNumber('size'))
      .action((i: number, opts: { size?: number }) => withDatabase(async (db) => {
        const size = opts.size ?? (await latestCheckpoint(db))?.size ?? 0;
        printJson(await inclusionProofFor(db, i, size));
      }));
    proof.command('consistency').description('consistency proof that the tree of size <to> extends the tree of size <from>')
      .argument('<from>', 'older tree size', wholeNumber('from')).argument('<to>', 'newer tree size', wholeNumber('to'))
      .action((from: number, to: number) => withDatabase(async (db) => printJson(await consistencyProofFor(db, from, to))));
  },
});
