import fs from 'node:fs/promises';
import { systemActor } from '../kernel/auth/index.ts';
import { printJson } from '../kernel/cli.ts';
import { withTransaction } from '../kernel/db/index.ts';
import { defineModule } from '../kernel/module.ts';
import { sweepDeadlines } from './deadlines.ts';
import { learnFromCorrections, prepareClassifier } from './classification.ts';
import { loadHotlineOpsDemo } from './demo-ops.ts';
import { loadHotlineDemo, removeHotlineDemo } from './demo.ts';
import { importLayouts, importTickets, type ImportLayout } from './import.ts';
import { hotlineLedgerActions, hotlineMessages } from './messages.ts';
import { sweepOrphanPhotos } from './photos.ts';
import { centreKind, hotlineActions, hotlineCapabilities, hotlineGrants, readMetrics } from './policy.ts';
import { expireRateCounts } from './rate.ts';
import { tileCountsSweep } from './tile-counts.ts';
import { hotlineOpsRoutes, hotlineRoutes, open311Routes } from './routes.ts';

/** 12345 热线: tickets from intake to callback, the knowledge base, metrics, Open311. */
export const hotlineModule = defineModule({
  name: 'hotline',
  migrations: ['0010_hotline.sql', '0011_hotline_classifier.sql', '0012_hotline_ops.sql', '0013_hotline_stamps.sql', '0016_hotline_metrics.sql',
    '0017_hotline_queue.sql', '0040_hotline_published.sql', '0044_hotline_classifier_shadow.sql',
    '0055_hotline_address_mismatch.sql', '0176_hotline_ticket_places.sql', '0186_hotline_tile_counts.sql'],
  messages: hotlineMessages,
  ledgerActions: hotlineLedgerActions,
  permissions: { actions: Object.values(hotlineActions), grants: hotlineGrants },
  capabilities: hotlineCapabilities,
  abilities: [readMetrics],
  reservedDepartmentKinds: [centreKind],
  routes: [
    { prefix: '/api/v1/hotline', plugin: hotlineRoutes },
    { prefix: '/api/v1/hotline', plugin: hotlineOpsRoutes },
    { prefix: '/open311/v2', plugin: open311Routes },
  ],
  timers: [
    { name: 'hotline.deadlines', everyMs: 60_000, run: sweepDeadlines },
    { name: 'hotline.rate.expire', everyMs: 3_600_000, run: expireRateCounts },
    { name: 'hotline.photos.orphans', everyMs: 3_600_000, run: sweepOrphanPhotos },
    tileCountsSweep,
    // Learns from operators' corrections once 20 have come in; a worse model is not put in use (shadow evaluation).
    { name: 'hotline.classifier.learn', everyMs: 6 * 3_600_000, run: learnFromCorrections },
  ],
  prepare: (db) => prepareClassifier(db),
  cli(program, { withDatabase }) {
    const hotline = program.command('hotline').description('the 12345 hotline');
    hotline.command('import').description('import historical tickets from a CSV file; prints the report (bad rows with their reasons)')
      .argument('<file>', 'CSV file')
      .option('--layout <layout>', `column layout: ${importLayouts.join(' or ')}`, 'nyc311')
      .option('--categories <file>', 'JSON mapping of source categories (NYC: Complaint Type) to category codes')
      .option('--departments <file>', 'JSON mapping of source departments (NYC: Agency) to department ids or codes')
      .option('--division <code>', '12-digit division of rows with an address but no point')
      .action((file: string, opts: { layout: string; categories?: string; departments?: string; division?: string }) => withDatabase(async (db) => {
        const readJson = async (name: string | undefined) => (name === undefined ? undefined : JSON.parse(await fs.readFile(name, 'utf8')));
        const input = { layout: opts.layout as ImportLayout, csv: await fs.readFile(file, 'utf8'), categories: await readJson(opts.categories),
          departments: await readJson(opts.departments), divisionCode: opts.division };
        printJson(await withTransaction(db, (tx) => importTickets({ tx, actor: systemActor('cli'), now: new Date() }, input)));
      }));
  },
  demo: {
    async load({ tx, seed, cityCode }) {
      const { tickets } = await loadHotlineDemo(tx, { seed, cityCode });
      await loadHotlineOpsDemo({ tx, actor: systemActor('demo'), now: new Date() });
      return { hotlineTickets: tickets };
    },
    async reset({ tx, cityCode }) {
      await removeHotlineDemo(tx, cityCode);
    },
  },
});
