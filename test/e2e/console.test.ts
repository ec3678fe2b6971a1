// The web console in a real browser, against the whole platform in this process with the demo city.
// Needs web/dist built (`npm test` builds it) and Chromium at /usr/bin/chromium.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { demoPassword, loadDemoCity } from '../../demo/load.ts';
import { buildApp } from '../../src/server.ts';
import { startSequencer, type Sequencer } from '../../src/kernel/ledger/index.ts';
import type { App } from '../../src/kernel/http/index.ts';

const screenshots = path.resolve('test-results/console');
const wide = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

let testDb: TestDb;
let app: App;
let sequencer: Sequencer;
let browser: BrowserContext;
let profileDir: string;
let page: Page;
let base: string;
const scriptErrors: string[] = [];

before(async () => {
  testDb = await createTestDb();
  await loadDemoCity(testDb.db, { seed: 'console-e2e' });
  app = await buildApp({ db: testDb.db, serveWeb: true });
  sequencer = startSequencer(testDb.db, { intervalMs: 50 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  await fs.mkdir(screenshots, { recursive: true });
  profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'yiwang-chromium-'));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    viewport: wide,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => scriptErrors.push(error.message));
});

// A script error anywhere in the console fails the step in which it happened.
afterEach(() => {
  const errors = scriptErrors.splice(0);
  assert.deepEqual(errors, [], 'no script errors in the console');
});

after(async () => {
  await browser?.close();
  await app?.close();
  await sequencer?.stop();
  await testDb?.drop();
  if (profileDir) await fs.rm(profileDir, { recursive: true, force: true });
});

/** A full-page screenshot from the top, so the sticky header sits where a user sees it. */
async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** Waits until `text` is visible somewhere on the page; fails the test otherwise. */
async function sees(text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible' });
}

/** Nothing wider than the window (no sideways scrolling of the page), and the header items do not overlap. */
async function assertLaidOut(where: string): Promise<void> {
  const layout = await page.evaluate(() => {
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

/** A step in the browser; when it fails, the page as it was is saved beside the other screenshots. */
function step(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
    } catch (error) {
      await page.screenshot({ path: path.join(screenshots, `failed-${name.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Picks a department in the form's searchable select and waits until the select shows it. The options
 * arrive with the department list, and a click during the dropdown's opening animation can miss, so the
 * pick is tried again until it has taken.
 */
async function pickDepartment(form: Locator, label: string, name: string): Promise<void> {
  const field = form.locator('.ant-form-item', { has: page.getByLabel(label, { exact: true }) });
  for (let attempt = 1; ; attempt++) {
    await form.getByLabel(label, { exact: true }).click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-item-option', { hasText: name }).first().click();
    try {
      await field.locator('.ant-select-content, .ant-select-selection-item', { hasText: name }).first().waitFor({ timeout: 3000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await form.locator('.ant-modal-title').click(); // closes the dropdown; Escape would close the modal too
    }
  }
}

async function openPage(menuLabel: string, path: string) {
  if (page.viewportSize()!.width < 992) {
    await page.getByRole('button', { name: /打开菜单|Open menu/ }).click();
    await page.locator('.ant-drawer').getByText(menuLabel, { exact: true }).click();
  } else {
    await page.locator('.console-sider').getByText(menuLabel, { exact: true }).click();
  }
  await page.waitForURL(`**${path}`);
}

describe('web console', () => {
  step('login page is in Chinese and shows the server\'s message for a wrong password', async () => {
    await page.goto(`${base}/`);
    await sees('工作人员登录');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await sees('用户名或密码错误');
    await shot('01-login-error');
  });

  step('admin logs in and sees the console in Chinese', async () => {
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL('**/org');
    const header = page.locator('.console-header');
    await header.getByText('一网').waitFor();
    await header.getByText('平台管理员').waitFor();
    for (const item of ['组织机构', '人员管理', '工作日历', '数据铁笼·账本', 'API 文档'])
      await page.locator('.console-sider').getByText(item, { exact: true }).waitFor();
    await assertLaidOut('console at 1280×800');
  });

  step('organisation tree shows 广安市 and its counties; a county shows its departments and a department its staff', async () => {
    const tree = page.locator('.ant-tree');
    await tree.getByText('广安市').waitFor();
    await tree.getByText('岳池县').click();
    await sees('岳池县 的部门');
    await page.locator('.ant-table a', { hasText: '岳池县民政局' }).click();
    await sees('岳池县民政局 的人员');
    const staffRows = page.locator('.ant-card', { hasText: '岳池县民政局 的人员' }).locator('.ant-table-tbody tr.ant-table-row');
    await staffRows.first().waitFor();
    assert.ok(await staffRows.count() >= 1, 'the department lists its staff');
    await page.getByRole('button', { name: '新增下级区划' }).waitFor();
    await page.getByRole('button', { name: '导入 / 导出' }).waitFor();
    await assertLaidOut('organisation at 1280×800');
    await shot('02-org-zh');
  });

  step('staff page lists and searches staff, and puts a server error next to the field it names', async () => {
    await openPage('人员管理', '/staff');
    await page.locator('.ant-table').getByText('admin', { exact: true }).waitFor();
    await page.getByPlaceholder('搜索姓名或用户名').fill('yc_officer');
    await page.getByPlaceholder('搜索姓名或用户名').press('Enter');
    await page.locator('.ant-table').getByText('yc_officer', { exact: true }).waitFor();
    assert.equal(await page.locator('.ant-table-tbody tr.ant-table-row').count(), 1);

    await page.getByRole('button', { name: '新增人员' }).click();
    const form = page.locator('.ant-modal');
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
    const list = page.locator('.ant-table');
    await list.getByText('班', { exact: true }).first().waitFor();
    // A day in the list opens its month in the calendar, where holidays carry 休 and their name.
    await list.getByText('春节').first().click();
    const calendar = page.locator('.ant-picker-calendar');
    await calendar.getByText('休', { exact: true }).first().waitFor();
    await calendar.getByText('春节').first().waitFor();
    await page.getByRole('button', { name: /计\s*算/ }).click();
    await page.locator('[data-testid=deadline]').getByText(/截止时间/).waitFor();
    await assertLaidOut('calendar at 1280×800');
    await shot('04-calendar-zh');
  });

  step('ledger explorer checks the checkpoint signature and an inclusion proof in the browser', async () => {
    await openPage('数据铁笼·账本', '/ledger');
    await page.locator('[data-testid=signature-status]').first().getByText('签名有效').waitFor();
    const firstEntry = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await firstEntry.getByText('管理员登录').waitFor(); // the newest entry is this admin's login, by its name
    await firstEntry.getByRole('button', { name: /验\s*证/ }).click();
    const result = page.locator('[data-testid=inclusion-result]');
    await result.getByText('已验证 ✓').waitFor();
    await result.getByText('与叶哈希一致').waitFor();
    const computed = await result.locator('[data-testid=computed-root]').textContent();
    assert.match(computed ?? '', /^[A-Za-z0-9+/]{43}=$/, 'the computed root is shown');
    await assertLaidOut('ledger at 1280×800');
    await shot('05-ledger-verified-zh');
  });

  step('switching to English changes the UI and the server\'s messages, and is remembered', async () => {
    await page.locator('.console-header').getByText('English').click();
    await page.locator('.console-sider').getByText('Organisation', { exact: true }).waitFor();
    await page.locator('.console-header').getByText('Platform admin').waitFor();
    await sees('Latest checkpoint');
    await page.getByPlaceholder('Entry index').fill('0');
    await page.getByRole('button', { name: 'Verify inclusion proof' }).click();
    await page.locator('[data-testid=inclusion-result]').getByText('Verified ✓ entry #0').waitFor();
    await page.locator('.ant-table-tbody').getByText('Administrator logged in').first().waitFor();
    await shot('06-ledger-verified-en');

    await page.reload();
    await page.locator('.console-sider').getByText('Working calendar', { exact: true }).waitFor();
    await openPage('Staff', '/staff');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    const form = page.locator('.ant-modal');
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
    await page.setViewportSize(phone);
    await openPage('Organisation', '/org');
    await page.locator('.ant-tree').getByText('广安市').waitFor();
    await assertLaidOut('organisation on a phone');
    await shot('08-phone-org-en');
    await page.locator('.console-header').getByText('中文').click();
    await openPage('数据铁笼·账本', '/ledger');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: /验\s*证/ }).click();
    await page.locator('[data-testid=inclusion-result]').getByText('已验证 ✓').waitFor();
    await assertLaidOut('ledger on a phone');
    await shot('09-phone-ledger-zh');
    for (const [label, route] of [['人员管理', '/staff'], ['工作日历', '/calendar']] as const) {
      await openPage(label, route);
      await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      await assertLaidOut(`${route} on a phone`);
      await shot(`10-phone${route.replace('/', '-')}-zh`);
    }
    await page.setViewportSize(wide);
  });

  step('logout returns to the login page', async () => {
    await page.locator('.console-header').getByRole('button', { name: '退出登录' }).click();
    await sees('工作人员登录');
    await page.goto(`${base}/ledger`);
    await sees('工作人员登录');
  });
});
