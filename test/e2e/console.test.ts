// The web console in a real browser, against the whole platform in this process with the demo city.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('console');
const { shot, sees, step, openPage } = suite;
const pickDepartment = (form: Locator, label: string, name: string) => suite.pickOption(form, label, name);

/** Nothing wider than the window (no sideways scrolling of the page), and the header items do not overlap. */
async function assertLaidOut(where: string): Promise<void> {
  const layout = await suite.page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.console-header > *, .console-user > .ant-space-item')]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, boxes };
  });
  assert.ok(layout.scrollWidth <= layout.innerWidth, `${where}: page is ${layout.scrollWidth}px wide in a ${layout.innerWidth}px window`);
  const header = layout.boxes;
  for (let i = 0; i < header.length; i++)
    for (let j = i + 1; j < header.length; j++) {
      const a = header[i]!;
      const b = header[j]!;
      const nested = (a.left <= b.left && a.right >= b.right && a.top <= b.top && a.bottom >= b.bottom) ||
        (b.left <= a.left && b.right >= a.right && b.top <= a.top && b.bottom >= a.bottom);
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      assert.ok(nested || !overlap, `${where}: header items ${i} and ${j} overlap`);
    }
}

describe('web console', () => {
  step('login page is in Chinese and shows the server\'s message for a wrong password', async () => {
    await suite.page.goto(`${suite.base}/`);
    await sees('工作人员登录');
    await suite.page.getByLabel('用户名').fill('admin');
    await suite.page.getByLabel('密码').fill('not-the-password');
    await suite.page.getByRole('button', { name: /登\s*录/ }).click();
    await sees('用户名或密码错误');
    await shot('01-login-error');
  });

  step('admin logs in and sees the console in Chinese', async () => {
    await suite.page.getByLabel('密码').fill(demoPassword);
    await suite.page.getByRole('button', { name: /登\s*录/ }).click();
    await suite.page.waitForURL('**/org');
    const header = suite.page.locator('.console-header');
    await header.getByText('一网').waitFor();
    await header.getByText('平台管理员').waitFor();
    for (const item of ['组织机构', '人员管理', '工作日历', '数据铁笼·账本', 'API 文档'])
      await suite.page.locator('.console-sider').getByText(item, { exact: true }).waitFor();
    await assertLaidOut('console at 1280×800');
  });

  step('organisation tree shows 广安市 and its counties; a county shows its departments and a department its staff', async () => {
    const tree = suite.page.locator('.ant-tree');
    await tree.getByText('广安市').waitFor();
    await tree.getByText('岳池县').click();
    await sees('岳池县 的部门');
    await suite.page.locator('.ant-table a', { hasText: '岳池县民政局' }).click();
    await sees('岳池县民政局 的人员');
    const staffRows = suite.page.locator('.ant-card', { hasText: '岳池县民政局 的人员' }).locator('.ant-table-tbody tr.ant-table-row');
    await staffRows.first().waitFor();
    assert.ok(await staffRows.count() >= 1, 'the department lists its staff');
    await suite.page.getByRole('button', { name: '新增下级区划' }).waitFor();
    await suite.page.getByRole('button', { name: '导入 / 导出' }).waitFor();
    await assertLaidOut('organisation at 1280×800');
    await shot('02-org-zh');
  });

  step('staff page lists and searches staff, and puts a server error next to the field it names', async () => {
    await openPage('人员管理', '/staff');
    await suite.page.locator('.ant-table').getByText('admin', { exact: true }).waitFor();
    await suite.page.getByPlaceholder('搜索姓名或用户名').fill('yc_officer');
    await suite.page.getByPlaceholder('搜索姓名或用户名').press('Enter');
    await suite.page.locator('.ant-table').getByText('yc_officer', { exact: true }).waitFor();
    assert.equal(await suite.page.locator('.ant-table-tbody tr.ant-table-row').count(), 1);

    await suite.page.getByRole('button', { name: '新增人员' }).click();
    const form = await suite.dialog();
    await form.getByLabel('用户名', { exact: true }).fill('Not A Name!');
    await form.getByLabel('姓名', { exact: true }).fill('测试人员');
    await form.getByLabel('初始密码').fill('Long-enough-pass-2026');
    await pickDepartment(form, '部门', '岳池县民政局');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    // The server refuses the username (auth.bad-username, field "username"); the message sits under that field.
    await form.locator('.ant-form-item', { hasText: '用户名' }).getByText('用户名格式不正确').waitFor();
    await assertLaidOut('staff form at 1280×800');
    await shot('03-staff-field-error');
    await form.getByRole('button', { name: /取\s*消/ }).click();
  });

  step('calendar marks holidays (休) and make-up days (班), lists them, and computes a deadline', async () => {
    await openPage('工作日历', '/calendar');
    await sees(/\d{4} 年节假日与调休/);
    const list = suite.page.locator('.ant-table');
    await list.getByText('班', { exact: true }).first().waitFor();
    // A day in the list opens its month in the calendar, where holidays carry 休 and their name.
    await list.getByText('春节').first().click();
    const calendar = suite.page.locator('.ant-picker-calendar');
    await calendar.getByText('休', { exact: true }).first().waitFor();
    await calendar.getByText('春节').first().waitFor();
    await suite.page.getByRole('button', { name: /计\s*算/ }).click();
    await suite.page.locator('[data-testid=deadline]').getByText(/截止时间/).waitFor();
    await assertLaidOut('calendar at 1280×800');
    await shot('04-calendar-zh');
  });

  step('ledger explorer checks the checkpoint signature and an inclusion proof in the browser', async () => {
    await openPage('数据铁笼·账本', '/ledger');
    await suite.page.locator('[data-testid=signature-status]').first().getByText('签名有效').waitFor();
    const firstEntry = suite.page.locator('.ant-table-tbody tr.ant-table-row').first();
    await firstEntry.getByText('管理员登录').waitFor(); // the newest entry is this admin's login, by its name
    await firstEntry.getByRole('button', { name: /验\s*证/ }).click();
    const result = suite.page.locator('[data-testid=inclusion-result]');
    await result.getByText('已验证 ✓').waitFor();
    await result.getByText('与叶哈希一致').waitFor();
    const computed = await result.locator('[data-testid=computed-root]').textContent();
    assert.match(computed ?? '', /^[A-Za-z0-9+/]{43}=$/, 'the computed root is shown');
    await assertLaidOut('ledger at 1280×800');
    await shot('05-ledger-verified-zh');
  });

  step('switching to English changes the UI and the server\'s messages, and is remembered', async () => {
    await suite.page.locator('.console-header').getByText('English').click();
    await suite.page.locator('.console-sider').getByText('Organisation', { exact: true }).waitFor();
    await suite.page.locator('.console-header').getByText('Platform admin').waitFor();
    await sees('Latest checkpoint');
    await suite.page.getByPlaceholder('Entry index').fill('0');
    await suite.page.getByRole('button', { name: 'Verify inclusion proof' }).click();
    await suite.page.locator('[data-testid=inclusion-result]').getByText('Verified ✓ entry #0').waitFor();
    await suite.page.locator('.ant-table-tbody').getByText('Administrator logged in').first().waitFor();
    await shot('06-ledger-verified-en');

    await suite.page.reload();
    await suite.page.locator('.console-sider').getByText('Working calendar', { exact: true }).waitFor();
    await openPage('Staff', '/staff');
    await suite.page.getByRole('button', { name: 'Add staff member' }).click();
    const form = await suite.dialog();
    await form.getByLabel('Username', { exact: true }).fill('x');
    await form.getByLabel('Name', { exact: true }).fill('Test');
    await form.getByLabel('Initial password').fill('Long-enough-pass-2026');
    await pickDepartment(form, 'Department', '岳池县民政局');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.ant-form-item', { hasText: 'Username' }).getByText('Invalid username').waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await shot('07-staff-en');
  });

  step('on a phone (390×844) every page fits the screen and the menu opens from the header', async () => {
    await suite.page.setViewportSize(phone);
    await openPage('Organisation', '/org');
    await suite.page.locator('.ant-tree').getByText('广安市').waitFor();
    await assertLaidOut('organisation on a phone');
    await shot('08-phone-org-en');
    await suite.page.locator('.console-header').getByText('中文').click();
    await openPage('数据铁笼·账本', '/ledger');
    await suite.page.locator('.ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: /验\s*证/ }).click();
    await suite.page.locator('[data-testid=inclusion-result]').getByText('已验证 ✓').waitFor();
    await assertLaidOut('ledger on a phone');
    await shot('09-phone-ledger-zh');
    for (const [label, route] of [['人员管理', '/staff'], ['工作日历', '/calendar']] as const) {
      await openPage(label, route);
      await suite.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      await assertLaidOut(`${route} on a phone`);
      await shot(`10-phone${route.replace('/', '-')}-zh`);
    }
    await suite.page.setViewportSize(wide);
  });

  step('an administrator unlocks a staff member locked out by failed logins from one address', async () => {
    for (let i = 0; i < 5; i++)
      await suite.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'yc_officer', password: 'Wrong-pass-2026' }, remoteAddress: '10.66.0.1' });
    await openPage('人员管理', '/staff');
    await suite.page.getByPlaceholder('搜索姓名或用户名').fill('yc_officer');
    await suite.page.getByPlaceholder('搜索姓名或用户名').press('Enter');
    const row = suite.page.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'yc_officer' });
    await row.getByText('已锁定').waitFor();
    await row.getByRole('button', { name: /解\s*锁/ }).click();
    await sees(/已解除 .* 的登录锁定/);
    await row.getByText('正常').waitFor();
    assert.equal(await row.getByRole('button', { name: /解\s*锁/ }).count(), 0);
    const entries = await suite.testDb.db.query(`SELECT 1 FROM ledger_entries WHERE action = 'auth.account.unlocked'
      UNION ALL SELECT 1 FROM ledger_queue WHERE action = 'auth.account.unlocked'`);
    assert.equal(entries.rowCount, 1);
    await shot('03b-staff-unlocked');
  });

  step('changing one\'s own password asks for the current one, and the server checks it', async () => {
    await suite.page.getByPlaceholder('搜索姓名或用户名').fill('admin');
    await suite.page.getByPlaceholder('搜索姓名或用户名').press('Enter');
    const own = suite.page.locator('.ant-table-tbody tr.ant-table-row').filter({ has: suite.page.getByText('admin', { exact: true }) });
    await own.getByRole('button', { name: '重置密码' }).click();
    const dialog = await suite.dialog();
    await dialog.getByText('修改我的密码').waitFor();
    await dialog.getByLabel('当前密码').fill('Not-the-password-1');
    await dialog.getByLabel('新密码').fill('Another-strong-pass-2026');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.locator('.ant-form-item', { hasText: '当前密码' }).getByText('当前密码不正确').waitFor();
    await shot('03c-own-password');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
  });

  step('logout returns to the login page', async () => {
    await suite.page.locator('.console-header').getByRole('button', { name: '退出登录' }).click();
    await sees('工作人员登录');
    await suite.page.goto(`${suite.base}/ledger`);
    await sees('工作人员登录');
  });

  step('the API docs render under their own Content-Security-Policy', async () => {
    await suite.page.goto(`${suite.base}/docs`);
    await suite.page.locator('.swagger-ui .info .title').getByText('Yiwang API').waitFor();
    // Swagger UI renders the operations that are in view: the ledger's come first, as the module list orders them.
    await suite.page.locator('.opblock-tag', { hasText: 'ledger' }).first().waitFor();
    await suite.page.locator('.opblock-summary-path', { hasText: '/api/v1/ledger/checkpoint' }).waitFor();
    await shot('11-api-docs');
  });
});
