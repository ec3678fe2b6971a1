/**
 * `COPY … FROM STDIN` through the pg client already in use: a submittable query (pg's documented
 * extension point for custom queries) that sends the data as CopyData messages, waiting for the socket
 * to drain so a million rows never sit in memory at once. Used for bulk loads of hub rows.
 */
import type { Tx } from '../kernel/db/index.ts';

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain: boolean };
}

class CopyFromStdin {
  private connection: PgConnection | null = null;
  private rowCount = 0;
  private started!: { resolve: () => void; reject: (e: Error) => void };
  private finished!: { resolve: (n: number) => void; reject: (e: Error) => void };
  private error: Error | null = null;
  readonly ready = new Promise<void>((resolve, reject) => { this.started = { resolve, reject }; });
  readonly done = new Promise<number>((resolve, reject) => { this.finished = { resolve, reject }; });

  constructor(private readonly text: string) {
    // Both promises are awaited by the caller; these keep an early failure from being "unhandled".
    for (const settled of [this.ready, this.done]) settled.catch(() => undefined);
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyInResponse(): void {
    this.started.resolve();
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(/^COPY (\d+)/.exec(message.text)?.[1] ?? 0);
  }

  // pg drops a query once it has reported an error (no ReadyForQuery reaches it), so settle here.
  handleError(error: Error): void {
    this.error = error;
    this.started.reject(error);
    this.finished.reject(error);
  }

  handleReadyForQuery(): void {
    this.finished.resolve(this.rowCount);
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.error) throw this.error;
    this.connection!.sendCopyFromChunk(chunk);
    const stream = this.connection!.stream;
    if (stream.writableNeedDrain) await new Promise((resolve) => stream.once('drain', resolve));
  }

  end(): Promise<number> {
    this.connection!.endCopyFrom();
    return this.done;
  }

  fail(reason: string): Promise<number> {
    this.connection!.sendCopyFail(reason);
    return this.done;
  }
}

export interface CopyWriter {
  write(chunk: Buffer): Promise<void>;
  /** Ends the data; resolves with the number of rows the server copied. */
  end(): Promise<number>;
  /** Aborts the COPY; the server rejects it and nothing it received is kept. */
  abort(reason: string): Promise<void>;
}

/** Starts `COPY … FROM STDIN` (text format) on the transaction's client. */
export async function copyFromStdin(tx: Tx, sql: string): Promise<CopyWriter> {
  const copy = new CopyFromStdin(sql);
  void (tx as unknown as { query(q: CopyFromStdin): unknown }).query(copy);
  await copy.ready;
  return {
    write: (chunk) => copy.write(chunk),
    end: () => copy.end(),
    // The server answers a failed COPY with an error: that is the abort having worked.
    abort: async (reason) => { await copy.fail(reason).catch(() => undefined); },
  };
}

/** A value in COPY's text format: backslash, tab and line breaks escaped, null as \N. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
