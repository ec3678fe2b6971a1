// 指挥大屏: reading → screen. The platform runs as operators start it (demo city, its own data directory); the
// command centre's officer (zhihui) holds the screen's live stream open over HTTP (Server-Sent Events) while the demo's
// manhole-cover and smoke sensors publish signed readings over HTTP, in pairs high and low, so that every second
// reading raises or clears an event (debounce 2): BENCH_SCREEN_EVENTS events a second (200 by default) for
// BENCH_SCREEN_SECONDS (20). Prints the p50/p99 from the reading's own time stamp to its alarm arriving in the
// stream, and how many of the events raised or cleared arrived. With Chromium at /usr/bin/chromium (unless
// BENCH_SCREEN_BROWSER=0), the screen itself is open at 1920×1080 meanwhile: the time from navigation to its first
// figures, and its JS heap (after a forced garbage collection) once the first sixth of the run has passed and at the end.
// Each raised alarm also opens an urgent case (立案 waiting): the p50/p99 from the reading's time stamp to the case's
// opening (its created_at, taken as its transaction starts) over the cases of the run.
import fs from 'node:fs';
import pg from 'pg';
import { runningEmbeddedUrl } from '../src/kernel/db/embedded.ts';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { demoDeviceSecret, signingKeyOf, signReading } from '../src/cityops/index.ts';
import { startPlatform } from './_platform.ts';
import { report } from './_report.ts';

const EVENTS_PER_SECOND = Number(process.env.BENCH_SCREEN_EVENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SCREEN_SECONDS ?? 20);
const TICK_MS = 50;

const platform = await startPlatform('bench-screen', 3994, 54354);
let browser: Browser | undefined;
try {
  const cookie = await platform.login('zhihui');
  const api = `${platform.base}/api/v1/cityops`;
  const devices: string[] = [];
  for (const typeCode of ['manhole_tilt', 'smoke']) {
    const res = await fetch(`${api}/sensors/devices?typeCode=${typeCode}&pageSize=200`, { headers: { cookie } });
    devices.push(...((await res.json()) as { items: { code: string; enabled: boolean }[] }).items.filter((d) => d.enabled).map((d) => d.code));
  }
  if (devices.length === 0) throw new Error('the demo city has no manhole-cover or smoke sensors');
  const high = (code: string) => (code.startsWith('MT') ? 40 : 8);
  const low = (code: string) => (code.startsWith('MT') ? 1 : 0.5);

  // The screen in Chromium, logged in as the same officer.
  let screen: { page: Page; cdp: CDPSession } | undefined;
  if (process.env.BENCH_SCREEN_BROWSER !== '0' && fs.existsSync('/usr/bin/chromium')) {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: platform.base }]);
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(`${platform.base}/cityops-screen`);
    await page.getByTestId('screen-kpi-today').locator('.screen-kpi-value').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 60_000 });
    report('cityops screen first render in Chromium', Date.now() - opened, 'ms', { viewport: '1920x1080' });
    screen = { page, cdp: await context.newCDPSession(page) };
  }
  const heap = async () => {
    if (!screen) return null;
    await screen.cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await screen.cdp.send('Runtime.getHeapUsage');
    return usedSize / 1024 / 1024;
  };
  let heapEarly: number | null = null;

  // The stream, as the screen holds it: each alarm's delay from its reading's time stamp.
  const latencies: number[] = [];
  let received = 0;
  const stream = new AbortController();
  const res = await fetch(`${api}/screen/stream`, { headers: { cookie }, signal: stream.signal });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        const now = Date.now();
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith('event: ready')) subscribed();
          if (!block.startsWith('event: alarm')) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { readingAt: number };
          received++;
          latencies.push(now - data.readingAt);
        }
      }
    } catch (error) {
      if (!stream.signal.aborted) throw error;
    }
  })();
  await ready;

  // The sensors: two readings per event, spread over the devices, sent every TICK_MS as one signed batch.
  const key = signingKeyOf(demoDeviceSecret);
  const count = new Map<string, number>();
  const perTick = Math.max(1, Math.round((EVENTS_PER_SECOND * 2 * TICK_MS) / 1000));
  let next = 0;
  let sent = 0;
  let refused = 0;
  const started = Date.now();
  while (Date.now() - started < SECONDS * 1000) {
    const tick = Date.now();
    if (heapEarly === null && screen && tick - started >= (SECONDS * 1000) / 6) heapEarly = await heap();
    const readings = Array.from({ length: perTick }, () => {
      const device = devices[next++ % devices.length]!;
      const n = (count.get(device) ?? 0) + 1;
      count.set(device, n);
      // Sequence numbers above any the demo used; high, high, low, low … for each device.
      const r = { device, seq: started * 1000 + n, at: Date.now(), value: (n - 1) % 4 < 2 ? high(device) : low(device) };
      return { ...r, sig: signReading(key, r) };
    });
    const posted = await fetch(`${api}/sensors/readings/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ readings }) });
    if (posted.status === 200) sent += readings.length;
    else refused += readings.length;
    await posted.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, TICK_MS - (Date.now() - tick))));
  }
  const seconds = (Date.now() - started) / 1000;
  // Events of the last readings still on their way.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  stream.abort();
  await reading;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  const expected = [...count.values()].reduce((s, n) => s + Math.floor(n / 2), 0);
  report('cityops screen reading → stream p50', q(0.5), 'ms', { alarms: received });
  report('cityops screen reading → stream p99', q(0.99), 'ms', { alarms: received, max: latencies.at(-1) });
  report('cityops screen alarm events delivered', received / seconds, 'events/s',
    { offered: EVENTS_PER_SECOND, seconds: Math.round(seconds * 10) / 10, readings: sent, refused, devices: devices.length, expectedEvents: expected });
  const db = new pg.Client({ connectionString: (await runningEmbeddedUrl(platform.dataDir))! });
  await db.connect();
  const { rows: [cases] } = await db.query<{ n: number; p50: number; p99: number; max: number }>(
    `SELECT count(*)::int AS n, percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT extract(epoch FROM c.created_at - e.raised_at) * 1000 AS ms
               FROM cityops_sensor_events e JOIN cityops_cases c ON c.id = e.case_id WHERE e.raised_at >= $1) x`, [new Date(started)]);
  await db.end();
  report('cityops sensors reading → case p50', Math.round(cases!.p50), 'ms', { cases: cases!.n });
  report('cityops sensors reading → case p99', Math.round(cases!.p99), 'ms', { cases: cases!.n, max: Math.round(cases!.max) });
  if (screen && heapEarly !== null) {
    const heapEnd = (await heap())!;
    const nodes = await screen.page.evaluate(() => document.getElementsByTagName('*').length);
    report('cityops screen JS heap in Chromium, growth over the run', ((heapEnd - heapEarly) / heapEarly) * 100, '%',
      { earlyMiB: Math.round(heapEarly * 10) / 10, endMiB: Math.round(heapEnd * 10) / 10, seconds: Math.round(seconds), domNodes: nodes });
  }
} finally {
  await browser?.close();
  await platform.stop();
}
