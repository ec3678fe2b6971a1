// 行政处罚 in a real browser: the investigator of 广安区城市管理综合执法局 files a case and proposes a fine above its
// band (the reason is asked for), another officer passes the legal review, the head decides; the record and the
// discretion standards show on the page.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, residentId } from '../../src/kernel/demo/index.ts';
import { browserSuite, wide } from './browser.ts';

const suite = browserSuite('penalties');
const { shot, sees, step } = suite;
const idNumber = residentId(createRng('penalties-e2e'), '511602', '1978-03-21', true);
let number = '';

/** The row of the case this test filed, in the cases table. */
const caseRow = () => suite.page.locator('.ant-table-row', { hasText: number });

/** Closes the case's drawer, whose mask covers the page and its header. */
async function closeDrawer() {
  const drawer = suite.page.locator('.ant-drawer-content-wrapper');
  if (!(await drawer.isVisible())) return;
  await drawer.locator('.ant-drawer-close').click();
  await drawer.waitFor({ state: 'hidden' });
}

async function openCase(username: string) {
  await closeDrawer();
  await suite.loginAt('/penalties', username);
  await caseRow().click();
  await suite.page.getByTestId('penalty-case').waitFor();
}

describe('行政处罚', () => {
  step('the investigator files a case and proposes a fine above its band: the reason is asked for before it goes to review', async () => {
    const { page } = suite;
    await page.setViewportSize({ width: 1440, height: 900 });
    await suite.loginAt('/penalties', 'zf_officer');
    // The demo's open cases of the department wait in the list.
    await page.locator('.ant-table-row').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /立\s*案/ }).first().click();
    const modal = await suite.dialog('违法事实');
    await suite.pickOption(modal, '处罚事项', 'CF-CG-0003 擅自占用城市道路');
    await modal.getByLabel('当事人名称').fill('李国强');
    await modal.getByLabel('公民身份号码').fill(idNumber);
    await suite.pickOption(modal, '违法行为发生地', '广安区');
    await modal.getByLabel('具体地点').fill('浓洄街道建设路');
    await modal.getByLabel('违法事实').fill('未经批准在机动车道堆放建材，占用道路约四十平方米');
    await modal.getByRole('button', { name: /立\s*案/ }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText(/案件 CF\d{4}-\d{6}/).waitFor();
    number = (await drawer.locator('.ant-drawer-title').innerText()).replace('案件', '').trim();
    await drawer.getByText('调查中').waitFor();

    const form = drawer.getByTestId('propose-form');
    await form.getByText('该档次裁量基准：¥2,000 – ¥8,000；法定幅度：¥0 – ¥20,000').waitFor();
    await form.getByLabel('罚款金额（元）').fill('12000');
    // Above the 一般 band: the reason's field appears and is required.
    await form.getByRole('button', { name: /拟处罚/ }).click();
    await form.locator('.ant-form-item-explain-error', { hasText: '请说明偏离裁量基准的理由' }).waitFor();
    await form.getByLabel('偏离裁量基准的理由').fill('占道已逾三个月，经两次责令改正仍未清除');
    await form.getByRole('button', { name: /拟处罚/ }).click();
    await drawer.getByText('待法制审核').first().waitFor();
    await drawer.getByTestId('penalty-case').getByText('一般 · ¥12,000').waitFor();
    assert.equal(await drawer.getByTestId('review-form').count(), 0, 'the investigator does not review their own case');
    await shot('01-proposed');
    await closeDrawer();
  });

  step('another officer passes the legal review; the head decides; the record names each step', async () => {
    const { page } = suite;
    await openCase('zf_review');
    const drawer = page.locator('.ant-drawer');
    const review = drawer.getByTestId('review-form');
    await review.getByText('审核通过').click();
    await review.getByRole('button', { name: /法制审核/ }).click();
    await drawer.getByText('待决定').first().waitFor();

    await openCase('zf_head');
    const decide = drawer.getByTestId('decide-form');
    await decide.getByLabel('意见说明').fill('同意');
    await decide.getByRole('button', { name: /作出决定/ }).click();
    await drawer.getByText('已决定').first().waitFor();
    const timeline = drawer.getByTestId('penalty-timeline');
    for (const event of ['立案', '拟处罚', '法制审核通过', '作出处罚决定']) await timeline.getByText(event, { exact: true }).waitFor();
    await timeline.getByText('占道已逾三个月，经两次责令改正仍未清除').waitFor();
    await shot('02-decided');
    await closeDrawer();
    // The list masks the person's name as the public notice of penalties does.
    await page.getByText('已决定', { exact: true }).first().click();
    await caseRow().getByText('李某某').waitFor();
  });

  step('the discretion standards: every item with its legal range and three bands', async () => {
    const { page } = suite;
    await page.getByRole('tab', { name: '处罚事项与裁量基准' }).click();
    const items = page.getByTestId('penalty-items');
    await items.locator('tr', { hasText: 'CF-CG-0003' }).getByText('¥8,000 – ¥20,000').waitFor();
    assert.equal(await items.locator('.ant-table-row').count(), 3, 'the urban-management department sees its three items');
    await shot('03-standards');
    await page.setViewportSize(wide);
  });

  step('the platform admin changes a band of the standard; a band overlapping the next is refused with its reason', async () => {
    const { page } = suite;
    await suite.loginAt('/penalties', 'admin');
    await page.getByRole('tab', { name: '处罚事项与裁量基准' }).click();
    const items = page.getByTestId('penalty-items');
    await items.locator('.ant-table-row', { hasText: 'CF-SJ-0003' }).getByRole('button', { name: /编\s*辑/ }).click();
    const modal = await suite.dialog('违法依据');
    await modal.getByLabel('从轻 止').fill('1500');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await page.locator('.ant-message-notice', { hasText: '裁量档次须在法定幅度内' }).waitFor();
    await modal.getByLabel('一般 起').fill('1500');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await items.locator('.ant-table-row', { hasText: 'CF-SJ-0003' }).getByText('¥0 – ¥1,500').waitFor();
    await shot('04-standard-edited');
  });

  step('a 民政局 officer has no 行政处罚 in the menu', async () => {
    await suite.loginAt('/', 'ga_officer');
    await suite.page.locator('.console-sider').getByText('工单队列').waitFor();
    assert.equal(await suite.page.locator('.console-sider').getByText('行政处罚').count(), 0);
    await sees('工单队列');
  });
});
