/**
 * Caches of data that changes rarely but is read by nearly every command: the grids, the working
 * calendar, a module's configuration. Each such set of tables has a stamp in `cache_stamps` that a
 * trigger renews with every statement changing it, in that statement's transaction. A cache keyed by the
 * stamp is never stale and needs no invalidation: a reader that sees a stamp sees exactly the rows it was
 * set with (committed, or its own transaction's), and a rolled-back stamp is never seen again. One read
 * gives a command every stamp it needs.
 */
import type { Queryable } from './index.ts';
import { prepared } from './statements.ts';

/** The current stamps of the named caches, in one primary-key read. */
export async function readStamps<N extends string>(via: Queryable, names: readonly N[]): Promise<Record<N, string>> {
  const { rows } = await via.query<{ name: N; stamp: string }>(prepared('SELECT name, stamp::text FROM cache_stamps WHERE name = ANY($1)', [names]));
  return stampsFrom(Object.fromEntries(rows.map((r) => [r.name, r.stamp])), names);
}

/**
 * A column of another statement reading the stamps named by the parameter `names` (a text array), so a
 * command reads the row it works on and the stamps of the caches it needs in one round trip. `stampsFrom`
 * reads the column back.
 */
export const stampsColumn = (names: string) => `(SELECT json_object_agg(name, stamp::text) FROM cache_stamps WHERE name = ANY(${names}))`;

/** The stamps `names` of a `stampsColumn` (or of rows read otherwise); throws for one that does not exist. */
export function stampsFrom<N extends string>(read: Record<string, string> | null, names: readonly N[]): Record<N, string> {
  const stamps = (read ?? {}) as Record<N, string>;
  const missing = names.find((n) => stamps[n] === undefined);
  if (missing !== undefined) throw new Error(`no cache stamp named ${missing}: its migration has not run`);
  return stamps;
}

/**
 * A cache of values built from stamped data, keyed by stamp, keeping the `size` most recently used
 * (several databases or a transaction's own uncommitted stamp may be in use at once). A build that fails
 * is forgotten, so the next call tries again.
 */
export function stampedCache<T>(size: number): (stamp: string, build: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  return (stamp, build) => {
    const hit = entries.get(stamp);
    if (hit) {
      entries.delete(stamp);
      entries.set(stamp, hit);
      return hit;
    }
    const built = build();
    entries.set(stamp, built);
    // The caller gets the failure; forgetting it lets the next call build again.
    built.catch(() => {
      if (entries.get(stamp) === built) entries.delete(stamp);
    });
    if (entries.size > size) entries.delete(entries.keys().next().value!);
    return built;
  };
}
