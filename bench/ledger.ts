// The ledger under load: (a) commands appending entries from 32 concurrent transactions while the
// sequencer runs on its thread as in the platform, beside the plain commit rate of the same clients (each with
// its CPU per transaction: this process, all threads, and the database), (b) inclusion proofs on a
// 1,000,000-entry log, (c) a full verification of that log.
// Database: BENCH_DATABASE_URL's server, else the embedded PostgreSQL in data/bench; a fresh database either way.
import crypto from 'node:crypto';
import { withTransaction } from '../src/kernel/db/index.ts';
import {
  appendToLedger, inclusionProofFor, integrateBatch, latestCheckpoint, startSequencerThread, verifyLedger,
} from '../src/kernel/ledger/index.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const appenders = 32;
const appendSeconds = 10;
const logSize = 1_000_000;
const proofWorkers = 8;
const proofSeconds = 5;

const { db, url, databaseCpu, close } = await scratchDatabase('ledger', { dataDir: 'bench', port: 54340, poolSize: appenders + 8 });

try {
  const baseline = await commitBaseline();
  const single = await appendUnderLoad(1);
  report('ledger.append.ratio_to_commit_baseline', single / baseline, 'ratio', { target: '>= 0.95', note: 'one-entry transactions against one-row transactions, same clients, same run' });
  await appendUnderLoad(10);
  await proofsOnLargeLog();
  await verifyLargeLog();
} finally {
  await close();
}

/** Starts counting CPU; what it returns gives the CPU per operation since, for `operations` done: this process (all its threads) and the database. */
function cpuMeter(): (operations: number) => { cpuMsPerOperation: number; databaseCpuMsPerOperation: number | null } {
  const process0 = process.cpuUsage();
  const database0 = databaseCpu?.();
  return (operations) => {
    const used = process.cpuUsage(process0);
    return {
      cpuMsPerOperation: Number(((used.user + used.system) / 1000 / operations).toFixed(3)),
      databaseCpuMsPerOperation: database0 === undefined ? null : Number(((databaseCpu!() - database0) * 1000 / operations).toFixed(3)),
    };
  };
}

/** What 32 clients get from one-row transactions without the ledger: the ceiling for one-entry commands. */
async function commitBaseline(): Promise<number> {
  await db.query('CREATE TABLE bench_commits (id bigserial PRIMARY KEY, note text NOT NULL)');
  const cpu = cpuMeter();
  const until = performance.now() + appendSeconds * 1000;
  let commits = 0;
  await Promise.all(Array.from({ length: appenders }, async () => {
    while (performance.now() < until) {
      await withTransaction(db, (tx) => tx.query('INSERT INTO bench_commits (note) VALUES ($1)', ['派单']));
      commits++;
    }
  }));
  report('db.commit_baseline', commits / appendSeconds, 'transactions/s', { clients: appenders, note: 'one INSERT per transaction, no ledger', ...cpu(commits) });
  return commits / appendSeconds;
}

/** (a) Commands appending entries in their own transactions while the sequencer integrates alongside. */
async function appendUnderLoad(entriesPerTransaction: number): Promise<number> {
  const sequencer = await startSequencerThread({ connectionString: url, origin: 'bench.yiwang.example/ledger', intervalMs: 200 });
  await sequencer.flush(); // whatever an earlier run left, so the window below holds only this load
  const before = (await latestCheckpoint(db))!.size;
  const started = new Date();
  const cpu = cpuMeter();
  const begun = performance.now();
  let appended = 0;
  await Promise.all(Array.from({ length: appenders }, async (_, worker) => {
    for (let i = 0; performance.now() < begun + appendSeconds * 1000; i++) {
      await withTransaction(db, async (tx) => {
        for (let k = 0; k < entriesPerTransaction; k++) {
          await appendToLedger(tx, {
            actor: { kind: 'staff', id: `bench-${worker}` }, action: 'bench.ticket.dispatched',
            object: { type: 'ticket', id: `${worker}-${i}-${k}` }, purpose: '派单', payload: { worker, i, k, department: 'D-17' },
          });
        }
      });
      appended += entriesPerTransaction;
    }
  }));
  const appendEnded = performance.now();
  await sequencer.flush();
  const perEntry = cpu(appended);
  const drainMs = performance.now() - appendEnded;
  await sequencer.stop();

  const { rows: [gaps] } = await db.query<{ max_gap_ms: number; checkpoints: number }>(
    `SELECT max(gap_ms) AS max_gap_ms, count(*)::int AS checkpoints FROM (
       SELECT extract(epoch FROM signed_at - lag(signed_at) OVER (ORDER BY size)) * 1000 AS gap_ms
       FROM ledger_checkpoints WHERE signed_at >= $1) g`, [started]);
  const size = (await latestCheckpoint(db))!.size;
  if (size - before !== appended) throw new Error(`appended ${appended} entries but the log grew by ${size - before}`);
  const suffix = entriesPerTransaction === 1 ? '' : `_${entriesPerTransaction}_per_transaction`;
  report(`ledger.append.throughput${suffix}`, appended / ((appendEnded - begun) / 1000), 'entries/s',
    { target: '>= 5000', clients: appenders, entriesPerTransaction, entries: appended, ...perEntry });
  report(`ledger.append.max_checkpoint_interval${suffix}`, gaps!.max_gap_ms, 'ms', { target: '<= 1000', checkpoints: gaps!.checkpoints });
  report(`ledger.append.backlog_drain${suffix}`, drainMs, 'ms', { note: 'from the last append to its checkpoint' });
  return appended / ((appendEnded - begun) / 1000);
}

/** (b) Builds the log up to 1,000,000 entries in large batches, then asks for proofs at random indexes. */
async function proofsOnLargeLog(): Promise<void> {
  const have = (await latestCheckpoint(db))!.size;
  const buildStarted = performance.now();
  await db.query(
    `INSERT INTO ledger_queue (actor_kind, actor_id, action, object_type, object_id, purpose, payload_hash, recorded_at)
     SELECT 'staff', 'bench-' || (i % 500), 'bench.application.decided', 'application', i::text,
            CASE WHEN i % 3 = 0 THEN '行政许可' END, sha256(i::text::bytea),
            timestamptz '2025-01-01 00:00:00+00' + i * interval '1 millisecond'
     FROM generate_series($1::bigint, $2::bigint - 1) AS i`, [have, logSize]);
  let size = have;
  while (size < logSize) ({ size } = await integrateBatch(db, undefined, { maxEntries: 100_000 }));
  report('ledger.build_1m_log', (performance.now() - buildStarted) / 1000, 's',
    { entries: logSize - have, note: 'bulk queue insert, then integration in batches of 100,000' });

  const measure = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    let proofs = 0;
    await Promise.all(Array.from({ length: proofWorkers }, async () => {
      while (performance.now() < until) {
        await inclusionProofFor(db, crypto.randomInt(size), size);
        proofs++;
      }
    }));
    return proofs / seconds;
  };
  report('ledger.inclusion_proofs.cold', await measure(proofSeconds), 'proofs/s',
    { size, note: 'random indexes while node chunks are still being read from the database' });
  // A server answering proofs all day holds every chunk of a log this size; reach that state before measuring.
  const warmStarted = performance.now();
  for (let index = 0; index < size; index += 256) await inclusionProofFor(db, index, size);
  report('ledger.inclusion_proofs.warm_up', (performance.now() - warmStarted) / 1000, 's', { proofs: Math.ceil(size / 256), note: 'one proof per chunk of 256 leaves' });
  report('ledger.inclusion_proofs', await measure(proofSeconds), 'proofs/s', { target: '>= 20000', size, concurrency: proofWorkers });
}

/** (c) Recomputes all 1,000,000 leaves and the tree against the signed checkpoints. */
async function verifyLargeLog(): Promise<void> {
  const started = performance.now();
  const result = await verifyLedger(db);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok || result.size !== logSize) throw new Error(`verification failed: ${JSON.stringify(result)}`);
  report('ledger.verify_1m', seconds, 's', { target: '< 60', entriesPerSecond: Math.round(logSize / seconds) });
}
