// 指挥大屏 in a real browser at 1920×1080: the command centre's officer opens the screen full-page, a manhole-cover
// sensor of the demo city publishes readings over HTTP, and the alarm and the counts change without a reload; the
// officer orders the county's 综合执法局 to act on it (一键调度), switches the screen to English, and the unit's
// officer acknowledges the order on 调度指令.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { demoDeviceSecret } from '../../src/cityops/sensors/demo.ts';
import { signingKeyOf } from '../../src/cityops/sensors/devices.ts';
import { signReading } from '../../src/cityops/sensors/ingest.ts';
import { browserSuite, phone } from './browser.ts';

const suite = browserSuite('cityops-screen');
const { shot, sees, step, openPage } = suite;

const kpi = async (key: string) => Number(await suite.page.getByTestId(`screen-kpi-${key}`).locator('.screen-kpi-value').innerText());
let device = '';

describe('command-centre screen', () => {
  step('the command centre opens 指挥大屏 full-page at 1920×1080: dark, in Chinese, the map drawn, live', async () => {
    const { page } = suite;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${suite.base}/`);
    await suite.login('zhihui', demoPassword);
    const started = Date.now();
    await openPage('指挥大屏', '/cityops-screen');
    await page.getByTestId('screen').and(page.locator('[data-live="yes"]')).waitFor();
    await sees('城市运行指挥大屏');
    await page.getByTestId('screen-kpi-today').locator('.screen-kpi-value').filter({ hasText: /^\d+$/ }).waitFor();
    console.log(JSON.stringify({ name: 'screen first render to live (browser)', value: Date.now() - started, unit: 'ms' }));
    assert.equal(await page.locator('.console-sider').count(), 0, 'no console menu on the screen');
    const background = await page.getByTestId('screen').evaluate((e) => getComputedStyle(e).backgroundImage);
    assert.match(background, /rgb\(5, 13, 31\)/, 'a dark screen');
    // The map shows the counties by name and today's cases as dots.
    const map = page.getByTestId('screen-map');
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid="screen-map"]')?.getAttribute('data-labels') ?? '[]').length > 0);
    const labels = JSON.parse((await map.getAttribute('data-labels'))!) as string[];
    assert.ok(labels.includes('广安区'), labels.join(','));
    assert.ok(Number(await map.getAttribute('data-points')) > 0, 'dots on the map');
    await sees('区县排名');
    await shot('screen-zh');
  });

  step('a sensor publishes: the alarm and the counts change on the screen without a reload', async () => {
    const { page } = suite;
    const { rows: [chosen] } = await suite.testDb.db.query<{ code: string; lastSeq: number }>(
      `SELECT d.code, coalesce(d.last_seq, 0)::int AS "lastSeq" FROM cityops_sensor_devices d
        WHERE d.type_code = 'manhole_tilt' AND d.enabled AND d.division_code LIKE '511602%' AND d.grid_code IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM cityops_sensor_events e WHERE e.device_id = d.id AND e.state = 'raised')
        ORDER BY d.code LIMIT 1`);
    assert.ok(chosen, 'a quiet manhole-cover sensor in 广安区');
    device = chosen.code;
    const alarmsBefore = await kpi('alarms');
    const todayBefore = await kpi('today');
    const key = signingKeyOf(demoDeviceSecret);
    const sent = Date.now();
    for (const seq of [chosen.lastSeq + 1, chosen.lastSeq + 2]) {
      const r = { device, seq, at: Date.now(), value: 40 };
      const res = await fetch(`${suite.base}/api/v1/cityops/sensors/readings`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...r, sig: signReading(key, r) }) });
      assert.equal(res.status, 200, await res.text());
    }
    await page.getByTestId('screen-alarm').filter({ hasText: device }).waitFor();
    console.log(JSON.stringify({ name: 'reading published to alarm on the screen (browser)', value: Date.now() - sent, unit: 'ms' }));
    await page.waitForFunction(([before]) => Number(document.querySelector('[data-testid="screen-kpi-alarms"] .screen-kpi-value')?.textContent) > before!,
      [alarmsBefore]);
    // The alarm's case is opened straight after: today's count follows.
    await page.waitForFunction(([before]) => Number(document.querySelector('[data-testid="screen-kpi-today"] .screen-kpi-value')?.textContent) > before!,
      [todayBefore]);
    assert.ok(Number(await page.getByTestId('screen-map').getAttribute('data-pulses')) > 0, 'the new event pulses on the map');
    await shot('screen-alarm');
  });

  step('一键调度: the officer orders 广安区城市管理综合执法局 to act on the alarm; the order is on the screen', async () => {
    const { page } = suite;
    await page.getByTestId('screen-alarm').filter({ hasText: device }).getByTestId('screen-order-alarm').click();
    const dialog = await suite.dialog();
    await suite.pickIn(dialog.getByTestId('screen-order-department'), '广安区城市管理综合执法局');
    await dialog.getByRole('spinbutton').fill('10');
    await page.getByTestId('screen-order-send').click();
    await page.getByTestId('screen-order').filter({ hasText: '广安区城市管理综合执法局' }).filter({ hasText: device }).waitFor();
    const { rows } = await suite.testDb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cityops_orders o JOIN cityops_sensor_events e ON e.id = o.sensor_event_id
         JOIN cityops_sensor_devices d ON d.id = e.device_id WHERE d.code = $1 AND o.state = 'issued' AND o.ack_minutes = 10`, [device]);
    assert.equal(rows[0]!.n, 1);
    await shot('screen-order');
  });

  step('the screen switches to English on itself, and back', async () => {
    const { page } = suite;
    await page.getByTestId('screen-language').getByText('EN').click();
    await sees('City Operations Command Screen');
    await sees('Sensor alarms');
    await sees('Counties');
    await shot('screen-en');
    await page.getByTestId('screen-language').getByText('中文').click();
    await sees('城市运行指挥大屏');
  });

  step('at 3840×2160 the screen keeps its layout, twice the size', async () => {
    const { page } = suite;
    const size = () => page.evaluate(() => ({
      title: parseFloat(getComputedStyle(document.querySelector('.screen-header h1')!).fontSize),
      button: document.querySelector('[data-testid="screen-order-alarm"]')!.getBoundingClientRect().height }));
    const at1080 = await size();
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.waitForFunction(([title, button]) => parseFloat(getComputedStyle(document.querySelector('.screen-header h1')!).fontSize) > title! * 1.9
      && document.querySelector('[data-testid="screen-order-alarm"]')!.getBoundingClientRect().height > button! * 1.5, [at1080.title, at1080.button]);
    await page.screenshot({ path: 'test-results/cityops-screen/screen-4k.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('the unit\'s officer acknowledges the order on 调度指令 from a phone', async () => {
    const { page } = suite;
    // Orders reach the unit's staff where they are: the page works at a phone's width.
    await page.setViewportSize(phone);
    await page.goto(`${suite.base}/`);
    await suite.loginAt('/', 'ga_cg');
    await openPage('调度指令', '/cityops-orders');
    const row = page.getByTestId('orders-table').locator('tr', { hasText: device });
    await row.getByTestId('order-acknowledge').click();
    // Gone from the orders waiting; among all of them, acknowledged by the officer.
    await row.waitFor({ state: 'detached' });
    await page.getByText('全部', { exact: true }).click();
    await row.getByText('已签收').waitFor();
    await row.getByText('王志强').waitFor();
    const { rows } = await suite.testDb.db.query<{ state: string; by: string }>(
      `SELECT o.state, o.acknowledged_by_name AS by FROM cityops_orders o JOIN cityops_sensor_events e ON e.id = o.sensor_event_id
         JOIN cityops_sensor_devices d ON d.id = e.device_id WHERE d.code = $1`, [device]);
    assert.deepEqual(rows, [{ state: 'acknowledged', by: '王志强' }]);
    await shot('orders-acknowledged');

    // The same list at a wide desk, in both languages, and on the phone in English.
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot('orders-1440-zh');
    await page.locator('.console-header').getByText('English').click();
    await row.getByText('Acknowledged').waitFor();
    await shot('orders-1440-en');
    await page.setViewportSize(phone);
    await shot('orders-390-en');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('.console-header').getByText('中文').click();
    await row.getByText('已签收').waitFor();
  });
});
