// 管辖争议 in a real browser: the command centre opens the queue of the demo city, reads a dispute of a point on
// the line between two counties (both candidate units, the grids on a small map), decides it with 成为规则,
// and finds the rule listed; a new case at the same place then goes to the decided unit at once.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { dispatchCase, fileCase, openCase } from '../../src/cityops/index.ts';
import { browserSuite, wide } from './browser.ts';

const suite = browserSuite('cityops-disputes');
const { shot, sees, step } = suite;
const decided: { caseCode: string; unit: string } = { caseCode: '', unit: '' };

describe('a jurisdiction dispute decided and turned into a rule', () => {
  step('the command centre opens the queue: the demo city\'s disputes with their candidates and limits', async () => {
    const { page } = suite;
    await page.setViewportSize(wide);
    await suite.loginAt('/cityops-disputes', 'zhihui');
    await sees('管辖争议');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    await rows.filter({ hasText: '多个单位退回' }).waitFor();
    assert.equal(await rows.filter({ hasText: '位于区域交界' }).count(), 2);
    await shot('disputes-queue');
  });

  step('a point on the county line: both units, the grids of both counties on the map, and the decision with 成为规则', async () => {
    const { page } = suite;
    await page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: '位于区域交界' }).first().click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('争议详情').waitFor();
    const candidates = drawer.getByTestId('candidates').locator('span');
    assert.equal(await candidates.count(), 2);
    decided.caseCode = (await drawer.locator('.ant-descriptions-item-content').first().innerText()).trim();
    const map = drawer.getByTestId('dispute-map');
    // Once fitted to the point (data-bounds), the map settles up close: the point and the line, not the whole city.
    await map.and(page.locator('[data-bounds]')).waitFor();
    await page.waitForFunction(() => (JSON.parse(document.querySelector('[data-testid=dispute-map]')?.getAttribute('data-view') ?? '{"zoom":0}') as
      { zoom: number }).zoom > 14);
    await drawer.getByTestId('map-marker').waitFor();
    await shot('dispute-detail');

    const form = drawer.getByTestId('decide-form');
    const choice = form.locator('.ant-radio-wrapper').first();
    decided.unit = (await choice.innerText()).trim();
    await choice.click();
    await form.getByLabel('裁定理由').fill('该路段由此单位负责清扫保洁');
    await form.getByText('成为规则', { exact: false }).click();
    await form.getByText('按位置（以案件点为圆心）').waitFor();
    await form.getByLabel('半径').fill('50');
    await form.getByRole('button', { name: '裁定并派遣' }).click();
    await drawer.getByTestId('decision').getByText(`${decided.unit} · 该路段由此单位负责清扫保洁`, { exact: false }).waitFor();
    await drawer.getByTestId('decision').getByText('已形成规则', { exact: false }).waitFor();
    await shot('dispute-decided');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ant-table-tbody tr.ant-table-row').count(), 2, 'the decided dispute leaves the queue');
  });

  step('the rule is listed; a new case at the same place is dispatched to the decided unit at once', async () => {
    const { page } = suite;
    await page.getByRole('tab', { name: '管辖规则' }).click();
    const rule = page.getByTestId('rules').locator('.ant-table-tbody tr.ant-table-row').first();
    await rule.getByText('该路段由此单位负责清扫保洁').waitFor();
    await rule.getByText(decided.unit).waitFor();
    await rule.getByText('半径 50 米', { exact: false }).waitFor();
    await rule.getByText('生效').waitFor();
    await shot('dispute-rules');

    const { db } = suite.testDb;
    const { rows: [point] } = await db.query<{ lon: number; lat: number }>('SELECT lon, lat FROM cityops_cases WHERE code = $1', [decided.caseCode]);
    const disputes = async () => Number((await db.query('SELECT count(*)::int AS n FROM cityops_disputes')).rows[0].n);
    const before = await disputes();
    const next = await withTransaction(db, async (tx) => {
      const ctx = { tx, actor: systemActor('e2e'), now: new Date() };
      const c = await openCase(ctx, { source: 'command', kindCode: 'E0102', description: '同一路段再次发现暴露垃圾', lon: point!.lon + 0.0001, lat: point!.lat });
      await fileCase(ctx, { caseId: c.id });
      return dispatchCase(ctx, { caseId: c.id });
    });
    const { rows: [unit] } = await db.query<{ name: string }>('SELECT name FROM departments WHERE id = $1', [next.departmentId]);
    assert.deepEqual([next.state, unit!.name, await disputes()], ['handling', decided.unit, before]);
  });
});
