// 数据铁笼 in a real browser: a planted act (a personal-data read without a purpose) raises an alert; the
// inspector opens it, verifies its proof in the page, opens a 整改 case and closes it, releases it; the rule
// library dry-runs a rule; the discipline office reads the integrity file; the official answers the alert.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { appendToLedger } from '../../src/kernel/ledger/index.ts';
import { streamLedger } from '../../src/oversight/index.ts';
import { browserSuite } from './browser.ts';

const suite = browserSuite('oversight');
const { shot, sees, step, openPage } = suite;
let officerName = '';

async function drained(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows: [q] } = await suite.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_queue');
    if (q!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('the sequencer did not drain the queue');
}

describe('oversight', () => {
  step('a planted act raises an alert as the stream reads the ledger', async () => {
    const { db } = suite.testDb;
    const { rows: [officer] } = await db.query<{ id: string; name: string }>(`SELECT id::text, display_name AS name FROM users WHERE username = 'ga_officer'`);
    officerName = officer!.name;
    await drained();
    await streamLedger(db, new Date());
    await withTransaction(db, (tx) => appendToLedger(tx, {
      actor: { kind: 'staff', id: officer!.id }, action: 'hub.call.answered', object: { type: 'hub-message', id: 'e2e-planted' }, payload: { planted: true },
    }));
    await drained();
    const raised = await streamLedger(db, new Date());
    assert.ok(raised >= 1);
    await drained();
  });

  step('the inspector sees it on the risk dashboard and opens it; the proof verifies in the page', async () => {
    const { page } = suite;
    await suite.loginAt('/oversight', 'supervisor');
    await openPage('风险预警', '/oversight');
    await sees('数据铁笼 · 风险看板');
    await sees('按规则');
    await shot('01-dashboard');
    await page.locator('.ant-table-row', { hasText: officerName }).filter({ hasText: '无目的调用个人数据' }).first().click();
    await page.waitForURL(/\/oversight\/\d+$/);
    await sees('证据链（账本条目）');
    await sees('个人信息保护法');
    await page.getByRole('button', { name: '在浏览器中验证' }).click();
    await sees(/签名检查点有效；1 条行为均包含在规模为 \d+ 的账本中/);
    await page.locator('.ant-tag', { hasText: '已验证' }).first().waitFor();
    await shot('02-alert-verified');
  });

  step('a 整改 case with a deadline is opened and closed; the alert is released to the official', async () => {
    const { page } = suite;
    await page.getByRole('button', { name: '启动处置' }).click();
    let modal = await suite.dialog();
    await suite.choose(modal, '限期整改');
    await modal.getByPlaceholder('整改期限').fill('2026-12-31');
    await modal.getByPlaceholder('整改期限').press('Enter');
    await modal.locator('textarea').fill('补录办件编号，说明查询目的');
    await modal.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByTestId('case').getByText(/限期整改 · 整改期限 2026-12-31/).waitFor();
    await sees('处置中');
    await shot('03-case-opened');
    await page.getByRole('button', { name: '处置办结' }).click();
    modal = await suite.dialog();
    await modal.locator('textarea').fill('已补录办件编号并完成培训');
    await modal.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByTestId('case').getByText(/已补录办件编号并完成培训/).waitFor();
    await sees('已办结');
    await page.getByRole('button', { name: '告知本人' }).click();
    await page.getByRole('button', { name: '告知本人' }).waitFor({ state: 'detached' });
    await shot('04-case-closed');
  });

  step('the rule library dry-runs a rule over history; in English the dashboard is translated', async () => {
    const { page } = suite;
    await openPage('预警规则库', '/oversight-rules');
    await page.locator('.ant-table-row', { hasText: '短时间内查看大量个人信息' }).locator('.ant-table-row-expand-icon').click();
    await page.getByRole('button', { name: '试运行' }).first().click();
    await page.getByTestId('dry-run').getByText(/近 30 天共扫描 \d+ 条账本记录，将产生 \d+ 条预警/).waitFor();
    await shot('05-rules-dry-run');
    await page.locator('.console-header').getByText('English').click();
    await openPage('Risk alerts', '/oversight');
    await sees('Data cage · risk dashboard');
    await sees('Personal data read without a purpose');
    await shot('06-dashboard-en');
    await page.locator('.console-header').getByText('中文').click();
  });

  step('the discipline office reads the official\'s integrity file; the view is on the ledger', async () => {
    const { page } = suite;
    await suite.loginAt('/oversight', 'inspector');
    await openPage('廉政档案', '/integrity');
    await page.locator('.ant-list-item', { hasText: officerName }).click();
    await sees('本次查阅已记入账本。');
    await sees('补录办件编号');
    await shot('07-integrity');
    const { rows: [n] } = await suite.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_queue WHERE action = 'oversight.integrity.viewed'`);
    const { rows: [m] } = await suite.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE action = 'oversight.integrity.viewed'`);
    assert.equal(n!.n + m!.n, 1);
  });

  step('the official sees the released alert about them and answers it', async () => {
    const { page } = suite;
    await suite.loginAt('/oversight', 'ga_officer');
    await openPage('我的预警', '/my-alerts');
    await sees('无目的调用个人数据');
    await page.getByPlaceholder('您的说明').fill('系统对接测试时漏填了办件编号');
    await page.getByRole('button', { name: '提交说明' }).click();
    await sees('本人说明：系统对接测试时漏填了办件编号');
    await shot('08-my-alerts');
  });
});
