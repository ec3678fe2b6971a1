// 案件设置 in a real browser: the command centre changes a kind's time limit, names the unit that handles a kind in
// a township (派遣目录) and removes it again, and lets a 12345 category become cases by itself. Each change is
// checked in the page and in the database it was meant to reach.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from './browser.ts';

const suite = browserSuite('cityops-settings');
const { shot, sees, step } = suite;

const kindRow = () => suite.page.locator('tr.ant-table-row:visible').filter({ hasText: 'E0102' });

describe('the command centre keeps the case settings', () => {
  step('zhihui changes 暴露垃圾\'s urgent limit to 1.5 hours round the clock', async () => {
    const { page } = suite;
    await suite.loginAt('/', 'zhihui');
    await suite.openPage('案件设置', '/cityops-settings');
    await sees('案件分类与时限');
    await kindRow().getByText('4 工作小时').waitFor();
    await kindRow().getByRole('button', { name: /编\s*辑/ }).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('紧急处置时限（小时）').fill('1.5');
    await drawer.locator('.ant-checkbox-wrapper').nth(1).click();
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await kindRow().getByText('1.5 小时（全天候）').waitFor();
    const { rows: [kind] } = await suite.testDb.db.query(`SELECT urgent_hours::float AS hours, urgent_round_clock AS clock FROM cityops_case_kinds WHERE code = 'E0102'`);
    assert.deepEqual([kind.hours, kind.clock], [1.5, true]);
    await shot('kinds');
  });

  step('a township\'s unit for 暴露垃圾 is set in the 派遣目录, listed, and removed', async () => {
    const { page } = suite;
    const db = suite.testDb.db;
    const { rows: [township] } = await db.query<{ code: string; name: string }>(
      `SELECT code, name FROM divisions WHERE code LIKE '511602%' AND level = 'township' ORDER BY code LIMIT 1`);
    const { rows: [unit] } = await db.query<{ id: number; name: string }>(
      `SELECT id::int, name FROM departments WHERE division_code = '511602000000' AND kind = 'urban-management' LIMIT 1`);
    await page.getByRole('tab', { name: '派遣目录' }).click();
    const form = page.getByTestId('dispatch-rule-form');
    await suite.pickIn(form.locator('.ant-select').nth(0), '暴露垃圾');
    const area = form.locator('.ant-select').nth(1);
    await area.click();
    await page.keyboard.type(township!.name);
    await page.locator(`.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper[title="${township!.name}"]`).click();
    await suite.pickIn(form.locator('.ant-select').nth(2), unit!.name);
    await form.getByRole('button', { name: '设为处置单位' }).click();
    const row = page.locator('tr.ant-table-row:visible').filter({ hasText: township!.name });
    await row.getByText(unit!.name).waitFor();
    const rule = async () => (await db.query(`SELECT department_id::int AS unit FROM cityops_dispatch_rules WHERE division_code = $1 AND kind_code = 'E0102'`,
      [township!.code])).rows;
    assert.deepEqual(await rule(), [{ unit: unit!.id }]);
    await shot('dispatch');
    await row.getByRole('button', { name: /删\s*除/ }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: /确\s*定|OK/ }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await rule(), []);
  });

  step('a 12345 category\'s tickets become cases by themselves once switched on', async () => {
    const { page } = suite;
    await page.getByRole('tab', { name: '12345 分类对应' }).click();
    const toggle = page.getByRole('switch', { name: '自动转案件 CG-WZJS' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await toggle.click();
    await sees('已保存');
    await page.waitForFunction(() => document.querySelector('[aria-label="自动转案件 CG-WZJS"]')?.getAttribute('aria-checked') === 'true');
    const { rows } = await suite.testDb.db.query(`SELECT kind_code, auto FROM cityops_hotline_categories WHERE category_code = 'CG-WZJS'`);
    assert.deepEqual(rows, [{ kind_code: 'E0101', auto: true }]);
    await shot('hotline');
  });
});
