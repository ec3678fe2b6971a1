// A fresh database for the data hub benchmarks: the embedded PostgreSQL under data/bench-hub (port
// YIWANG_PG_PORT, default 54344), migrated, with a city, a providing department and the ledger empty.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, migrate, type Db } from '../src/kernel/db/index.ts';
import { startEmbeddedPostgres } from '../src/kernel/db/embedded.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function benchDatabase(name: string): Promise<{ db: Db; departmentId: number; stop(): Promise<void> }> {
  const embedded = await startEmbeddedPostgres(path.join(root, 'data', 'bench-hub'), Number(process.env.YIWANG_PG_PORT ?? 54344), 'postgres');
  const admin = createPool(embedded.url, 1);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = createPool(embedded.url.replace(/\/postgres$/, `/${name}`), 8);
  await migrate(db);
  await db.query(`INSERT INTO divisions (code, name, level) VALUES ('511600000000', '广安市', 'city')`);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO departments (code, name, kind, division_code) VALUES ('511600-GA', '广安市公安局', 'public-security', '511600000000') RETURNING id`);
  return { db, departmentId: rows[0]!.id, async stop() { await db.end(); await embedded.stop(); } };
}
