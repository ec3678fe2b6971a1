/**
 * The field phone's offline queue (离线待同步): check-ins and handling replies, with their photos and the time
 * they were made, kept in IndexedDB while the network is away and sent in order once it is back. The server
 * checks each one when it arrives, against the time it was made (`recordedAt`). Entries belong to the user
 * who made them: another user on the same phone neither sees nor sends them.
 */
import { api, ApiProblem } from '../api';

export interface OutboxEntry {
  id?: number;
  /** The user's id: entries belong to who made them. */
  userId: string;
  /** The task it is for (its id and 案卷号) and what it is, for the list on the page. */
  caseId: number;
  code: string;
  kind: 'arrive' | 'handle';
  path: string;
  body: Record<string, unknown>;
  /** When it was made on the phone (ISO). */
  recordedAt: string;
}

export interface SyncResult {
  entry: OutboxEntry;
  /** The server's refusal, when it refused it (it is dropped from the queue then). */
  refused?: ApiProblem;
  /** What the server answered. */
  answer?: unknown;
}

const DB = 'yiwang-field';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB'));
  });
}

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('indexedDB'));
    });
  } finally {
    db.close();
  }
}

/** The user's queued entries, oldest first. */
export async function queued(userId: string): Promise<OutboxEntry[]> {
  const all = await inStore<OutboxEntry[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
  return all.filter((e) => e.userId === userId).sort((a, b) => a.id! - b.id!);
}

export const enqueue = (entry: OutboxEntry) => inStore('readwrite', (s) => s.add(entry));
const drop = (id: number) => inStore('readwrite', (s) => s.delete(id));

/** A failure of the network (no answer at all), as against a refusal by the server. */
export const isNetworkFailure = (error: unknown) => !(error instanceof ApiProblem) || error.status >= 500;

/**
 * Sends the user's queue in order. A refused entry is dropped with its reason (sending it again would be
 * refused again); at the first network failure the rest stays queued for the next try.
 */
export async function syncQueue(userId: string): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const entry of await queued(userId)) {
    try {
      results.push({ entry, answer: await api('POST', entry.path, entry.body) });
    } catch (error) {
      if (isNetworkFailure(error)) break;
      results.push({ entry, refused: error as ApiProblem });
    }
    await drop(entry.id!);
  }
  return results;
}
