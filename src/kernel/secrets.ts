import type { Queryable } from './db/index.ts';

/**
 * Key material the platform makes for itself at first start and keeps in the database, so that every
 * process serving the same database signs and verifies with the same keys.
 */
export async function secret(db: Queryable, name: string, make: () => Buffer): Promise<Buffer> {
  const candidate = make();
  await db.query('INSERT INTO kernel_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
  const { rows } = await db.query<{ value: Buffer }>('SELECT value FROM kernel_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
