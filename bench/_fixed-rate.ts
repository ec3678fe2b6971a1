/**
 * Load at a fixed rate (an open loop): request i is due at start + i/rate whether or not earlier answers
 * came back, and its latency counts from when it was due, so a server that falls behind shows it in the
 * latencies and the rate achieved instead of slowing the load down. autocannon's closed loop measures the
 * most a server does, with latency set by its own queue of connections; this measures latency at a given
 * load, as a target of "N per second sustained, p99 under M ms" asks.
 *
 * The generator shares the machine's cores with the platform, so it is kept light, as wrk2 and autocannon
 * are: keep-alive sockets written to directly, and of each answer only the status line and Content-Length
 * read. Node's http client cost 0.18 ms of CPU per request here, a ninth of what the intake it measured cost.
 */
import net from 'node:net';

export interface FixedRateRequest { method: string; path: string; headers: Record<string, string>; body?: string }

export interface FixedRateResult {
  /** Requests answered with 2xx, and how many per second of the run (until the last answer). */
  ok: number;
  okPerSecond: number;
  p50: number;
  p99: number;
  bad: number;
  firstError: string | null;
}

const headerEnd = Buffer.from('\r\n\r\n');

/**
 * One keep-alive connection with at most one request in flight: `answered` gets each status and body,
 * `closed` hears when the server or the network ended it.
 */
class Connection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private due: number | null = null;

  constructor(url: URL, private readonly answered: (c: Connection, due: number, status: number, body: string) => void,
    closed: (c: Connection) => void) {
    this.socket = net.connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', () => undefined); // 'close' follows and fails what is in flight
    this.socket.on('close', () => {
      closed(this);
      if (this.due !== null) this.complete(0, 'the connection closed before the answer');
    });
  }

  send(due: number, request: string): void {
    this.due = due;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf(headerEnd);
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.complete(0, `an answer without Content-Length: ${head.slice(0, 200)}`);
      this.socket.destroy();
      return;
    }
    const bodyEnd = end + headerEnd.length + Number(length[1]);
    if (this.buffer.length < bodyEnd) return;
    const status = Number(head.slice(9, 12));
    const body = status >= 200 && status < 300 ? '' : this.buffer.toString('utf8', end + headerEnd.length, bodyEnd);
    this.buffer = this.buffer.subarray(bodyEnd);
    this.complete(status, body);
  }

  private complete(status: number, body: string): void {
    const due = this.due!;
    this.due = null;
    this.answered(this, due, status, body);
  }
}

export async function atFixedRate(opts: {
  base: string; rate: number; seconds: number; sockets: number; request: () => FixedRateRequest;
}): Promise<FixedRateResult> {
  const url = new URL(opts.base);
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  let firstError: string | null = null;
  const connections: Connection[] = [];
  const idle: Connection[] = [];
  const waiting: number[] = []; // due times of requests waiting for a free connection
  const encode = () => {
    const { method, path, headers, body = '' } = opts.request();
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    return `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };

  let finished: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const closed = (connection: Connection) => {
    for (const list of [connections, idle]) if (list.includes(connection)) list.splice(list.indexOf(connection), 1);
    const next = waiting.shift();
    if (next !== undefined) dispatch(next);
  };
  const answered = (connection: Connection, due: number, status: number, body: string) => {
    latencies.push(performance.now() - due);
    if (status >= 200 && status < 300) ok++;
    else {
      bad++;
      firstError ??= `${status || 'no answer'} ${body.slice(0, 300)}`;
    }
    if (ok + bad === total) finished();
    if (!connections.includes(connection)) return;
    const next = waiting.shift();
    if (next === undefined) idle.push(connection);
    else connection.send(next, encode());
  };
  const dispatch = (due: number) => {
    let connection = idle.pop();
    if (!connection && connections.length < opts.sockets) connections.push(connection = new Connection(url, answered, closed));
    if (connection) connection.send(due, encode());
    else waiting.push(due);
  };

  const start = performance.now();
  let sent = 0;
  const tick = () => {
    const now = performance.now();
    for (let due = start + (sent * 1000) / opts.rate; sent < total && due <= now; due = start + (sent * 1000) / opts.rate) {
      sent++;
      dispatch(due);
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
  await done;
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { ok, okPerSecond: Math.round((ok / elapsed) * 10) / 10, p50: at(0.5), p99: at(0.99), bad, firstError };
}
