// 一网通办 in a real browser: find an item, apply with the form prefilled from the hub, a clerk asks for a
// correction, the citizen corrects, the clerk approves (the marriage certificate goes to the wallet) and
// finishes, the citizen rates 不满意, and the rectification task appears.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('services');
const { shot, sees, step, openPage } = suite;
const itemName = '中国内地公民婚姻登记';
let receipt = '';

async function fitsScreen(where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await suite.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

describe('one-stop services', () => {
  step('the public portal lists items by life event and finds one by name; its guide shows materials and time limits', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/services`);
    await sees('广安区政务服务网 · 一网通办');
    await page.locator('.services-events').getByText(/^婚姻/).click();
    await page.locator('.ant-list-item').first().waitFor();
    await page.getByPlaceholder('搜索事项名称或编码').fill(itemName);
    await page.getByPlaceholder('搜索事项名称或编码').press('Enter');
    await page.locator('.ant-list-item').getByText(itemName, { exact: true }).waitFor();
    await sees('网上可办事项');
    await shot('01-portal');
    await page.locator('.ant-list-item').getByText(itemName, { exact: true }).click();
    await page.waitForURL('**/services/items/*');
    await sees('办事指南');
    await sees('免提交：人口基本信息');
    await sees('承诺时限');
    await sees('结婚证');
    await shot('02-guide');
  });

  step('on a phone the portal and the guide fit the screen', async () => {
    await suite.page.setViewportSize(phone);
    await fitsScreen('guide on a phone');
    await shot('03-phone-guide');
    await suite.page.goto(`${suite.base}/services`);
    await suite.page.locator('.ant-list-item').first().waitFor();
    await fitsScreen('portal on a phone');
    await shot('04-phone-portal');
    await suite.page.setViewportSize(wide);
    await suite.page.goBack();
    await sees('办事指南');
  });

  step('the citizen logs in to apply: name and ID come from the hub; the rest is filled in and submitted', async () => {
    const { page } = suite;
    await page.getByRole('button', { name: '登录后在线申请' }).click();
    await suite.login('citizen1', demoPassword);
    await page.waitForURL(/\/my-services\/\d+$/);
    await sees('申请表');
    const form = page.locator('.ant-form');
    await form.locator('.ant-form-item', { hasText: '申请人姓名' }).getByText('已由共享数据自动填写').waitFor();
    assert.match(await form.getByLabel('公民身份号码').inputValue(), /^5116\d{13}[\dX]$/);
    assert.ok((await form.getByLabel('申请人姓名').inputValue()).length >= 2);
    await shot('05-prefilled');
    await form.getByLabel('联系电话').fill('13812345678');
    await form.getByLabel('现居住地址').fill('广安区浓洄街道建设路1号');
    await form.getByLabel('另一方姓名').fill('李明');
    await form.getByLabel(/申请事由/).fill('自愿结婚，申请结婚登记');
    await page.getByRole('button', { name: '提交申请' }).click();
    await sees(/已提交，受理编号/);
    await page.locator('.ant-descriptions').getByText('待受理').waitFor();
    receipt = (await page.locator('.mono').first().textContent())!.trim();
    assert.match(receipt, /^511602-\d{8}-\d{7}$/);
    await shot('06-submitted');
    await suite.logout();
  });

  step('the clerk finds it in the queue and asks for a correction; the clock stops', async () => {
    const { page } = suite;
    await suite.loginAt('/service-queue', 'ga_officer');
    await page.getByPlaceholder('受理编号、事项或申请人').fill(receipt);
    await page.getByPlaceholder('受理编号、事项或申请人').press('Enter');
    await page.locator('.ant-table-row').getByText(receipt).click();
    await page.waitForURL(/\/service-queue\/\d+$/);
    await page.getByLabel('意见').fill('请在申请事由中写明双方均无配偶');
    await page.getByRole('button', { name: '一次性告知补正' }).click();
    await sees('补正中，计时暂停');
    await shot('07-correction-asked');
    await suite.logout();
  });

  step('the citizen sees the request and corrects; the clock restarts', async () => {
    const { page } = suite;
    await suite.loginAt('/my-services', 'citizen1');
    await page.locator('.ant-list-item', { hasText: itemName }).getByRole('button', { name: '查看' }).click();
    await sees('补正告知：请在申请事由中写明双方均无配偶');
    await page.locator('.ant-form').getByLabel(/申请事由/).fill('自愿结婚，双方均无配偶，申请结婚登记');
    await page.getByRole('button', { name: '提交补正' }).click();
    await sees('补正已提交');
    // Asked before 受理, it goes back to the queue of applications waiting for acceptance.
    await page.locator('.ant-descriptions').getByText('待受理').waitFor();
    await suite.logout();
  });

  step('the clerk accepts, reviews, approves and finishes; every step is in the history', async () => {
    const { page } = suite;
    await suite.loginAt('/service-queue', 'ga_officer');
    await page.getByPlaceholder('受理编号、事项或申请人').fill(receipt);
    await page.getByPlaceholder('受理编号、事项或申请人').press('Enter');
    await suite.choose('状态', '全部');
    await page.locator('.ant-table-row').getByText(receipt).click();
    for (const [button, after] of [['受 理', '当前环节: 审查'], ['审查通过', '当前环节: 决定']] as const) {
      await page.getByRole('button', { name: button }).click();
      await page.locator('.ant-descriptions').getByText(after).waitFor();
    }
    // 准予 and 办结 are final: each asks in a dialog that says what follows, with a note of its own.
    for (const [button, consequence, after] of [['准 予', /准予许可决定作出后不能撤回/, '已准予'], ['办 结', /办结后办件关闭/, '已办结']] as const) {
      await page.getByRole('button', { name: button }).click();
      const dialog = await suite.dialog();
      await dialog.getByText(consequence).waitFor();
      if (button === '准 予') await shot('08a-approve-confirm');
      await dialog.getByRole('button', { name: button }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.ant-descriptions').getByText(after).waitFor();
    }
    await sees(/实际用时 \d+ 个工作日/);
    await shot('08-finished');
    await suite.logout();
  });

  step('an approval of a benefit asks for the amount paid, in 元, and the application then shows it', async () => {
    const { page } = suite;
    await suite.loginAt('/service-queue', 'ga_officer');
    // A demo application of a paying item waiting for its decision, which another officer reviewed.
    const id = await page.evaluate(async () => {
      const list = await (await fetch('/api/v1/services/applications?state=accepted&q=困难残疾人生活补贴&limit=20')).json() as { items: { id: number }[] };
      for (const { id } of list.items) {
        const app = await (await fetch(`/api/v1/services/applications/${id}`)).json() as { abilities: string[] };
        if (app.abilities.includes('decide')) return id;
      }
      return null;
    });
    assert.ok(id, 'the demo has a 困难残疾人生活补贴 application waiting for ga_officer\'s decision');
    await page.goto(`${suite.base}/service-queue/${id}`);
    await page.getByRole('button', { name: '准 予' }).click();
    const dialog = await suite.dialog();
    await dialog.getByRole('button', { name: '准 予' }).click();
    await dialog.getByText('请填写金额（元，最多两位小数）').waitFor();
    await dialog.getByLabel('发放金额（元）').fill('1280.5');
    await shot('08c-approve-amount');
    await dialog.getByRole('button', { name: '准 予' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.ant-descriptions').getByText('已准予').waitFor();
    await page.locator('.ant-descriptions').getByText('¥1,280.50').waitFor();
    await suite.logout();
  });

  step('不予受理 asks first, takes its reason in its own field (a common reason a click away), not from the note box', async () => {
    const { page } = suite;
    await suite.loginAt('/service-queue', 'ga_officer');
    await page.locator('.ant-table-row').first().click();
    await page.waitForURL(/\/service-queue\/\d+$/);
    await page.getByLabel('意见').fill('材料齐全，同意受理');
    await page.getByRole('button', { name: '不予受理' }).click();
    const dialog = await suite.dialog();
    await dialog.getByText(/不予受理后办件即告终结，不能撤回/).waitFor();
    assert.equal(await dialog.getByLabel(/理由/).inputValue(), '', 'the acceptance note does not become the reason');
    await dialog.getByRole('button', { name: '不予受理' }).click();
    await dialog.getByText('请填写理由').waitFor();
    await dialog.getByText('申请人不符合申请条件').click();
    await shot('08b-reject-confirm');
    await dialog.getByRole('button', { name: '不予受理' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.ant-descriptions').getByText('申请人不符合申请条件').waitFor();
    await suite.logout();
  });

  step('the marriage certificate issued on approval is in the citizen\'s wallet', async () => {
    const { page } = suite;
    await suite.loginAt('/wallet', 'citizen1');
    await page.getByText('结婚证').first().waitFor();
    await page.getByText('广安区民政局').first().waitFor();
    await shot('09-wallet');
  });

  step('the citizen rates the service 不满意, and a rectification task appears for the department', async () => {
    const { page } = suite;
    await openPage('我的办事', '/my-services');
    await page.locator('.ant-list-item', { hasText: itemName }).getByRole('button', { name: '查看' }).click();
    await sees('评价本次办事');
    await page.getByRole('radio', { name: '不满意', exact: true }).check();
    await page.getByLabel('评价内容').first().fill('补正要求没有一次说清');
    await page.getByRole('button', { name: '提交评价' }).first().click();
    await sees('已转整改');
    await page.setViewportSize(phone);
    await fitsScreen('application on a phone');
    await shot('10-phone-rated');
    await page.setViewportSize(wide);
    await suite.loginAt('/service-ratings', 'ga_officer');
    const row = page.locator('.ant-table-row', { hasText: receipt });
    await row.getByText('补正要求没有一次说清').waitFor();
    await row.getByText('核实').waitFor();
    await sees('时限压缩');
    await shot('11-rectification');
  });

  step('the admin edits an item\'s form as JSON (a broken schema is refused on the field) and evaluates a policy', async () => {
    const { page } = suite;
    await suite.loginAt('/service-items', 'admin');
    await page.getByPlaceholder('事项名称或编码').fill(itemName);
    await page.getByPlaceholder('事项名称或编码').press('Enter');
    await page.getByRole('button', { name: `编辑表单 ${itemName}` }).click();
    const editor = await suite.dialog();
    await editor.getByText('不涉及金额').waitFor(); // 婚姻登记 pays and charges nothing
    await editor.getByLabel('申请表 JSON Schema').fill('{"type": "object", "properties": {"a": {"type": "nonsense"}}}');
    await editor.getByRole('button', { name: /确\s*定|OK/ }).click();
    await editor.getByText('表单定义不是有效的 JSON Schema').first().waitFor();
    await shot('12-form-editor');
    await editor.getByRole('button', { name: /取\s*消|Cancel/ }).click();
    await openPage('不来即享', '/service-policies');
    const row = page.locator('.ant-table-row', { hasText: '高龄津贴主动发放' });
    // The amount each grant pays: in 元 on screen (the demo's 600), 分 on the wire.
    await row.getByText(/^¥600$/).waitFor();
    await row.getByText('高龄津贴主动发放').click();
    const policyEditor = await suite.dialog();
    assert.equal(await policyEditor.getByLabel(/每人发放或收取金额/).inputValue(), '600.00');
    await policyEditor.getByLabel(/每人发放或收取金额/).fill('650');
    await policyEditor.getByRole('button', { name: /确\s*定|OK/ }).click();
    await row.getByText(/^¥650$/).waitFor();
    await row.getByRole('button', { name: '精准匹配' }).click();
    // Matching asks the hub about every resident of the city: seconds, and more on a busy machine.
    await page.getByText(/符合条件 \d+ 人/).first().waitFor({ timeout: 60_000 });
    await shot('13-policies');
  });

  step('the citizen sees what an offer pays, accepts it, and the approved application states the amount', async () => {
    const { page } = suite;
    // The demo's citizens are younger than 80: an offer of the 高龄津贴 policy is made to citizen1 as if matched.
    await suite.testDb.db.query(
      `INSERT INTO services_offers (policy_id, subject, user_id, reasons, state, found_at)
       SELECT p.id, u.id_number, u.id, '[{"predicate": "age-over-80", "name": "年满80周岁", "answer": true}]', 'offered', now()
         FROM services_policies p, users u WHERE p.code = 'elderly-allowance' AND u.username = 'citizen1'`);
    await suite.loginAt('/my-services', 'citizen1');
    const offer = page.locator('.services-offers .ant-list-item', { hasText: '高龄津贴主动发放' });
    await offer.getByText(/^发放金额：¥650$/).waitFor();
    await shot('14-offer');
    await offer.getByRole('button', { name: '一键确认' }).click();
    await sees(/已确认，受理编号/);
    await offer.getByRole('button', { name: '已确认' }).click();
    await page.waitForURL(/\/my-services\/\d+$/);
    await page.locator('.ant-descriptions-item', { hasText: '发放金额' }).getByText(/^¥650$/).waitFor();
    await suite.logout();
  });

  step('the portal reads in English too', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/services`);
    await page.locator('.console-header').getByText('English').click();
    await sees("Guang'an District one-stop services");
    await page.locator('.services-events').getByText(/^Marriage/).click();
    await page.locator('.ant-list-item').first().waitFor();
    await shot('15-portal-en');
    await page.locator('.console-header').getByText('中文').click();
  });
});
