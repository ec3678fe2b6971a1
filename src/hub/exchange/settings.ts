import crypto from 'node:crypto';
import { canonicalJson } from '../../kernel/ledger/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { chinaDay } from '../../kernel/calendar/index.ts';
import { ttlCache } from '../../kernel/cache.ts';

/** Hub settings an administrator may change (hub_exchange_settings), with the values the migration seeds. */
export const exchangeDefaults = {
  /** 审批时限: working days a provider has to decide a request before it escalates. */
  requestWorkingDays: 5,
  /** Gateway calls per second one system may make. */
  systemCallsPerSecond: 5000,
  /** Questions one consumer system may ask about one subject per day. */
  askPerSubjectPerDay: 20,
  /** Distinct parameters of one predicate one consumer may try on one subject per day (against bisection). */
  askDistinctParamsPerSubject: 3,
};
export type ExchangeSetting = keyof typeof exchangeDefaults;

const settings = ttlCache<Record<string, number>>(10_000);

export async function exchangeSetting(db: Queryable, name: ExchangeSetting): Promise<number> {
  const all = await settings.get('all', async () => {
    const { rows } = await db.query<{ name: string; value: number }>('SELECT name, value FROM hub_exchange_settings');
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.value)]));
  });
  return all[name] ?? exchangeDefaults[name];
}

/** SHA-256 (hex) of the canonical JSON of a value: the request and response hashes of the evidence. */
export const sha256Json = (value: unknown) => crypto.createHash('sha256').update(canonicalJson(value)).digest('hex');

/** Start of the China-time day of `now`, and of the next one (quotas and anti-probing count per day). */
export function chinaDayBounds(now: Date): { day: string; start: Date; next: Date } {
  const day = chinaDay(now);
  const start = new Date(`${day}T00:00:00+08:00`);
  return { day, start, next: new Date(start.getTime() + 86_400_000) };
}
