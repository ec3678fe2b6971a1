import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createPool, migrationsDir, type Db } from '../../src/kernel/db/index.ts';
import { installModules, queuesOf } from '../../src/kernel/module.ts';
import { modules } from '../../src/modules.ts';
import { migratePlatform } from '../../src/server.ts';

// Tests call commands directly too: the modules' grants, capability rules and names are registered first.
installModules(modules);

export interface TestDb {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`, which provides a database');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A template database migrated once per set of migrations; each test file clones it, which takes milliseconds. */
async function ensureTemplate(url: string): Promise<string> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(f).update(await fs.readFile(path.join(migrationsDir, f)));
  // The job queues the modules declare are created with the template too.
  for (const { queue } of queuesOf(modules)) hash.update(queue);
  const template = `yiwang_tpl_${hash.digest('hex').slice(0, 12)}`;
  await withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock(7102)');
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return;
      await client.query(`CREATE DATABASE ${template}`);
      const pool = createPool(withDatabase(url, template), 2);
      try {
        await migratePlatform(pool);
      } catch (error) {
        await pool.end();
        await client.query(`DROP DATABASE ${template}`);
        throw error;
      }
      await pool.end();
      // Templates of earlier migration sets are never cloned again.
      const stale = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'yiwang\\_tpl\\_%' AND datname <> $1", [template]);
      for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7102)');
    }
  });
  return template;
}

/** A fresh, migrated database for one test file, on the server named by TEST_DATABASE_URL. */
export async function createTestDb(): Promise<TestDb> {
  const url = baseUrl();
  const template = await ensureTemplate(url);
  const name = `yiwang_t_${crypto.randomBytes(6).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE fails while another session is connected to the template; clones are short.
  await withClient(url, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if (attempt > 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  const dbUrl = withDatabase(url, name);
  const db = createPool(dbUrl, 10);
  return {
    db,
    url: dbUrl,
    async drop() {
      await db.end();
      await withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
