// A fresh, migrated database for a benchmark that needs no running platform: on BENCH_DATABASE_URL's server,
// else on an embedded PostgreSQL under data/<dataDir>; dropped again (and the embedded server stopped) by close().
// With the embedded server, `databaseCpu` reads the CPU seconds its processes have used so far.
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createPool, migrate, type Db } from '../src/kernel/db/index.ts';
import { startEmbeddedPostgres } from '../src/kernel/db/embedded.ts';
import { postgresCpuSeconds, root } from './_platform.ts';

export async function scratchDatabase(name: string, opts: { dataDir: string; port: number; poolSize: number })
  : Promise<{ db: Db; url: string; databaseCpu: (() => number) | null; close(): Promise<void> }> {
  const dataDir = path.join(root, 'data', opts.dataDir);
  const embedded = process.env.BENCH_DATABASE_URL ? null : await startEmbeddedPostgres(dataDir, opts.port, 'postgres');
  const serverUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const database = `yiwang_bench_${name}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const db = createPool(url.toString(), opts.poolSize);
  await migrate(db);
  return {
    db,
    url: url.toString(),
    databaseCpu: embedded ? () => postgresCpuSeconds(path.join(dataDir, 'pg')) : null,
    async close() {
      await db.end();
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}
