/**
 * The relay of the screen's outbox: takes the committed messages out of `cityops_screen_outbox` in id order and
 * publishes them with pg_notify, a batch in one statement, so that one notifying commit carries the messages of many
 * changes. A message is deleted in the transaction that notifies it: a relay stopped before its commit leaves the
 * batch to the next one, in this process or another. Every process of the platform relays, screens open or not
 * (another node may hold them); SKIP LOCKED gives concurrent relays different rows. Their batches may then reach
 * the screens out of id order; a screen reads its figures afresh on each message, so it shows the latest either way.
 */
import type { Db, Queryable } from '../../kernel/db/index.ts';
import { startBatchLoop } from '../../kernel/jobs/index.ts';
import type { ModuleService } from '../../kernel/module.ts';
import { screenChannel } from './feed.ts';

const defaultBatchSize = 1000;

/**
 * Publishes up to `maxMessages` queued messages, one notification each; returns how many. PostgreSQL folds identical
 * notifications of one transaction into one: byte-equal messages (the same change of the same thing at the same
 * millisecond) in one batch reach the screens once.
 */
export async function relayScreenMessages(db: Queryable, maxMessages = defaultBatchSize): Promise<number> {
  const { rows } = await db.query<{ published: number }>(
    `WITH batch AS (
       DELETE FROM cityops_screen_outbox WHERE id IN (SELECT id FROM cityops_screen_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, payload)
     SELECT count(pg_notify('${screenChannel}', payload))::int AS published FROM (SELECT payload FROM batch ORDER BY id) AS b`, [maxMessages]);
  return rows[0]!.published;
}

export interface ScreenRelayOptions {
  /** Pause between runs when the outbox is empty; default 50 ms. */
  intervalMs?: number;
  maxMessages?: number;
  /** Called when a run fails; the relay carries on after a pause that grows while runs keep failing. */
  onError?: (error: unknown) => void;
}

export interface ScreenRelay {
  /** Finishes the run under way and stops. */
  stop(): Promise<void>;
}

/** Runs the relay in this process: at once, then every `intervalMs`, and straight again while a full batch shows a backlog. */
export function startScreenRelay(db: Db, opts: ScreenRelayOptions = {}): ScreenRelay {
  const maxMessages = opts.maxMessages ?? defaultBatchSize;
  const loop = startBatchLoop({ batch: () => relayScreenMessages(db, maxMessages), batchSize: maxMessages, intervalMs: opts.intervalMs ?? 50,
    onError: opts.onError ?? ((error: unknown) => console.error('screen relay:', error)) });
  return { stop: loop.stop };
}

/** The relay as `yiwang start` runs it, beside the HTTP server. */
export const screenRelayService: ModuleService = {
  name: 'cityops.screen.relay',
  async start({ db, log }) {
    const relay = startScreenRelay(db, { onError: (error) => log(`screen relay: ${String(error)}`) });
    return { describe: [], stop: () => relay.stop() };
  },
};
