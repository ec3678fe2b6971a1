import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createPool, migrationsDir, type Db } from '../../src/kernel/db/index.ts';
import { installModules, queuesOf } from '../../src/kernel/module.ts';
import { modules } from '../../src/modules.ts';
import { migratePlatform } from '../../src/server.ts';
import { loadDemoCity } from '../../src/demo.ts';
import { defaultDemoSeed } from '../../src/kernel/config/index.ts';

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

/**
 * A template database, copied from `source` (or empty) and built by `build` unless it exists; each test file
 * clones it, which takes milliseconds. Templates of the same family under other names are of an earlier build
 * and are dropped.
 */
async function ensureTemplate(url: string, template: string, family: string, source: string | null, build: (db: Db) => Promise<unknown>): Promise<string> {
  await withClient(url, async (client) => {
    // One lock per family: a file that needs the migrated template does not wait for the demo's build.
    await client.query('SELECT pg_advisory_lock(7102, hashtext($1))', [family]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return;
      await cloneDatabase(client, template, source);
      const pool = createPool(withDatabase(url, template), 2);
      try {
        await build(pool);
      } catch (error) {
        await pool.end();
        await client.query(`DROP DATABASE ${template}`);
        throw error;
      }
      await pool.end();
      const stale = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2', [family, template]);
      for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7102, hashtext($1))', [family]);
    }
  });
  return template;
}

/** The database with every module's migrations, named by a hash of them (and of the queues the modules declare). */
async function migratedTemplate(url: string): Promise<string> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(f).update(await fs.readFile(path.join(migrationsDir, f)));
  for (const { queue } of queuesOf(modules)) hash.update(queue);
  return ensureTemplate(url, `yiwang_tpl_${hash.digest('hex').slice(0, 12)}`, 'yiwang_tpl_', null, migratePlatform);
}

/**
 * The migrated database with the demo city of `npm start` loaded, once per test run: the demo is dated
 * relative to the day it is loaded, so a template of another run (YIWANG_TEST_RUN, set by `npm test`) is stale.
 */
async function demoTemplate(url: string): Promise<string> {
  const migrated = await migratedTemplate(url);
  const run = process.env.YIWANG_TEST_RUN ?? new Date().toISOString().slice(0, 13);
  const key = crypto.createHash('sha256').update(migrated).update(run).digest('hex').slice(0, 12);
  return ensureTemplate(url, `yiwang_demo_${key}`, 'yiwang_demo_', migrated, (db) => loadDemoCity(db, { seed: defaultDemoSeed }));
}

/** CREATE DATABASE, as a copy of `template` when given; it fails while another session is connected to the template, and clones are short. */
async function cloneDatabase(client: pg.Client, name: string, template: string | null): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
      return;
    } catch (error) {
      if (attempt > 50 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A fresh, migrated database for one test file, on the server named by TEST_DATABASE_URL; with `demo`, the
 * demo city of `npm start` is loaded in it (shared by the test files of a run, so each has its own copy).
 */
export async function createTestDb(opts: { demo?: boolean } = {}): Promise<TestDb> {
  const url = baseUrl();
  const template = opts.demo ? await demoTemplate(url) : await migratedTemplate(url);
  const name = `yiwang_t_${crypto.randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => cloneDatabase(client, name, template));
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
