// A case through the loop in a real browser: a patrol worker on a phone (position set by the test) reports
// exposed rubbish with a photo; the supervision centre files it, the command centre dispatches it to the unit
// the catalogue names, the unit replies with an after-photo, the patrol worker checks it on the phone, and the
// supervision centre closes it. Each step checks what the page then shows.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('cityops-cases');
const { shot, sees, step } = suite;
const png = { name: 'photo.png', mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64') };
let code = '';

/** Closes the case drawer a step left open, so the header's logout can be clicked. */
async function closeDrawer() {
  const open = suite.page.locator('.ant-drawer-open');
  if ((await open.count()) === 0) return;
  await suite.page.keyboard.press('Escape');
  await open.waitFor({ state: 'detached' });
}

/** Opens this walk's case in the queue's drawer, as `username`. */
async function openNewest(username: string) {
  const { page } = suite;
  await closeDrawer();
  await page.setViewportSize(wide);
  await suite.loginAt('/cityops-cases', username);
  await sees('数字城管案件');
  const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: code });
  await row.click();
  await page.locator('.ant-drawer').getByText('案件详情').waitFor();
  return page.locator('.ant-drawer');
}

describe('a case from the phone to 结案', () => {
  step('a patrol worker reports exposed rubbish from the phone page with a photo and the phone\'s position', async () => {
    const { page } = suite;
    const { rows: [grid] } = await suite.testDb.db.query<{ geometry: { coordinates: number[][][] } }>(
      `SELECT geometry FROM grids WHERE division_code LIKE '511602%' ORDER BY code LIMIT 1`);
    const ring = grid!.geometry.coordinates[0]!;
    const [lon, lat] = [(Math.min(...ring.map((p) => p[0]!)) + Math.max(...ring.map((p) => p[0]!))) / 2,
      (Math.min(...ring.map((p) => p[1]!)) + Math.max(...ring.map((p) => p[1]!))) / 2];
    await page.context().grantPermissions(['geolocation'], { origin: suite.base });
    await page.context().setGeolocation({ longitude: lon, latitude: lat, accuracy: 8 });
    await page.setViewportSize(phone);
    await page.goto(`${suite.base}/`);
    await suite.login('caiji', demoPassword);
    await page.goto(`${suite.base}/cityops-patrol`);
    await sees('巡查上报');
    await suite.choose('案件类别', '暴露垃圾（市容环境）');
    await page.getByLabel('问题描述').fill('人行道上堆放多袋生活垃圾');
    await page.locator('input[type=file]').first().setInputFiles(png);
    await page.getByRole('button', { name: '定位' }).first().click();
    await page.getByTestId('position').first().getByText(`${lon.toFixed(5)}, ${lat.toFixed(5)}`).waitFor();
    await page.getByRole('button', { name: '上 报' }).or(page.getByRole('button', { name: '上报', exact: true })).click();
    const done = page.getByText(/已上报，案卷号 \d{14}/);
    await done.waitFor();
    code = (await done.innerText()).match(/\d{14}/)![0];
    const { rows } = await suite.testDb.db.query('SELECT state, grid_code AS "gridCode" FROM cityops_cases WHERE code = $1', [code]);
    assert.equal(rows[0].state, 'filing');
    await shot('patrol-reported');
  });

  step('the supervision centre files it against the kind\'s 立案条件', async () => {
    const drawer = await openNewest('jiandu');
    await drawer.getByText('道路、广场等公共区域有暴露垃圾', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: '立 案' }).or(drawer.getByRole('button', { name: '立案', exact: true })).click();
    await drawer.getByTestId('case-state').getByText('待派遣').waitFor();
    await shot('case-filed');
  });

  step('the command centre dispatches it to the unit the dispatch catalogue names', async () => {
    const drawer = await openNewest('zhihui');
    await drawer.getByText('派遣目录: 广安区城市管理综合执法局').waitFor();
    await drawer.getByRole('button', { name: '派 遣' }).or(drawer.getByRole('button', { name: '派遣', exact: true })).click();
    await drawer.getByTestId('case-state').getByText('处置中').waitFor();
    await drawer.getByText('广安区城市管理综合执法局').first().waitFor();
  });

  step('the unit replies with an after-photo', async () => {
    const drawer = await openNewest('ga_cg');
    await drawer.getByLabel('意见或说明').fill('已清运完毕');
    await drawer.locator('input[type=file]').setInputFiles(png);
    await drawer.getByRole('button', { name: '处置反馈' }).click();
    await drawer.getByTestId('case-state').getByText('待核查').waitFor();
    await shot('case-handled');
  });

  step('the patrol worker checks it on site from the phone: passed', async () => {
    const { page } = suite;
    await closeDrawer();
    await page.setViewportSize(phone);
    await suite.loginAt('/cityops-patrol', 'caiji');
    const { rows } = await suite.testDb.db.query<{ id: number }>('SELECT id::int FROM cityops_cases WHERE code = $1', [code]);
    const task = page.getByTestId(`task-${rows[0]!.id}`);
    await task.getByText('核查 · 暴露垃圾').waitFor();
    await task.getByText('处置情况：已清运完毕').waitFor();
    await task.locator('input[type=file]').setInputFiles(png);
    await task.getByRole('button', { name: '定位' }).click();
    await task.getByTestId('position').waitFor();
    await shot('patrol-check');
    await task.getByRole('button', { name: '核查通过' }).click();
    await task.waitFor({ state: 'detached' });
  });

  step('the supervision centre closes it; the history shows every step', async () => {
    const drawer = await openNewest('jiandu');
    await drawer.getByRole('button', { name: '结 案' }).or(drawer.getByRole('button', { name: '结案', exact: true })).click();
    await drawer.getByTestId('case-state').getByText('已结案').waitFor();
    for (const label of ['上报', '立案', '派遣', '处置反馈', '核查通过', '结案']) await drawer.locator('.ant-timeline').getByText(label, { exact: false }).first().waitFor();
    await shot('case-closed');
    const { rows } = await suite.testDb.db.query('SELECT action FROM cityops_case_events e JOIN cityops_cases c ON c.id = e.case_id WHERE c.code = $1 ORDER BY e.id', [code]);
    assert.deepEqual(rows.map((r) => r.action), ['reported', 'filed', 'dispatched', 'handled', 'check-passed', 'closed']);
  });
});
