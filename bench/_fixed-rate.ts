/**
 * Load at a fixed rate (an open loop): request i is due at start + i/rate whether or not earlier answers
 * came back, and its latency counts from when it was due, so a server that falls behind shows it in the
 * latencies and the rate achieved instead of slowing the load down. autocannon's closed loop measures the
 * most a server does, with latency set by its own queue of connections; this measures latency at a given
 * load, as a target of "N per second sustained, p99 under M ms" asks.
 */
import http from 'node:http';

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

export async function atFixedRate(opts: {
  base: string; rate: number; seconds: number; sockets: number; request: () => FixedRateRequest;
}): Promise<FixedRateResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.sockets });
  const url = new URL(opts.base);
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  let firstError: string | null = null;
  const fail = (error: string) => {
    bad++;
    firstError ??= error;
  };
  const send = (due: number) => new Promise<void>((done) => {
    const { method, path, headers, body } = opts.request();
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        latencies.push(performance.now() - due);
        if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
        else fail(`${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`);
        done();
      });
    });
    req.on('error', (error) => {
      fail(String(error));
      done();
    });
    req.end(body);
  });

  const start = performance.now();
  const answers: Promise<void>[] = [];
  await new Promise<void>((finished) => {
    const tick = () => {
      const now = performance.now();
      while (answers.length < total && start + (answers.length * 1000) / opts.rate <= now)
        answers.push(send(start + (answers.length * 1000) / opts.rate));
      if (answers.length < total) setTimeout(tick, 1);
      else finished();
    };
    tick();
  });
  await Promise.all(answers);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { ok, okPerSecond: Math.round((ok / elapsed) * 10) / 10, p50: at(0.5), p99: at(0.99), bad, firstError };
}
