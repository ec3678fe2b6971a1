/**
 * 实时推送: the command-centre screen's live feed. A change in city operations (a case opened or moved, a sensor
 * event raised or cleared, an order issued, acknowledged or escalated) writes a small message to the outbox
 * `cityops_screen_outbox`, inside the transaction of the change: a change rolled back leaves none. The relay
 * (relay.ts) publishes the committed ones with pg_notify on the channel `cityops_screen` within about 50 ms, many
 * changes in one notifying commit, and PostgreSQL delivers them to every process listening on the database: a
 * reading taken by another node reaches this node's screens too.
 *
 * Each process holds one listening connection per database while it has subscribers (the open screens) and hands
 * every message to each; the subscriber decides what its caller may see.
 */
import type { Db, Queryable, Tx } from '../../kernel/db/index.ts';

export const screenChannel = 'cityops_screen';

interface Place {
  id: number;
  divisionCode: string;
  lon: number;
  lat: number;
  /** When the change happened (ISO). */
  at: string;
}

export type ScreenMessage =
  | (Place & { type: 'case'; action: string; code: string; state: string; source: string; kindCode: string })
  | (Place & { type: 'alarm'; change: 'raised' | 'cleared'; deviceCode: string; rule: string; description: string | null; readingAt: number })
  | (Place & { type: 'order'; action: 'issued' | 'acknowledged' | 'escalated'; state: string; departmentId: number });

/** The message of a case's change. */
export const caseMessage = (c: { id: number; code: string; state: string; source: string; kindCode: string; divisionCode: string; lon: number; lat: number },
  action: string, at: Date): ScreenMessage => ({
  type: 'case', action: action.replace('cityops.case.', ''), id: c.id, code: c.code, state: c.state, source: c.source, kindCode: c.kindCode,
  divisionCode: c.divisionCode, lon: c.lon, lat: c.lat, at: at.toISOString(),
});

/** A notification's payload is at most 8000 bytes: a description is cut well below that. */
const cut = (text: string | null) => (text === null || text.length <= 200 ? text : `${text.slice(0, 199)}…`);

/** Queues messages in the caller's transaction: they are published once it commits, and never if it rolls back. */
export async function notifyScreen(tx: Queryable, messages: readonly ScreenMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const params: unknown[] = [];
  await tx.query(screenOutboxSql(messages, params), params);
}

/**
 * The statement queuing messages (their value appended to `params`), to stand alone or as a data-modifying WITH
 * item of a statement that also writes the change they tell of.
 */
export function screenOutboxSql(messages: readonly ScreenMessage[], params: unknown[]): string {
  params.push(messages.map((m) => JSON.stringify(m.type === 'alarm' ? { ...m, description: cut(m.description) } : m)));
  return `INSERT INTO cityops_screen_outbox (payload) SELECT unnest($${params.length}::text[])`;
}

export interface ScreenSubscriber {
  message(message: ScreenMessage): void;
  /** The listening connection was lost: the subscriber ends its stream (a browser's EventSource reconnects). */
  end(): void;
}

interface Listening {
  client: Tx;
  /** Removes the feed's own listeners from the connection. */
  detach(): void;
}

/** The listening connection of one process on one database, open while it has subscribers. */
class ScreenFeed {
  private readonly subscribers = new Set<ScreenSubscriber>();
  private listening: Promise<Listening> | undefined;

  constructor(private readonly db: Db, private readonly log: (line: string) => void) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber once the connection listens; returns the function that removes it. */
  async subscribe(subscriber: ScreenSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    try {
      await (this.listening ??= this.listen());
    } catch (error) {
      this.subscribers.delete(subscriber);
      this.listening = undefined;
      throw error;
    }
    return () => {
      if (this.subscribers.delete(subscriber) && this.subscribers.size === 0) void this.close();
    };
  }

  private async listen(): Promise<Listening> {
    const client = await this.db.connect();
    const deliver = (n: { channel: string; payload?: string }) => {
      if (n.channel !== screenChannel || !n.payload) return;
      const message = JSON.parse(n.payload) as ScreenMessage;
      for (const s of this.subscribers) s.message(message);
    };
    const detach = () => {
      client.off('notification', deliver);
      client.off('error', lost);
    };
    // The connection broke: it is dropped, and the streams end so that their browsers reconnect and read afresh.
    const lost = (error: Error) => {
      this.log(`screen feed connection lost: ${error.message}`);
      detach();
      client.on('error', () => undefined); // the pool has been told through release(error); later errors of the dead client say nothing new
      client.release(error);
      this.listening = undefined;
      const ended = [...this.subscribers];
      this.subscribers.clear();
      for (const s of ended) s.end();
    };
    client.on('notification', deliver);
    client.on('error', lost);
    try {
      await client.query(`LISTEN ${screenChannel}`);
    } catch (error) {
      detach();
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    return { client, detach };
  }

  /** Stops listening and gives the connection back to the pool. */
  async close(): Promise<void> {
    const pending = this.listening;
    this.listening = undefined;
    if (!pending) return;
    // A connection that never listened was released by listen() already, and its subscriber told.
    const listening = await pending.catch(() => undefined);
    if (!listening) return;
    try {
      await listening.client.query(`UNLISTEN ${screenChannel}`);
      listening.detach();
      listening.client.release();
    } catch (error) {
      listening.detach();
      listening.client.release(error instanceof Error ? error : true);
    }
  }
}

const feeds = new Map<Db, ScreenFeed>();

/** The process's feed for `db`. */
export function screenFeed(db: Db, log: (line: string) => void = console.error): ScreenFeed {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new ScreenFeed(db, log);
    feeds.set(db, feed);
  }
  return feed;
}

/** Closes the feed of `db` (the app closes): its subscribers have ended with their requests. */
export async function closeScreenFeed(db: Db): Promise<void> {
  const feed = feeds.get(db);
  feeds.delete(db);
  await feed?.close();
}
