/**
 * A small time-bounded cache of promises, so concurrent callers share one load; a failed load is not kept.
 * For what changes rarely and may be a few seconds old (the hub gateway's resources, systems, grants and
 * settings; the resources services read through the hub).
 */
export function ttlCache<V>(ttlMs: number) {
  const entries = new Map<string, { value: Promise<V>; until: number }>();
  return {
    get(key: string, load: () => Promise<V>): Promise<V> {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = load();
      entries.set(key, { value, until: now + ttlMs });
      value.catch(() => entries.delete(key)); // the caller gets the failure; forgetting it lets the next call load again
      return value;
    },
    clear: () => entries.clear(),
  };
}
