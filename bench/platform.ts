// The platform as an operator runs it: first start (demo load), cold start with data present, an
// authenticated read endpoint under load (autocannon, 50 connections), server memory, clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { root, startArgs } from './_platform.ts';
import { report } from './_report.ts';

const dataDir = path.join(root, 'data', 'bench-platform');
const port = 3990;
const env = { ...process.env, YIWANG_DATA_DIR: dataDir, PORT: String(port), YIWANG_PG_PORT: '54350', DATABASE_URL: '' };

function start(): Promise<{ child: ChildProcess; ms: number }> {
  const begun = performance.now();
  const child = spawn(process.execPath, startArgs(), { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('is ready at')) resolve({ child, ms: performance.now() - begun });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number> {
  const begun = performance.now();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve(performance.now() - begun));
    child.kill('SIGINT');
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

fs.rmSync(dataDir, { recursive: true, force: true });
const first = await start();
report('platform.first_start_with_demo_load', first.ms, 'ms');
report('platform.stop', await stop(first.child), 'ms');

const cold = await start();
report('platform.cold_start', cold.ms, 'ms', { target: '< 3000' });

const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Yiwang@2026' }),
});
if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

let peakRss = rssMb(cold.child.pid!);
const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMb(cold.child.pid!)); }, 100);
await autocannon({ url: `http://127.0.0.1:${port}/api/v1/auth/me`, connections: 50, duration: 3, headers: { cookie } }); // warm-up
const result = await autocannon({ url: `http://127.0.0.1:${port}/api/v1/auth/me`, connections: 50, duration: 10, headers: { cookie } });
clearInterval(sampler);
if (result.non2xx > 0) throw new Error(`${result.non2xx} responses were not 2xx`);
report('http.auth_me.requests_per_second', result.requests.average, 'req/s', { connections: 50, target: '>= 5000' });
report('http.auth_me.latency_p99', result.latency.p99, 'ms', { target: '< 20' });
report('http.server_rss_peak', peakRss, 'MB', { target: '< 400' });
report('platform.stop_after_load', await stop(cold.child), 'ms');
