// Maps with places (我要反映, 受理台): names on the map, a search that moves it, a marker that drags, the
// warning when the address and the point disagree; and what a phone downloads for the report page.
import assert from 'node:assert/strict';
import type { Locator, Request } from 'playwright-core';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone } from './browser.ts';

const suite = browserSuite('maps');
const { shot, sees, step } = suite;
const desktop = { width: 1440, height: 900 };
const KB = 1024;

/** The names the map shows, once it has drawn them (the map holds them for screen readers). */
async function labelsOn(map: Locator, expected: string[]): Promise<string[]> {
  await map.scrollIntoViewIfNeeded();
  await suite.page.waitForFunction(([el, names]) => {
    const shown = JSON.parse((el as Element).getAttribute('data-labels') ?? '[]') as string[];
    return (names as string[]).every((n) => shown.includes(n));
  }, [await map.elementHandle(), expected] as const);
  return JSON.parse((await map.getAttribute('data-labels'))!) as string[];
}

const viewOf = async (map: Locator) => JSON.parse((await map.getAttribute('data-view'))!) as { center: [number, number]; zoom: number };

/** The map's own files and data: the map library, its worker and styles, and the boundaries it draws. */
const isMapRequest = (request: Request) => /\/assets\/(?:CityMap|maplibre-gl)[-.]|\/org\/boundaries\b/.test(request.url());

/**
 * Bytes the browser took over the network (bodies as sent, compressed, plus headers) for what `during` loads,
 * and how many of them were the map's.
 */
async function transferred(during: () => Promise<void>): Promise<{ bytes: number; mapBytes: number; decoded: number; requests: number }> {
  const done: Request[] = [];
  const record = (request: Request) => { done.push(request); };
  suite.page.on('requestfinished', record);
  try {
    await during();
    await suite.page.waitForLoadState('networkidle');
  } finally {
    suite.page.off('requestfinished', record);
  }
  const sizes = await Promise.all(done.map(async (r) => { const s = await r.sizes(); return s.responseBodySize + s.responseHeadersSize; }));
  // What the same responses weigh unpacked: what travelled before they were compressed.
  const bodies = await Promise.all(done.map(async (r) => (await (await r.response())?.body().catch(() => Buffer.alloc(0)))?.length ?? 0));
  return { bytes: sizes.reduce((sum, n) => sum + n, 0), mapBytes: sizes.filter((_, i) => isMapRequest(done[i]!)).reduce((sum, n) => sum + n, 0),
    decoded: bodies.reduce((sum, n) => sum + n, 0), requests: done.length };
}

// The map is on a phone's first screen of 我要反映, so whether it loads before the network first goes idle
// depends on timing: the page is weighed without the map's files and data, then with them.
step('page weight: a phone opening 我要反映 downloads under 500 KB besides its map, and under 900 KB with the map', async () => {
  const { page } = suite;
  await page.setViewportSize(phone);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  const first = await transferred(async () => { await page.goto(`${suite.base}/report`); await sees('向 12345 反映问题，无需登录'); });
  const map = page.getByTestId('report-map');
  const withMap = await transferred(async () => { await labelsOn(map, ['广安区']); });
  const total = first.bytes + withMap.bytes;
  const pageBytes = total - first.mapBytes - withMap.mapBytes;
  console.log(JSON.stringify({ page: '/report', viewport: 390, withoutMapKB: Math.round(pageBytes / KB), mapKB: Math.round((first.mapBytes + withMap.mapBytes) / KB),
    totalKB: Math.round(total / KB), requests: first.requests + withMap.requests, uncompressedKB: Math.round((first.decoded + withMap.decoded) / KB) }));
  assert.ok(pageBytes < 500 * KB, `/report without its map: ${Math.round(pageBytes / KB)} KB`);
  assert.ok(total < 900 * KB, `/report with its map: ${Math.round(total / KB)} KB`);
  // A second visit takes the hashed files from the cache: only the page and the data travel again.
  const again = await transferred(async () => { await page.reload(); await sees('向 12345 反映问题，无需登录'); await labelsOn(map, ['广安区']); });
  assert.ok(again.bytes < 250 * KB, `/report again: ${Math.round(again.bytes / KB)} KB`);
});

step('我要反映 at 1440 px: the map names the counties in Chinese, drawn from local fonts', async () => {
  const { page } = suite;
  await page.setViewportSize(desktop);
  await page.goto(`${suite.base}/report`);
  const map = page.getByTestId('report-map');
  await labelsOn(map, ['广安区', '岳池县', '武胜县', '邻水县', '华蓥市', '前锋区']);
  assert.match((await map.getAttribute('aria-label'))!, /^地图: .*广安区/);
  await sees('行政区划界线为演示生成，并非测绘成果');
  await shot('report-map-1440');
});

step('the search box finds a county and moves the map there, with the point in it; its townships are named', async () => {
  const { page } = suite;
  const map = page.getByTestId('report-map');
  const before = await viewOf(map);
  await page.getByTestId('map-search').locator('input').fill('岳池');
  await page.getByTestId('place-option').filter({ hasText: '岳池县' }).first().click();
  await sees(/已选位置：106\.\d+, 30\.\d+/);
  const { items: [yuechi] } = await (await page.request.get(`${suite.base}/api/v1/org/places?q=${encodeURIComponent('岳池县')}`)).json();
  await page.waitForFunction(([el, lon, lat]) => {
    const view = JSON.parse((el as Element).getAttribute('data-view') ?? '{}') as { center?: [number, number] };
    return view.center !== undefined && Math.abs(view.center[0] - (lon as number)) < 0.05 && Math.abs(view.center[1] - (lat as number)) < 0.05;
  }, [await map.elementHandle(), yuechi.lon, yuechi.lat] as const);
  const after = await viewOf(map);
  assert.ok(after.zoom > before.zoom, `zoomed in from ${before.zoom} to ${after.zoom}`);
  const names = await labelsOn(map, ['岳池县']);
  const { rows } = await suite.testDb.db.query<{ name: string }>(`SELECT name FROM divisions WHERE parent_code = '511621000000'`);
  const townships = names.filter((n) => rows.some((r) => r.name === n));
  assert.ok(townships.length >= 3, `townships of 岳池县 named on the map: ${names.join(' ')}`);
  await shot('report-search-1440');
});

step('the marker drags: the point follows it', async () => {
  const { page } = suite;
  const pointText = () => page.getByText(/已选位置：/).innerText();
  const before = await pointText();
  const marker = page.getByTestId('map-marker-draggable');
  const box = (await marker.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((old) => !document.body.innerText.includes(old as string), before.split('\n')[0]);
  assert.notEqual(await pointText(), before);
});

step('a point in 岳池县 with a 广安区 address: warned, kept by choice, and recorded for the clerk', async () => {
  const { page } = suite;
  await page.getByLabel('地址', { exact: true }).fill('广安区建设路8号');
  const warning = page.getByTestId('address-mismatch');
  await warning.waitFor();
  const text = await warning.innerText();
  assert.match(text, /填写的地址在广安区，地图上的点在岳池县\S+(镇|乡|街道)/);
  await warning.scrollIntoViewIfNeeded();
  await shot('report-mismatch-1440');
  await warning.getByRole('button', { name: '保留这个点' }).click();
  await warning.waitFor({ state: 'detached' });
  await page.getByLabel('遇到了什么问题').fill('路边井盖缺失，晚上很危险');
  await page.getByLabel(/匿名反映/).check();
  await page.getByRole('button', { name: /提\s*交/ }).click();
  const number = (await page.getByTestId('report-number').innerText()).trim();
  const { rows: [ticket] } = await suite.testDb.db.query<{ address_mismatch: { address: string; point: string } }>(
    'SELECT address_mismatch FROM hotline_tickets WHERE number = $1', [number]);
  assert.equal(ticket!.address_mismatch.address, '广安区');
  assert.match(ticket!.address_mismatch.point, /^岳池县\S+(镇|乡|街道)$/);
});

step('我要反映 at 390 px: the map shows names and fits the phone', async () => {
  const { page } = suite;
  await page.setViewportSize(phone);
  await page.goto(`${suite.base}/report`);
  await labelsOn(page.getByTestId('report-map'), ['广安区', '岳池县']);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `fits a phone (${width}px)`);
  await shot('report-map-390');
});

step('受理台: the operator sees the named map and the same warning before filing', async () => {
  const { page } = suite;
  await page.setViewportSize(desktop);
  await page.goto(`${suite.base}/`);
  await suite.login('hotline', demoPassword);
  await suite.openPage('12345 受理台', '/hotline-intake');
  const map = page.getByTestId('intake-map');
  await labelsOn(map, ['广安区', '岳池县']);
  await page.getByTestId('map-search').locator('input').fill('岳池县');
  await page.getByTestId('place-option').filter({ hasText: '岳池县' }).first().click();
  await page.getByTestId('picked-point').waitFor();
  await page.getByLabel('地址', { exact: true }).fill('广安区建设路8号');
  await page.getByTestId('address-mismatch').waitFor();
  await shot('intake-map-1440');
});
