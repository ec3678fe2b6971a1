// 一张图 in a real browser: the platform administrator sees components, cases, 12345 tickets and sensors of the
// demo city drawn from the platform's vector tiles over the boundaries with their Chinese names; turns a layer
// off and on, narrows the tickets to complaints, zooms in on a case by double clicks and opens its details, then
// turns on the staff on duty and opens a worker's.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone } from './browser.ts';

const suite = browserSuite('cityops-map');
const { shot, sees, step, openPage, choose } = suite;

type Counts = Partial<Record<'components' | 'cases' | 'tickets' | 'sensors' | 'staff', number>>;

/** Waits until the counts the page shows (what the map drew, per layer) satisfy `ok`, and returns them. */
async function countsWhen(ok: (c: Counts) => boolean): Promise<Counts> {
  const layers = suite.page.getByTestId('onemap-layers');
  for (let i = 0; i < 150; i++) {
    const counts = JSON.parse((await layers.getAttribute('data-counts')) ?? '{}') as Counts;
    if (ok(counts)) return counts;
    await suite.page.waitForTimeout(200);
  }
  throw new Error(`the map's counts never came right: ${await layers.getAttribute('data-counts')}`);
}

/** Where a place is on the screen, from the view the map reports (512-pixel tiles, Web Mercator). */
async function pixelOf(lon: number, lat: number) {
  const map = suite.page.getByTestId('onemap');
  const view = JSON.parse((await map.getAttribute('data-view'))!) as { center: [number, number]; zoom: number };
  const box = (await map.boundingBox())!;
  const world = 512 * 2 ** view.zoom;
  const x = (l: number) => ((l + 180) / 360) * world;
  const y = (l: number) => { const r = (l * Math.PI) / 180; return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * world; };
  return { x: box.x + box.width / 2 + x(lon) - x(view.center[0]), y: box.y + box.height / 2 + y(lat) - y(view.center[1]), zoom: view.zoom };
}

describe('one map', () => {
  step('the administrator sees every layer drawn over the city\'s named boundaries', async () => {
    const { page } = suite;
    // Tall enough for the whole map to be on the screen.
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.goto(`${suite.base}/`);
    await suite.login('admin', demoPassword);
    await openPage('一张图', '/cityops-onemap');
    await sees('时间范围');
    const counts = await countsWhen((c) => (c.components ?? 0) > 0 && (c.cases ?? 0) > 0 && (c.tickets ?? 0) > 0 && (c.sensors ?? 0) > 0);
    const { rows: [db] } = await suite.testDb.db.query<{ components: number; sensors: number }>(
      `SELECT (SELECT count(*)::int FROM cityops_components) AS components, (SELECT count(*)::int FROM cityops_sensor_devices) AS sensors`);
    // The whole city is in view: every component and device is counted in some cell.
    assert.equal(counts.components, db!.components);
    assert.equal(counts.sensors, db!.sensors);
    const labels = JSON.parse((await page.getByTestId('onemap').getAttribute('data-labels'))!) as string[];
    // The places' names are drawn in Chinese from the device's fonts, between the layers' circles.
    assert.ok(labels.length >= 10 && labels.every((l) => /^[\u4e00-\u9fff]+$/.test(l)), labels.join());
    await shot('onemap-city');
  });

  step('a layer turned off is no longer drawn, and comes back when turned on', async () => {
    const { page } = suite;
    await page.getByTestId('onemap-toggle-components').click();
    await countsWhen((c) => c.components === undefined);
    await page.getByTestId('onemap-count-components').waitFor({ state: 'detached' });
    await page.getByTestId('onemap-toggle-components').click();
    await countsWhen((c) => (c.components ?? 0) > 0);
  });

  step('narrowed to complaints, fewer tickets are drawn', async () => {
    const before = (await countsWhen((c) => (c.tickets ?? 0) > 0)).tickets!;
    await choose('诉求类型', '投诉');
    const after = await countsWhen((c) => c.tickets !== undefined && c.tickets < before);
    assert.ok(after.tickets! > 0, 'some tickets are complaints');
  });

  step('zoomed in on a case, a click opens its details in Chinese', async () => {
    const { page } = suite;
    await page.getByTestId('onemap-toggle-components').click();
    await page.getByTestId('onemap-toggle-sensors').click();
    await page.getByTestId('onemap-toggle-tickets').click();
    const { rows: [kase] } = await suite.testDb.db.query<{ code: string; lon: number; lat: number; state: string }>(
      `SELECT code, lon, lat, state FROM cityops_cases WHERE created_at > now() - interval '29 days' ORDER BY id LIMIT 1`);
    assert.ok(kase, 'the demo has a case of the last 30 days');
    // The wheel zooms in around the pointer, which stays on the case.
    for (let at = await pixelOf(kase.lon, kase.lat); at.zoom < 15; at = await pixelOf(kase.lon, kase.lat)) {
      await page.mouse.move(at.x, at.y);
      await page.mouse.wheel(0, -600);
      await page.waitForFunction((z) => JSON.parse(document.querySelector('[data-testid="onemap"]')!.getAttribute('data-view')!).zoom > z + 0.3, at.zoom);
    }
    await countsWhen((c) => (c.cases ?? 0) > 0);
    const at = await pixelOf(kase.lon, kase.lat);
    await page.mouse.click(at.x, at.y);
    const popup = page.getByTestId('onemap-popup');
    await popup.waitFor();
    const text = await popup.innerText();
    assert.match(text, /案件/);
    assert.ok(text.includes(kase.code), text);
    await shot('onemap-case');
  });

  step('a handling worker on duty shows only when the staff layer is turned on, and each look is on the ledger', async () => {
    const { page } = suite;
    const { db } = suite.testDb;
    // 陈立新 (ga_cgry) went on duty on the phone a while ago and reported where he is: on the case's street.
    const { rows: [worker] } = await db.query<{ id: number; divisionCode: string }>(
      `SELECT id::int, division_code AS "divisionCode" FROM users WHERE username = 'ga_cgry'`);
    const view = JSON.parse((await page.getByTestId('onemap').getAttribute('data-view'))!) as { center: [number, number] };
    const [lon, lat] = [view.center[0] + 0.001, view.center[1] + 0.0005];
    await db.query(`INSERT INTO cityops_field_duty (user_id, on_duty, division_code, changed_at) VALUES ($1, true, $2, now() - interval '2 hours')`,
      [worker!.id, worker!.divisionCode]);
    await db.query(`INSERT INTO cityops_field_positions (user_id, lon, lat, accuracy, at) VALUES ($1, $2, $3, 8, now() - interval '1 minute')`, [worker!.id, lon, lat]);
    // Queued or already sequenced into the ledger.
    const looks = async () => (await db.query(`SELECT 1 FROM ledger_queue WHERE action = 'cityops.field.positions-viewed' AND object_id = $1
      UNION ALL SELECT 1 FROM ledger_entries WHERE action = 'cityops.field.positions-viewed' AND object_id = $1`, [String(worker!.id)])).rowCount;
    await page.waitForTimeout(500);
    assert.equal(await looks(), 0, 'nobody asked where he is while the layer was off');

    await page.getByTestId('onemap-toggle-staff').click();
    await countsWhen((c) => c.staff === 1);
    assert.ok((await looks())! >= 1, 'asked once on, then every 30 seconds');
    const at = await pixelOf(lon, lat);
    await page.mouse.click(at.x, at.y);
    const popup = page.getByTestId('onemap-popup').last();
    await popup.getByText('在岗人员').waitFor();
    const text = await popup.innerText();
    assert.ok(text.includes('陈立新') && text.includes('广安区城市管理综合执法局'), text);
    assert.match(text, /上岗/);
    await shot('onemap-staff');

    // The layer at a wide desk and on a phone, in both languages.
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot('onemap-staff-1440-zh');
    await page.locator('.console-header').getByText('English').click();
    await page.getByTestId('onemap-layers').getByText('Staff on duty').waitFor();
    await popup.getByText('Staff on duty').waitFor(); // the open popup is rewritten in the new language
    await shot('onemap-staff-1440-en');
    await page.setViewportSize(phone);
    await page.getByTestId('onemap-count-staff').waitFor();
    await shot('onemap-staff-390-en');
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.locator('.console-header').getByText('中文').click();
    await page.getByTestId('onemap-layers').getByText('在岗人员').waitFor();
    await page.setViewportSize(phone);
    await page.getByTestId('onemap-count-staff').waitFor();
    await shot('onemap-staff-390-zh');
    await page.setViewportSize({ width: 1280, height: 1100 });

    await page.getByTestId('onemap-toggle-staff').click();
    await countsWhen((c) => c.staff === undefined);
    await page.getByTestId('onemap-count-staff').waitFor({ state: 'detached' });
  });
});
