// The component registry in a real browser: a 广安区 admin filters the demo city's components by class,
// kind and state, opens one, and imports a CSV with one bad row, whose report names the row and the reason.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite } from './browser.ts';

const suite = browserSuite('cityops');
const { shot, sees, step, openPage, choose } = suite;

describe('component registry', () => {
  step('a county admin filters the components to damaged street lights and opens one', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/`);
    await suite.login('ga_admin', demoPassword);
    await openPage('部件管理', '/cityops-components');
    await sees('城市部件');
    await choose('大类', '公用设施');
    await choose('小类', '路灯');
    await choose('状态', '破损');
    const { rows } = await suite.testDb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cityops_components WHERE division_code LIKE '511602%' AND class_code = '01' AND kind_code = '17' AND state = 'damaged'`);
    assert.ok(rows[0]!.n > 0);
    await sees(`共 ${rows[0]!.n} 个部件`);
    const cells = await page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
    assert.deepEqual([...new Set(cells)], ['路灯']);
    await shot('components-filtered');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('部件详情').waitFor();
    await drawer.getByText('主管部门').waitFor();
    assert.equal(await drawer.locator('.ant-tag').innerText(), '破损');
    await shot('component-detail');
    await page.keyboard.press('Escape');
  });

  step('the map draws the filtered components in view, coloured by state, and a dot opens its record', async () => {
    const { page } = suite;
    const map = page.getByTestId('components-map');
    const total = Number((await page.getByText(/共 \d+ 个部件/).innerText()).match(/\d+/)![0]);
    // The whole city is in view, so every damaged street light of the county is drawn.
    await page.waitForFunction((n) => document.querySelector('[data-testid=components-map]')?.getAttribute('data-dots') === String(n), total);
    await page.getByTestId('map-count').getByText(`地图范围内 ${total} 个`).waitFor();
    const { rows } = await suite.testDb.db.query<{ lon: number; lat: number; code: string }>(
      `SELECT lon, lat, code FROM cityops_components WHERE division_code LIKE '511602%' AND class_code = '01' AND kind_code = '17' AND state = 'damaged' ORDER BY code LIMIT 1`);
    const box = (await map.boundingBox())!;
    await page.waitForFunction(() => document.querySelector('[data-testid=components-map]')?.hasAttribute('data-view'));
    const { center, zoom } = JSON.parse((await map.getAttribute('data-view'))!) as { center: [number, number]; zoom: number };
    // Web Mercator, as MapLibre draws it: 512 px tiles.
    const world = 512 * 2 ** zoom;
    const x = (lon: number) => ((lon + 180) / 360) * world;
    const y = (lat: number) => ((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * world;
    const { lon, lat } = rows[0]!;
    await shot('components-map');
    await page.mouse.click(box.x + box.width / 2 + x(lon) - x(center[0]), box.y + box.height / 2 + y(lat) - y(center[1]));
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('部件详情').waitFor();
    await drawer.getByText('路灯', { exact: true }).waitFor();
    assert.equal(await drawer.locator('.ant-tag').innerText(), '破损');
    await page.keyboard.press('Escape');
  });

  step('an import with a bad row keeps the good one and names the bad one', async () => {
    const { page } = suite;
    const { rows } = await suite.testDb.db.query<{ lon: number; lat: number }>(
      `SELECT lon, lat FROM cityops_components WHERE division_code LIKE '511602%' ORDER BY code LIMIT 1`);
    const { lon, lat } = rows[0]!;
    const csv = ['code,state,lon,lat,address', `5116020117900001,完好,${lon},${lat},新装路灯`, `5116029917900001,完好,${lon},${lat},错误大类`].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'components.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const dialog = await suite.dialog();
    await dialog.locator('.ant-modal-confirm-title', { hasText: '导入 2 行：成功 1 行，失败 1 行' }).waitFor();
    await dialog.getByText('第 2 行').waitFor();
    await dialog.getByText('编码中的大类代码不存在').waitFor();
    await shot('import-report');
    const kept = await suite.testDb.db.query(`SELECT address FROM cityops_components WHERE code = '5116020117900001'`);
    assert.deepEqual(kept.rows, [{ address: '新装路灯' }]);
  });
});
